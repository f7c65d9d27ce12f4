"""Demo data of the counseling app: classes and students of the current year, personal books,
and cases, sessions, collaboration and referrals over the history semesters."""

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from faker import Faker

from counseling.book import completeness as book_completeness
from counseling.models import (
    BKField,
    Case,
    Classroom,
    Collaboration,
    CounselingSession,
    InboundReferral,
    OutboundReferral,
    PersonalBook,
    PersonalBookSection,
    Student,
)
from staff.demo import seed_teacher
from staff.models import AcademicYear, Role, School, Semester, User

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


def seed_second_school(*, school: School, year: AcademicYear, counselor: User) -> None:
    """The demo's second school: four classes of grades X and XI, 80 students, a handful of
    cases (each step skipped where done)."""
    seed_classes_and_students(
        school=school,
        year=year,
        grades=[10, 11],
        letters="AB",
        students_total=80,
        counselors=[counselor],
        homeroom_teachers={},
        first_index=10_000,
        seed=2027,
    )
    seed_counseling_records(
        school=school, counselors=[counselor], cases_total=6, sessions_total=12, seed=2027
    )


# Personal books.

# Weighted choices: roughly the make-up of a district school in East Java.
_RELIGIONS = [("islam", 94), ("protestant", 3), ("catholic", 2), ("hindu", 1)]
_PARENT_EDUCATION = [
    ("sd", 30),
    ("smp", 25),
    ("sma", 30),
    ("diploma", 4),
    ("bachelor", 9),
    ("master", 1),
    ("none", 1),
]
_INCOMES = [
    ("lt_500k", 12),
    ("500k_1m", 22),
    ("1m_2m", 30),
    ("2m_5m", 26),
    ("5m_20m", 9),
    ("gt_20m", 1),
]
_FATHER_JOBS = [
    ("Petani", 25),
    ("Pedagang", 15),
    ("Wiraswasta", 15),
    ("Buruh harian lepas", 12),
    ("Nelayan", 6),
    ("Karyawan swasta", 10),
    ("Sopir", 5),
    ("PNS", 5),
    ("Guru honorer", 3),
    ("TNI/Polri", 2),
    ("Perangkat desa", 2),
]
_MOTHER_JOBS = [
    ("Mengurus rumah tangga", 45),
    ("Pedagang", 15),
    ("Petani", 12),
    ("Buruh pabrik", 8),
    ("Wiraswasta", 8),
    ("Guru", 5),
    ("Bidan", 2),
    ("PNS", 3),
    ("Karyawan swasta", 2),
]
_LIVING = [("parents", 86), ("guardian", 8), ("dormitory", 4), ("other", 2)]
_TRANSPORT = [
    ("walking", 18),
    ("bicycle", 15),
    ("motorcycle", 45),
    ("public_transport", 8),
    ("ojek", 6),
    ("school_shuttle", 3),
    ("car", 5),
]
_PLACES = {
    "Pamekasan": ["Kolpajung", "Jungcangcang", "Parteker", "Gladak Anyar", "Bugih", "Kowel"],
    "Tlanakan": ["Tlanakan", "Larangan Tokol", "Branta Pesisir", "Ceguk"],
    "Pademawu": ["Pademawu Timur", "Lawangan Daya", "Murtajih", "Sumedangan"],
    "Proppo": ["Proppo", "Panglegur", "Banyubulu", "Samatan"],
    "Larangan": ["Larangan Dalam", "Montok", "Tentenan Barat"],
}
_POSTAL_CODES = {
    "Pamekasan": "69317",
    "Tlanakan": "69371",
    "Pademawu": "69323",
    "Proppo": "69363",
    "Larangan": "69383",
}
_HAMLETS = ["Krajan", "Barat", "Timur", "Laok", "Dajah", "Tengah"]
_HOBBIES = [
    "Sepak bola",
    "Membaca komik",
    "Menggambar",
    "Bersepeda",
    "Bulu tangkis",
    "Memasak",
    "Menyanyi",
    "Bermain gim",
    "Memancing",
    "Menari",
]
_TALENTS = [
    "Tilawah Al-Qur'an",
    "Pencak silat",
    "Melukis",
    "Menulis puisi",
    "Bermain gitar",
    "Pidato",
    "Voli",
    "Hadrah",
    "Matematika",
    "Desain grafis",
]
_SUBJECTS = [
    "Matematika",
    "Bahasa Indonesia",
    "Bahasa Inggris",
    "IPA",
    "IPS",
    "PJOK",
    "Seni Budaya",
    "Pendidikan Agama",
    "Informatika",
    "Bahasa Madura",
    "Prakarya",
]
_EXTRACURRICULAR = ["PMR", "Paskibra", "Futsal", "Pencak silat", "Hadrah", "KIR", "Tari", "Voli"]
_ACHIEVEMENTS = [
    "Juara 1 lomba tilawah tingkat kecamatan",
    "Juara 2 O2SN pencak silat tingkat kabupaten",
    "Juara 3 lomba pidato bahasa Madura tingkat kabupaten",
    "Juara harapan lomba cerdas cermat tingkat kecamatan",
    "Peserta OSN IPA tingkat kabupaten",
    "Juara 1 lomba poster HUT RI tingkat sekolah",
    "Juara 2 futsal antarkelas",
]
_ASPIRATIONS = [
    ("Dokter", "Kesehatan"),
    ("Guru", "Pendidikan"),
    ("Polisi", "Keamanan"),
    ("Tentara", "Pertahanan"),
    ("Perawat", "Kesehatan"),
    ("Bidan", "Kesehatan"),
    ("Pengusaha", "Wirausaha"),
    ("Insinyur sipil", "Teknik"),
    ("Programmer", "Teknologi informasi"),
    ("Atlet", "Olahraga"),
    ("Ustaz", "Keagamaan"),
    ("Arsitek", "Teknik"),
]
_FURTHER_STUDY = [
    "Melanjutkan ke SMA Negeri 1 Pamekasan",
    "Melanjutkan ke SMK jurusan teknik komputer dan jaringan",
    "Melanjutkan ke madrasah aliyah sambil mondok",
    "Melanjutkan ke SMK jurusan keperawatan",
    "Melanjutkan ke SMA, lalu kuliah di Surabaya",
]
_NOTES = [
    "Aktif bertanya di kelas; perlu pendampingan dalam mengatur waktu belajar.",
    "Pendiam di kelas, lebih terbuka saat berbicara empat mata.",
    "Sering membantu orang tua berjualan sepulang sekolah.",
    "Memiliki semangat belajar tinggi; pernah terlambat karena jarak rumah jauh.",
    "Orang tua mudah dihubungi dan mendukung kegiatan sekolah.",
]
_CHRONIC = ["Tidak ada"] * 8 + ["Asma ringan", "Maag", "Alergi debu"]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _w in weighted], [w for _v, w in weighted])[0]


def _phone(rng: random.Random) -> str:
    return (
        f"08{rng.choice(['12', '13', '21', '52', '53', '57', '59', '77', '78', '95'])}"
        + "".join(str(rng.randint(0, 9)) for _ in range(8))
    )


