"""The own semester on the homes (issue 6): the counselor's competency in brief, training and
dissemination reports, and meeting attendance; the vice principal's attendance at the
school's meetings, training recorded and reports falling due, and never an appraisal."""

import datetime
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from staff.models import Role, TrainingEvent, TrainingParticipation
from supervision.models import MeetingInvitation
from supervision.selectors import counselor_semester, vice_principal_semester
from tests.factories import (
    DisseminationReportFactory,
    MeetingFactory,
    TrainingEventFactory,
    TrainingParticipationFactory,
    UserFactory,
    appraisal_with_scores,
    past_semester,
)
from tests.supervision.conftest import local

HOME = reverse("home")
Attendance = TrainingParticipation.Attendance
# A day of the fixtures' current semester (1 July – 31 December 2026).
TODAY = date(2026, 10, 20)


def _held(organizer, invitees, day, attendance, **kwargs):
    """A meeting on `day` with minutes and the given attendance by person."""
    meeting = MeetingFactory(
        organizer=organizer,
        invitees=invitees,
        starts_at=local(day, 13),
        minutes_recorded_at=timezone.now(),
        **kwargs,
    )
    for person, value in attendance.items():
        MeetingInvitation.objects.filter(meeting=meeting, person=person).update(attendance=value)
    return meeting


def _delegate(counselor, *, starts_on, attendance=Attendance.PRESENT, **kwargs):
    event = TrainingEventFactory(school=counselor.school, starts_on=starts_on, **kwargs)
    return TrainingParticipationFactory(event=event, counselor=counselor, attendance=attendance)


# --- The counselor ------------------------------------------------------------------------------


def test_counselor_sees_the_latest_appraisal_its_change_and_weakest_competencies(
    principal, counselor, semester
):
    earlier = past_semester(counselor.school, 2025, 2)
    appraisal_with_scores(counselor=counselor, assessor=principal, semester=earlier)
    latest = appraisal_with_scores(
        counselor=counselor,
        assessor=principal,
        semester=semester,
        default_score=4,
        competency_scores={5: 1, 12: 2, 3: 2, 9: 3},
    )
    # The own self-appraisal is the counselor's view, not the profile's score.
    appraisal_with_scores(
        counselor=counselor, assessor=counselor, semester=semester, kind="self", default_score=1
    )

    brief = counselor_semester(counselor, semester, today=TODAY).competency

    assert brief.final_score == latest.final_score
    assert brief.category_label == latest.get_category_display()
    assert brief.semester == str(semester)
    assert brief.previous_score == Decimal("75.00")
    assert brief.change == latest.final_score - Decimal("75.00")
    assert [(item.number, item.score) for item in brief.weakest] == [(5, 1), (3, 2), (12, 2)]


def test_counselor_without_a_finalised_appraisal_sees_none_yet(
    client_for, principal, counselor, semester
):
    appraisal_with_scores(
        counselor=counselor, assessor=principal, semester=semester, finalise=False
    )
    response = client_for(counselor).get(HOME)
    assert response.context["counselor_semester"].competency is None
    html = response.content.decode()
    assert "Belum ada penilaian final dari Kepala Sekolah." in html
    assert reverse("supervision:competency_profile", args=[counselor.pk]) in html


def test_counselor_home_shows_the_brief_with_a_link_to_the_profile(
    client_for, principal, counselor, semester
):
    appraisal_with_scores(
        counselor=counselor, assessor=principal, semester=semester, competency_scores={7: 1}
    )
    html = client_for(counselor).get(HOME).content.decode()
    panel = html.split('data-testid="own-competency"')[1].split("</section>")[0]
    assert "7. " in panel.split('data-testid="weakest-competencies"')[1]
    assert reverse("supervision:competency_profile", args=[counselor.pk]) in panel


