"""One deployment serves a district: the supervision and competency pages cost the same number of
queries whether their school is alone or one of many, and show only their own school's records.

As in tests/counseling/test_query_counts_across_schools.py, each page is measured with the first
school alone, beside nine other schools with the same kind of records, and beside nine schools
ten times as large. (Each page's own test shows its count does not grow with its own data.)
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from staff.appraisals import appraisal_start
from staff.models import Appraisal, Role, TrainingParticipation
from supervision.models import SupervisionVisit
from tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    SchoolFactory,
    SemesterFactory,
    TrainingEventFactory,
    TrainingParticipationFactory,
    UserFactory,
    appraisal_with_scores,
)


def fill_school(school, *, principal, vice_principal, counselors, records: int) -> None:
    """Meetings of the coming and past weeks with invitees and action items, finalised
    appraisals, supervision visits and training with participants."""
    semester = school.semesters.get(is_current=True)
    now = timezone.now()
    for number in range(records):
        start = now + datetime.timedelta(days=number % 14 - 7, hours=number % 5)
        meeting = MeetingFactory(
            organizer=vice_principal,
            invitees=[principal, *counselors],
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
        )
        ActionItemFactory(meeting=meeting, assignee=counselors[number % len(counselors)])
        event = TrainingEventFactory(
            school=school, starts_on=timezone.localdate() - datetime.timedelta(days=number)
        )
        TrainingParticipationFactory(
            event=event,
            counselor=counselors[number % len(counselors)],
            attendance=TrainingParticipation.Attendance.PRESENT,
        )
    for counselor in counselors:
        appraisal_with_scores(counselor=counselor, assessor=principal, semester=semester)
        SupervisionVisit.objects.create(
            school=school,
            semester=semester,
            counselor=counselor,
            supervisor=principal,
            focus=SupervisionVisit.Focus.PERSONAL_BOOKS,
            planned_on=semester.start_date,
        )


def other_schools(count: int, records: int) -> None:
    for _ in range(count):
        school = SchoolFactory()
        SemesterFactory(academic_year__school=school)
        fill_school(
            school,
            principal=UserFactory(school=school, roles=[Role.PRINCIPAL]),
            vice_principal=UserFactory(school=school, roles=[Role.VICE_PRINCIPAL]),
            counselors=[UserFactory(school=school, roles=[Role.COUNSELOR]) for _ in range(2)],
            records=records,
        )


@pytest.fixture
def own_records(school, principal, vice_principal, counselor, other_counselor):
    fill_school(
        school,
        principal=principal,
        vice_principal=vice_principal,
        counselors=[counselor, other_counselor],
        records=6,
    )
    # The principal's appraisal of a third counselor, still a draft: the form being filled in.
    draftee = UserFactory(school=school, roles=[Role.COUNSELOR])
    draft = appraisal_start(
        assessor=principal,
        counselor=draftee,
        semester=school.semesters.get(is_current=True),
        kind=Appraisal.Kind.PRINCIPAL,
    )
    return {
        "meeting": school.meetings.order_by("starts_at", "pk").first().pk,
        "draft": draft.pk,
        "finalised": Appraisal.objects.get(school=school, counselor=counselor).pk,
        "counselor": counselor.pk,
        "event": school.training_events.order_by("starts_on", "pk").first().pk,
    }


# page, the record it shows (if any), who asks, and the queries it costs (each page's own test
# names them)
PAGES = [
    ("supervision:calendar", None, "vice_principal", 6),
    ("supervision:calendar?view=month&all=1", None, "principal", 6),
    ("supervision:meeting_detail", "meeting", "vice_principal", 10),
    ("supervision:my_action_items?everyone=1&status=all", None, "vice_principal", 4),
    ("supervision:appraisal_edit", "draft", "principal", 13),
    ("supervision:appraisal_detail", "finalised", "principal", 15),
    ("supervision:competency_overview", None, "principal", 6),
    ("supervision:competency_profile", "counselor", "principal", 6),
    ("supervision:visit_list", None, "principal", 6),
    ("staff:training_list", None, "counselor", 7),
    ("staff:training_detail", "event", "principal", 6),
]


def _url(page: str, record: str | None, records: dict) -> str:
    name, _, query = page.partition("?")
    args = [records[record]] if record else []
    return reverse(name, args=args) + (f"?{query}" if query else "")


def _measure(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), _links(response.content)


def _links(html: bytes) -> list[str]:
    """The page's links to records, without what changes with each request (the CSRF token)."""
    return sorted(
        part.split('"', 1)[0]
        for part in html.decode().split('href="')[1:]
        if part.startswith(("/supervision/", "/staff/", "/counseling/"))
    )


@pytest.mark.parametrize(("page", "record", "person", "expected"), PAGES)
def test_a_page_costs_the_same_queries_beside_other_schools(
    request, client_for, own_records, page, record, person, expected
):
    client = client_for(request.getfixturevalue(person))
    url = _url(page, record, own_records)
    client.get(url)  # the session's first write is not the page's cost
    alone, shown_alone = _measure(client, url)
    assert alone == expected

    other_schools(9, records=2)
    beside_nine, shown_beside_nine = _measure(client, url)
    other_schools(9, records=20)
    beside_big_ones, shown_beside_big_ones = _measure(client, url)

    assert beside_nine == beside_big_ones == alone
    # Not a record of another school, nor one record fewer of its own.
    assert shown_beside_nine == shown_beside_big_ones == shown_alone
