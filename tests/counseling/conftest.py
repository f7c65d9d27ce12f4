"""Fixtures shared by the counseling tests: the cast of tests/counseling/cases_setup.py (a
class with two students, a case with its handlers, a reading counselor, another school's
counselor and student), and the academic years before and after the current one. A test module's own
fixture of the same name takes precedence."""

from datetime import date

import pytest

from staff.models import Semester
from tests.counseling.cases_setup import (  # noqa: F401
    case,
    case_session,
    classmate,
    classroom,
    co_handler,
    foreign_counselor,
    foreign_student,
    other_counselor,
    student,
)
from tests.factories import AcademicYearFactory, SemesterFactory


@pytest.fixture
def next_year(school):
    """The year after the current one (2026/2027), with its two semesters; not current."""
    year = AcademicYearFactory(
        school=school,
        name="2027/2028",
        start_date=date(2027, 7, 1),
        end_date=date(2028, 6, 30),
        is_current=False,
    )
    for number, start, end in (
        (Semester.Number.ODD, date(2027, 7, 1), date(2027, 12, 31)),
        (Semester.Number.EVEN, date(2028, 1, 1), date(2028, 6, 30)),
    ):
        SemesterFactory(
            academic_year=year, number=number, start_date=start, end_date=end, is_current=False
        )
    return year


@pytest.fixture
def last_year(school):
    """The year before the current one: history."""
    return AcademicYearFactory(
        school=school,
        name="2025/2026",
        start_date=date(2025, 7, 1),
        end_date=date(2026, 6, 30),
        is_current=False,
    )