def test_counselor_training_of_the_semester_with_hours_and_reports(counselor, semester):
    written = _delegate(counselor, starts_on=date(2026, 8, 3), hours=12, title="Diklat A")
    DisseminationReportFactory(participation=written)
    due = _delegate(counselor, starts_on=date(2026, 10, 15), hours=8, title="Bimtek B")
    overdue = _delegate(counselor, starts_on=date(2026, 9, 1), hours=4, title="Seminar C")
    _delegate(counselor, starts_on=date(2026, 9, 5), attendance=Attendance.ABSENT, title="Absen")
    mgbk = _delegate(
        counselor, starts_on=date(2026, 9, 8), kind=TrainingEvent.Kind.MGBK, hours=3, seats=None
    )
    _delegate(
        counselor,
        starts_on=date(2026, 9, 22),
        kind=TrainingEvent.Kind.MGBK,
        attendance=Attendance.EXCUSED,
        seats=None,
    )
    # Not of the semester: an event of the year before, a withdrawn delegation, a cancelled
    # event, and a colleague's delegation.
    _delegate(counselor, starts_on=date(2026, 3, 2), title="Lama")
    withdrawn = _delegate(counselor, starts_on=date(2026, 11, 2), title="Ditarik")
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save()
    _delegate(counselor, starts_on=date(2026, 11, 9), is_cancelled=True, title="Batal")
    _delegate(
        UserFactory(school=counselor.school, roles=[Role.COUNSELOR]), starts_on=date(2026, 9, 1)
    )

    training = counselor_semester(counselor, semester, today=TODAY).training

    assert [p.event.title for p in training.participations] == [
        "Diklat A",
        "Seminar C",
        "Absen",
        mgbk.event.title,
        training.participations[4].event.title,
        "Bimtek B",
    ]
    # Training hours count what was attended or booked, MGBK meetings apart.
    assert training.training_hours == 12 + 8 + 4
    assert (training.mgbk.present, training.mgbk.recorded) == (1, 2)
    assert [(item.participation, item.overdue) for item in training.reports_due] == [
        (overdue, True),
        (due, False),
    ]
    assert training.overdue_count == 1


def test_report_due_early_in_the_semester_for_an_event_of_the_one_before(counselor, semester):
    late = _delegate(counselor, starts_on=date(2026, 6, 25), title="Akhir semester lalu")
    training = counselor_semester(counselor, semester, today=date(2026, 7, 5)).training
    assert training.participations == []
    assert [item.participation for item in training.reports_due] == [late]


def test_counselor_home_links_each_report_due(client_for, counselor, semester):
    due = _delegate(counselor, starts_on=date(2026, 10, 15), title="Bimtek B")
    with mock.patch("supervision.views.home.timezone.localdate", return_value=TODAY):
        html = client_for(counselor).get(HOME).content.decode()
    listed = html.split('data-testid="own-reports-due"')[1].split("</ul>")[0]
    assert reverse("staff:dissemination_write", args=[due.pk]) in listed
    assert "Bimtek B" in listed


def test_counselor_meeting_attendance_counts_the_own_meetings_held_in_the_semester(
    vice_principal, counselor, homeroom_teacher, semester
):
    invited = [counselor, homeroom_teacher]
    _held(vice_principal, invited, date(2026, 8, 4), {counselor: "present"})
    _held(vice_principal, invited, date(2026, 9, 4), {counselor: "excused"})
    _held(vice_principal, invited, date(2026, 10, 4), {counselor: "absent"})
    _held(vice_principal, invited, date(2026, 10, 6), {counselor: "present"})
    # Not counted: a meeting without minutes, a cancelled one, one of the semester before,
    # and one the counselor was not invited to.
    MeetingFactory(organizer=vice_principal, invitees=invited, starts_at=local(date(2026, 9, 9), 9))
    MeetingFactory(
        organizer=vice_principal,
        invitees=invited,
        starts_at=local(date(2026, 9, 10), 9),
        cancelled_at=timezone.now(),
    )
    _held(vice_principal, invited, date(2026, 6, 4), {counselor: "absent"})
    _held(vice_principal, [homeroom_teacher], date(2026, 9, 11), {homeroom_teacher: "absent"})

    meetings = counselor_semester(counselor, semester, today=TODAY).meetings

    assert (meetings.invited, meetings.present, meetings.excused) == (4, 2, 1)
    assert meetings.percent == 50


