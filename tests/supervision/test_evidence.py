"""The evidence beside each competency: what is logged for the counselor in the semester, with
links only where the viewer may follow them, and nothing from outside the semester."""

from datetime import date, datetime, timedelta, timezone

import pytest
from django.urls import reverse
from django.utils import translation

from counseling.models import Collaboration, CounselingSession
from staff.models import TrainingEvent, TrainingParticipation
from supervision import evidence
from supervision.evidence import appraisal_evidence
from tests.factories import (
    CaseFactory,
    CollaborationFactory,
    CounselingSessionFactory,
    StudentFactory,
    TrainingEventFactory,
    TrainingParticipationFactory,
)

# Some tests reach the database only through request.getfixturevalue; the mark keeps them
# among the database tests, before the transactional ones empty the database.
pytestmark = pytest.mark.django_db

ZONE = timezone(timedelta(hours=7))
Attendance = TrainingParticipation.Attendance


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


def values(rows, label_part: str) -> list[str]:
    return [row.value for row in rows if label_part in row.label]


@pytest.fixture
def logged(counselor, school):
    """A semester's work (July–December 2026) and some outside it."""
    for strategy, count in [
        (CounselingSession.Strategy.INDIVIDUAL, 3),
        (CounselingSession.Strategy.REFERRAL, 1),
        (CounselingSession.Strategy.HOME_VISIT, 2),
    ]:
        for number in range(count):
            CounselingSessionFactory(
                counselor=counselor, strategy=strategy, starts_at=at(date(2026, 8, 1 + number))
            )
    # The semester's first and last moments count; the day before and after do not.
    CounselingSessionFactory(counselor=counselor, starts_at=at(date(2026, 7, 1), 0))
    CounselingSessionFactory(counselor=counselor, starts_at=at(date(2026, 12, 31), 23))
    CounselingSessionFactory(counselor=counselor, starts_at=at(date(2026, 6, 30), 23))
    CounselingSessionFactory(counselor=counselor, starts_at=at(date(2027, 1, 1), 0))
    for partner, count in [
        (Collaboration.Partner.PARENT, 2),
        (Collaboration.Partner.HOMEROOM_TEACHER, 1),
        (Collaboration.Partner.OUTSIDE, 1),
    ]:
        for _ in range(count):
            CollaborationFactory(
                counselor=counselor, partner_type=partner, happened_on=date(2026, 9, 1)
            )
    CollaborationFactory(counselor=counselor, happened_on=date(2026, 6, 30))
    # A case met twice this semester, another only once.
    student = StudentFactory(school=school, classroom__academic_year=school.academic_years.get())
    twice = CaseFactory(student=student, counselor=counselor)
    CounselingSessionFactory(counselor=counselor, case=twice, starts_at=at(date(2026, 9, 2)))
    CounselingSessionFactory(counselor=counselor, case=twice, starts_at=at(date(2026, 9, 9)))
    once = CaseFactory(student=student, counselor=counselor)
    CounselingSessionFactory(counselor=counselor, case=once, starts_at=at(date(2026, 9, 3)))
    # MGBK: two of three recorded meetings attended; one not recorded yet.
    for day, attendance in [
        (date(2026, 7, 11), Attendance.PRESENT),
        (date(2026, 8, 8), Attendance.ABSENT),
        (date(2026, 9, 12), Attendance.PRESENT),
        (date(2026, 10, 10), Attendance.UNRECORDED),
    ]:
        meeting = TrainingEventFactory(
            school=school, kind=TrainingEvent.Kind.MGBK, starts_on=day, seats=None
        )
        TrainingParticipationFactory(event=meeting, counselor=counselor, attendance=attendance)
    # Training: one targeting 11 and 13, one targeting nothing, one missed, one last year.
    for title, targets, attendance, day in [
        ("Workshop AKPD", [11, 13], Attendance.PRESENT, date(2026, 8, 20)),
        ("Seminar Nasional BK", [], Attendance.PRESENT, date(2026, 10, 1)),
        ("Bimtek Terlewat", [12], Attendance.ABSENT, date(2026, 11, 1)),
        ("Diklat Lama", [12], Attendance.PRESENT, date(2025, 11, 1)),
    ]:
        event = TrainingEventFactory(
            school=school, title=title, starts_on=day, hours=8, competencies=targets
        )
        TrainingParticipationFactory(event=event, counselor=counselor, attendance=attendance)


def test_sessions_by_strategy_stand_beside_the_competencies_they_speak_for(
    logged, principal, counselor, semester
):
    found = appraisal_evidence(principal, counselor, semester)
    (beside_14,) = values(found[14], "Sessions")
    # 3 individual + 2 at the semester's edges + the 3 of the cases.
    assert "Individual counseling 8" in beside_14
    assert "Home visit 2" in beside_14
    assert "Referral" not in beside_14
    (beside_16,) = values(found[16], "Sessions")
    assert beside_16 == "Referral 1"


def test_collaboration_by_partner(logged, principal, counselor, semester):
    found = appraisal_evidence(principal, counselor, semester)
    (beside_8,) = values(found[8], "Collaboration")
    assert beside_8 == "Homeroom teacher 1, Parent or guardian 2"
    (beside_10,) = values(found[10], "Collaboration")
    assert beside_10 == "Outside party 1"


def test_cases_handled_over_two_sessions(logged, principal, counselor, semester):
    found = appraisal_evidence(principal, counselor, semester)
    assert values(found[15], "Cases") == ["1 case handled over two or more sessions"]


def test_mgbk_attendance_beside_the_professional_organisation(
    logged, principal, counselor, semester
):
    found = appraisal_evidence(principal, counselor, semester)
    assert values(found[9], "MGBK") == ["present at 2 of 3 meetings"]


