"""The dashboard, the period report and the counts of personal books cost a fixed number of
queries: the same with ten times the school's records, the same beside other schools (with
the same figures), and far fewer once the figures are cached until the school's next change."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff.models import Role
from tests.factories import (
    SchoolFactory,
    SemesterFactory,
    UserFactory,
    appraisal_with_scores,
    past_semester,
)
from tests.supervision.dashboard_setup import fill_semester

# session, user, roles, the school's semesters; the figures: meetings held by kind; MGBK
# attendance, delegations, training hours, the counselors, visits by stage; the counselors
# with their latest appraisals, those appraisals, their scores, the competencies, the average
# final score by semester; the compliance by semester, the seats, the meeting hours, the
# overdue items; collaboration per month (and the semester before's), the cases opened (and
# the semester before's), the classes with their books, the active students
FIGURES_QUERIES = 25
# session, user, roles, the school's semesters: the figures come from the cache
CACHED_QUERIES = 4


@pytest.fixture
def appraised(school, semester, principal, counselors):
    """Both counselors appraised in this semester and the one before."""
    earlier = past_semester(school, 2025, 2)
    for person in counselors:
        appraisal_with_scores(counselor=person, assessor=principal, semester=earlier)
        appraisal_with_scores(counselor=person, assessor=principal, semester=semester)
    return earlier


def _fill(school, semester, principal, vice_principal, counselors, scale):
    return fill_semester(
        school,
        semester,
        principal=principal,
        vice_principal=vice_principal,
        counselors=counselors,
        scale=scale,
    )


def _pages(semester) -> dict[str, str]:
    return {
        "dashboard": reverse("supervision:dashboard"),
        "semester report": reverse("supervision:report_semester", args=[semester.pk]),
        "year report": reverse("supervision:report_year", args=[semester.academic_year_id]),
    }


def _measure(client, url: str, *, cached: bool = False):
    if not cached:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("page", ["dashboard", "semester report", "year report"])
def test_the_query_count_does_not_grow_with_the_schools_records(
    client_for, principal, vice_principal, school, semester, counselors, appraised, page
):
    client = client_for(principal)
    url = _pages(semester)[page]
    _fill(school, semester, principal, vice_principal, counselors, 1)
    client.get(url)  # the session's first write is not the page's cost
    count, response = _measure(client, url)
    assert count == FIGURES_QUERIES
    held_before = response.context["figures"].factors.meetings_held

    _fill(school, semester, principal, vice_principal, counselors, 10)
    count, response = _measure(client, url)
    assert count == FIGURES_QUERIES
    assert response.context["figures"].factors.meetings_held == 11 * held_before

    count, _response = _measure(client, url, cached=True)
    assert count == CACHED_QUERIES


def test_the_book_counts_cost_the_same_whatever_the_classes(
    client_for, principal, vice_principal, school, semester, counselors
):
    client = client_for(principal)
    url = reverse("supervision:book_overview")
    _fill(school, semester, principal, vice_principal, counselors, 1)
    client.get(url)
    # session, user, roles, the classes with their books counted, the counselors, the
    # active students
    count, _response = _measure(client, url)
    assert count == 6
    _fill(school, semester, principal, vice_principal, counselors, 10)
    count, response = _measure(client, url)
    assert count == 6
    assert len(response.context["classes"]) == 11


def test_the_report_list_costs_the_same_whatever_the_history(
    client_for, principal, school, django_assert_num_queries
):
    client = client_for(principal)
    url = reverse("supervision:report_index")
    client.get(url)
    # session, user, roles, the school's semesters
    with django_assert_num_queries(4):
        client.get(url)
    for start in range(2015, 2025):
        past_semester(school, start, 1)
        past_semester(school, start, 2)
    with django_assert_num_queries(4):
        response = client.get(url)
    assert len(response.context["years"]) == 11


def _other_schools(count: int, scale: int) -> None:
    for _ in range(count):
        school = SchoolFactory()
        semester = SemesterFactory(academic_year__school=school)
        principal = UserFactory(school=school, roles=[Role.PRINCIPAL])
        staff = [UserFactory(school=school, roles=[Role.COUNSELOR]) for _ in range(2)]
        for person in staff:
            appraisal_with_scores(counselor=person, assessor=principal, semester=semester)
        _fill(
            school,
            semester,
            principal,
            UserFactory(school=school, roles=[Role.VICE_PRINCIPAL]),
            staff,
            scale,
        )


def test_the_figures_and_their_cost_are_the_same_beside_other_schools(
    client_for, principal, vice_principal, school, semester, counselors, appraised
):
    client = client_for(principal)
    _fill(school, semester, principal, vice_principal, counselors, 2)
    pages = _pages(semester)
    for url in pages.values():
        client.get(url)
    alone = {name: _measure(client, url) for name, url in pages.items()}
    _other_schools(9, scale=1)
    beside_nine = {name: _measure(client, url) for name, url in pages.items()}
    _other_schools(9, scale=10)
    beside_big_ones = {name: _measure(client, url) for name, url in pages.items()}
    for name in pages:
        counts = [measured[name][0] for measured in (alone, beside_nine, beside_big_ones)]
        assert counts == [FIGURES_QUERIES] * 3, name
        figures = [
            measured[name][1].context["figures"]
            for measured in (alone, beside_nine, beside_big_ones)
        ]
        assert figures[0] == figures[1] == figures[2], name
