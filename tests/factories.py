"""Factories for every model the tests build; one place, shared by all apps' tests."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from counseling.models import Classroom, Student
from staff.models import AcademicYear, RoleAssignment, School, Semester, User

TEST_PASSWORD = "uji-sandi-2026"  # noqa: S105


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ["npsn"]

    name = factory.Sequence(lambda n: f"SMP Negeri {n + 1} Contoh")
    npsn = factory.Sequence(lambda n: f"{30000000 + n:08d}")
    level = School.Level.SMP
    regency = "Kabupaten Contoh"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Pengguna Uji {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    school = factory.SubFactory(SchoolFactory)
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for role in extracted:
                RoleAssignment.objects.get_or_create(user=self, role=role)


class AcademicYearFactory(DjangoModelFactory):
    class Meta:
        model = AcademicYear

    school = factory.SubFactory(SchoolFactory)
    name = "2026/2027"
    start_date = date(2026, 7, 1)
    end_date = date(2027, 6, 30)
    is_current = True


class SemesterFactory(DjangoModelFactory):
    class Meta:
        model = Semester

    academic_year = factory.SubFactory(AcademicYearFactory)
    number = Semester.Number.ODD
    start_date = date(2026, 7, 1)
    end_date = date(2026, 12, 31)
    is_current = True


class ClassroomFactory(DjangoModelFactory):
    class Meta:
        model = Classroom

    school = factory.SubFactory(SchoolFactory)
    academic_year = factory.SubFactory(
        AcademicYearFactory, school=factory.SelfAttribute("..school")
    )
    grade = 7
    name = factory.Sequence(lambda n: f"VII-{n}")


class StudentFactory(DjangoModelFactory):
    class Meta:
        model = Student

    school = factory.SubFactory(SchoolFactory)
    nisn = factory.Sequence(lambda n: f"{n:010d}")
    full_name = factory.Sequence(lambda n: f"Siswa Uji {n}")
    sex = Student.Sex.FEMALE
    classroom = factory.SubFactory(ClassroomFactory, school=factory.SelfAttribute("..school"))