@pytest.mark.parametrize(
    "role", ["principal", "vice_principal", "homeroom_teacher", "subject_teacher", "admin_staff"]
)
def test_only_a_counselor_gets_the_own_semester(request, client_for, role):
    response = client_for(request.getfixturevalue(role)).get(HOME)
    assert response.context["counselor_semester"] is None
    assert 'data-testid="counselor-semester"' not in response.content.decode()


def test_no_semester_no_panel(counselor, vice_principal):
    assert counselor_semester(counselor, None, today=TODAY) is None
    assert vice_principal_semester(vice_principal, None, today=TODAY) is None


# --- The vice principal -------------------------------------------------------------------------


@pytest.fixture
def colleague(school):
    return UserFactory(
        username="konselor2", full_name="Bapak Konselor Dua", school=school, roles=[Role.COUNSELOR]
    )


def test_vice_principal_follows_attendance_per_counselor(
    vice_principal, counselor, colleague, homeroom_teacher, semester
):
    people = [counselor, colleague, homeroom_teacher]
    _held(
        vice_principal,
        people,
        date(2026, 8, 4),
        {vice_principal: "present", counselor: "present", colleague: "absent"},
    )
    _held(
        vice_principal,
        people,
        date(2026, 9, 4),
        {vice_principal: "present", counselor: "present", colleague: "excused"},
    )
    _held(vice_principal, [counselor], date(2026, 6, 4), {counselor: "absent"})

    panel = vice_principal_semester(vice_principal, semester, today=TODAY)

    # Everyone invited: 2 meetings × 4 people, 4 present.
    assert (panel.meetings.invited, panel.meetings.present, panel.meetings.percent) == (8, 4, 50)
    assert [
        (row.full_name, row.attendance.present, row.attendance.excused, row.attendance.invited)
        for row in panel.counselors
    ] == [("Bapak Konselor Dua", 0, 1, 2), (counselor.full_name, 2, 0, 2)]


def test_vice_principal_follows_training_and_reports_due(
    vice_principal, counselor, colleague, semester
):
    overdue = _delegate(counselor, starts_on=date(2026, 9, 1), title="Seminar C")
    due = _delegate(colleague, starts_on=date(2026, 10, 15), title="Bimtek B")
    written = _delegate(colleague, starts_on=date(2026, 8, 3))
    DisseminationReportFactory(participation=written)
    _delegate(counselor, starts_on=date(2026, 9, 8), kind=TrainingEvent.Kind.MGBK, seats=None)
    TrainingEventFactory(school=counselor.school, starts_on=date(2026, 11, 20), title="Menunggu")
    TrainingEventFactory(school=counselor.school, starts_on=date(2026, 11, 21), is_cancelled=True)
    _delegate(counselor, starts_on=date(2026, 3, 1))

    training = vice_principal_semester(vice_principal, semester, today=TODAY).training

    assert (training.trainings, training.delegations, training.mgbk_meetings) == (4, 3, 1)
    assert [(item.participation, item.overdue) for item in training.reports_due] == [
        (overdue, True),
        (due, False),
    ]