def demo_book(student: Student, year_start: int, rng: random.Random, fake: Faker) -> dict:
    """A complete, plausible book for one student: {section key: {field: value}}."""
    first = student.full_name.split()[0]
    district = rng.choice(list(_PLACES))
    village = rng.choice(_PLACES[district])
    birth = student.birth_date or date(year_start - 12, 1, 1)
    day = birth.day + (40 if student.sex == Student.Sex.FEMALE else 0)
    child_order = rng.choices([1, 2, 3, 4, 5], [35, 30, 20, 10, 5])[0]
    distance = round(rng.uniform(0.3, 12), 1)
    grade = student.classroom.grade if student.classroom else 7
    family_name = fake.last_name_male()
    book = {
        PersonalBookSection.Key.IDENTITY: {
            "nickname": first,
            "religion": _pick(rng, _RELIGIONS),
            "nik": f"3528{rng.randint(1, 13):02d}{day:02d}{birth:%m%y}{rng.randint(1, 9999):04d}",
            "child_order": child_order,
            "siblings": child_order - 1 + rng.randint(0, 3),
            "phone": _phone(rng),
            "email": f"{first.lower()}{student.nisn[-4:]}@gmail.com",
        },
        PersonalBookSection.Key.FAMILY: {
            "father_name": f"{fake.first_name_male()} {family_name}",
            "father_education": _pick(rng, _PARENT_EDUCATION),
            "father_occupation": _pick(rng, _FATHER_JOBS),
            "father_income": _pick(rng, _INCOMES),
            "father_phone": _phone(rng),
            "mother_name": f"{fake.first_name_female()} {fake.last_name_female()}",
            "mother_education": _pick(rng, _PARENT_EDUCATION),
            "mother_occupation": _pick(rng, _MOTHER_JOBS),
            "mother_income": "none" if rng.random() < 0.45 else _pick(rng, _INCOMES),
            "mother_phone": _phone(rng),
        },
        PersonalBookSection.Key.RESIDENCE: {
            "address": fake.street_address(),
            "rt": f"{rng.randint(1, 12):03d}",
            "rw": f"{rng.randint(1, 6):03d}",
            "hamlet": f"Dusun {rng.choice(_HAMLETS)}",
            "village": village,
            "district": district,
            "postal_code": _POSTAL_CODES[district],
            "lives_with": _pick(rng, _LIVING),
            "transport": _pick(rng, _TRANSPORT),
            "distance_km": format(distance, "g"),
            "travel_minutes": int(5 + distance * rng.uniform(2.5, 5)),
        },
        PersonalBookSection.Key.HEALTH: {
            "height_cm": str(rng.randint(138, 152) + (grade - 7) * 5),
            "weight_kg": str(rng.randint(30, 45) + (grade - 7) * 4),
            "head_circumference_cm": str(rng.randint(51, 56)),
            "blood_type": rng.choices(["O", "A", "B", "AB"], [40, 25, 28, 7])[0],
            "chronic_illnesses": rng.choice(_CHRONIC),
            "special_needs": "Tidak ada",
            "notes": rng.choice(["Memakai kacamata minus", "Sehat", "Alergi udang", "Sehat"]),
        },
        PersonalBookSection.Key.EDUCATION: {
            "previous_school": f"{rng.choice(['SD Negeri', 'MI'])} {village} {rng.randint(1, 4)}",
            "year_entered": year_start - (grade - 7),
            "grades_repeated": "Tidak pernah" if rng.random() < 0.96 else "Kelas VII",
            "notes": rng.choice(["Nilai rapor stabil", "Nilai matematika perlu ditingkatkan"]),
        },
        PersonalBookSection.Key.TALENTS: {
            "hobbies": ", ".join(rng.sample(_HOBBIES, 2)),
            "talents": rng.choice(_TALENTS),
            "favourite_subjects": ", ".join(rng.sample(_SUBJECTS, 2)),
            "least_favourite_subjects": rng.choice(_SUBJECTS),
            "extracurricular": f"Pramuka, {rng.choice(_EXTRACURRICULAR)}",
        },
        PersonalBookSection.Key.ACHIEVEMENTS: {
            "achievements": f"{rng.choice(_ACHIEVEMENTS)}, {year_start - rng.randint(0, 2)}",
        },
        PersonalBookSection.Key.ASPIRATIONS: {},
        PersonalBookSection.Key.NOTES: {"notes": rng.choice(_NOTES)},
    }
    aspiration, interest = rng.choice(_ASPIRATIONS)
    book[PersonalBookSection.Key.ASPIRATIONS] = {
        "aspiration": aspiration,
        "further_study": rng.choice(_FURTHER_STUDY),
        "career_interest": interest,
    }
    if book[PersonalBookSection.Key.RESIDENCE]["lives_with"] == "guardian":
        book[PersonalBookSection.Key.FAMILY].update(
            {
                "guardian_name": f"{fake.first_name_male()} {family_name}",
                "guardian_education": _pick(rng, _PARENT_EDUCATION),
                "guardian_occupation": _pick(rng, _FATHER_JOBS),
                "guardian_income": _pick(rng, _INCOMES),
                "guardian_phone": _phone(rng),
            }
        )
    return book


def share_to_keep(rng: random.Random) -> float:
    """How much of a book the counselors have filled in: a few books barely started, most of
    them between 40 and 90%, some complete."""
    draw = rng.random()
    if draw < 0.12:
        return rng.uniform(0.0, 0.2)
    if draw < 0.88:
        return rng.uniform(0.45, 0.88)
    return 1.0


@transaction.atomic
def seed_personal_books(*, school: School, seed: int) -> int:
    """Personal books of varying completeness for the school's students; the sections are
    signed by the class's BK teacher. Students who have a book keep it. Returns books added."""
    rng = random.Random(seed)
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    have = set(PersonalBook.objects.filter(school=school).values_list("student_id", flat=True))
    students = Student.objects.filter(school=school).select_related("classroom__academic_year")
    planned = []
    for student in students.order_by("nisn"):
        year_start = student.classroom.academic_year.start_date.year if student.classroom else 2026
        # Drawn for every student, so that a second run draws the same for the rest.
        full = demo_book(student, year_start, rng, fake)
        share = share_to_keep(rng)
        kept = {
            key: {
                name: value for name, value in fields.items() if share >= 1 or rng.random() < share
            }
            for key, fields in full.items()
        }
        if student.pk not in have:
            planned.append((student, kept))
    books = PersonalBook.objects.bulk_create(
        [
            PersonalBook(student=student, school=school, completeness=book_completeness(kept))
            for student, kept in planned
        ],
        batch_size=500,
    )
    sections = []
    for personal_book, (student, kept) in zip(books, planned, strict=True):
        counselor_id = student.classroom.counselor_id if student.classroom else None
        for key in PersonalBookSection.Key.values:
            data = kept.get(key, {})
            sections.append(
                PersonalBookSection(
                    book=personal_book,
                    key=key,
                    data=data,
                    version=1 if data else 0,
                    updated_by_id=counselor_id if data else None,
                )
            )
    PersonalBookSection.objects.bulk_create(sections, batch_size=1000)
    return len(books)


# --- Cases, sessions, collaboration and referrals --------------------------------------------
#
# Over the history semesters and the current one. As the study found, later semesters show more
# cases handled in two or more sessions and more collaboration with parents and teachers: the
# shares below rise from the earliest semester to the latest, and are applied as exact quotas
# so the trend does not depend on the draw.

Strategy = CounselingSession.Strategy
Component = CounselingSession.Component

MULTI_SESSION_SHARE = (0.35, 0.75)
PARENT_CONTACT_SHARE = (0.25, 0.70)
TEACHER_CONTACT_SHARE = (0.30, 0.75)

