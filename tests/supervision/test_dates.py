"""Dates a person types or puts into an address: a year the records cannot hold (0001, 9999,
20255) is refused with a message on a form and ignored in a query string, never a server
error; and where two dates make a pair, the later one cannot come first."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import ActionItem, Meeting, SupervisionVisit
from tests.factories import MeetingFactory
from tests.supervision.test_scheduling import _meeting_post

IMPLAUSIBLE = ["0001-01-01", "1999-12-31", "9999-12-31", "20255-01-01", "2100-01-01"]


@pytest.fixture
def meeting(vice_principal, counselor, next_week):
    return MeetingFactory(organizer=vice_principal, invitees=[counselor])


@pytest.fixture
def held(vice_principal, counselor):
    start = timezone.now() - datetime.timedelta(days=1)
    return MeetingFactory(
        organizer=vice_principal,
        invitees=[counselor],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )


# Query strings


@pytest.mark.parametrize("day", IMPLAUSIBLE + ["x", ""])
@pytest.mark.parametrize("view", ["week", "month", "semester"])
def test_calendar_falls_back_to_today_for_an_implausible_day(client_for, counselor, day, view):
    response = client_for(counselor).get(
        reverse("supervision:calendar"), {"day": day, "view": view}
    )
    assert response.status_code == 200
    period = response.context["period"]
    assert period.first_day <= timezone.localdate() <= period.last_day


@pytest.mark.parametrize("day", IMPLAUSIBLE)
def test_overdue_items_ignore_an_implausible_day(client_for, vice_principal, day):
    url = reverse("supervision:my_action_items")
    response = client_for(vice_principal).get(url, {"status": "overdue", "on": day})
    assert response.status_code == 200
    assert response.context["overdue_on"] is None


# Forms


@pytest.mark.parametrize("day", IMPLAUSIBLE)
def test_meeting_refuses_an_implausible_day(client_for, vice_principal, counselor, day):
    url = reverse("supervision:meeting_create")
    response = client_for(vice_principal).post(url, _meeting_post(datetime.date.today(), day=day))
    assert response.status_code == 200
    assert "day" in response.context["form"].errors
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_repeating_meeting_refuses_an_implausible_day(client_for, vice_principal, day):
    data = _meeting_post(datetime.date.today(), day=day, repeat="monthly", count="12")
    response = client_for(vice_principal).post(reverse("supervision:meeting_create"), data)
    assert "day" in response.context["form"].errors
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_meeting_edit_refuses_an_implausible_day(client_for, vice_principal, meeting, day):
    data = _meeting_post(datetime.date.today(), day=day, version=str(meeting.version))
    response = client_for(vice_principal).post(
        reverse("supervision:meeting_edit", args=[meeting.pk]), data
    )
    assert response.status_code == 200
    assert "day" in response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.version == 0


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_action_item_refuses_an_implausible_due_date(
    client_for, vice_principal, counselor, held, day
):
    response = client_for(vice_principal).post(
        reverse("supervision:action_item_create", args=[held.pk]),
        {"item-description": "Lapor", "item-assignee": counselor.pk, "item-due_on": day},
    )
    assert response.status_code == 200
    assert "due_on" in response.context["form"].errors
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "20255-01-01"])
def test_visit_plan_refuses_an_implausible_day(client_for, principal, counselor, day):
    response = client_for(principal).post(
        reverse("supervision:visit_plan"),
        {f"date_{counselor.pk}": day, f"focus_{counselor.pk}": "personal_books"},
    )
    assert response.status_code == 200
    assert f"date_{counselor.pk}" in response.context["form"].errors
    assert not SupervisionVisit.objects.exists()


def test_observation_refuses_an_implausible_day(client_for, principal, visit):
    response = client_for(principal).post(
        reverse("supervision:visit_observe", args=[visit.pk]),
        {"version": "0", "observed_on": "0001-01-01"},
    )
    assert "observed_on" in response.context["form"].errors
    visit.refresh_from_db()
    assert visit.stage == SupervisionVisit.Stage.PLANNED


# Pairs of dates


def test_action_item_cannot_fall_due_before_its_meeting(
    client_for, vice_principal, counselor, held
):
    before = timezone.localtime(held.starts_at).date() - datetime.timedelta(days=1)
    response = client_for(vice_principal).post(
        reverse("supervision:action_item_create", args=[held.pk]),
        {"item-description": "Lapor", "item-assignee": counselor.pk, "item-due_on": before},
    )
    assert response.status_code == 200
    assert "before the meeting" in str(response.context["form"].errors["due_on"]) or (
        "sebelum rapat" in str(response.context["form"].errors["due_on"])
    )
    assert not ActionItem.objects.exists()


def test_action_item_edit_cannot_move_the_due_date_before_the_meeting(
    client_for, vice_principal, counselor, held
):
    held_on = timezone.localtime(held.starts_at).date()
    client = client_for(vice_principal)
    client.post(
        reverse("supervision:action_item_create", args=[held.pk]),
        {"item-description": "Lapor", "item-assignee": counselor.pk, "item-due_on": held_on},
    )
    item = ActionItem.objects.get()
    response = client.post(
        reverse("supervision:action_item_edit", args=[item.pk]),
        {
            "description": "Lapor",
            "assignee": counselor.pk,
            "due_on": held_on - datetime.timedelta(days=3),
            "version": "0",
        },
    )
    assert response.status_code == 200
    assert "due_on" in response.context["form"].errors
    item.refresh_from_db()
    assert (item.due_on, item.version) == (held_on, 0)


def _feedback_given(visit, feedback_on):
    SupervisionVisit.objects.filter(pk=visit.pk).update(
        stage=SupervisionVisit.Stage.FEEDBACK_GIVEN,
        observed_on=feedback_on,
        feedback_on=feedback_on,
        strengths="Rapi.",
        recommendations="Perbarui data.",
    )


@pytest.mark.parametrize(
    ("followed_up_days", "due_days", "field"),
    [(-1, None, "followed_up_on"), (1, None, "followed_up_on"), (0, -1, "action_due_on")],
)
def test_follow_up_dates_keep_their_order(
    client_for, principal, visit, followed_up_days, due_days, field
):
    today = timezone.localdate()
    _feedback_given(visit, today)
    data = {
        "version": "0",
        "follow_up": "Pembinaan.",
        "action": "Melengkapi data keluarga",
        "action_due_on": today + datetime.timedelta(days=due_days if due_days is not None else 7),
        "followed_up_on": today + datetime.timedelta(days=followed_up_days),
    }
    response = client_for(principal).post(
        reverse("supervision:visit_follow_up", args=[visit.pk]), data
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    visit.refresh_from_db()
    assert visit.stage == SupervisionVisit.Stage.FEEDBACK_GIVEN