def test_vice_principal_home_shows_the_semester_and_no_appraisal(
    client_for, vice_principal, principal, counselor, semester
):
    appraisal = appraisal_with_scores(counselor=counselor, assessor=principal, semester=semester)
    _held(vice_principal, [counselor], date(2026, 9, 4), {counselor: "present"})
    _delegate(counselor, starts_on=date(2026, 10, 15), title="Bimtek B")
    with mock.patch("supervision.views.home.timezone.localdate", return_value=TODAY):
        response = client_for(vice_principal).get(HOME)
    html = response.content.decode()
    panel = html.split('data-testid="vice-principal-semester"')[1].split("</section>")[0]
    assert counselor.full_name in panel
    assert "Bimtek B" in panel
    assert str(appraisal.final_score) not in html
    assert appraisal.get_category_display() not in html
    assert reverse("supervision:competency_profile", args=[counselor.pk]) not in html


@pytest.mark.parametrize(
    "role", ["principal", "counselor", "homeroom_teacher", "subject_teacher", "admin_staff"]
)
def test_only_the_vice_principal_gets_the_school_semester(request, client_for, role):
    response = client_for(request.getfixturevalue(role)).get(HOME)
    assert response.context["vice_principal_semester"] is None


def test_the_other_school_counts_nothing_of_the_first(
    vice_principal, counselor, other_school, semester
):
    _held(vice_principal, [counselor], date(2026, 9, 4), {counselor: "present"})
    _delegate(counselor, starts_on=date(2026, 9, 1))
    stranger = UserFactory(school=other_school, roles=[Role.VICE_PRINCIPAL, Role.COUNSELOR])
    own = other_school.semesters.get(is_current=True)
    panel = vice_principal_semester(stranger, own, today=TODAY)
    assert panel.meetings.invited == 0 and panel.counselors == []
    assert (panel.training.trainings, panel.training.reports_due) == (0, [])
    mine = counselor_semester(stranger, own, today=TODAY)
    assert (mine.meetings.invited, mine.training.participations, mine.competency) == (0, [], None)


# --- What it costs ------------------------------------------------------------------------------


def _grow(principal, vice_principal, counselor, colleague, count):
    """Meetings held, training with reports due, and appraisals of earlier semesters."""
    for number in range(count):
        day = date(2026, 7, 6) + datetime.timedelta(days=number * 3 % 120)
        _held(
            vice_principal,
            [counselor, colleague],
            day,
            {counselor: "present", colleague: "absent"},
        )
        _delegate(counselor, starts_on=day, hours=2)
        _delegate(colleague, starts_on=day, kind=TrainingEvent.Kind.MGBK, seats=None)
    for year in range(2020, 2020 + min(count, 6)):
        if not counselor.appraisals_received.filter(semester__start_date__year=year).exists():
            earlier = past_semester(counselor.school, year)
            appraisal_with_scores(counselor=counselor, assessor=principal, semester=earlier)


# The counselor has no appointment this week here: no query for the appointments' students.
@pytest.mark.parametrize(("person", "expected"), [("counselor", 17), ("vice_principal", 13)])
def test_the_semester_costs_the_same_queries_whatever_its_data(
    request,
    client_for,
    principal,
    vice_principal,
    counselor,
    colleague,
    person,
    expected,
    django_assert_num_queries,
):
    client = client_for(request.getfixturevalue(person))
    client.get(HOME)
    _grow(principal, vice_principal, counselor, colleague, 2)
    # The counselor's and the vice principal's home queries are named in
    # tests/counseling/test_counselor_home.py and tests/supervision/test_homes.py.
    with django_assert_num_queries(expected):
        small = client.get(HOME)
    _grow(principal, vice_principal, counselor, colleague, 20)
    with django_assert_num_queries(expected):
        large = client.get(HOME)
    if person == "counselor":
        before = small.context["counselor_semester"]
        after = large.context["counselor_semester"]
        assert (len(before.training.participations), before.meetings.invited) == (2, 2)
        assert (len(after.training.participations), after.meetings.invited) == (22, 22)
        assert after.competency.semester != before.competency.semester
    else:
        after = large.context["vice_principal_semester"]
        assert after.meetings.invited == 3 * 22
        assert after.training.delegations == 22
