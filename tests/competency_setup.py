"""The cast and records of the appraisal and training tests (issue 4): another counselor of
the school, a counselor of the other school, and appraisals in every state."""

import pytest

from staff.appraisals import appraisal_start
from staff.models import Appraisal, Role
from tests.factories import UserFactory, appraisal_with_scores


@pytest.fixture
def other_counselor(school):
    """A counselor of the same school: sees nothing of a colleague's appraisals."""
    return UserFactory(
        username="konselor2", full_name="Ibu Konselor Dua", school=school, roles=[Role.COUNSELOR]
    )


@pytest.fixture
def foreign_counselor(other_school):
    return UserFactory(
        username="lain_konselor",
        full_name="Bapak Konselor Seberang",
        school=other_school,
        roles=[Role.COUNSELOR],
    )


@pytest.fixture
def semester(school):
    return school.semesters.get(is_current=True)


@pytest.fixture
def finalised(principal, counselor, semester):
    """The principal's finalised appraisal of `counselor`, waiting to be acknowledged."""
    return appraisal_with_scores(counselor=counselor, assessor=principal, semester=semester)


@pytest.fixture
def principal_draft(principal, other_counselor, semester):
    """The principal's draft of another counselor: not shown to that counselor yet."""
    return appraisal_start(
        assessor=principal,
        counselor=other_counselor,
        semester=semester,
        kind=Appraisal.Kind.PRINCIPAL,
    )


@pytest.fixture
def self_draft(counselor, semester):
    """The counselor's own self-appraisal, not submitted: not shown to the principal yet."""
    return appraisal_start(
        assessor=counselor, counselor=counselor, semester=semester, kind=Appraisal.Kind.SELF
    )
