"""The arithmetic of a BK teacher's competency appraisal (PK Guru BK), exactly as DESIGN.md says.

Pure functions over numbers, no database: the appraisal services store what these return, and
the tests walk every boundary. Decimal throughout, so that 25 % is exactly 25 and a category is
decided on the unrounded final score (90.996 is Baik, though it shows as 91.00).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# Each indicator scores 0 (not met), 1 (partly met) or 2 (fully met).
INDICATOR_SCORES = (0, 1, 2)
INDICATOR_MAX = 2
# A competency's score is 1 to 4, from its percentage.
COMPETENCY_SCORE_MAX = 4
# (highest percentage, score), checked in order; above the last bound the score is 4.
COMPETENCY_SCORE_BOUNDS = ((Decimal(25), 1), (Decimal(50), 2), (Decimal(75), 3))
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


class Category(models.TextChoices):
    """The category of a final score, on the scale of the teachers' performance appraisal
    (PK Guru)."""

    VERY_GOOD = "very_good", _("Very good")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    MODERATE = "moderate", _("Moderate")
    POOR = "poor", _("Poor")


# (lowest final score, category), checked in order; below the last bound: Poor.
CATEGORY_BOUNDS = (
    (Decimal(91), Category.VERY_GOOD),
    (Decimal(76), Category.GOOD),
    (Decimal(61), Category.FAIR),
    (Decimal(51), Category.MODERATE),
)


def competency_percentage(indicator_total: int, indicator_count: int) -> Decimal:
    """Indicator total / (indicator count × 2) × 100, unrounded."""
    if indicator_count <= 0:
        raise ValueError("A competency needs at least one indicator.")
    if not 0 <= indicator_total <= indicator_count * INDICATOR_MAX:
        raise ValueError("The indicator total is outside 0 .. 2 × the indicator count.")
    return Decimal(indicator_total) * HUNDRED / Decimal(indicator_count * INDICATOR_MAX)


def competency_score(percentage: Decimal) -> int:
    """≤ 25 % → 1, ≤ 50 % → 2, ≤ 75 % → 3, otherwise 4."""
    for bound, score in COMPETENCY_SCORE_BOUNDS:
        if percentage <= bound:
            return score
    return COMPETENCY_SCORE_MAX


def final_score(total: int, competency_count: int) -> Decimal:
    """Total of the competency scores / (4 × the competency count) × 100, unrounded: with the
    17 competencies of Permendiknas 27/2008, total / 68 × 100."""
    if competency_count <= 0:
        raise ValueError("A framework needs at least one competency.")
    return Decimal(total) * HUNDRED / Decimal(competency_count * COMPETENCY_SCORE_MAX)


def category(score: Decimal) -> str:
    """≥ 91 Very good (Amat Baik), ≥ 76 Good (Baik), ≥ 61 Fair (Cukup), ≥ 51 Moderate (Sedang),
    else Poor (Kurang); on the unrounded score."""
    for bound, name in CATEGORY_BOUNDS:
        if score >= bound:
            return name
    return Category.POOR


def two_decimals(value: Decimal) -> Decimal:
    """How a percentage or a final score is shown and stored: two decimals, half up."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CompetencyResult:
    key: object
    indicator_total: int
    indicator_count: int
    percentage: Decimal  # unrounded
    score: int

    @property
    def indicator_max(self) -> int:
        return self.indicator_count * INDICATOR_MAX


@dataclass(frozen=True)
class AppraisalResult:
    competencies: Sequence[CompetencyResult]
    total: int
    final_score: Decimal  # unrounded
    category: str

    @property
    def total_max(self) -> int:
        return len(self.competencies) * COMPETENCY_SCORE_MAX

    @property
    def final_score_shown(self) -> Decimal:
        return two_decimals(self.final_score)


def competency_result(key: object, scores: Iterable[int]) -> CompetencyResult:
    scores = list(scores)
    for value in scores:
        if value not in INDICATOR_SCORES:
            raise ValueError(f"An indicator scores 0, 1 or 2, not {value!r}.")
    total = sum(scores)
    percentage = competency_percentage(total, len(scores))
    return CompetencyResult(key, total, len(scores), percentage, competency_score(percentage))


def appraise(indicator_scores: Mapping[object, Iterable[int]]) -> AppraisalResult:
    """The whole appraisal from every competency's indicator scores (competency key → scores),
    each indicator scored: a draft with gaps is not appraised."""
    competencies = [competency_result(key, scores) for key, scores in indicator_scores.items()]
    total = sum(result.score for result in competencies)
    score = final_score(total, len(competencies))
    return AppraisalResult(competencies, total, score, category(score))
