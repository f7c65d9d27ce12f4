"""The school's cached figures (staff.caching) are dropped by every write the principal's
dashboard and the period report count: meetings and their minutes, action items, supervision
visits, the BK room, appraisals, training and its attendance, whether a service writes through
a model's save or with update() and bulk writes (which send no signal)."""

import datetime

import pytest
from django.utils import timezone

from staff import caching
from staff.appraisals import appraisal_finalise
from staff.models import TrainingParticipation
from staff.training import attendance_record, training_event_cancel
from supervision.meetings import action_item_update, meeting_record_minutes, meeting_update
from supervision.visits import checklist_for, visit_observe, visits_plan
from tests.factories import (
    ActionItemFactory,
    MeetingFactory,
    SupervisionVisitFactory,
    TrainingEventFactory,
    TrainingParticipationFactory,
    appraisal_with_scores,
)
from tests.supervision.dashboard_setup import record_facilities


class Computation:
    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> int:
        self.runs += 1
        return self.runs


@pytest.fixture
def read(school):
    computation = Computation()

    def again() -> int:
        caching.cached_for_school(school_id=school.pk, name="figures", compute=computation)
        return computation.runs

    return again


@pytest.fixture
def meeting(vice_principal, counselor):
    starts = timezone.now() - datetime.timedelta(hours=2)
    return MeetingFactory(
        organizer=vice_principal,
        invitees=[counselor],
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )


def test_recording_a_meetings_minutes_invalidates(read, meeting):
    assert read() == 1
    meeting_record_minutes(
        meeting=meeting, version=meeting.version, attendance={}, minutes="N", decisions="D"
    )
    assert read() == 2


def test_changing_a_meeting_invalidates(read, meeting, vice_principal):
    assert read() == 1
    meeting_update(
        meeting=meeting,
        editor=vice_principal,
        version=meeting.version,
        kind="coaching",
        title=meeting.title,
        agenda=meeting.agenda,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        place=meeting.place,
        invitees=[vice_principal],
    )
    assert read() == 2


def test_changing_an_action_item_invalidates(read, meeting, vice_principal):
    # Due after the meeting: an action item cannot fall due before its meeting.
    item = ActionItemFactory(meeting=meeting, due_on=timezone.localdate())
    assert read() == 1
    action_item_update(
        item=item,
        version=item.version,
        description=item.description,
        assignee=vice_principal,
        due_on=item.due_on + datetime.timedelta(days=1),
    )
    assert read() == 2


def test_planning_and_observing_visits_invalidate(read, principal, counselor, semester):
    assert read() == 1
    visits_plan(
        supervisor=principal,
        semester=semester,
        plans=[(counselor, semester.start_date, "administration")],
    )
    assert read() == 2
    visit = SupervisionVisitFactory(semester=semester, counselor=counselor, supervisor=principal)
    assert read() == 3
    visit_observe(
        visit=visit,
        version=visit.version,
        observed_on=semester.start_date,
        observation_notes="Diamati.",
        scores={item.pk: 3 for item in checklist_for(visit)},
    )
    assert read() == 4


def test_recording_the_bk_room_invalidates(read, school, counselor):
    assert read() == 1
    record_facilities(school, counselor, at=timezone.now(), meeting=3)
    assert read() == 2


def test_finalising_an_appraisal_invalidates(read, principal, counselor, semester):
    draft = appraisal_with_scores(
        counselor=counselor, assessor=principal, semester=semester, finalise=False
    )
    assert read() == 1
    appraisal_finalise(appraisal=draft, user=principal, version=draft.version)
    assert read() == 2


def test_training_attendance_and_cancelling_invalidate(read, school, principal, counselor):
    today = timezone.localdate()
    event = TrainingEventFactory(school=school, starts_on=today, ends_on=today)
    participation = TrainingParticipationFactory(event=event, counselor=counselor)
    assert read() == 1
    attendance_record(
        event=event,
        by=principal,
        attendance={
            participation.pk: (
                TrainingParticipation.Attendance.UNRECORDED,
                TrainingParticipation.Attendance.PRESENT,
            )
        },
        today=today,
    )
    assert read() == 2
    training_event_cancel(event=event, user=principal, today=today)
    assert read() == 3


def test_a_meeting_of_another_school_does_not_invalidate(read, other_principal):
    assert read() == 1
    MeetingFactory(organizer=other_principal, minutes_recorded_at=timezone.now())
    assert read() == 1
