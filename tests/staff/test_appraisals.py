"""The appraisal services: who appraises whom, drafts and their versions, finalising with the
stored results, finalised appraisals refusing every edit, acknowledging."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from staff import scoring
from staff.appraisals import (
    AppraisalExists,
    AppraisalLocked,
    StaleAppraisal,
    appraisal_acknowledge,
    appraisal_finalise,
    appraisal_save,
    appraisal_sheet,
    appraisal_start,
    competency_profile,
    saved_scores,
)
from staff.models import Appraisal, CompetencyResult, Role
from staff.scoring import Category
from tests.factories import UserFactory, appraisal_with_scores, past_semester

# Some tests reach the database only through request.getfixturevalue; the mark keeps them
# among the database tests, before the transactional ones empty the database.
pytestmark = pytest.mark.django_db


@pytest.fixture
def semester(school):
    return school.semesters.get()


@pytest.fixture
def draft(principal, counselor, semester):
    return appraisal_start(
        assessor=principal, counselor=counselor, semester=semester, kind=Appraisal.Kind.PRINCIPAL
    )


def _all(appraisal, value):
    return dict.fromkeys(saved_scores(appraisal), value)


# Starting


def test_the_principal_starts_a_draft_with_every_indicator_unscored(draft, principal):
    assert draft.status == Appraisal.Status.DRAFT
    assert draft.assessor == principal
    assert draft.framework.is_active
    assert draft.scores.count() == 76
    assert not draft.scores.filter(score__isnull=False).exists()


def test_a_counselor_appraises_only_themselves(counselor, school, semester):
    own = appraisal_start(
        assessor=counselor, counselor=counselor, semester=semester, kind=Appraisal.Kind.SELF
    )
    assert own.kind == Appraisal.Kind.SELF
    colleague = UserFactory(school=school, roles=[Role.COUNSELOR])
    with pytest.raises(ValidationError):
        appraisal_start(
            assessor=counselor, counselor=colleague, semester=semester, kind=Appraisal.Kind.SELF
        )
    with pytest.raises(ValidationError):
        appraisal_start(
            assessor=counselor,
            counselor=colleague,
            semester=semester,
            kind=Appraisal.Kind.PRINCIPAL,
        )


@pytest.mark.parametrize("assessor", ["vice_principal", "admin_staff", "homeroom_teacher"])
def test_only_the_principal_appraises_a_counselor(request, assessor, counselor, semester):
    with pytest.raises(ValidationError):
        appraisal_start(
            assessor=request.getfixturevalue(assessor),
            counselor=counselor,
            semester=semester,
            kind=Appraisal.Kind.PRINCIPAL,
        )


def test_the_principal_cannot_appraise_someone_who_is_not_a_counselor(
    principal, subject_teacher, semester
):
    with pytest.raises(ValidationError):
        appraisal_start(
            assessor=principal,
            counselor=subject_teacher,
            semester=semester,
            kind=Appraisal.Kind.PRINCIPAL,
        )


def test_a_semester_of_another_school_is_refused(principal, counselor, other_school):
    with pytest.raises(ValidationError):
        appraisal_start(
            assessor=principal,
            counselor=counselor,
            semester=other_school.semesters.get(),
            kind=Appraisal.Kind.PRINCIPAL,
        )


def test_one_appraisal_of_each_kind_per_semester(draft, principal, counselor, semester):
    with pytest.raises(AppraisalExists) as raised:
        appraisal_start(
            assessor=principal,
            counselor=counselor,
            semester=semester,
            kind=Appraisal.Kind.PRINCIPAL,
        )
    assert raised.value.existing == draft
    with pytest.raises(IntegrityError), transaction.atomic():
        Appraisal.objects.create(
            school=draft.school,
            counselor=counselor,
            semester=semester,
            kind=Appraisal.Kind.PRINCIPAL,
            assessor=principal,
            framework=draft.framework,
        )


def test_the_database_refuses_a_self_appraisal_by_someone_else(draft, principal, counselor):
    with pytest.raises(IntegrityError), transaction.atomic():
        Appraisal.objects.filter(pk=draft.pk).update(kind=Appraisal.Kind.SELF)


# Drafts


def test_saving_a_draft_keeps_unscored_indicators_and_bumps_the_version(draft, principal):
    first, second = list(saved_scores(draft))[:2]
    opened_at = draft.version
    saved = appraisal_save(
        appraisal=draft,
        user=principal,
        version=opened_at,
        scores={first: 2, second: None},
        notes="  Perlu asesmen kebutuhan.  ",
    )
    assert saved.version == opened_at + 1
    assert saved.notes == "Perlu asesmen kebutuhan."
    assert saved_scores(saved)[first] == 2
    assert saved_scores(saved)[second] is None


def test_a_stale_draft_is_refused_and_nothing_is_written(draft, principal):
    indicator = next(iter(saved_scores(draft)))
    opened_at = draft.version
    appraisal_save(
        appraisal=draft, user=principal, version=opened_at, scores={indicator: 1}, notes=""
    )
    with pytest.raises(StaleAppraisal):
        appraisal_save(
            appraisal=draft, user=principal, version=opened_at, scores={indicator: 2}, notes="x"
        )
    assert saved_scores(draft)[indicator] == 1


def test_scores_other_than_0_1_2_are_refused(draft, principal):
    indicator = next(iter(saved_scores(draft)))
    with pytest.raises(ValidationError):
        appraisal_save(
            appraisal=draft, user=principal, version=draft.version, scores={indicator: 3}, notes=""
        )


@pytest.mark.parametrize("editor", ["counselor", "vice_principal", "other_principal"])
def test_only_the_assessor_side_edits_a_principals_draft(request, draft, editor):
    with pytest.raises(ValidationError):
        appraisal_save(
            appraisal=draft,
            user=request.getfixturevalue(editor),
            version=draft.version,
            scores={},
            notes="",
        )


# Finalising


def test_finalising_needs_every_indicator_scored(draft, principal):
    scores = _all(draft, 2)
    scores[next(iter(scores))] = None
    draft = appraisal_save(
        appraisal=draft, user=principal, version=draft.version, scores=scores, notes=""
    )
    with pytest.raises(ValidationError, match="1 indikator belum diberi skor"):
        appraisal_finalise(appraisal=draft, user=principal, version=draft.version)
    draft.refresh_from_db()
    assert draft.status == Appraisal.Status.DRAFT
    assert not CompetencyResult.objects.exists()


def test_finalising_stores_the_results_computed_by_the_arithmetic(principal, counselor, semester):
    wanted = {1: 1, 2: 2, 3: 3, 11: 4, 16: 2, 17: 1}
    appraisal = appraisal_with_scores(
        counselor=counselor,
        assessor=principal,
        semester=semester,
        competency_scores=wanted,
        default_score=3,
    )
    stored = {r.competency.number: r for r in appraisal.results.select_related("competency")}
    assert len(stored) == 17
    for number, result in stored.items():
        assert result.score == wanted.get(number, 3)
    total = sum(wanted.get(number, 3) for number in range(1, 18))
    assert appraisal.total_score == total == 46
    assert appraisal.final_score == scoring.two_decimals(Decimal(46) * 100 / 68) == Decimal("67.65")
    assert appraisal.category == Category.FAIR
    assert appraisal.status == Appraisal.Status.FINALISED
    assert appraisal.finalised_at is not None
    # The stored percentages are those of the score sheet, two decimals.
    sheet = appraisal_sheet(appraisal)
    for line in sheet.competencies:
        assert stored[line.competency.number].percentage == line.percentage
        assert stored[line.competency.number].indicator_total == line.total
    assert sheet.result.final_score_shown == appraisal.final_score


@pytest.mark.parametrize(
    ("total", "category"),
    [(62, Category.VERY_GOOD), (61, Category.GOOD), (52, Category.GOOD), (51, Category.FAIR)],
)
def test_the_stored_category_follows_the_unrounded_score(
    principal, counselor, semester, total, category
):
    fours = total - 51  # every competency 3, and this many raised to 4
    scores = {number: 4 if number <= fours else 3 for number in range(1, 18)}
    appraisal = appraisal_with_scores(
        counselor=counselor, assessor=principal, semester=semester, competency_scores=scores
    )
    assert appraisal.total_score == total
    assert appraisal.category == category


def test_a_finalised_appraisal_refuses_every_edit(principal, counselor, semester):
    appraisal = appraisal_with_scores(counselor=counselor, assessor=principal, semester=semester)
    before = saved_scores(appraisal)
    with pytest.raises((AppraisalLocked, ValidationError)):
        appraisal_save(
            appraisal=appraisal,
            user=principal,
            version=appraisal.version,
            scores=dict.fromkeys(before, 0),
            notes="diubah",
        )
    with pytest.raises((AppraisalLocked, ValidationError)):
        appraisal_finalise(appraisal=appraisal, user=principal, version=appraisal.version)
    appraisal.refresh_from_db()
    assert saved_scores(appraisal) == before
    assert appraisal.notes == ""
    assert appraisal.results.count() == 17


def test_finalised_meanwhile_is_reported_as_locked(draft, principal):
    draft = appraisal_save(
        appraisal=draft, user=principal, version=draft.version, scores=_all(draft, 1), notes=""
    )
    opened_at = draft.version
    appraisal_finalise(appraisal=draft, user=principal, version=opened_at)
    # The form opened before finalising still thinks it is a draft.
    stale = Appraisal.objects.get(pk=draft.pk)
    stale.status = Appraisal.Status.DRAFT
    with pytest.raises(AppraisalLocked):
        appraisal_save(appraisal=stale, user=principal, version=opened_at, scores={}, notes="")


# Acknowledging


def test_the_appraised_counselor_acknowledges_with_a_comment(principal, counselor, semester):
    appraisal = appraisal_with_scores(counselor=counselor, assessor=principal, semester=semester)
    acknowledged = appraisal_acknowledge(
        appraisal=appraisal, user=counselor, comment="  Terima kasih, Bapak.  "
    )
    assert acknowledged.status == Appraisal.Status.ACKNOWLEDGED
    assert acknowledged.counselor_comment == "Terima kasih, Bapak."
    assert acknowledged.acknowledged_at is not None
    with pytest.raises(ValidationError):
        appraisal_acknowledge(appraisal=acknowledged, user=counselor, comment="lagi")


@pytest.mark.parametrize("who", ["principal", "vice_principal", "other_counselor"])
def test_nobody_else_acknowledges(request, principal, counselor, semester, who, school):
    if who == "other_counselor":
        person = UserFactory(school=school, roles=[Role.COUNSELOR])
    else:
        person = request.getfixturevalue(who)
    appraisal = appraisal_with_scores(counselor=counselor, assessor=principal, semester=semester)
    with pytest.raises(ValidationError):
        appraisal_acknowledge(appraisal=appraisal, user=person, comment="")


def test_a_draft_or_a_self_appraisal_is_not_acknowledged(draft, counselor, semester):
    with pytest.raises(ValidationError):
        appraisal_acknowledge(appraisal=draft, user=counselor, comment="")
    own = appraisal_with_scores(
        counselor=counselor, assessor=counselor, semester=semester, kind=Appraisal.Kind.SELF
    )
    with pytest.raises(ValidationError):
        appraisal_acknowledge(appraisal=own, user=counselor, comment="")


# The profile


def test_profile_reads_the_latest_scores_and_the_change_since_the_previous(
    principal, counselor, school
):

    older = past_semester(school, 2025, number=2)
    current = school.semesters.get(is_current=True)
    appraisal_with_scores(
        counselor=counselor,
        assessor=principal,
        semester=older,
        competency_scores={11: 1, 17: 2},
        default_score=2,
    )
    appraisal_with_scores(
        counselor=counselor,
        assessor=principal,
        semester=current,
        competency_scores={11: 3, 17: 2},
        default_score=3,
    )
    appraisal_with_scores(
        counselor=counselor,
        assessor=counselor,
        semester=current,
        kind=Appraisal.Kind.SELF,
        default_score=4,
    )
    profile = competency_profile(principal, counselor)
    rows = {row.competency.number: row for row in profile.rows}
    assert (rows[11].score, rows[11].previous_score, rows[11].change) == (3, 1, 2)
    assert (rows[17].score, rows[17].previous_score, rows[17].change) == (2, 2, 0)
    assert rows[1].self_score == 4
    assert [entry.semester for entry in profile.history] == [older, current]
    assert profile.final_score_change == profile.latest.final_score - profile.previous.final_score
    chart = profile.chart_data()
    assert chart["labels"] == [str(older), str(current)]
    assert chart["principal"] == [
        float(profile.previous.final_score),
        float(profile.latest.final_score),
    ]
    assert chart["self"] == [None, 100.0]