_CATEGORY_FIELD = {
    Case.Category.ATTENDANCE: BKField.LEARNING,
    Case.Category.DISCIPLINE: BKField.SOCIAL,
    Case.Category.LEARNING_DIFFICULTY: BKField.LEARNING,
    Case.Category.MOTIVATION: BKField.LEARNING,
    Case.Category.FAMILY: BKField.PERSONAL,
    Case.Category.PEERS: BKField.SOCIAL,
    Case.Category.BULLYING: BKField.SOCIAL,
    Case.Category.EMOTIONAL: BKField.PERSONAL,
    Case.Category.HEALTH: BKField.PERSONAL,
    Case.Category.CAREER_CHOICE: BKField.CAREER,
    Case.Category.OTHER: BKField.PERSONAL,
}
_CATEGORY_WEIGHTS = [
    (Case.Category.ATTENDANCE, 16),
    (Case.Category.DISCIPLINE, 12),
    (Case.Category.LEARNING_DIFFICULTY, 16),
    (Case.Category.MOTIVATION, 12),
    (Case.Category.FAMILY, 9),
    (Case.Category.PEERS, 9),
    (Case.Category.BULLYING, 6),
    (Case.Category.EMOTIONAL, 8),
    (Case.Category.HEALTH, 4),
    (Case.Category.CAREER_CHOICE, 6),
    (Case.Category.OTHER, 2),
]
_SOURCE_WEIGHTS = [
    (Case.Source.SELF, 25),
    (Case.Source.HOMEROOM_TEACHER, 25),
    (Case.Source.SUBJECT_TEACHER, 12),
    (Case.Source.PARENT, 10),
    (Case.Source.COUNSELOR, 18),
    (Case.Source.DISCIPLINE, 10),
]
_CASE_SUMMARIES = {
    Case.Category.ATTENDANCE: [
        "Terlambat masuk kelas {n} kali dalam sebulan terakhir, terutama pada jam pertama.",
        "Tidak masuk sekolah tanpa keterangan selama {n} hari dalam dua minggu.",
        "Sering izin keluar kelas dan tidak kembali sampai jam pelajaran berakhir.",
    ],
    Case.Category.DISCIPLINE: [
        "Beberapa kali kedapatan bermain gim di telepon genggam saat pelajaran.",
        "Terlibat perkelahian kecil dengan teman sekelas saat jam istirahat.",
        "Tidak memakai seragam sesuai aturan dan membantah ketika ditegur guru piket.",
    ],
    Case.Category.LEARNING_DIFFICULTY: [
        "Nilai matematika di bawah KKM pada {n} ulangan harian berturut-turut.",
        "Kesulitan memahami bacaan; tugas Bahasa Indonesia sering tidak selesai.",
        "Nilai beberapa mata pelajaran turun tajam dibanding semester sebelumnya.",
    ],
    Case.Category.MOTIVATION: [
        "Sering tidak mengerjakan pekerjaan rumah dan tampak tidak bersemangat di kelas.",
        "Mengaku malas belajar dan ingin berhenti sekolah untuk membantu orang tua bekerja.",
    ],
    Case.Category.FAMILY: [
        "Orang tua sedang berpisah; siswa tampak murung dan sering menyendiri.",
        "Tinggal bersama nenek karena kedua orang tua bekerja di luar daerah.",
        "Sering terlambat karena harus mengantar adik ke sekolah setiap pagi.",
    ],
    Case.Category.PEERS: [
        "Merasa dikucilkan kelompok teman di kelas setelah sebuah salah paham.",
        "Berselisih dengan teman sebangku dan meminta pindah tempat duduk.",
    ],
    Case.Category.BULLYING: [
        "Dilaporkan sering diejek dan disembunyikan barangnya oleh beberapa teman sekelas.",
        "Menjadi sasaran ejekan di grup percakapan kelas.",
    ],
    Case.Category.EMOTIONAL: [
        "Mudah menangis dan sulit berkonsentrasi sejak beberapa minggu terakhir.",
        "Tampak cemas menjelang ujian dan mengeluh sulit tidur.",
    ],
    Case.Category.HEALTH: [
        "Sering mengeluh pusing dan izin ke UKS pada jam pelajaran.",
        "Sering tidak sarapan sebelum berangkat sekolah dan tampak lemas di kelas.",
    ],
    Case.Category.CAREER_CHOICE: [
        "Bingung memilih sekolah lanjutan dan belum berani membicarakannya dengan orang tua.",
        "Ingin melanjutkan ke pondok pesantren, tetapi orang tua belum setuju.",
    ],
    Case.Category.OTHER: [
        "Kehilangan uang kas kelas yang dipegangnya dan merasa dituduh teman.",
    ],
}
_OUTCOMES = {
    Case.Category.ATTENDANCE: "Kehadiran membaik; tidak terlambat lagi selama sebulan terakhir.",
    Case.Category.DISCIPLINE: "Siswa memahami tata tertib dan tidak mengulangi pelanggaran.",
    Case.Category.LEARNING_DIFFICULTY: (
        "Mengikuti belajar kelompok dan remedial; nilai ulangan berikutnya mencapai KKM."
    ),
    Case.Category.MOTIVATION: (
        "Siswa menyusun jadwal belajar sendiri; tugas mulai dikumpulkan tepat waktu."
    ),
    Case.Category.FAMILY: "Orang tua lebih memperhatikan; siswa kembali aktif di kelas.",
    Case.Category.PEERS: "Hubungan dengan teman membaik setelah mediasi.",
    Case.Category.BULLYING: (
        "Para pelaku meminta maaf dan membuat pernyataan; kelas dipantau wali kelas."
    ),
    Case.Category.EMOTIONAL: "Siswa merasa lebih tenang dan tahu kepada siapa bercerita.",
    Case.Category.HEALTH: "Siswa diperiksa di puskesmas dan rutin sarapan; keluhan berkurang.",
    Case.Category.CAREER_CHOICE: "Siswa menetapkan pilihan sekolah lanjutan bersama orang tua.",
    Case.Category.OTHER: "Masalah selesai dengan kesepakatan bersama.",
}
_REFERRED_OUTCOME = "Ditangani lebih lanjut oleh {institution}; sekolah memantau perkembangannya."
_SESSION_SUMMARIES = {
    Strategy.INDIVIDUAL: [
        "Siswa menceritakan masalahnya; bersama konselor mengenali penyebab dan pilihan yang ada.",
        "Meninjau kemajuan sejak pertemuan sebelumnya dan menyepakati langkah berikutnya.",
        "Siswa menilai sendiri perubahan yang sudah dicapai; konselor memberi penguatan.",
    ],
    Strategy.GROUP_COUNSELING: [
        "Konseling kelompok: siswa dengan masalah serupa berbagi pengalaman dan saling memberi "
        "masukan.",
        "Konseling kelompok: menyusun langkah bersama dan saling mengingatkan komitmen.",
    ],
    Strategy.CONSULTATION: [
        "Konsultasi dengan orang tua tentang perkembangan belajar siswa di rumah.",
        "Konsultasi dengan wali kelas tentang sikap siswa di kelas.",
    ],
    Strategy.HOME_VISIT: [
        "Kunjungan rumah untuk memahami keadaan keluarga dan kebiasaan belajar siswa.",
        "Kunjungan rumah; orang tua menceritakan kegiatan siswa sepulang sekolah.",
    ],
    Strategy.CASE_CONFERENCE: [
        "Konferensi kasus bersama wali kelas, wakasek kesiswaan dan orang tua untuk menyepakati "
        "penanganan.",
    ],
    Strategy.REFERRAL: [
        "Pertemuan dengan orang tua untuk menyiapkan alih tangan kasus; orang tua menyetujui.",
    ],
}
# What an individual session about each kind of problem works on, beside the general lines.
_INDIVIDUAL_BY_CATEGORY = {
    Case.Category.ATTENDANCE: "Mencari tahu penyebab keterlambatan; menyusun rencana berangkat "
    "lebih pagi.",
    Case.Category.DISCIPLINE: "Membahas tata tertib yang dilanggar dan akibatnya; siswa menulis "
    "komitmen perbaikan.",
    Case.Category.LEARNING_DIFFICULTY: "Berlatih mengatur waktu belajar dan menyusun jadwal "
    "harian bersama siswa.",
    Case.Category.MOTIVATION: "Menggali cita-cita siswa dan mengaitkannya dengan tugas sekolah "
    "sehari-hari.",
    Case.Category.FAMILY: "Siswa menceritakan keadaan di rumah; bersama konselor mencari orang "
    "dewasa yang dapat diajak bicara.",
    Case.Category.PEERS: "Berlatih menyampaikan perasaan kepada teman tanpa menyalahkan.",
    Case.Category.BULLYING: "Siswa menceritakan kejadian ejekan; menyepakati cara melapor dan "
    "langkah perlindungan di sekolah.",
    Case.Category.EMOTIONAL: "Berlatih teknik pernapasan dan mengenali tanda cemas.",
    Case.Category.HEALTH: "Membahas pola makan dan tidur; menyepakati pemeriksaan ke UKS.",
    Case.Category.CAREER_CHOICE: "Membandingkan pilihan sekolah lanjutan dengan minat dan nilai "
    "siswa.",
    Case.Category.OTHER: "Membahas kejadian yang dialami siswa dan pilihan penyelesaiannya.",
}
_GUIDANCE_TOPICS = [
    "Mengenal gaya belajar",
    "Cara belajar efektif menjelang ujian",
    "Perundungan: mengenali dan mencegahnya",
    "Mengelola emosi dan stres",
    "Etika bermedia sosial",
    "Mengenal minat dan bakat",
    "Merencanakan studi lanjut",
    "Hidup sehat tanpa rokok dan narkoba",
    "Disiplin dan tata tertib sekolah",
    "Menghargai perbedaan di kelas",
]
_CONFIDENTIAL_NOTES = [
    "Siswa mengaku sering bertengkar dengan kakaknya di rumah.",
    "Siswa menangis saat menceritakan ayahnya yang sedang sakit.",
    "Ada tanda siswa kurang tidur karena bermain gawai sampai larut malam.",
    "Siswa meminta agar masalah ini tidak diceritakan kepada teman sekelas.",
    "Siswa menyebut dua teman yang sering mengejeknya.",
    "Orang tua menyampaikan kesulitan ekonomi sejak ayah berhenti bekerja.",
    "Siswa merasa tidak dipercaya oleh orang tuanya.",
    "Siswa pernah mendapat ancaman lewat pesan singkat; tangkapan layar disimpan konselor.",
]
_FOLLOW_UPS = [
    "Pertemuan lanjutan untuk meninjau jadwal belajar.",
    "Menghubungi orang tua melalui telepon.",
    "Berkoordinasi dengan wali kelas untuk memantau kehadiran.",
    "Meminta guru mata pelajaran memberi kesempatan remedial.",
    "Kunjungan rumah bersama wali kelas.",
]
_CLOSING_FOLLOW_UP = "Pemantauan berkala oleh wali kelas."
_FATHERS = ["Slamet", "Sutrisno", "Abdul Rahman", "Moh. Hasan", "Suparman", "Agus Wijaya", "Hendra"]
_MOTHERS = ["Siti Aminah", "Sri Wahyuni", "Nur Aini", "Fatimah", "Suryani", "Rukmini", "Endang"]
_SUBJECT_TEACHERS = [
    "Drs. Joko Santoso (Matematika)",
    "Lilis Suryani, S.Pd. (Bahasa Indonesia)",
    "Ahmad Fauzan, S.Pd. (Bahasa Inggris)",
    "Yuni Astuti, S.Pd. (IPS)",
]
_PARENT_TOPICS = [
    (
        "Perkembangan belajar dan kehadiran siswa",
        "Orang tua memastikan siswa berangkat lebih pagi.",
    ),
    (
        "Kebiasaan belajar dan penggunaan gawai di rumah",
        "Orang tua mendampingi belajar setiap malam dan membatasi gawai.",
    ),
    ("Rencana penanganan di sekolah", "Orang tua menyetujui rencana dan datang sebulan sekali."),
    ("Keadaan keluarga dan dukungan di rumah", "Orang tua lebih sering mengajak siswa berbicara."),
]
HOMEROOM_TOPICS = [
    (
        "Pemantauan kehadiran dan sikap siswa di kelas",
        "Wali kelas mencatat kehadiran harian dan melapor setiap Jumat.",
    ),
    ("Tempat duduk dan kelompok belajar", "Siswa duduk di depan dan masuk kelompok belajar."),
]
_SUBJECT_TOPICS = [
    ("Nilai dan tugas yang belum dikumpulkan", "Guru memberi tugas pengganti dan remedial."),
    ("Pendampingan belajar", "Guru menyediakan waktu tanya jawab setelah pelajaran."),
]
_OUTSIDE_PARTNERS = [
    ("Puskesmas Sukamaju", "Pemeriksaan kesehatan siswa", "Siswa diperiksa pada hari Sabtu."),
    ("Biro Psikologi Harapan", "Pendampingan psikologis", "Jadwal asesmen disepakati."),
    ("Dinas Sosial Kabupaten", "Bantuan sosial untuk keluarga siswa", "Keluarga didata ulang."),
    ("Bhabinkamtibmas Desa Sukamaju", "Penyuluhan kenakalan remaja", "Penyuluhan bulan depan."),
]
_OUT_SERVICES = [
    (OutboundReferral.Service.PSYCHOLOGIST, "Biro Psikologi Harapan, Pamekasan"),
    (OutboundReferral.Service.CLINIC, "Puskesmas Sukamaju"),
    (OutboundReferral.Service.SOCIAL_SERVICE, "Dinas Sosial Kabupaten Pamekasan"),
    (OutboundReferral.Service.HOSPITAL, "RSUD Kabupaten Pamekasan, poli tumbuh kembang"),
]
_REFERRAL_REASONS = [
    "Sering melamun di kelas dan nilai menurun dua bulan terakhir.",
    "Tidak mengumpulkan tugas tiga kali berturut-turut dan tampak lesu.",
    "Bertengkar dengan teman saat pelajaran dan sulit ditenangkan.",
    "Sering terlambat dan beberapa kali tidak masuk tanpa surat.",
    "Tampak murung dan menarik diri dari teman-temannya.",
]
_DECLINE_REASONS = [
    "Masalah sudah selesai ditangani wali kelas; cukup dipantau.",
    "Siswa sudah ditangani dalam kasus yang sedang berjalan.",
]


