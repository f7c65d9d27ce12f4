"""The supervision lists the principal's dashboard links its numbers to, filtered as the
numbers are counted: a semester's meetings of one kind that were held, the visits at one
stage, the action items overdue on an earlier day; and the figures behind them (overdue
items on a day, the compliance at the end of each semester) read in one query."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import ActionItem, FacilityItem, Meeting, SupervisionVisit
from supervision.selectors import facility_compliance_by_semester, overdue_action_items_count
from tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    SupervisionVisitFactory,
    past_semester,
)
from tests.supervision.conftest import local
from tests.supervision.dashboard_setup import record_facilities

CALENDAR = reverse("supervision:calendar")
ACTION_ITEMS = reverse("supervision:my_action_items")
VISITS = reverse("supervision:visit_list")


@pytest.fixture
def meetings(vice_principal, principal):
    """In the semester: a coordination meeting held, a coaching held, a coaching without
    minutes, a cancelled coaching; a coaching held in the semester before."""
    held = timezone.now()
    day = datetime.date(2026, 10, 14)
    return {
        "coordination": MeetingFactory(
            organizer=vice_principal, title="Koordinasi", minutes_recorded_at=held
        ),
        "coaching": MeetingFactory(
            organizer=principal,
            kind=Meeting.Kind.COACHING,
            title="Pembinaan buku pribadi",
            starts_at=local(day, 9),
            ends_at=local(day, 10),
            minutes_recorded_at=held,
        ),
        "unrecorded": MeetingFactory(
            organizer=principal,
            kind=Meeting.Kind.COACHING,
            title="Pembinaan tanpa notulen",
            starts_at=local(day + datetime.timedelta(days=7), 9),
            ends_at=local(day + datetime.timedelta(days=7), 10),
        ),
        "cancelled": MeetingFactory(
            organizer=principal,
            kind=Meeting.Kind.COACHING,
            title="Pembinaan batal",
            minutes_recorded_at=held,
            cancelled_at=held,
        ),
        "before": MeetingFactory(
            organizer=principal,
            kind=Meeting.Kind.COACHING,
            title="Pembinaan semester lalu",
            starts_at=local(datetime.date(2026, 3, 4), 9),
            ends_at=local(datetime.date(2026, 3, 4), 10),
            minutes_recorded_at=held,
        ),
    }


def _titles(response) -> set[str]:
    return {meeting.title for day in response.context["days"] for meeting in day.meetings}


def test_the_calendar_shows_a_semesters_meetings_of_one_kind_that_were_held(
    client_for, principal, meetings
):
    response = client_for(principal).get(
        CALENDAR,
        {"view": "semester", "day": "2026-07-01", "all": "1", "kind": "coaching", "held": "1"},
    )
    assert response.status_code == 200
    assert _titles(response) == {"Pembinaan buku pribadi"}
    html = response.content.decode()
    assert "2026/2027 Ganjil" in html
    # The filters stay on when moving to the semester before.
    assert "?view=semester&amp;day=2026-06-30&amp;all=1&amp;kind=coaching&amp;held=1" in html
    before = client_for(principal).get(
        CALENDAR,
        {"view": "semester", "day": "2026-06-30", "all": "1", "kind": "coaching", "held": "1"},
    )
    # No semester holds that day in this school: the current one is shown.
    assert _titles(before) == {"Pembinaan buku pribadi"}


def test_the_calendar_semester_view_of_an_earlier_semester(client_for, principal, school, meetings):
    past_semester(school, 2025, 2)
    response = client_for(principal).get(
        CALENDAR, {"view": "semester", "day": "2026-03-01", "all": "1", "kind": "coaching"}
    )
    assert _titles(response) == {"Pembinaan semester lalu"}


def test_the_calendar_ignores_a_kind_that_does_not_exist(client_for, principal, meetings):
    response = client_for(principal).get(
        CALENDAR, {"view": "month", "day": "2026-10-01", "all": "1", "kind": "rapat-rahasia"}
    )
    assert response.status_code == 200
    assert "Koordinasi" in _titles(response)


def test_the_visit_list_filters_by_stage(client_for, principal, counselor, school):
    semester = school.semesters.get(is_current=True)
    for stage in (SupervisionVisit.Stage.PLANNED, SupervisionVisit.Stage.FOLLOWED_UP):
        SupervisionVisitFactory(
            semester=semester, counselor=counselor, supervisor=principal, stage=stage
        )
    client = client_for(principal)
    response = client.get(VISITS, {"semester": semester.pk, "stage": "followed_up"})
    assert [visit.stage for visit in response.context["visits"]] == ["followed_up"]
    response = client.get(VISITS, {"semester": semester.pk, "stage": "imagined"})
    assert len(response.context["visits"]) == 2


@pytest.fixture
def items(vice_principal):
    """Items around 1 October: overdue then and still open, done late, done on time, dropped,
    recorded only after that day, due that very day."""
    meeting = MeetingFactory(organizer=vice_principal)
    day = datetime.date(2026, 10, 1)
    then = local(day, 0)
    made = {
        "open": ActionItemFactory(meeting=meeting, due_on=day - datetime.timedelta(days=3)),
        "late": ActionItemFactory(
            meeting=meeting,
            due_on=day - datetime.timedelta(days=3),
            status=ActionItem.Status.DONE,
            completed_at=then + datetime.timedelta(days=2),
        ),
        "on_time": ActionItemFactory(
            meeting=meeting,
            due_on=day - datetime.timedelta(days=3),
            status=ActionItem.Status.DONE,
            completed_at=then - datetime.timedelta(days=4),
        ),
        "dropped": ActionItemFactory(
            meeting=meeting,
            due_on=day - datetime.timedelta(days=3),
            status=ActionItem.Status.DROPPED,
        ),
        "recorded_later": ActionItemFactory(
            meeting=meeting, due_on=day - datetime.timedelta(days=3)
        ),
        "due_that_day": ActionItemFactory(meeting=meeting, due_on=day),
    }
    ActionItem.objects.filter(pk=made["recorded_later"].pk).update(
        created_at=then + datetime.timedelta(days=1)
    )
    ActionItem.objects.exclude(pk=made["recorded_later"].pk).update(
        created_at=then - datetime.timedelta(days=20)
    )
    return made


def test_overdue_items_on_an_earlier_day_are_those_not_done_by_then(school, items):
    assert overdue_action_items_count(school, on=datetime.date(2026, 10, 1)) == 2
    # Today: every open item past its date.
    assert overdue_action_items_count(school) == 3


def test_the_action_item_list_shows_the_items_overdue_on_an_earlier_day(
    client_for, principal, items
):
    client = client_for(principal)
    response = client.get(ACTION_ITEMS, {"status": "overdue", "everyone": "1", "on": "2026-10-01"})
    assert {item.pk for item in response.context["items"]} == {
        items["open"].pk,
        items["late"].pk,
    }
    assert "1 Oktober 2026" in response.content.decode()
    # A day to come, or no day at all: today's overdue items.
    for day in ["2099-01-01", "kemarin"]:
        response = client.get(ACTION_ITEMS, {"status": "overdue", "everyone": "1", "on": day})
        assert len(response.context["items"]) == 3
        assert response.context["overdue_on"] is None


def test_the_compliance_by_semester_is_read_in_one_query_whatever_the_history(
    school, counselor, django_assert_num_queries
):
    older = past_semester(school, 2025, 2)  # January to June 2026
    items = FacilityItem.objects.filter(is_active=True).count()

    def record(at, meeting):
        record_facilities(school, counselor, at=at, meeting=meeting)

    record(local(datetime.date(2026, 2, 1), 10), 1)
    # The last day of the semester still counts for it, in Jakarta's time.
    record(local(datetime.date(2026, 6, 30), 23, 30), 2)
    record(local(datetime.date(2026, 7, 2), 10), 3)
    for day in range(3, 20):
        record(local(datetime.date(2026, 7, day), 10), items)
    with django_assert_num_queries(1):
        history = facility_compliance_by_semester(school)
    assert [(semester.pk, compliance) for semester, compliance in history] == [
        (older.pk, round(2 * 100 / items)),
        (school.semesters.get(is_current=True).pk, 100),
    ]
