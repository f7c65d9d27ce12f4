"""The cast of the case, session and collaboration tests: a class with two students, a case
handled by the standing counselor with a co-handler, a third counselor who only reads, and a
counselor of the other school. tests/counseling/conftest.py offers the fixtures; the test
modules import the helpers."""

import datetime

import pytest

from counseling.cases import case_open
from counseling.models import BKField, Case, CounselingSession
from staff.models import AcademicYear, Role
from tests.factories import (
    ClassroomFactory,
    CounselingSessionFactory,
    StudentFactory,
    UserFactory,
)

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))
NOTES = "Rahasia: ayah sering marah di rumah."


def at(day: int, hour: int = 9, month: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=JAKARTA)


@pytest.fixture
def classroom(school, homeroom_teacher, counselor):
    return ClassroomFactory(
        school=school,
        academic_year=AcademicYear.objects.get(school=school, is_current=True),
        grade=7,
        name="VII-A",
        homeroom_teacher=homeroom_teacher,
        counselor=counselor,
    )


@pytest.fixture
def student(school, classroom):
    return StudentFactory(
        school=school, classroom=classroom, nisn="0098765432", full_name="Ayu Lestari"
    )


@pytest.fixture
def classmate(school, classroom):
    return StudentFactory(
        school=school, classroom=classroom, nisn="0098765433", full_name="Budi Santoso"
    )


@pytest.fixture
def co_handler(school):
    return UserFactory(
        username="konselor2", full_name="Bapak Konselor Dua", school=school, roles=[Role.COUNSELOR]
    )


@pytest.fixture
def other_counselor(school):
    """A counselor of the same school who does not handle the case: reads, never writes."""
    return UserFactory(
        username="konselor3", full_name="Ibu Konselor Tiga", school=school, roles=[Role.COUNSELOR]
    )


@pytest.fixture
def foreign_counselor(other_school):
    return UserFactory(username="lain_konselor", school=other_school, roles=[Role.COUNSELOR])


@pytest.fixture
def foreign_student(other_school):
    classroom = ClassroomFactory(
        school=other_school,
        academic_year=AcademicYear.objects.get(school=other_school, is_current=True),
        grade=10,
        name="X-1",
    )
    return StudentFactory(
        school=other_school, classroom=classroom, nisn="0900000001", full_name="Citra Asing"
    )


@pytest.fixture
def case(student, counselor, co_handler):
    return case_open(
        student=student,
        counselor=counselor,
        co_handlers=[co_handler],
        field=BKField.PERSONAL,
        category=Case.Category.FAMILY,
        source=Case.Source.HOMEROOM_TEACHER,
        summary="Sering menangis di kelas sejak awal semester.",
        opened_by=counselor,
        opened_on=datetime.date(2026, 9, 1),
    )


@pytest.fixture
def case_session(case, counselor):
    """A session of the case with confidential notes."""
    return CounselingSessionFactory(
        counselor=counselor,
        case=case,
        starts_at=at(5),
        summary="Ayu bercerita tentang suasana rumah.",
        confidential_notes=NOTES,
    )


def session_post(**overrides) -> dict:
    """A valid session form for individual counseling; override what a test is about."""
    data = {
        "starts_at": "2026-10-05T09:00",
        "duration_minutes": "45",
        "strategy": CounselingSession.Strategy.INDIVIDUAL,
        "component": CounselingSession.Component.RESPONSIVE,
        "field": BKField.PERSONAL,
        "classroom": "",
        "students": [],
        "other_participants": "",
        "summary": "Membahas cara mengelola emosi.",
        "confidential_notes": "",
        "follow_up_plan": "",
        "next_appointment": "",
    }
    data.update(overrides)
    return data


# The people who may not see anything of cases, and the other school's members.
NO_CASE_ROLES = ["homeroom_teacher", "subject_teacher", "admin_staff"]
OTHER_SCHOOL = ["other_principal", "other_admin_staff", "foreign_counselor"]
CASE_READERS = ["principal", "vice_principal", "other_counselor"]
