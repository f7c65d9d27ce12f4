"""Scheduling a meeting: who is busy at that time (other meetings, counseling sessions and
appointments; touching is not overlapping; other schools never count), the warning that names
the person and the time only, and the dates of a repeating meeting."""

import datetime

import pytest
from django.urls import reverse

from counseling.models import Case
from supervision.models import Meeting
from supervision.scheduling import Repeat, find_conflicts, occurrences, overlaps
from tests.factories import (
    CaseFactory,
    CounselingSessionFactory,
    MeetingFactory,
    StudentFactory,
)
from tests.supervision.conftest import local

CREATE = reverse("supervision:meeting_create")


def _window(day, start_hour, start_minute, end_hour, end_minute):
    return (local(day, start_hour, start_minute), local(day, end_hour, end_minute))


# The overlap rule


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        ((9, 15, 9, 45), True),  # inside
        ((8, 30, 9, 30), True),  # across the start
        ((9, 30, 10, 30), True),  # across the end
        ((8, 0, 11, 0), True),  # around it
        ((8, 0, 9, 0), False),  # ends when it starts
        ((10, 0, 11, 0), False),  # starts when it ends
        ((11, 0, 12, 0), False),  # later the same day
    ],
)
def test_overlap_rule(next_week, other, expected):
    meeting = _window(next_week, 9, 0, 10, 0)
    assert overlaps(meeting, _window(next_week, *other)) is expected
    assert overlaps(_window(next_week, *other), meeting) is expected


def test_same_hours_on_another_day_do_not_overlap(next_week):
    meeting = _window(next_week, 9, 0, 10, 0)
    assert not overlaps(meeting, _window(next_week + datetime.timedelta(days=1), 9, 0, 10, 0))


# Conflicts with other meetings


@pytest.fixture
def busy_meeting(vice_principal, counselor, next_week):
    """The counselor is invited to a meeting from 09:00 to 10:00."""
    return MeetingFactory(
        organizer=vice_principal,
        invitees=[counselor],
        title="Rapat rahasia tentang anggaran",
        starts_at=local(next_week, 9),
        ends_at=local(next_week, 10),
    )


@pytest.mark.parametrize(
    ("window", "conflict"),
    [
        ((9, 15, 9, 45), True),
        ((8, 30, 9, 30), True),
        ((9, 30, 11, 0), True),
        ((10, 0, 11, 0), False),
        ((8, 0, 9, 0), False),
    ],
)
def test_other_meetings_of_an_invitee_conflict_when_they_overlap(
    school, counselor, busy_meeting, next_week, window, conflict
):
    found = find_conflicts(
        school_id=school.pk, people=[counselor], windows=[_window(next_week, *window)]
    )
    assert bool(found) is conflict
    if conflict:
        assert (found[0].person, found[0].starts_at, found[0].ends_at) == (
            counselor,
            busy_meeting.starts_at,
            busy_meeting.ends_at,
        )


def test_meeting_on_another_day_or_cancelled_does_not_conflict(
    school, counselor, busy_meeting, next_week
):
    tomorrow = next_week + datetime.timedelta(days=1)
    assert not find_conflicts(
        school_id=school.pk, people=[counselor], windows=[_window(tomorrow, 9, 0, 10, 0)]
    )
    Meeting.objects.filter(pk=busy_meeting.pk).update(cancelled_at=busy_meeting.starts_at)
    assert not find_conflicts(
        school_id=school.pk, people=[counselor], windows=[_window(next_week, 9, 0, 10, 0)]
    )


def test_the_meeting_being_changed_does_not_conflict_with_itself(
    school, counselor, busy_meeting, next_week
):
    assert not find_conflicts(
        school_id=school.pk,
        people=[counselor],
        windows=[_window(next_week, 9, 0, 10, 0)],
        ignore_meetings=[busy_meeting.pk],
    )


def test_people_not_invited_are_not_busy(school, colleague, busy_meeting, next_week):
    assert not find_conflicts(
        school_id=school.pk, people=[colleague], windows=[_window(next_week, 9, 0, 10, 0)]
    )


