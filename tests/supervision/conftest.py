"""The cast of the supervision tests: a second counselor of the school, a counselor of the
other school, and moments relative to now (meetings are scheduled in the future)."""

import datetime

import pytest
from django.utils import timezone

from staff.models import Role
from supervision.models import SupervisionVisit
from tests.competency_setup import (  # noqa: F401  (the appraisal tests' fixtures)
    finalised,
    other_counselor,
    principal_draft,
    self_draft,
    semester,
)
from tests.factories import UserFactory
from tests.supervision.dashboard_setup import counselors  # noqa: F401  (the dashboard tests')

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=JAKARTA)


@pytest.fixture
def next_week() -> datetime.date:
    """A Wednesday at least a week away: meetings scheduled in tests fall on it."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 + (2 - today.weekday()) % 7)


@pytest.fixture
def colleague(school):
    return UserFactory(
        username="konselor2", full_name="Bapak Konselor Dua", school=school, roles=[Role.COUNSELOR]
    )


@pytest.fixture
def foreign_counselor(other_school):
    return UserFactory(
        username="lain_konselor",
        full_name="Ibu Konselor Asing",
        school=other_school,
        roles=[Role.COUNSELOR],
    )


@pytest.fixture
def visit(school, semester, principal, counselor):  # noqa: F811  (semester: competency_setup)
    """The principal's visit to the counselor, planned for the first day of the semester."""
    return SupervisionVisit.objects.create(
        school=school,
        semester=semester,
        counselor=counselor,
        supervisor=principal,
        focus=SupervisionVisit.Focus.PERSONAL_BOOKS,
        planned_on=semester.start_date,
    )