def _weighted(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _w in weighted], [w for _v, w in weighted])[0]


def share_at(bounds: tuple[float, float], index: int, count: int) -> float:
    """The share of the index-th semester of `count`, rising from the low bound in the first
    to the high one in the last."""
    low, high = bounds
    return low if count <= 1 else low + (high - low) * index / (count - 1)


def quota(rng: random.Random, total: int, share: float) -> list[bool]:
    """Exactly round(total × share) True values, shuffled."""
    hits = round(total * share)
    flags = [True] * hits + [False] * (total - hits)
    rng.shuffle(flags)
    return flags


@dataclass
class DemoStudent:
    pk: int
    classroom_id: int
    grade: int
    counselor_id: int | None
    homeroom_teacher_id: int | None
    classroom_name: str


@dataclass
class _DemoCase:
    case: Case
    semester_index: int
    co_handler_id: int | None = None
    sessions: list[CounselingSession] = field(default_factory=list)
    participants: list[list[int]] = field(default_factory=list)


class CounselingDemo:
    """Builds a school's demo records in memory, then writes them with a few bulk inserts."""

    def __init__(self, *, school: School, counselors: list[User], seed: int | str, now: datetime):
        self.school = school
        self.counselors = counselors
        self.rng = random.Random(seed)
        self.now = now
        self.today = timezone.localtime(now).date()
        self.zone = timezone.get_default_timezone()
        self.cases: list[_DemoCase] = []
        self.standalone: list[tuple[CounselingSession, list[int]]] = []
        self.collaborations: list[Collaboration] = []
        self.inbound: list[InboundReferral] = []
        self.inbound_times: dict[int, tuple[datetime, datetime | None]] = {}
        self.outbound: list[OutboundReferral] = []
        self.students_by_class: dict[int, list[DemoStudent]] = {}
        self.subject_teachers: list[str] = list(_SUBJECT_TEACHERS)

    # Dates and times

    def at(self, day: date, earliest: int = 7 * 60 + 30, latest: int = 13 * 60 + 30) -> datetime:
        minutes = self.rng.randrange(earliest, latest + 1, 10)
        moment = datetime.combine(day, time(minutes // 60, minutes % 60))
        return timezone.make_aware(moment, self.zone)

    def day_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    @staticmethod
    def weekday(day: date) -> date:
        """Saturday and Sunday move to the Monday after."""
        return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day

    # Picking people

    def pick_student(self, pool: list[DemoStudent], counselor: User, used: set[int]):
        own = [s for s in pool if s.counselor_id == counselor.pk and s.pk not in used]
        others = [s for s in pool if s.pk not in used] or pool
        # Mostly students of the counselor's own classes.
        choices = own if own and self.rng.random() < 0.8 else others
        student = self.rng.choice(choices)
        used.add(student.pk)
        return student

    def parent_name(self) -> str:
        if self.rng.random() < 0.5:
            return f"Bapak {self.rng.choice(_FATHERS)} (ayah)"
        return f"Ibu {self.rng.choice(_MOTHERS)} (ibu)"

    # Building

    def add_case(
        self,
        *,
        index: int,
        semester: Semester,
        student: DemoStudent,
        counselor: User,
        multi: bool,
        source: str | None = None,
        fresh: bool = False,
    ) -> _DemoCase:
        """A case of the semester; a `fresh` one was opened in the last few days and has had
        no session yet."""
        rng = self.rng
        is_current = semester.is_current
        category = _weighted(rng, _CATEGORY_WEIGHTS)
        last_day = min(semester.end_date, self.today) if is_current else semester.end_date
        # History cases leave room for their sessions before the semester ends.
        latest_open = last_day if is_current else last_day - timedelta(days=50)
        opened_on = self.weekday(
            self.day_between(semester.start_date + timedelta(days=7), latest_open)
        )
        if fresh:
            opened_on = last_day - timedelta(days=rng.randint(0, 4))
        if is_current:
            opened_on = min(max(opened_on, semester.start_date), last_day)
        case = Case(
            school=self.school,
            student_id=student.pk,
            field=_CATEGORY_FIELD[category],
            category=category,
            source=source or _weighted(rng, _SOURCE_WEIGHTS),
            counselor=counselor,
            summary=rng.choice(_CASE_SUMMARIES[category]).format(n=rng.randint(3, 7)),
            opened_on=opened_on,
            created_by=counselor,
        )
        demo_case = _DemoCase(case=case, semester_index=index)
        shared = category in (Case.Category.BULLYING, Case.Category.FAMILY)
        if len(self.counselors) > 1 and rng.random() < (0.35 if shared else 0.1):
            demo_case.co_handler_id = rng.choice(
                [c.pk for c in self.counselors if c.pk != counselor.pk]
            )

        # Sessions, a few days to two weeks apart, on school days, never in the future.
        planned = 0 if fresh else rng.choice([2, 2, 3, 3, 4, 5]) if multi else 1
        day = self.weekday(opened_on + timedelta(days=rng.randint(0, 3)))
        limit = last_day
        needs_expert = category in (
            Case.Category.EMOTIONAL,
            Case.Category.FAMILY,
            Case.Category.HEALTH,
        )
        refer_out = multi and needs_expert and rng.random() < 0.3
        for number in range(planned):
            if day > limit:
                break
            starts_at = self.at(day)
            if starts_at >= self.now:
                break
            if number == 0:
                strategy = Strategy.INDIVIDUAL
            elif refer_out and number == planned - 1:
                strategy = Strategy.REFERRAL
            else:
                strategy = _weighted(
                    rng,
                    [
                        (Strategy.INDIVIDUAL, 45),
                        (Strategy.CONSULTATION, 15),
                        (Strategy.HOME_VISIT, 12),
                        (Strategy.GROUP_COUNSELING, 10),
                        (Strategy.CASE_CONFERENCE, 8),
                    ],
                )
            leader = counselor.pk
            if demo_case.co_handler_id and rng.random() < 0.3:
                leader = demo_case.co_handler_id
            participants = [student.pk]
            if strategy == Strategy.GROUP_COUNSELING:
                classmates = [
                    s.pk
                    for s in self.students_by_class.get(student.classroom_id, [])
                    if s.pk != student.pk
                ]
                participants += rng.sample(classmates, min(len(classmates), rng.randint(2, 4)))
                if len(participants) < 2:
                    strategy = Strategy.INDIVIDUAL
            demo_case.sessions.append(
                CounselingSession(
                    school=self.school,
                    counselor_id=leader,
                    starts_at=starts_at,
                    duration_minutes=self.duration(strategy),
                    strategy=strategy,
                    component=(
                        Component.INDIVIDUAL_PLANNING
                        if case.field == BKField.CAREER
                        else Component.SYSTEM_SUPPORT
                        if strategy == Strategy.CASE_CONFERENCE
                        else Component.RESPONSIVE
                    ),
                    field=case.field,
                    other_participants=self.others_present(strategy),
                    summary=rng.choice(
                        [*_SESSION_SUMMARIES[strategy], _INDIVIDUAL_BY_CATEGORY[case.category]]
                        if strategy == Strategy.INDIVIDUAL
                        else _SESSION_SUMMARIES[strategy]
                    ),
                    confidential_notes=(
                        rng.choice(_CONFIDENTIAL_NOTES)
                        if strategy in (Strategy.INDIVIDUAL, Strategy.HOME_VISIT)
                        or rng.random() < 0.3
                        else ""
                    ),
                    follow_up_plan=rng.choice(_FOLLOW_UPS),
                )
            )
            demo_case.participants.append(participants)
            day = self.weekday(day + timedelta(days=rng.randint(4, 10)))
        # Each session's appointment is the next session, as it was kept.
        for earlier, later in zip(demo_case.sessions, demo_case.sessions[1:], strict=False):
            earlier.next_appointment = later.starts_at
        self.settle(demo_case, semester)
        self.cases.append(demo_case)
        return demo_case

    def settle(self, demo_case: _DemoCase, semester: Semester) -> None:
        """The status the case has reached by now, with its outcome and dates."""
        case, sessions, rng = demo_case.case, demo_case.sessions, self.rng
        refer_out = any(session.strategy == Strategy.REFERRAL for session in sessions)
        if not sessions:
            case.status = Case.Status.NEW
            return
        last = sessions[-1]
        last_day = timezone.localtime(last.starts_at).date()
        if refer_out:
            service, institution = rng.choice(_OUT_SERVICES)
            consent = self.parent_name()
            self.outbound.append(
                OutboundReferral(
                    school=self.school,
                    case=case,
                    service=service,
                    institution=institution,
                    reason=(
                        "Masalah memerlukan penanganan ahli di luar kewenangan guru BK; "
                        "orang tua setuju setelah pertemuan di sekolah."
                    ),
                    referred_on=last_day,
                    consent_given_by=consent.split(" (")[0],
                    consent_relation="ayah" if "(ayah)" in consent else "ibu",
                    consent_date=last_day,
                    created_by_id=case.counselor_id,
                )
            )
        ends = min(semester.end_date, self.today)
        done_by = last_day + timedelta(days=rng.randint(3, 10))
        if not semester.is_current:
            case.status = Case.Status.CLOSED
            case.closed_on = min(done_by, semester.end_date)
        elif refer_out:
            case.status = Case.Status.REFERRED_OUT
        elif done_by <= ends and len(sessions) >= 2 and rng.random() < 0.5:
            case.status = rng.choice([Case.Status.RESOLVED, Case.Status.CLOSED])
            case.closed_on = done_by
        else:
            case.status = Case.Status.IN_PROGRESS
        if case.status == Case.Status.CLOSED:
            case.outcome = (
                _REFERRED_OUTCOME.format(institution=self.outbound[-1].institution)
                if refer_out
                else _OUTCOMES[case.category]
            )
        if case.status in (Case.Status.RESOLVED, Case.Status.CLOSED) or refer_out:
            last.follow_up_plan = _CLOSING_FOLLOW_UP

    def others_present(self, strategy: str) -> str:
        return {
            Strategy.HOME_VISIT: "Orang tua siswa",
            Strategy.CONSULTATION: self.rng.choice(["Orang tua siswa", "Wali kelas"]),
            Strategy.CASE_CONFERENCE: "Wali kelas, wakasek kesiswaan, orang tua siswa",
            Strategy.REFERRAL: "Orang tua siswa",
        }.get(strategy, "")

    def duration(self, strategy: str) -> int:
        return {
            Strategy.INDIVIDUAL: self.rng.choice([30, 40, 45, 60]),
            Strategy.GROUP_COUNSELING: self.rng.choice([60, 80, 90]),
            Strategy.GROUP_GUIDANCE: self.rng.choice([40, 80]),
            Strategy.CLASSICAL_GUIDANCE: self.rng.choice([40, 80]),
            Strategy.CONSULTATION: self.rng.choice([20, 30, 45]),
            Strategy.HOME_VISIT: self.rng.choice([60, 90, 120]),
            Strategy.CASE_CONFERENCE: self.rng.choice([60, 90]),
            Strategy.REFERRAL: 45,
        }[strategy]

    def add_collaboration(
        self, demo_case: _DemoCase, partner: str, student: DemoStudent, teachers: dict[int, str]
    ) -> None:
        rng, case = self.rng, demo_case.case
        dates = [timezone.localtime(s.starts_at).date() for s in demo_case.sessions]
        happened_on = rng.choice(dates) if dates else case.opened_on
        if partner == Collaboration.Partner.PARENT:
            name = self.parent_name()
            topic, agreement = rng.choice(_PARENT_TOPICS)
            method = _weighted(
                rng,
                [
                    (Collaboration.Method.PHONE, 35),
                    (Collaboration.Method.FACE_TO_FACE, 30),
                    (Collaboration.Method.MESSAGE, 20),
                    (Collaboration.Method.HOME_VISIT, 10),
                    (Collaboration.Method.LETTER, 5),
                ],
            )
        elif partner == Collaboration.Partner.HOMEROOM_TEACHER:
            name = teachers.get(student.homeroom_teacher_id) or "Wali kelas"
            topic, agreement = rng.choice(HOMEROOM_TOPICS)
            method = rng.choice([Collaboration.Method.FACE_TO_FACE, Collaboration.Method.MESSAGE])
        elif partner == Collaboration.Partner.SUBJECT_TEACHER:
            name = rng.choice(self.subject_teachers)
            topic, agreement = rng.choice(_SUBJECT_TOPICS)
            method = rng.choice([Collaboration.Method.FACE_TO_FACE, Collaboration.Method.MESSAGE])
        else:
            name, topic, agreement = rng.choice(_OUTSIDE_PARTNERS)
            method = rng.choice([Collaboration.Method.LETTER, Collaboration.Method.FACE_TO_FACE])
        self.collaborations.append(
            Collaboration(
                school=self.school,
                counselor_id=case.counselor_id,
                partner_type=partner,
                partner_name=name,
                method=method,
                student_id=case.student_id,
                case=case,
                happened_on=happened_on,
                topic=topic,
                agreement=agreement,
            )
        )

    def add_case_collaborations(
        self,
        demo_case: _DemoCase,
        student: DemoStudent,
        teachers: dict[int, str],
        *,
        parent: bool,
        teacher: bool,
    ) -> None:
        """The case's work with a parent and with teachers (as the quotas ask), and now and
        then with an outside party on a matter of health or family."""
        if parent:
            self.add_collaboration(demo_case, Collaboration.Partner.PARENT, student, teachers)
        if teacher:
            partner = self.rng.choice(
                [Collaboration.Partner.HOMEROOM_TEACHER, Collaboration.Partner.SUBJECT_TEACHER]
            )
            self.add_collaboration(demo_case, partner, student, teachers)
            if len(demo_case.sessions) >= 3 and self.rng.random() < 0.5:
                self.add_collaboration(
                    demo_case, Collaboration.Partner.HOMEROOM_TEACHER, student, teachers
                )
        if demo_case.case.category in (Case.Category.HEALTH, Case.Category.FAMILY) and (
            self.rng.random() < 0.3
        ):
            self.add_collaboration(demo_case, Collaboration.Partner.OUTSIDE, student, teachers)

    def add_standalone(
        self,
        semester: Semester,
        count: int,
        *,
        classes: list[tuple[int, int]],
        pool: list[DemoStudent],
        classical_share: float = 0.45,
    ) -> None:
        """Sessions outside any case: classical guidance for the classes given (class id,
        its BK teacher's id) in about `classical_share` of them, then group guidance (three
        tenths), individual planning and consultations."""
        rng = self.rng
        last_day = min(semester.end_date, self.today) if semester.is_current else semester.end_date
        for number in range(count):
            counselor = self.counselors[number % len(self.counselors)]
            day = self.weekday(self.day_between(semester.start_date + timedelta(days=7), last_day))
            starts_at = self.at(day)
            if starts_at >= self.now or day > semester.end_date:
                continue
            own_classes = [c for c in classes if c[1] == counselor.pk]
            kind = rng.random()
            classroom_id = None
            component = Component.BASIC
            bk_field = rng.choice(BKField.values)
            other = ""
            follow_up = ""
            if own_classes and kind < classical_share:
                strategy = Strategy.CLASSICAL_GUIDANCE
                classroom_id = rng.choice(own_classes)[0]
                participants = [s.pk for s in self.students_by_class.get(classroom_id, [])]
                summary = f"Bimbingan klasikal: {rng.choice(_GUIDANCE_TOPICS)}."
            elif kind < classical_share + 0.3 and len(pool) >= 5:
                strategy = Strategy.GROUP_GUIDANCE
                participants = [s.pk for s in rng.sample(pool, min(len(pool), rng.randint(5, 8)))]
                summary = f"Bimbingan kelompok: {rng.choice(_GUIDANCE_TOPICS)}."
            elif kind < classical_share + 0.45 and pool:
                strategy = Strategy.INDIVIDUAL
                participants = [rng.choice(pool).pk]
                bk_field = rng.choice([BKField.CAREER, BKField.LEARNING])
                component = Component.INDIVIDUAL_PLANNING
                summary = (
                    "Perencanaan individual: menyusun target belajar dan pilihan studi lanjut."
                )
                follow_up = "Meninjau target pada akhir semester."
            elif pool:
                strategy = Strategy.CONSULTATION
                participants = [rng.choice(pool).pk]
                component = Component.RESPONSIVE
                other = self.parent_name()
                summary = "Konsultasi dengan orang tua yang datang menanyakan perkembangan anaknya."
            else:
                continue
            if not participants:
                continue
            self.standalone.append(
                (
                    CounselingSession(
                        school=self.school,
                        counselor=counselor,
                        starts_at=starts_at,
                        duration_minutes=self.duration(strategy),
                        strategy=strategy,
                        component=component,
                        field=bk_field,
                        classroom_id=classroom_id,
                        other_participants=other,
                        summary=summary,
                        follow_up_plan=follow_up,
                    ),
                    participants,
                )
            )

    def add_inbound(
        self,
        *,
        student: DemoStudent,
        referred_by: int,
        status: str,
        referred_at: datetime,
        decided_at: datetime | None = None,
        decided_by: int | None = None,
    ) -> InboundReferral:
        referral = InboundReferral(
            school=self.school,
            student_id=student.pk,
            referred_by_id=referred_by,
            reason=self.rng.choice(_REFERRAL_REASONS),
            status=status,
            decided_by_id=decided_by,
            decided_at=decided_at,
            decline_reason=(
                self.rng.choice(_DECLINE_REASONS)
                if status == InboundReferral.Status.DECLINED
                else ""
            ),
        )
        self.inbound.append(referral)
        self.inbound_times[id(referral)] = (referred_at, decided_at)
        return referral

    # Writing

    def rows(self) -> tuple[list[Case], list[CounselingSession], list[list[int]]]:
        """The cases, and every session (a case's own given its case) with its students' ids."""
        cases = [demo.case for demo in self.cases]
        sessions, participants = [], []
        for demo in self.cases:
            for session, students in zip(demo.sessions, demo.participants, strict=True):
                session.case = demo.case
                sessions.append(session)
                participants.append(students)
        for session, students in self.standalone:
            sessions.append(session)
            participants.append(students)
        return cases, sessions, participants

    def stamp(self, cases: list[Case], sessions: list[CounselingSession]) -> None:
        """The creation times of the records: when things happened."""

        def afternoon(day: date) -> datetime:
            return timezone.make_aware(datetime.combine(day, time(14, 0)), self.zone)

        for referral in self.inbound:
            referred_at, decided_at = self.inbound_times[id(referral)]
            referral.created_at = referred_at
            referral.updated_at = decided_at or referred_at
        for case in cases:
            case.created_at = afternoon(case.opened_on)
            case.updated_at = afternoon(case.closed_on or case.opened_on)
        for session in sessions:
            session.created_at = session.updated_at = session.starts_at + timedelta(
                minutes=session.duration_minutes
            )
        for collaboration in self.collaborations:
            collaboration.created_at = collaboration.updated_at = afternoon(
                collaboration.happened_on
            )
        for referral in self.outbound:
            referral.created_at = referral.updated_at = afternoon(referral.referred_on)

    def save(self) -> None:
        """A handful of bulk inserts (each takes the ids of the rows it refers to, saved just
        before); the creation times are then set to when things happened (an insert stamps
        them with now)."""
        InboundReferral.objects.bulk_create(self.inbound)
        Case.objects.bulk_create([demo.case for demo in self.cases], batch_size=500)
        Case.co_handlers.through.objects.bulk_create(
            [
                Case.co_handlers.through(case_id=demo.case.pk, user_id=demo.co_handler_id)
                for demo in self.cases
                if demo.co_handler_id
            ]
        )
        cases, sessions, participants = self.rows()
        CounselingSession.objects.bulk_create(sessions, batch_size=500)
        through = CounselingSession.students.through
        through.objects.bulk_create(
            [
                through(counselingsession_id=session.pk, student_id=student_id)
                for session, students in zip(sessions, participants, strict=True)
                for student_id in dict.fromkeys(students)
            ],
            batch_size=2000,
        )
        Collaboration.objects.bulk_create(self.collaborations, batch_size=500)
        OutboundReferral.objects.bulk_create(self.outbound)
        self.stamp(cases, sessions)
        for model, objects in (
            (InboundReferral, self.inbound),
            (Case, cases),
            (CounselingSession, sessions),
            (Collaboration, self.collaborations),
            (OutboundReferral, self.outbound),
        ):
            model.objects.bulk_update(objects, ["created_at", "updated_at"], batch_size=500)


def _demo_students(school: School, first_grade: int, current_start: int, semesters):
    """The school's active students, and per semester those who were already at the school
    then (a student now in grade 9 was in grade 7 two years ago)."""
    students = [
        DemoStudent(
            pk=s.pk,
            classroom_id=s.classroom_id,
            grade=s.classroom.grade,
            counselor_id=s.classroom.counselor_id,
            homeroom_teacher_id=s.classroom.homeroom_teacher_id,
            classroom_name=s.classroom.name,
        )
        for s in Student.objects.filter(
            school=school, status=Student.Status.ACTIVE, classroom__academic_year__is_current=True
        )
        .select_related("classroom")
        .order_by("pk")
    ]
    by_semester = {
        semester.pk: [
            s
            for s in students
            if s.grade - (current_start - semester.academic_year.start_date.year) >= first_grade
        ]
        for semester in semesters
    }
    return students, by_semester


@transaction.atomic
def seed_counseling_records(
    *,
    school: School,
    counselors: list[User],
    cases_total: int,
    sessions_total: int,
    seed: int,
    subject_teacher: User | None = None,
    homeroom_teacher: User | None = None,
    now: datetime | None = None,
) -> int:
    """Cases, sessions, collaboration and referrals over the history semesters and the current
    one. Skipped when the school has cases already (so a second run adds nothing). Returns the
    number of cases added.

    Referrals: `subject_teacher` refers students in every semester, `homeroom_teacher` the own
    class in the current one, other homeroom teachers their classes now and then; some wait,
    most became cases, some were declined.
    """
    if not counselors or Case.objects.filter(school=school).exists():
        return 0
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    semesters = list(
        Semester.objects.filter(school=school, start_date__lte=today)
        .select_related("academic_year")
        .order_by("start_date")
    )[-5:]
    current_year = AcademicYear.objects.filter(school=school, is_current=True).first()
    if not semesters or current_year is None:
        return 0
    first_grade = 7 if school.level == School.Level.SMP else 10
    students, pools = _demo_students(school, first_grade, current_year.start_date.year, semesters)
    # Semesters before today's oldest students came to the school have nobody to counsel.
    semesters = [semester for semester in semesters if pools[semester.pk]]
    if not semesters:
        return 0
    demo = CounselingDemo(school=school, counselors=counselors, seed=seed, now=now)
    rng = demo.rng
    for student in students:
        demo.students_by_class.setdefault(student.classroom_id, []).append(student)
    teacher_ids = {s.homeroom_teacher_id for s in students if s.homeroom_teacher_id}
    teachers = dict(User.objects.filter(pk__in=teacher_ids).values_list("pk", "full_name"))
    demo.subject_teachers = _SUBJECT_TEACHERS + (
        [f"{subject_teacher.full_name} (IPA)"] if subject_teacher else []
    )
    classes = sorted(
        {(s.classroom_id, s.counselor_id) for s in students if s.counselor_id},
    )
    by_counselor = {c.pk: c for c in counselors}

    # More cases in later semesters: weights 8, 9, 10, … tenths.
    weights = [8 + number for number in range(len(semesters))]
    per_semester = [round(cases_total * w / sum(weights)) for w in weights]
    count = len(semesters)
    for index, semester in enumerate(semesters):
        pool = pools[semester.pk]
        used: set[int] = set()
        total = per_semester[index]
        multi = quota(rng, total, share_at(MULTI_SESSION_SHARE, index, count))
        parents = quota(rng, total, share_at(PARENT_CONTACT_SHARE, index, count))
        teachers_quota = quota(rng, total, share_at(TEACHER_CONTACT_SHARE, index, count))
        starts = semester.start_date
        ends = min(semester.end_date, today)

        # Referrals that became cases, and the ones still waiting or declined.
        referred: list[tuple[DemoStudent, int, str]] = []
        if subject_teacher is not None:
            for _ in range(3 if semester.is_current else 2):
                referred.append((rng.choice(pool), subject_teacher.pk, Case.Source.SUBJECT_TEACHER))
        if semester.is_current:
            if homeroom_teacher is not None:
                own = [s for s in pool if s.homeroom_teacher_id == homeroom_teacher.pk]
                for student in rng.sample(own, min(3, len(own))):
                    referred.append((student, homeroom_teacher.pk, Case.Source.HOMEROOM_TEACHER))
            for student in rng.sample(pool, min(3, len(pool))):
                if student.homeroom_teacher_id:
                    referred.append(
                        (student, student.homeroom_teacher_id, Case.Source.HOMEROOM_TEACHER)
                    )

        for number in range(total):
            counselor = counselors[(number + index) % len(counselors)]
            source = None
            if number < len(referred):
                student, referrer, source = referred[number]
                used.add(student.pk)
                counselor = by_counselor.get(student.counselor_id, counselor)
            else:
                student = demo.pick_student(pool, counselor, used)
            demo_case = demo.add_case(
                index=index,
                semester=semester,
                student=student,
                counselor=counselor,
                multi=multi[number],
                source=source,
                # The last few of the current semester are waiting for their first session.
                fresh=semester.is_current and number >= total - total // 12,
            )
            if number < len(referred):
                # Referred a day or three before the case was opened, within the semester.
                opened = datetime.combine(demo_case.case.opened_on, time(7, 0))
                decided_at = min(timezone.make_aware(opened, demo.zone), now)
                referred_at = decided_at - timedelta(days=rng.randint(1, 3), hours=-4)
                semester_opens = timezone.make_aware(
                    datetime.combine(starts, time(7, 0)), demo.zone
                )
                demo_case.case.referral = demo.add_inbound(
                    student=student,
                    referred_by=referrer,
                    status=InboundReferral.Status.ACCEPTED,
                    referred_at=min(max(referred_at, semester_opens), decided_at),
                    decided_at=decided_at,
                    decided_by=counselor.pk,
                )
            demo.add_case_collaborations(
                demo_case,
                student,
                teachers,
                parent=parents[number],
                teacher=teachers_quota[number],
            )

        # Declined referrals in every semester; waiting ones in the current one.
        semester_opens = timezone.make_aware(datetime.combine(starts, time(7, 0)), demo.zone)
        referrers = []
        if subject_teacher is not None:
            referrers.append((subject_teacher, pool))
        if homeroom_teacher is not None and semester.is_current:
            own_class = [s for s in pool if s.homeroom_teacher_id == homeroom_teacher.pk]
            referrers.append((homeroom_teacher, own_class))
        for referrer, candidates in referrers:
            if not candidates:
                continue
            referred_at = demo.at(demo.weekday(demo.day_between(starts + timedelta(days=7), ends)))
            if referred_at < now:
                demo.add_inbound(
                    student=rng.choice(candidates),
                    referred_by=referrer.pk,
                    status=InboundReferral.Status.DECLINED,
                    referred_at=referred_at,
                    decided_at=min(referred_at + timedelta(days=1), now),
                    decided_by=rng.choice(counselors).pk,
                )
            if semester.is_current:
                for _ in range(2):
                    ago = timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 6))
                    demo.add_inbound(
                        student=rng.choice(candidates),
                        referred_by=referrer.pk,
                        status=InboundReferral.Status.SUBMITTED,
                        referred_at=min(max(now - ago, semester_opens), now),
                    )

        # Standalone work with teachers about a class: more of it in later semesters.
        about_classes = (2 + 4 * index / max(count - 1, 1)) * cases_total / 150
        for number in range(round(about_classes)):
            student = rng.choice(pool)
            counselor = by_counselor.get(student.counselor_id, rng.choice(counselors))
            day = demo.day_between(starts + timedelta(days=3), ends)
            topic, agreement = rng.choice(HOMEROOM_TOPICS)
            demo.collaborations.append(
                Collaboration(
                    school=school,
                    counselor=counselor,
                    partner_type=Collaboration.Partner.HOMEROOM_TEACHER,
                    partner_name=teachers.get(student.homeroom_teacher_id) or "Wali kelas",
                    method=Collaboration.Method.FACE_TO_FACE,
                    student_id=student.pk if number % 2 else None,
                    happened_on=day,
                    topic=topic,
                    agreement=agreement,
                )
            )

    # Upcoming appointments in the coming week for the current cases met most recently; about
    # half of the others met only once have no follow-up yet (the counselor's home points
    # them out).
    current_open = [
        demo_case
        for demo_case in demo.cases
        if semesters[-1].is_current
        and demo_case.semester_index == count - 1
        and demo_case.case.status == Case.Status.IN_PROGRESS
        and demo_case.sessions
    ]
    current_open.sort(key=lambda demo_case: demo_case.sessions[-1].starts_at, reverse=True)
    # Taking turns, so that every counselor has one on the next school day, then two days on.
    turns: dict[int, list[_DemoCase]] = {}
    for demo_case in current_open:
        turns.setdefault(demo_case.case.counselor_id, []).append(demo_case)
    current_open = [
        demo_case
        for round_ in itertools.zip_longest(*turns.values())
        for demo_case in round_
        if demo_case is not None
    ]
    next_school_day = demo.weekday(today + timedelta(days=1))
    for number, demo_case in enumerate(current_open):
        last = demo_case.sessions[-1]
        day = demo.weekday(next_school_day + timedelta(days=2 * (number // max(len(turns), 1))))
        appointment = demo.at(day, 7 * 60 + 30, 13 * 60)
        if number < 10 and appointment > last.starts_at and day <= semesters[-1].end_date:
            last.next_appointment = appointment
        elif len(demo_case.sessions) == 1 and number % 2 == 0:
            last.follow_up_plan = ""

    # The rest of the sessions: classical and group guidance, planning, consultations.
    case_sessions = sum(len(demo_case.sessions) for demo_case in demo.cases)
    remaining = max(0, sessions_total - case_sessions)
    standalone_per_semester = [round(remaining * w / sum(weights)) for w in weights]
    for index, semester in enumerate(semesters):
        demo.add_standalone(
            semester,
            standalone_per_semester[index],
            classes=classes if semester.academic_year.is_current else [],
            pool=pools[semester.pk] or [],
        )

    demo.save()
    return len(demo.cases)