def test_training_beside_the_competencies_it_targets(logged, principal, counselor, semester):
    found = appraisal_evidence(principal, counselor, semester)
    assert values(found[11], "Training") == ["Workshop AKPD, 8 JP"]
    assert values(found[13], "Training") == ["Workshop AKPD, 8 JP"]
    assert values(found[16], "Training") == ["Seminar Nasional BK, 8 JP"]
    assert not values(found.get(12, []), "Training")


def test_links_only_where_the_viewer_may_follow_them(logged, principal, counselor, semester):
    theirs = appraisal_evidence(principal, counselor, semester)
    (sessions,) = [row for row in theirs[14] if row.label == "Sessions"]
    assert sessions.url == (
        f"{reverse('counseling:case_list')}?status=all&counselor={counselor.pk}"
    )
    (outside,) = [row for row in theirs[10] if row.label == "Collaboration"]
    assert outside.url.endswith(f"counselor={counselor.pk}&partner_type=outside")
    mine = appraisal_evidence(counselor, counselor, semester)
    (own_sessions,) = [row for row in mine[14] if row.label == "Sessions"]
    assert own_sessions.url.endswith("status=all&mine=on")
    (training,) = [row for row in mine[11] if row.label == "Training"]
    assert training.url.startswith("/staff/training/")


def test_without_access_to_cases_the_evidence_has_no_case_links(
    logged, counselor, semester, vice_principal, monkeypatch
):
    """Should anyone but the principal and the counselor see a panel, it links no cases."""
    found = appraisal_evidence(vice_principal, counselor, semester)
    # The vice principal may read cases: the links stay. Someone who may not gets none.
    monkeypatch.setattr(evidence, "can", lambda user, permission: False)
    bare = appraisal_evidence(vice_principal, counselor, semester)
    assert any(row.url for row in found[14])
    assert not any(row.url for row in bare[14] if row.label in {"Sessions", "Collaboration"})


def test_another_school_counts_nothing(logged, other_principal, counselor, semester, other_school):
    """Records are read through the counselor's own school only."""
    stranger = TrainingEventFactory(
        school=other_school, starts_on=date(2026, 8, 1), competencies=[1]
    )
    TrainingParticipationFactory(event=stranger, school=other_school, counselor=counselor)
    found = appraisal_evidence(other_principal, counselor, semester)
    assert not values(found.get(1, []), "Training")


def test_adding_a_source_is_one_function(principal, counselor, semester, monkeypatch):
    def findings(viewer, person, period):
        yield 7, evidence.Evidence("Supervision", "1 visit")

    monkeypatch.setattr(evidence, "EVIDENCE_SOURCES", [findings])
    assert appraisal_evidence(principal, counselor, semester) == {
        7: [evidence.Evidence("Supervision", "1 visit")]
    }


def _visit(school, semester, counselor, principal, *, focus, stage, score=3):
    from supervision.models import ChecklistItem, SupervisionScore, SupervisionVisit

    visit = SupervisionVisit.objects.create(
        school=school,
        semester=semester,
        counselor=counselor,
        supervisor=principal,
        focus=focus,
        stage=stage,
        planned_on=date(2026, 9, 1),
    )
    SupervisionScore.objects.bulk_create(
        SupervisionScore(visit=visit, item=item, score=score)
        for item in ChecklistItem.objects.filter(focus=focus)
    )
    return visit


def test_supervision_visits_stand_beside_the_competencies_of_their_focus(
    principal, counselor, other_counselor, other_principal, school, semester
):
    from supervision.models import SupervisionVisit

    Focus, Stage = SupervisionVisit.Focus, SupervisionVisit.Stage
    observed = _visit(
        school, semester, counselor, principal, focus=Focus.PROGRAMME_PLAN, stage=Stage.OBSERVED
    )
    # Planned only: nothing found yet. Another counselor's visit: not theirs.
    _visit(school, semester, counselor, principal, focus=Focus.ADMINISTRATION, stage=Stage.PLANNED)
    _visit(
        school, semester, other_counselor, principal, focus=Focus.PERSONAL_BOOKS, stage="observed"
    )
    found = appraisal_evidence(principal, counselor, semester)
    assert values(found[13], "Supervision visit") == [
        "BK programme plan: average 3.00 of 4 (observed)"
    ]
    assert found[13][-1].url == reverse("supervision:visit_detail", args=[observed.pk])
    assert not values(found.get(7, []), "Supervision visit")
    assert not values(found.get(11, []), "Supervision visit")
    # The counselor reads the own visits; a principal of another school reads none.
    assert values(appraisal_evidence(counselor, counselor, semester)[13], "Supervision visit")
    assert not appraisal_evidence(other_principal, counselor, semester).get(13)


def test_action_items_naming_a_competency_stand_beside_it(
    principal, vice_principal, counselor, school, semester
):
    from tests.factories import ActionItemFactory, framework_competencies

    (programme,) = framework_competencies([13])
    meeting_item = ActionItemFactory(
        meeting__organizer=vice_principal,
        assignee=counselor,
        description="Menyusun program semester",
        due_on=date(2026, 11, 30),
        competency=programme,
    )
    # Due outside the semester, or naming no competency: not evidence.
    ActionItemFactory(
        meeting=meeting_item.meeting,
        assignee=counselor,
        due_on=date(2027, 2, 1),
        competency=programme,
    )
    ActionItemFactory(meeting=meeting_item.meeting, assignee=counselor, due_on=date(2026, 10, 1))
    found = appraisal_evidence(principal, counselor, semester)
    assert values(found[13], "Action item") == ["Menyusun program semester (to do)"]
