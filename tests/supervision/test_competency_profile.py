"""A counselor's competency profile: the latest score per competency and its change, the
category history, the chart of the final score over the semesters with the same numbers in a
table; and the principal's overview."""

import json

import pytest
from django.urls import reverse

from staff.models import Appraisal, Role
from tests.factories import UserFactory, appraisal_with_scores, past_semester

# Some tests reach the database only through request.getfixturevalue; the mark keeps them
# among the database tests, before the transactional ones empty the database.
pytestmark = pytest.mark.django_db


def _semesters(school, count):
    """`count` past semesters before the current one, oldest first."""
    return [past_semester(school, 2000 + number) for number in range(count)]


@pytest.fixture
def history(principal, counselor, school):
    """Three semesters of rising scores: 2 everywhere, then 3, then 3 with competency 17 at 4;
    self-appraisals one step above in the first two."""
    older, previous = _semesters(school, 2)
    current = school.semesters.get(is_current=True)
    appraisal_with_scores(counselor=counselor, assessor=principal, semester=older, default_score=2)
    appraisal_with_scores(
        counselor=counselor, assessor=principal, semester=previous, default_score=3
    )
    appraisal_with_scores(
        counselor=counselor,
        assessor=principal,
        semester=current,
        default_score=3,
        competency_scores={17: 4},
    )
    for semester, score in [(older, 3), (previous, 4)]:
        appraisal_with_scores(
            counselor=counselor,
            assessor=counselor,
            semester=semester,
            kind=Appraisal.Kind.SELF,
            default_score=score,
        )
    return older, previous, current


def _profile(counselor) -> str:
    return reverse("supervision:competency_profile", args=[counselor.pk])


def test_the_latest_score_per_competency_and_its_change(client_for, principal, counselor, history):
    response = client_for(principal).get(_profile(counselor))
    profile = response.context["profile"]
    rows = {row.competency.number: row for row in profile.rows}
    assert len(rows) == 17
    assert (rows[17].score, rows[17].previous_score, rows[17].change) == (4, 3, 1)
    assert (rows[1].score, rows[1].previous_score, rows[1].change) == (3, 3, 0)
    assert rows[1].self_score == 4
    assert profile.latest.semester == history[2]
    assert profile.previous.semester == history[1]
    assert str(profile.final_score_change) == "1.47"  # 52/68 − 51/68


def test_the_category_history_and_the_chart_carry_the_same_numbers(
    client_for, principal, counselor, history
):
    response = client_for(principal).get(_profile(counselor))
    html = response.content.decode()
    data = json.loads(
        html.split('id="competency-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["labels"] == [str(semester) for semester in history]
    principal, own = data["series"]
    assert (principal["label"], principal["values"]) == (
        "Penilaian kepala sekolah",
        [50, 75, 76.47],
    )
    assert (own["label"], own["values"]) == ("Penilaian diri", [75.0, 100.0, None])
    table = html.split('data-testid="history"')[1].split("</table>")[0]
    for shown in ["50,00", "75,00", "76,47", "100,00"]:
        assert shown in table
    for category in ["Kurang", "Cukup", "Baik", "Amat Baik"]:
        assert category in table
    assert "vendor/chartjs/chart.umd.min.js" in html and "js/charts.js" in html


def test_a_counselor_without_appraisals_sees_an_explanation(client_for, counselor):
    response = client_for(counselor).get(_profile(counselor))
    assert response.status_code == 200
    assert response.context["profile"].rows == []
    assert "competency-chart" not in response.content.decode()


def test_a_counselor_opening_competency_lands_on_the_own_profile(client_for, counselor):
    response = client_for(counselor).get(reverse("supervision:competency_overview"))
    assert response["Location"] == _profile(counselor)


def test_the_principal_overview_shows_each_counselor_latest_and_change(
    client_for, principal, counselor, history, school
):
    newcomer = UserFactory(school=school, roles=[Role.COUNSELOR], full_name="Zulfa")
    response = client_for(principal).get(reverse("supervision:competency_overview"))
    rows = {row["counselor"]: row for row in response.context["rows"]}
    assert rows[counselor]["latest"].semester == history[2]
    assert str(rows[counselor]["change"]) == "1.47"
    assert rows[newcomer]["latest"] is None


def test_profile_query_count_does_not_grow(
    client_for, principal, counselor, school, django_assert_num_queries
):
    client = client_for(principal)
    semesters = _semesters(school, 12)
    for semester in semesters[:2]:
        appraisal_with_scores(counselor=counselor, assessor=principal, semester=semester)
    client.get(_profile(counselor))
    # session, user, roles; the counselor; the finalised appraisals with their semesters;
    # the competency results of the latest two and the latest self-appraisal
    with django_assert_num_queries(6):
        client.get(_profile(counselor))
    for semester in semesters[2:]:
        appraisal_with_scores(counselor=counselor, assessor=principal, semester=semester)
        appraisal_with_scores(
            counselor=counselor, assessor=counselor, semester=semester, kind=Appraisal.Kind.SELF
        )
    with django_assert_num_queries(6):
        response = client.get(_profile(counselor))
    assert len(response.context["profile"].history) == 12


def test_overview_query_count_does_not_grow(
    client_for, principal, school, django_assert_num_queries
):

    client = client_for(principal)
    semesters = _semesters(school, 3)

    def appraise(count):
        for _ in range(count):
            person = UserFactory(school=school, roles=[Role.COUNSELOR])
            for semester in semesters:
                appraisal_with_scores(counselor=person, assessor=principal, semester=semester)

    appraise(1)
    # session, user, roles; the finalised appraisals of the school; the counselors; the
    # current semester
    with django_assert_num_queries(6):
        client.get(reverse("supervision:competency_overview"))
    appraise(6)
    with django_assert_num_queries(6):
        client.get(reverse("supervision:competency_overview"))
