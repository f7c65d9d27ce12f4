"""The principal's dashboard counts what the school recorded: every number equals a count made
here from the records the test created (tests/supervision/dashboard_setup.py), the heatmap
shows a crafted set of appraisals, each number leads to a list that holds as many records,
and the figures follow the school's changes at once (the cache is dropped)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import Meeting
from tests.factories import MeetingFactory, appraisal_with_scores, past_semester
from tests.supervision.conftest import local
from tests.supervision.dashboard_setup import fill_semester

DASHBOARD = reverse("supervision:dashboard")


@pytest.fixture
def ledger(school, semester, principal, vice_principal, counselors):
    return fill_semester(
        school,
        semester,
        principal=principal,
        vice_principal=vice_principal,
        counselors=counselors,
        scale=3,
    )


def _figures(client, **params):
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    return response, response.context["figures"]


def test_the_efforts_equal_the_records(client_for, principal, counselors, ledger):
    response, figures = _figures(client_for(principal))
    efforts = figures.efforts
    for kind in Meeting.Kind.values:
        held = sum(1 for k, was_held, _h in ledger.meetings if k == kind and was_held)
        assert efforts.meetings[kind] == held, kind
    for stage in set(ledger.visits):
        assert efforts.visits[stage] == ledger.visits.count(stage)
    for row in efforts.counselors:
        own = [attendance for pk, attendance in ledger.mgbk if pk == row.counselor_id]
        assert (row.mgbk_present, row.mgbk_recorded) == (own.count("present"), len(own))
        delegated = [hours for pk, hours in ledger.delegations if pk == row.counselor_id]
        assert (row.delegations, row.hours) == (len(delegated), sum(delegated))
    hours = [row.hours for row in efforts.counselors]
    assert efforts.hours_spread.spread == max(hours) - min(hours)
    html = response.content.decode()
    assert "Selisih (terbanyak − tersedikit)" in html


def test_the_factors_equal_the_records(client_for, principal, counselors, ledger):
    _response, figures = _figures(client_for(principal))
    factors = figures.factors
    assert factors.compliance == ledger.compliance
    assert factors.previous_compliance is None
    limited = [seats for seats in ledger.seats if seats is not None]
    assert (factors.seats.events, factors.seats.seats) == (len(ledger.seats), sum(limited))
    assert factors.seats.unlimited == ledger.seats.count(None)
    assert factors.counselor_count == len(counselors)
    held = [hours for _kind, was_held, hours in ledger.meetings if was_held]
    assert factors.meetings_held == len(held)
    assert factors.meeting_hours == round(sum(held), 1)
    assert factors.overdue_items == ledger.overdue


def test_the_outcomes_equal_the_records(client_for, principal, counselors, ledger):
    _response, figures = _figures(client_for(principal))
    outcomes = figures.outcomes
    for partner, counts in outcomes.collaboration.items():
        expected = [day.replace(day=1) for day, kind in ledger.collaboration if kind == partner]
        for month, count in zip(outcomes.months, counts, strict=True):
            assert count == expected.count(month), (partner, month)
    assert outcomes.collaboration_total == len(ledger.collaboration)
    assert outcomes.cases.total == len(ledger.cases)
    assert outcomes.cases.multi_session == sum(1 for sessions, _s in ledger.cases if sessions >= 2)
    assert outcomes.resolved == sum(1 for _n, status in ledger.cases if status == "resolved")
    for row in outcomes.caseloads:
        books = [value for pk, value in ledger.books if pk == row.counselor_id]
        assert (row.students, row.completeness_total) == (len(books), sum(books))
        assert row.complete_enough == sum(1 for value in books if value >= 60)
    assert outcomes.students == len(ledger.books)
    assert outcomes.counselors_needed == 1


@pytest.fixture
def appraisals(principal, counselors, school, semester):
    """Two semesters of crafted principal's appraisals: the first counselor rises in
    competencies 1 and 17, the second is appraised only in the earlier semester."""
    earlier = past_semester(school, 2025, 2)
    first, second = counselors
    appraisal_with_scores(
        counselor=first, assessor=principal, semester=earlier, competency_scores={1: 1, 17: 2}
    )
    appraisal_with_scores(counselor=second, assessor=principal, semester=earlier, default_score=2)
    latest = appraisal_with_scores(
        counselor=first,
        assessor=principal,
        semester=semester,
        competency_scores={1: 4, 17: 4, 5: 2},
    )
    # A self-appraisal and a draft never count.
    appraisal_with_scores(
        counselor=first, assessor=first, semester=semester, kind="self", default_score=4
    )
    return earlier, latest


def test_the_heatmap_shows_the_latest_appraisals_and_their_change(
    client_for, principal, counselors, semester, appraisals
):
    earlier, latest = appraisals
    first, second = counselors
    response, figures = _figures(client_for(principal))
    competency = figures.competency
    assert [column.number for column in competency.columns] == list(range(1, 18))
    rows = {row.counselor_id: row for row in competency.rows}
    mine = rows[first.pk]
    assert mine.scores == (4, 3, 3, 3, 2, *([3] * 11), 4)
    # 4 + 4 + 2 + 14 × 3 = 52 of 68, before 1 + 2 + 15 × 3 = 48 of 68.
    assert mine.final_score == Decimal("76.47") and mine.category == "good"
    assert mine.change == Decimal("5.88")
    assert mine.appraised_in.pk == semester.pk
    theirs = rows[second.pk]
    assert theirs.scores == (2,) * 17 and theirs.final_score == Decimal("50.00")
    assert theirs.appraised_in.pk == earlier.pk and theirs.change is None
    assert not theirs.appraised_again
    assert competency.appraised_in_period == 1
    assert competency.column_averages[0] == Decimal("3.00")
    assert competency.average == Decimal("63.24")
    assert competency.previous_average == Decimal("60.30")
    assert [average for _semester, average in competency.history] == [
        Decimal("60.30"),
        Decimal("76.47"),
    ]

    html = response.content.decode()
    table = html.split('data-testid="heatmap"')[1].split("</table>")[0]
    row = table.split(first.full_name)[1].split("</tr>")[0]
    assert row.count('class="heat-4"') == 2 and row.count('class="heat-2"') == 1
    assert reverse("supervision:appraisal_detail", args=[latest.pk]) in row
    assert "76,47" in row and "Baik" in row and "+5,88" in row
    other = table.split(second.full_name)[1].split("</tr>")[0]
    assert other.count('class="heat-2"') == 17
    assert f"dinilai pada {earlier}" in other and "tidak dinilai lagi" in other
    legend = html.split('data-testid="heatmap-legend"')[1].split("</dl>")[0]
    assert "sampai 25% dari poin indikator" in legend and "di atas 75%" in legend


def test_a_semester_without_appraisals_yet_shows_the_latest_and_no_change(
    client_for, principal, counselors, school, semester
):
    earlier = past_semester(school, 2025, 2)
    appraisal_with_scores(counselor=counselors[0], assessor=principal, semester=earlier)
    response, figures = _figures(client_for(principal))
    competency = figures.competency
    assert competency.appraised_in_period == 0
    assert competency.average == Decimal("75.00") and competency.change is None
    assert "Belum ada penilaian kepala sekolah yang difinalisasi pada semester ini" in (
        response.content.decode()
    )


def test_each_number_leads_to_a_list_holding_as_many_records(
    client_for, principal, counselors, ledger
):
    client = client_for(principal)
    response, figures = _figures(client)
    links = response.context["links"]

    def listed(url, key="page"):
        shown = client.get(url).context[key]
        if key == "days":
            return sum(len(day.meetings) for day in shown)
        return shown.paginator.count if hasattr(shown, "paginator") else len(shown)

    for kind, count in figures.efforts.meetings.items():
        assert listed(links.meetings(kind), "days") == count, kind
    for stage, count in figures.efforts.visits.items():
        assert listed(links.visits(stage), "visits") == count, stage
    outcomes = figures.outcomes
    assert listed(links.all_cases) == outcomes.cases.total
    assert listed(links.multi_session_cases) == outcomes.cases.multi_session
    for status, count in outcomes.cases.by_status.items():
        assert listed(links.cases(status=status)) == count
    assert listed(links.all_collaboration) == outcomes.collaboration_total
    for partner, counts in outcomes.collaboration.items():
        assert listed(links.collaboration(partner)) == sum(counts)
        for month, count in zip(outcomes.months, counts, strict=True):
            assert listed(links.collaboration(partner, month)) == count
    assert listed(links.overdue_items, "items") == figures.factors.overdue_items
    trainings = client.get(links.trainings()).context["page"].paginator.count
    assert trainings == figures.factors.seats.events
    efforts = figures.efforts
    summary = client.get(links.training_summary(efforts.window_since, efforts.window_until))
    rows = {row.counselor.pk: row for row in summary.context["rows"]}
    mgbk = client.get(links.training_summary(efforts.mgbk_since, efforts.mgbk_until))
    mgbk_rows = {row.counselor.pk: row.mgbk for row in mgbk.context["rows"]}
    for row in efforts.counselors:
        shown = rows[row.counselor_id]
        assert (shown.hours, shown.delegations) == (row.hours, row.delegations)
        assert (mgbk_rows[row.counselor_id].present, mgbk_rows[row.counselor_id].recorded) == (
            row.mgbk_present,
            row.mgbk_recorded,
        )
    html = response.content.decode()
    for url in [links.multi_session_cases, links.overdue_items, links.trainings()]:
        assert url.replace("&", "&amp;") in html


def test_the_figures_follow_a_change_at_once(client_for, principal, vice_principal, semester):
    client = client_for(principal)
    _response, figures = _figures(client)
    assert figures.efforts.meetings["coaching"] == 0
    day = semester.start_date + datetime.timedelta(days=10)
    MeetingFactory(
        organizer=vice_principal,
        kind=Meeting.Kind.COACHING,
        starts_at=local(day, 9),
        minutes_recorded_at=timezone.now(),
    )
    _response, figures = _figures(client)
    assert figures.efforts.meetings["coaching"] == 1


def test_the_semester_switcher_offers_the_schools_begun_semesters(
    client_for, principal, school, semester, other_school
):
    earlier = past_semester(school, 2025, 2)
    client = client_for(principal)
    response = client.get(DASHBOARD)
    assert response.context["period"].pk == semester.pk
    assert [option.pk for option in response.context["semesters"]] == [semester.pk, earlier.pk]
    response = client.get(DASHBOARD, {"semester": earlier.pk})
    assert response.context["period"].pk == earlier.pk
    assert response.context["period"].previous is None
    foreign = other_school.semesters.get()
    for wanted in [foreign.pk, "x", 99999]:
        assert client.get(DASHBOARD, {"semester": wanted}).status_code == 404


def test_a_school_whose_first_semester_has_not_begun_is_told_so(client_for, principal, semester):
    semester.start_date = timezone.localdate() + datetime.timedelta(days=30)
    semester.end_date = semester.start_date + datetime.timedelta(days=150)
    semester.save()
    client = client_for(principal)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["period"] is None
    assert "Sekolah belum memiliki semester yang sudah dimulai." in response.content.decode()
    assert client.get(DASHBOARD, {"semester": semester.pk}).status_code == 404
    report = reverse("supervision:report_semester", args=[semester.pk])
    assert client.get(report).status_code == 404