def test_another_schools_meetings_and_sessions_never_count(
    school, other_principal, foreign_counselor, next_week
):
    MeetingFactory(
        organizer=other_principal,
        invitees=[foreign_counselor],
        starts_at=local(next_week, 9),
        ends_at=local(next_week, 10),
    )
    CounselingSessionFactory(counselor=foreign_counselor, starts_at=local(next_week, 9))
    assert not find_conflicts(
        school_id=school.pk,
        people=[foreign_counselor],
        windows=[_window(next_week, 9, 0, 10, 0)],
    )


# Conflicts with counseling


@pytest.fixture
def session(counselor, next_week):
    """A 45-minute session from 09:00 that set the next appointment for 13:00."""
    return CounselingSessionFactory(
        counselor=counselor,
        starts_at=local(next_week, 9),
        duration_minutes=45,
        next_appointment=local(next_week, 13),
    )


@pytest.mark.parametrize(
    ("window", "conflict"),
    [
        ((9, 30, 10, 30), True),  # during the session
        ((9, 45, 10, 30), False),  # right after it
        ((8, 0, 9, 0), False),  # right before it
        ((13, 30, 14, 0), True),  # during the appointment, as long as its session
        ((13, 45, 14, 0), False),  # after the appointment
        ((12, 0, 13, 0), False),  # before the appointment
    ],
)
def test_counseling_sessions_and_appointments_conflict_when_they_overlap(
    school, counselor, session, next_week, window, conflict
):
    found = find_conflicts(
        school_id=school.pk, people=[counselor], windows=[_window(next_week, *window)]
    )
    assert bool(found) is conflict


def test_appointment_of_a_closed_case_is_not_kept(school, counselor, next_week):
    student = StudentFactory(school=school, classroom=None)
    case = CaseFactory(student=student, counselor=counselor, status=Case.Status.CLOSED)
    CounselingSessionFactory(
        counselor=counselor,
        case=case,
        starts_at=local(next_week - datetime.timedelta(days=7), 9),
        next_appointment=local(next_week, 13),
    )
    assert not find_conflicts(
        school_id=school.pk, people=[counselor], windows=[_window(next_week, 13, 0, 14, 0)]
    )


def test_a_long_session_reaching_into_the_meeting_conflicts(school, counselor, next_week):
    CounselingSessionFactory(
        counselor=counselor, starts_at=local(next_week, 7), duration_minutes=240
    )
    assert find_conflicts(
        school_id=school.pk, people=[counselor], windows=[_window(next_week, 10, 0, 12, 0)]
    )


# The warning on the form


def _meeting_post(on, **overrides) -> dict:
    data = {
        "kind": Meeting.Kind.COORDINATION,
        "title": "Rapat koordinasi BK",
        "day": on.isoformat(),
        "start_time": "09:30",
        "end_time": "10:30",
        "place": "Ruang rapat guru",
        "agenda": "Program semester",
        "roles": ["counselor"],
        "repeat": Repeat.NONE,
        "count": "",
    }
    data.update(overrides)
    return data


def test_form_warns_of_busy_invitees_naming_only_person_and_time(
    client_for, vice_principal, counselor, colleague, session, busy_meeting, next_week
):
    session.summary = "Membahas masalah keluarga Ayu"
    session.save()
    response = client_for(vice_principal).post(CREATE, _meeting_post(next_week))
    assert response.status_code == 200
    assert not Meeting.objects.filter(title="Rapat koordinasi BK").exists()
    html = response.content.decode()
    assert 'data-testid="conflict-warning"' in html
    assert counselor.full_name in html
    assert "09:00–10:00" in html  # the other meeting
    assert "09:00–09:45" in html  # the session
    assert (
        colleague.full_name not in html.split('data-testid="conflict-warning"')[1].split("</ul>")[0]
    )
    for secret in ("Rapat rahasia tentang anggaran", "Membahas masalah keluarga Ayu"):
        assert secret not in html


def test_organizer_may_save_anyway(client_for, vice_principal, counselor, session, next_week):
    response = client_for(vice_principal).post(
        CREATE, {**_meeting_post(next_week), "save_anyway": "1"}
    )
    meeting = Meeting.objects.get(title="Rapat koordinasi BK")
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:meeting_detail", args=[meeting.pk])
    assert set(meeting.invitations.values_list("person__username", flat=True)) == {
        vice_principal.username,
        counselor.username,
    }


