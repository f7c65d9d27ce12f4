"""Demo data of the counseling app: classes of the current year and their students."""

import random
from datetime import date

from django.db import transaction
from faker import Faker

from counseling.models import Classroom, Student
from staff.demo import seed_teacher
from staff.models import AcademicYear, Role, School, User

ROMAN = {7: "VII", 8: "VIII", 9: "IX", 10: "X", 11: "XI", 12: "XII"}
# Seven digits after the birth-year prefix; a multiplier coprime with 10**7 keeps them distinct.
NISN_STEP = 7919


def demo_nisn(birth_year: int, index: int) -> str:
    return f"{birth_year % 1000:03d}{(index * NISN_STEP + 1234567) % 10**7:07d}"


@transaction.atomic
def seed_classes_and_students(
    *,
    school: School,
    year: AcademicYear,
    grades: list[int],
    letters: str,
    students_total: int,
    counselors: list[User],
    homeroom_teachers: dict[str, User],
    first_index: int,
    seed: int,
) -> list[Classroom]:
    """Classes named like "VII-A" for each grade and letter, and students spread over them.

    `first_index` keeps NISNs of different schools apart. Counselors take whole grades in turn.
    """
    rng = random.Random(seed)
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    classrooms = []
    teacher_number = 0
    for grade_position, grade in enumerate(grades):
        counselor = counselors[grade_position % len(counselors)]
        for letter in letters:
            name = f"{ROMAN[grade]}-{letter}"
            teacher = homeroom_teachers.get(name)
            if teacher is None:
                teacher_number += 1
                teacher = seed_teacher(
                    school,
                    f"guru.{school.npsn}.{teacher_number:02d}",
                    f"{fake.first_name()} {fake.last_name()}, S.Pd.",
                    Role.HOMEROOM_TEACHER,
                )
            classroom, _ = Classroom.objects.get_or_create(
                academic_year=year,
                name=name,
                defaults={
                    "school": school,
                    "grade": grade,
                    "homeroom_teacher": teacher,
                    "counselor": counselor,
                },
            )
            classrooms.append(classroom)

    existing = set(Student.objects.filter(school=school).values_list("nisn", flat=True))
    new_students = []
    for number in range(students_total):
        classroom = classrooms[number % len(classrooms)]
        # Age at the start of the year: 12 in grade 7, 15 in grade 10.
        birth_year = year.start_date.year - (classroom.grade + 5)
        nisn = demo_nisn(birth_year, first_index + number)
        sex = rng.choice(Student.Sex.values)
        first = fake.first_name_male() if sex == Student.Sex.MALE else fake.first_name_female()
        last = fake.last_name_male() if sex == Student.Sex.MALE else fake.last_name_female()
        birth_date = date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
        if nisn in existing:
            continue
        new_students.append(
            Student(
                school=school,
                nisn=nisn,
                nis=f"{(year.start_date.year - classroom.grade + grades[0]) % 100:02d}{number:04d}",
                full_name=f"{first} {last}",
                sex=sex,
                birth_place=fake.city_name(),
                birth_date=birth_date,
                classroom=classroom,
            )
        )
    Student.objects.bulk_create(new_students, batch_size=500)
    return classrooms
