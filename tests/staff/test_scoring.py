"""The appraisal arithmetic of DESIGN.md, table by table, every boundary included."""

from decimal import Decimal

import pytest

from staff import scoring
from staff.scoring import Category


@pytest.mark.parametrize(
    ("indicator_total", "indicator_count", "expected"),
    [
        (0, 3, Decimal(0)),
        (6, 3, Decimal(100)),
        (3, 3, Decimal(50)),
        (1, 2, Decimal(25)),
        (3, 2, Decimal(75)),
        (7, 9, Decimal("38.88888888888888888888888889")),
        (2, 3, Decimal("33.33333333333333333333333333")),
    ],
)
def test_competency_percentage_is_total_over_twice_the_indicator_count(
    indicator_total, indicator_count, expected
):
    assert scoring.competency_percentage(indicator_total, indicator_count) == expected


@pytest.mark.parametrize(
    ("percentage", "score"),
    [
        (Decimal(0), 1),
        (Decimal("24.99"), 1),
        (Decimal(25), 1),  # boundary: 25 % exactly is still 1
        (Decimal("25.01"), 2),
        (Decimal(50), 2),  # boundary
        (Decimal("50.000001"), 3),
        (Decimal(75), 3),  # boundary
        (Decimal("75.01"), 4),
        (Decimal(100), 4),
    ],
)
def test_competency_score_from_its_percentage(percentage, score):
    assert scoring.competency_score(percentage) == score


@pytest.mark.parametrize(
    ("scores", "percentage", "score"),
    [
        # Exactly on the boundaries, reached through real indicator scores.
        ([1, 0], Decimal(25), 1),
        ([1, 1, 0, 0], Decimal(25), 1),
        ([1, 1], Decimal(50), 2),
        ([2, 1, 0], Decimal(50), 2),
        ([2, 1], Decimal(75), 3),
        ([2, 2, 1, 1], Decimal(75), 3),
        # Just around them.
        ([1, 0, 0], Decimal(100) / 6, 1),
        ([1, 1, 1, 0, 0, 0], Decimal(25), 1),
        ([2, 1, 0, 0, 0], Decimal(30), 2),
        ([2, 1, 1, 0], Decimal(50), 2),
        ([2, 2, 1, 0], Decimal("62.5"), 3),
        ([2, 2, 1], Decimal(100) * 5 / 6, 4),
        ([2, 2, 2, 2, 2, 2, 1], Decimal(100) * 13 / 14, 4),
        ([0, 0, 0, 0, 0, 0, 0, 0, 0], Decimal(0), 1),
        ([2] * 9, Decimal(100), 4),
    ],
)
def test_competency_result_from_indicator_scores(scores, percentage, score):
    result = scoring.competency_result("c", scores)
    assert result.percentage == percentage
    assert result.score == score
    assert result.indicator_total == sum(scores)
    assert result.indicator_max == 2 * len(scores)


@pytest.mark.parametrize(
    ("total", "shown"),
    [
        (17, Decimal("25.00")),
        (34, Decimal("50.00")),
        (41, Decimal("60.29")),
        (42, Decimal("61.76")),
        (51, Decimal("75.00")),
        (52, Decimal("76.47")),
        (61, Decimal("89.71")),
        (62, Decimal("91.18")),
        (68, Decimal("100.00")),
    ],
)
def test_final_score_is_total_over_68_shown_with_two_decimals(total, shown):
    assert scoring.two_decimals(scoring.final_score(total, 17)) == shown
    assert scoring.final_score(total, 17) == Decimal(total) * 100 / 68


@pytest.mark.parametrize(
    ("final_score", "category"),
    [
        (Decimal(100), Category.VERY_GOOD),
        (Decimal(91), Category.VERY_GOOD),
        (Decimal("90.99"), Category.GOOD),
        (Decimal("90.999"), Category.GOOD),  # shown as 91.00, but decided unrounded
        (Decimal("90.5"), Category.GOOD),
        (Decimal(76), Category.GOOD),
        (Decimal("75.99"), Category.FAIR),
        (Decimal(61), Category.FAIR),
        (Decimal("60.99"), Category.MODERATE),
        (Decimal(51), Category.MODERATE),
        (Decimal("50.99"), Category.POOR),
        (Decimal(25), Category.POOR),
        (Decimal(0), Category.POOR),
    ],
)
def test_category_of_a_final_score_on_the_unrounded_value(final_score, category):
    assert scoring.category(final_score) == category


def test_category_labels_read_as_the_pk_guru_scale_in_indonesian():
    from django.utils import translation

    with translation.override("id"):
        labels = [str(choice.label) for choice in Category]
    assert labels == ["Amat Baik", "Baik", "Cukup", "Sedang", "Kurang"]


def _whole(competency_scores: list[int]) -> dict:
    """Indicator scores that give each competency the wanted score (four indicators each)."""
    pattern = {1: [1, 0, 0, 0], 2: [1, 1, 1, 1], 3: [2, 2, 1, 1], 4: [2, 2, 2, 2]}
    return {number: pattern[score] for number, score in enumerate(competency_scores, start=1)}


@pytest.mark.parametrize(
    ("competency_scores", "total", "shown", "category"),
    [
        ([1] * 17, 17, Decimal("25.00"), Category.POOR),
        ([4] * 17, 68, Decimal("100.00"), Category.VERY_GOOD),
        ([3] * 17, 51, Decimal("75.00"), Category.FAIR),
        ([3] * 16 + [4], 52, Decimal("76.47"), Category.GOOD),
        ([4] * 10 + [3] * 7, 61, Decimal("89.71"), Category.GOOD),
        ([4] * 11 + [3] * 6, 62, Decimal("91.18"), Category.VERY_GOOD),
        ([2] * 10 + [3] * 7, 41, Decimal("60.29"), Category.MODERATE),
        ([2] * 9 + [3] * 8, 42, Decimal("61.76"), Category.FAIR),
        ([2] * 17, 34, Decimal("50.00"), Category.POOR),
        ([2] * 16 + [3], 35, Decimal("51.47"), Category.MODERATE),
    ],
)
def test_whole_appraisal_of_17_competencies(competency_scores, total, shown, category):
    result = scoring.appraise(_whole(competency_scores))
    assert [line.score for line in result.competencies] == competency_scores
    assert result.total == total
    assert result.total_max == 68
    assert result.final_score_shown == shown
    assert result.category == category


def test_two_decimals_rounds_half_up():
    assert scoring.two_decimals(Decimal("60.295")) == Decimal("60.30")
    assert scoring.two_decimals(Decimal("60.294999")) == Decimal("60.29")


@pytest.mark.parametrize("bad", [[3], [-1], [1, None]])
def test_indicator_scores_other_than_0_1_2_are_refused(bad):
    with pytest.raises(ValueError):
        scoring.competency_result("c", bad)


def test_a_competency_without_indicators_is_refused():
    with pytest.raises(ValueError):
        scoring.competency_percentage(0, 0)
    with pytest.raises(ValueError):
        scoring.final_score(0, 0)
