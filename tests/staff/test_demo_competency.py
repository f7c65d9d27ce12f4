"""The demo's competency story: four semesters of appraisals in which the scores rise, training
and MGBK records, delegations that rotate; loaded once, whatever the number of runs."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from staff.demo_competency import competency_scores_for_total, indicator_scores_for
from staff.models import (
    Appraisal,
    CompetencyResult,
    DisseminationReport,
    IndicatorScore,
    School,
    TrainingEvent,
    TrainingParticipation,
)
from staff.scoring import Category, competency_result
from staff.training import dissemination_overdue, training_summary

MODELS = [
    Appraisal,
    IndicatorScore,
    CompetencyResult,
    TrainingEvent,
    TrainingParticipation,
    DisseminationReport,
]
FIRST_SCHOOL = "20526101"


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())
    return School.objects.get(npsn=FIRST_SCHOOL)


def test_running_the_seed_again_adds_nothing(seeded):
    before = _counts()
    assert all(before.values())
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before


def test_four_semesters_of_rising_appraisals(seeded):
    principal = Appraisal.objects.filter(
        school=seeded, kind=Appraisal.Kind.PRINCIPAL, status=Appraisal.Status.ACKNOWLEDGED
    ).select_related("semester", "counselor")
    by_counselor: dict[str, list[Appraisal]] = {}
    for appraisal in principal.order_by("semester__start_date"):
        by_counselor.setdefault(appraisal.counselor.username, []).append(appraisal)
    assert set(by_counselor) == {"gurubk1", "gurubk2", "gurubk3"}
    for history in by_counselor.values():
        assert len(history) == 4
        scores = [appraisal.final_score for appraisal in history]
        assert scores == sorted(scores) and scores[0] < scores[-1]
    earliest = Counter(history[0].category for history in by_counselor.values())
    latest = Counter(history[-1].category for history in by_counselor.values())
    assert earliest[Category.FAIR] + earliest[Category.MODERATE] == 3
    assert latest == Counter({Category.GOOD: 2, Category.VERY_GOOD: 1})
    # Every one has the self-appraisal beside it, a little higher.
    for history in by_counselor.values():
        for appraisal in history:
            own = Appraisal.objects.get(
                counselor=appraisal.counselor,
                semester=appraisal.semester,
                kind=Appraisal.Kind.SELF,
            )
            assert own.final_score > appraisal.final_score


def test_the_current_semester_is_under_way(seeded):
    current = seeded.semesters.get(is_current=True)
    now = Appraisal.objects.filter(semester=current).select_related("counselor")
    kinds = {(a.counselor.username, a.kind, a.status) for a in now}
    assert ("gurubk1", Appraisal.Kind.SELF, Appraisal.Status.FINALISED) in kinds
    assert ("gurubk3", Appraisal.Kind.PRINCIPAL, Appraisal.Status.DRAFT) in kinds
    # gurubk2 waits: the principal can appraise them.
    assert not any(username == "gurubk2" for username, _, _ in kinds)


def test_training_mgbk_and_the_rotation(seeded):
    today = timezone.localdate()
    events = TrainingEvent.objects.filter(school=seeded)
    assert events.filter(kind=TrainingEvent.Kind.MGBK).count() >= 20
    trainings = events.exclude(kind=TrainingEvent.Kind.MGBK)
    # One seat, one delegate: over the history every counselor went in turn.
    single = trainings.filter(seats=1, starts_on__lt=today).order_by("starts_on")
    delegates = [
        event.participations.get().counselor.username
        for event in single
        if event.participations.exists()
    ]
    assert set(delegates) == {"gurubk1", "gurubk2", "gurubk3"}
    assert all(a != b for a, b in zip(delegates, delegates[1:], strict=False))
    # An upcoming training nobody is delegated to yet, for the principal to try.
    assert trainings.filter(starts_on__gt=today, participations__isnull=True).exists()
    assert len(dissemination_overdue(seeded, today=today)) == 1
    rows = training_summary(seeded, today=today)
    assert all(row.mgbk is not None and row.mgbk.recorded for row in rows)


@pytest.mark.parametrize("total", [17, 36, 46, 51, 52, 62, 63, 68])
def test_competency_scores_add_up_to_the_total(total):
    order = list(range(1, 18))
    scores = competency_scores_for_total(total, order)
    assert sum(scores.values()) == total
    assert all(1 <= score <= 4 for score in scores.values())
    # The weakest (first in the order) never score above the strongest.
    assert scores[order[0]] <= scores[order[-1]]


@pytest.mark.parametrize("count", [2, 3, 4, 5, 6, 7, 9])
@pytest.mark.parametrize("wanted", [1, 2, 3, 4])
def test_indicator_scores_give_the_wanted_competency_score(count, wanted):
    assert competency_result("c", indicator_scores_for(wanted, count)).score == wanted
