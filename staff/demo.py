"""Demo data of the staff app: the two schools, their people and their calendar.

Idempotent: every row is found by its natural key first, so running it again adds nothing.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from staff.models import AcademicYear, Role, RoleAssignment, School, Semester, User
from staff.services import semester_make_current

DEMO_PASSWORD = "bk-demo-2026"  # noqa: S105 - published in DESIGN.md for the demo school


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    roles: tuple[str, ...]
    school_npsn: str
    nip: str = ""


FIRST_SCHOOL = {
    "npsn": "20526101",
    "name": "SMP Negeri 1 Sukamaju",
    "level": School.Level.SMP,
    "address": "Jl. Pendidikan No. 1, Sukamaju",
    "regency": "Kabupaten Pamekasan",
}
SECOND_SCHOOL = {
    "npsn": "20526202",
    "name": "SMA Negeri 2 Sukamaju",
    "level": School.Level.SMA,
    "address": "Jl. Merdeka No. 45, Sukamaju",
    "regency": "Kabupaten Pamekasan",
}

ACCOUNTS = [
    DemoAccount(
        "kepsek",
        "Drs. H. Ahmad Fauzi, M.Pd.",
        (Role.PRINCIPAL,),
        FIRST_SCHOOL["npsn"],
        "196805121994031007",
    ),
    DemoAccount(
        "wakasek",
        "Siti Rahmawati, S.Pd.",
        (Role.VICE_PRINCIPAL,),
        FIRST_SCHOOL["npsn"],
        "197502032000122002",
    ),
    DemoAccount(
        "gurubk1",
        "Nur Hasanah, S.Pd.",
        (Role.COUNSELOR,),
        FIRST_SCHOOL["npsn"],
        "198304152009032004",
    ),
    DemoAccount(
        "gurubk2",
        "Moh. Rizal Efendi, S.Psi.",
        (Role.COUNSELOR,),
        FIRST_SCHOOL["npsn"],
        "198709222011011003",
    ),
    DemoAccount("gurubk3", "Dewi Lestari, M.Pd.", (Role.COUNSELOR,), FIRST_SCHOOL["npsn"]),
    DemoAccount(
        "walikelas7a",
        "Agus Salim, S.Pd.",
        (Role.HOMEROOM_TEACHER,),
        FIRST_SCHOOL["npsn"],
        "198011302006041012",
    ),
    DemoAccount(
        "gurumapel1", "Rina Wulandari, S.Si.", (Role.SUBJECT_TEACHER,), FIRST_SCHOOL["npsn"]
    ),
    DemoAccount("tu", "Bambang Sutrisno", (Role.ADMIN_STAFF,), FIRST_SCHOOL["npsn"]),
    DemoAccount(
        "kepsek2",
        "Dra. Lilik Suryani, M.M.",
        (Role.PRINCIPAL,),
        SECOND_SCHOOL["npsn"],
        "197001011995122001",
    ),
    DemoAccount("gurubk4", "Yusuf Hidayat, S.Pd.", (Role.COUNSELOR,), SECOND_SCHOOL["npsn"]),
]


def school_year_start(today: date) -> int:
    """A school year runs July to June; the calendar year in which the current one began."""
    return today.year if today.month >= 7 else today.year - 1


def semester_dates(start_year: int, number: int) -> tuple[date, date]:
    if number == Semester.Number.ODD:
        return date(start_year, 7, 1), date(start_year, 12, 31)
    return date(start_year + 1, 1, 1), date(start_year + 1, 6, 30)


def semesters_to_seed(today: date, history: int = 4) -> list[tuple[int, int]]:
    """(year start, semester number) from `history` semesters back up to the current year's end."""
    current = (school_year_start(today), 1 if today.month >= 7 else 2)
    wanted = [current]
    year, number = current
    for _ in range(history):
        year, number = (year, 1) if number == 2 else (year - 1, 2)
        wanted.insert(0, (year, number))
    if current[1] == 1:
        wanted.append((current[0], 2))  # the rest of the current school year
    return wanted


@transaction.atomic
def seed_school(data: dict, today: date) -> tuple[School, list[Semester]]:
    school, _ = School.objects.get_or_create(npsn=data["npsn"], defaults=data)
    current_key = (school_year_start(today), 1 if today.month >= 7 else 2)
    semesters = []
    current = None
    for start_year, number in semesters_to_seed(today):
        year, _ = AcademicYear.objects.get_or_create(
            school=school,
            name=f"{start_year}/{start_year + 1}",
            defaults={
                "start_date": date(start_year, 7, 1),
                "end_date": date(start_year + 1, 6, 30),
            },
        )
        start, end = semester_dates(start_year, number)
        semester, _ = Semester.objects.get_or_create(
            academic_year=year, number=number, defaults={"start_date": start, "end_date": end}
        )
        semesters.append(semester)
        if (start_year, number) == current_key:
            current = semester
    semester_make_current(semester=current)
    current.refresh_from_db()
    return school, semesters


def seed_accounts(schools: dict[str, School]) -> dict[str, User]:
    users = {}
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(
                username=account.username,
                full_name=account.full_name,
                nip=account.nip,
                email=f"{account.username}@demo.ruangbk.id",
                school=schools[account.school_npsn],
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        for role in account.roles:
            RoleAssignment.objects.get_or_create(user=user, role=role)
        users[account.username] = user
    return users


def seed_teacher(school: School, username: str, full_name: str, role: str) -> User:
    """A staff member who is not a demo login: no usable password until the staff sets one."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, school=school)
        user.set_unusable_password()
        user.save()
    RoleAssignment.objects.get_or_create(user=user, role=role)
    return user
