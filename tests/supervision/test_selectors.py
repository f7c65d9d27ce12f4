"""The reads the principal's dashboard and the period report will use: meetings held by kind,
meeting hours, visits by stage, overdue action items, facility compliance."""

import datetime

from django.utils import timezone

from supervision.facilities import compliance_of
from supervision.models import Meeting, SupervisionVisit
from supervision.selectors import (
    meeting_hours,
    meetings_held_by_kind,
    overdue_action_items_count,
    visits_by_stage,
)
from tests.factories import ActionItemFactory, MeetingFactory
from tests.supervision.conftest import local

DAY = datetime.date(2026, 10, 14)


def test_meetings_held_by_kind_and_hours_count_only_meetings_with_minutes(
    vice_principal, school, other_principal
):
    recorded = timezone.now()
    MeetingFactory(organizer=vice_principal, minutes_recorded_at=recorded)
    MeetingFactory(
        organizer=vice_principal,
        kind=Meeting.Kind.COACHING,
        starts_at=local(DAY, 9),
        ends_at=local(DAY, 11),
        minutes_recorded_at=recorded,
    )
    MeetingFactory(organizer=vice_principal)  # no minutes: not held
    MeetingFactory(organizer=vice_principal, minutes_recorded_at=recorded, cancelled_at=recorded)
    MeetingFactory(
        organizer=vice_principal,
        starts_at=local(DAY + datetime.timedelta(days=40), 9),
        minutes_recorded_at=recorded,
    )
    MeetingFactory(organizer=other_principal, minutes_recorded_at=recorded)
    counts = meetings_held_by_kind(school, DAY, DAY)
    assert counts == {
        "coordination": 1,
        "limited_evaluation": 0,
        "coaching": 1,
        "case_conference": 0,
        "other": 0,
    }
    assert meeting_hours(school, DAY, DAY) == 3.0


def test_visits_by_stage_lists_every_stage(school, principal, counselor):
    semester = school.semesters.get(is_current=True)
    SupervisionVisit.objects.create(
        school=school,
        semester=semester,
        counselor=counselor,
        supervisor=principal,
        focus=SupervisionVisit.Focus.ADMINISTRATION,
        planned_on=semester.start_date,
        stage=SupervisionVisit.Stage.OBSERVED,
    )
    assert visits_by_stage(school, semester) == {
        "planned": 0,
        "observed": 1,
        "feedback_given": 0,
        "followed_up": 0,
    }


def test_overdue_action_items_count_only_open_items_past_their_date(vice_principal, school):
    meeting = MeetingFactory(organizer=vice_principal)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ActionItemFactory(meeting=meeting, due_on=yesterday)
    ActionItemFactory(meeting=meeting, due_on=yesterday, status="done")
    ActionItemFactory(meeting=meeting, due_on=timezone.localdate())
    assert overdue_action_items_count(school) == 1


def test_compliance_is_the_share_of_items_meeting_the_standard():
    assert compliance_of(["meets", "partly", "missing", "meets"]) == 50
    assert compliance_of(["meets", "meets", "partly"]) == 67
    assert compliance_of([]) == 0
