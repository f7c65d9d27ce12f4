"""Fixtures shared by the counseling tests: the cast of tests/counseling/cases_setup.py (a
class with two students, a case with its handlers, a reading counselor, another school's
counselor and student). A test module's own fixture of the same name takes precedence."""

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
