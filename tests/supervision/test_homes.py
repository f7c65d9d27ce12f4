"""What the homes show of meetings: the vice principal's panel (this week's and next week's
meetings, attendance at recent meetings, referrals waiting for triage), and overdue action
items on the homes of the assignee, the vice principal and the principal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import MeetingInvitation
from supervision.selectors import calendar_period
from tests.factories import (
    ActionItemFactory,
    InboundReferralFactory,
    MeetingFactory,
    StudentFactory,
    UserFactory,
)
from tests.supervision.conftest import local

HOME = reverse("home")
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def overdue(vice_principal, homeroom_teacher, counselor):
    meeting = MeetingFactory(organizer=vice_principal, invitees=[homeroom_teacher, counselor])
    return ActionItemFactory(
        meeting=meeting, assignee=homeroom_teacher, description="Rekap absensi", due_on=YESTERDAY
    )


@pytest.mark.parametrize("role", ["homeroom_teacher", "vice_principal", "principal"])
def test_overdue_item_shows_on_the_homes_of_assignee_and_leaders(
    request, client_for, overdue, role
):
    response = client_for(request.getfixturevalue(role)).get(HOME)
    panel = response.context["meetings_home"].overdue
    assert [item.description for item in panel.items] == ["Rekap absensi"]
    assert 'data-testid="overdue-count"' in response.content.decode()


@pytest.mark.parametrize("role", ["counselor", "subject_teacher", "admin_staff"])
def test_overdue_item_of_someone_else_stays_off_other_homes(request, client_for, overdue, role):
    response = client_for(request.getfixturevalue(role)).get(HOME)
    assert response.context["meetings_home"].overdue is None


def test_item_due_today_or_done_is_not_overdue(client_for, homeroom_teacher, overdue):
    overdue.due_on = timezone.localdate()
    overdue.save()
    assert client_for(homeroom_teacher).get(HOME).context["meetings_home"].overdue is None


def test_vice_principal_home_panel(client_for, vice_principal, counselor, homeroom_teacher, school):
    this_week = calendar_period("week", timezone.localdate())
    following = calendar_period("week", this_week.next)
    MeetingFactory(
        organizer=vice_principal, title="Minggu ini", starts_at=local(this_week.last_day, 9)
    )
    MeetingFactory(
        organizer=vice_principal, title="Minggu depan", starts_at=local(following.first_day, 9)
    )
    MeetingFactory(
        organizer=vice_principal,
        title="Dua minggu lagi",
        starts_at=local(following.last_day + datetime.timedelta(days=1), 9),
    )
    held = MeetingFactory(
        organizer=vice_principal,
        invitees=[counselor, homeroom_teacher],
        minutes_recorded_at=timezone.now(),
        starts_at=timezone.now() - datetime.timedelta(days=3),
        ends_at=timezone.now() - datetime.timedelta(days=3, hours=-1),
    )
    attendance = {
        vice_principal.pk: "present",
        counselor.pk: "present",
        homeroom_teacher.pk: "absent",
    }
    for invitation in held.invitations.all():
        invitation.attendance = attendance[invitation.person_id]
        invitation.save()
    student = StudentFactory(school=school, classroom=None)
    InboundReferralFactory(student=student, referred_by=homeroom_teacher)
    InboundReferralFactory(student=student, referred_by=homeroom_teacher, status="declined")

    response = client_for(vice_principal).get(HOME)
    panel = response.context["vice_principal_home"]
    assert [m.title for m in panel.this_week] == ["Minggu ini"]
    assert [m.title for m in panel.next_week] == ["Minggu depan"]
    assert (panel.attendance_rate, panel.attendance_meetings) == (67, 1)
    assert panel.waiting_referrals == 1
    html = response.content.decode()
    assert 'data-testid="vice-principal-home"' in html and "67%" in html


@pytest.mark.parametrize("role", ["principal", "counselor", "homeroom_teacher", "admin_staff"])
def test_only_the_vice_principal_gets_the_panel(request, client_for, role):
    response = client_for(request.getfixturevalue(role)).get(HOME)
    assert response.context["vice_principal_home"] is None


def _grow(vice_principal, school, count):
    people = [UserFactory(school=school) for _ in range(3)]
    today = timezone.localdate()
    for number in range(count):
        start = timezone.now() - datetime.timedelta(days=number + 1)
        held = MeetingFactory(
            organizer=vice_principal,
            invitees=people,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            minutes_recorded_at=timezone.now(),
        )
        MeetingInvitation.objects.filter(meeting=held).update(attendance="present")
        MeetingFactory(
            organizer=vice_principal,
            invitees=people,
            starts_at=local(today + datetime.timedelta(days=number % 10), 8 + number % 6),
        )
        ActionItemFactory(
            meeting=held, assignee=people[0], due_on=today - datetime.timedelta(days=2)
        )
        student = StudentFactory(school=school, classroom=None)
        InboundReferralFactory(student=student, referred_by=people[1])


def test_vice_principal_home_query_count_does_not_grow(
    client_for, vice_principal, school, django_assert_num_queries
):
    client = client_for(vice_principal)
    client.get(HOME)
    _grow(vice_principal, school, 2)
    # session, user with school, roles, current semester with its year; the own meetings of
    # the coming week, overdue items of the school counted and the first of them with their
    # assignees; this and next week's meetings with organizers and invitee counts, attendance
    # at the recent meetings, referrals waiting; the semester's attendance per person invited,
    # its training events and delegations counted, the delegates' reports falling due
    with django_assert_num_queries(13):
        small = client.get(HOME)
    _grow(vice_principal, school, 20)
    with django_assert_num_queries(13):
        large = client.get(HOME)
    assert large.context["vice_principal_home"].waiting_referrals == 22
    assert large.context["meetings_home"].overdue.count == 22
    assert small.context["meetings_home"].overdue.count == 2


def test_principal_home_query_count_does_not_grow(
    client_for, principal, vice_principal, school, django_assert_num_queries
):
    client = client_for(principal)
    client.get(HOME)
    _grow(vice_principal, school, 2)
    # session, user with school, roles, current semester with its year; the own meetings of
    # the coming week, overdue items of the school counted and the first of them, facility
    # requests waiting; the school's overdue dissemination reports
    with django_assert_num_queries(9):
        client.get(HOME)
    _grow(vice_principal, school, 20)
    with django_assert_num_queries(9):
        response = client.get(HOME)
    assert response.context["meetings_home"].overdue.count == 22