def test_no_warning_when_nobody_is_busy(client_for, vice_principal, counselor, next_week):
    response = client_for(vice_principal).post(CREATE, _meeting_post(next_week))
    assert response.status_code == 302
    assert Meeting.objects.filter(title="Rapat koordinasi BK").count() == 1


# Repetition


def test_weekly_meeting_repeats_every_seven_days_at_the_same_local_time():
    start = local(datetime.date(2026, 10, 7), 13)
    dates = occurrences(start, start + datetime.timedelta(hours=2), Repeat.WEEKLY, 4)
    assert [s.date().isoformat() for s, _ in dates] == [
        "2026-10-07",
        "2026-10-14",
        "2026-10-21",
        "2026-10-28",
    ]
    assert all((s.hour, e.hour) == (13, 15) for s, e in dates)


def test_monthly_meeting_on_the_31st_falls_on_the_last_day_of_shorter_months():
    start = local(datetime.date(2027, 1, 31), 9)
    dates = occurrences(start, start + datetime.timedelta(hours=1), Repeat.MONTHLY, 4)
    assert [s.date().isoformat() for s, _ in dates] == [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
    ]


def test_monthly_meeting_keeps_its_day_of_month():
    start = local(datetime.date(2026, 8, 5), 13)
    dates = occurrences(start, start + datetime.timedelta(hours=1), Repeat.MONTHLY, 3)
    assert [s.date().isoformat() for s, _ in dates] == ["2026-08-05", "2026-09-05", "2026-10-05"]


def test_not_repeating_is_one_meeting():
    start = local(datetime.date(2026, 8, 5), 13)
    assert len(occurrences(start, start + datetime.timedelta(hours=1), Repeat.NONE, 5)) == 1


def test_scheduling_a_monthly_series_creates_each_meeting_with_its_invitees(
    client_for, vice_principal, counselor, next_week
):
    response = client_for(vice_principal).post(
        CREATE, _meeting_post(next_week, repeat=Repeat.MONTHLY, count="3")
    )
    assert response.status_code == 302
    meetings = list(Meeting.objects.filter(title="Rapat koordinasi BK").order_by("starts_at"))
    assert len(meetings) == 3
    assert len({m.series for m in meetings}) == 1 and meetings[0].series is not None
    assert len({m.uid for m in meetings}) == 3
    assert all(m.invitations.count() == 2 for m in meetings)


def test_series_warns_of_conflicts_on_a_later_date(
    client_for, vice_principal, counselor, next_week
):
    later = next_week + datetime.timedelta(weeks=2)
    MeetingFactory(
        organizer=vice_principal,
        invitees=[counselor],
        starts_at=local(later, 10),
        ends_at=local(later, 11),
    )
    response = client_for(vice_principal).post(
        CREATE, _meeting_post(next_week, repeat=Repeat.WEEKLY, count="3")
    )
    assert response.status_code == 200
    assert 'data-testid="conflict-warning"' in response.content.decode()
    conflicts = response.context["conflicts"]
    # The organizer of that meeting is invited to it too.
    assert {c.person for c in conflicts} == {vice_principal, counselor}
    assert {c.occurrence[0].date() for c in conflicts} == {later}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"repeat": Repeat.WEEKLY, "count": ""}, "count"),
        ({"repeat": Repeat.WEEKLY, "count": "1"}, "count"),
        ({"repeat": Repeat.WEEKLY, "count": "53"}, "count"),
        ({"end_time": "09:30"}, "end_time"),
        ({"end_time": "09:00"}, "end_time"),
        ({"roles": [], "people": []}, "people"),
        ({"title": ""}, "title"),
        ({"day": "31-02-2027"}, "day"),
    ],
)
def test_bad_input_is_refused_with_a_message(
    client_for, vice_principal, counselor, next_week, overrides, field
):
    response = client_for(vice_principal).post(CREATE, _meeting_post(next_week, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_people_of_another_school_cannot_be_invited(
    client_for, vice_principal, foreign_counselor, next_week
):
    response = client_for(vice_principal).post(
        CREATE, _meeting_post(next_week, roles=[], people=[str(foreign_counselor.pk)])
    )
    assert response.status_code == 200
    assert "people" in response.context["form"].errors
    assert not Meeting.objects.exists()
