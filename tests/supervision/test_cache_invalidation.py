"""The per-school cache (staff.caching) forgets a school's figures when its appraisals,
meetings, visits or training change, through the services, however they write; another
school's changes leave them alone. (Sessions, cases and the roster: tests/staff/test_caching.py.)
"""

import datetime

import pytest
from django.utils import timezone

from staff import appraisals, training
from staff.appraisals import saved_scores
from staff.models import Appraisal, TrainingParticipation
from supervision import meetings, visits
from supervision.models import SupervisionVisit
from tests.factories import (
    MeetingFactory,
    TrainingEventFactory,
    TrainingParticipationFactory,
    appraisal_with_scores,
)
from tests.staff.test_caching import Computation, read


@pytest.fixture
def compute():
    return Computation()


@pytest.fixture
def cached(school, compute):
    """Whether the school's figures were computed anew after a change: 1 if so, 0 if kept."""

    def recomputed_after(change) -> int:
        read(school, compute)
        before = compute.runs
        change()
        read(school, compute)
        return compute.runs - before

    return recomputed_after


def test_finalising_and_acknowledging_an_appraisal_invalidate(
    cached, principal, other_counselor, semester
):
    draft = appraisals.appraisal_start(
        assessor=principal, counselor=other_counselor, semester=semester, kind="principal"
    )
    scores = dict.fromkeys(saved_scores(draft), 2)
    appraisals.appraisal_save(
        appraisal=draft, user=principal, version=draft.version, scores=scores, notes=""
    )
    draft.refresh_from_db()
    assert (
        cached(
            lambda: appraisals.appraisal_finalise(
                appraisal=draft, user=principal, version=draft.version
            )
        )
        == 1
    )
    finalised = Appraisal.objects.get(pk=draft.pk)
    assert (
        cached(
            lambda: appraisals.appraisal_acknowledge(
                appraisal=finalised, user=other_counselor, comment="Terima kasih."
            )
        )
        == 1
    )


def test_another_schools_appraisal_does_not_invalidate(cached, other_principal, other_school):
    from staff.models import Role
    from tests.factories import UserFactory

    counselor = UserFactory(school=other_school, roles=[Role.COUNSELOR])
    semester = other_school.semesters.get(is_current=True)
    assert (
        cached(
            lambda: appraisal_with_scores(
                counselor=counselor, assessor=other_principal, semester=semester
            )
        )
        == 0
    )


def test_scheduling_changing_and_minuting_a_meeting_invalidate(cached, vice_principal, counselor):
    start = timezone.now() + datetime.timedelta(days=3)
    scheduled = []
    assert (
        cached(
            lambda: scheduled.extend(
                meetings.meeting_schedule(
                    organizer=vice_principal,
                    kind="coordination",
                    title="Rapat koordinasi",
                    agenda="",
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=1),
                    place="Ruang guru",
                    invitees=[counselor],
                )
            )
        )
        == 1
    )
    (meeting,) = scheduled
    assert (
        cached(
            lambda: meetings.meeting_update(
                meeting=meeting,
                editor=vice_principal,
                version=meeting.version,
                kind="coordination",
                title="Rapat koordinasi (diundur)",
                agenda="",
                starts_at=start + datetime.timedelta(hours=2),
                ends_at=start + datetime.timedelta(hours=3),
                place="Ruang guru",
                invitees=[counselor],
            )
        )
        == 1
    )
    held = MeetingFactory(
        organizer=vice_principal,
        invitees=[counselor],
        starts_at=timezone.now() - datetime.timedelta(hours=2),
    )
    assert (
        cached(
            lambda: meetings.meeting_record_minutes(
                meeting=held,
                version=held.version,
                attendance={vice_principal.pk: "present", counselor.pk: "absent"},
                minutes="Dibahas.",
                decisions="",
            )
        )
        == 1
    )


def test_a_visit_moving_on_invalidates(cached, school, semester, principal, counselor):
    visit = SupervisionVisit.objects.create(
        school=school,
        semester=semester,
        counselor=counselor,
        supervisor=principal,
        focus=SupervisionVisit.Focus.PROGRAMME_PLAN,
        planned_on=semester.start_date,
    )
    items = visits.checklist_for(visit)
    assert (
        cached(
            lambda: visits.visit_observe(
                visit=visit,
                version=visit.version,
                observed_on=semester.start_date,
                observation_notes="",
                scores={item.pk: 3 for item in items},
            )
        )
        == 1
    )


def test_recording_training_attendance_invalidates(cached, school, principal, counselor):
    event = TrainingEventFactory(school=school, starts_on=timezone.localdate())
    participation = TrainingParticipationFactory(event=event, counselor=counselor)
    present = TrainingParticipation.Attendance.PRESENT
    assert (
        cached(
            lambda: training.attendance_record(
                event=event,
                by=principal,
                attendance={participation.pk: (participation.attendance, present)},
                today=timezone.localdate(),
            )
        )
        == 1
    )
