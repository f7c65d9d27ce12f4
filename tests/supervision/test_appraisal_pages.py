"""The appraisal pages as the principal and the counselor use them: the list, starting, the
scoring form with its subtotals, finalising, acknowledging, print, PDF, side by side."""

import re

import pytest
from django.urls import reverse

from counseling.pdf import load_weasyprint
from staff.appraisals import saved_scores
from staff.models import AccessLogEntry, Appraisal, Indicator, Role
from supervision.forms import indicator_field_name
from tests.factories import UserFactory, appraisal_with_scores

# Some tests reach the database only through request.getfixturevalue; the mark keeps them
# among the database tests, before the transactional ones empty the database.
pytestmark = pytest.mark.django_db


def _edit(appraisal) -> str:
    return reverse("supervision:appraisal_edit", args=[appraisal.pk])


def _detail(appraisal) -> str:
    return reverse("supervision:appraisal_detail", args=[appraisal.pk])


def _form_data(appraisal, value, *, version=None, notes="", **extra) -> dict:
    """Every indicator scored `value` ("" leaves it unscored)."""
    data = {
        indicator_field_name(pk): "" if value is None else str(value)
        for pk in saved_scores(appraisal)
    }
    data.update(version=appraisal.version if version is None else version, notes=notes, **extra)
    return data


@pytest.fixture
def draft(client_for, principal, counselor, semester):
    response = client_for(principal).post(
        reverse("supervision:appraisal_start"),
        {"counselor": counselor.pk, "semester": semester.pk},
    )
    appraisal = Appraisal.objects.get()
    assert response["Location"] == _edit(appraisal)
    return appraisal


# The list


def test_the_principal_lists_every_counselor_with_their_appraisals(
    client_for, principal, counselor, other_counselor, finalised, semester
):
    response = client_for(principal).get(reverse("supervision:appraisal_list"))
    rows = {row[0]: row for row in response.context["rows"]}
    assert set(rows) == {counselor, other_counselor}
    assert rows[counselor][1] == finalised and rows[counselor][2] is None
    assert rows[other_counselor][1] is None
    html = response.content.decode()
    assert "Start appraisal" in html or "Mulai penilaian" in html


def test_the_counselor_lists_own_appraisals_and_may_appraise_themselves(
    client_for, counselor, finalised
):
    response = client_for(counselor).get(reverse("supervision:appraisal_list"))
    assert list(response.context["own"]) == [finalised]
    assert response.context["may_self_appraise"] is True
    assert "rows" not in response.context


def test_a_counselor_starts_a_self_appraisal(client_for, counselor, semester):
    response = client_for(counselor).post(
        reverse("supervision:appraisal_start"),
        {"counselor": counselor.pk, "semester": semester.pk},
    )
    own = Appraisal.objects.get()
    assert (own.kind, own.assessor, response["Location"]) == (
        Appraisal.Kind.SELF,
        counselor,
        _edit(own),
    )


def test_starting_twice_opens_the_one_there(client_for, principal, counselor, semester, draft):
    response = client_for(principal).post(
        reverse("supervision:appraisal_start"),
        {"counselor": counselor.pk, "semester": semester.pk},
    )
    assert response["Location"] == _detail(draft)
    assert Appraisal.objects.count() == 1


def test_starting_with_nonsense_is_explained(client_for, principal):
    response = client_for(principal).post(
        reverse("supervision:appraisal_start"), {"counselor": "abc", "semester": ""}, follow=True
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert not Appraisal.objects.exists()


# The scoring form


def test_the_form_lists_the_indicators_grouped_by_area_and_competency(client_for, principal, draft):
    response = client_for(principal).get(_edit(draft))
    sheet = response.context["sheet"]
    assert [area.area.letter for area in sheet.areas] == ["A", "B", "C", "D"]
    assert [len(area.competencies) for area in sheet.areas] == [3, 4, 3, 7]
    assert sheet.indicator_count == 76 and sheet.scored == 0
    html = response.content.decode()
    assert html.count("data-competency ") == 17
    assert html.count('role="group"') == 76
    for value in ["0", "1", "2"]:
        assert f'value="{value}" data-score' in html
    assert "Menguasai ilmu pendidikan dan landasan keilmuannya" in html
    assert html.count('data-testid="evidence-') == 17
    assert 'id="appraisal-rules"' in html


def test_saving_a_draft_shows_subtotals_of_the_competencies_complete(client_for, principal, draft):
    client = client_for(principal)
    first = Indicator.objects.filter(competency__framework=draft.framework, competency__number=1)
    data = _form_data(draft, None)
    for indicator, value in zip(first.order_by("number"), [2, 1, 0], strict=True):
        data[indicator_field_name(indicator.pk)] = str(value)
    response = client.post(_edit(draft), data)
    assert response.status_code == 302 and response["Location"] == _edit(draft)
    page = client.get(_edit(draft))
    line = page.context["sheet"].competencies[0]
    assert (line.total, line.maximum, str(line.percentage), line.result.score) == (3, 6, "50.00", 2)
    assert page.context["sheet"].result is None
    draft.refresh_from_db()
    assert draft.is_draft and draft.version == 1


def test_saving_and_finalising_in_one_go(client_for, principal, draft):
    response = client_for(principal).post(
        _edit(draft), _form_data(draft, 2, finalise="1", notes="Pertahankan.")
    )
    assert response["Location"] == _detail(draft)
    draft.refresh_from_db()
    assert draft.status == Appraisal.Status.FINALISED
    assert (draft.total_score, str(draft.final_score), draft.category) == (
        68,
        "100.00",
        "very_good",
    )
    assert draft.notes == "Pertahankan."


def test_finalising_with_gaps_saves_the_draft_and_says_what_is_missing(
    client_for, principal, draft
):
    data = _form_data(draft, 1, finalise="1")
    data[indicator_field_name(next(iter(saved_scores(draft))))] = ""
    response = client_for(principal).post(_edit(draft), data, follow=True)
    draft.refresh_from_db()
    assert draft.is_draft
    assert sum(1 for value in saved_scores(draft).values() if value is not None) == 75
    assert any("1" in str(message) for message in response.context["messages"])


@pytest.mark.parametrize("bad", ["3", "-1", "dua"])
def test_a_score_other_than_0_1_2_is_refused_with_a_message(client_for, principal, draft, bad):
    data = _form_data(draft, 1)
    field = indicator_field_name(next(iter(saved_scores(draft))))
    data[field] = bad
    response = client_for(principal).post(_edit(draft), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert all(value is None for value in saved_scores(draft).values())


def test_a_missing_version_is_refused_without_a_server_error(client_for, principal, draft):
    data = _form_data(draft, 1)
    del data["version"]
    response = client_for(principal).post(_edit(draft), data)
    assert response.status_code == 200
    assert "version" in response.context["form"].errors
    assert "Formulir kembali tidak lengkap" in response.content.decode()


def test_two_people_saving_the_same_draft_lose_nothing(client_for, principal, draft, school):
    """A second principal's form (or a second tab) opened at the same version."""
    second = UserFactory(school=school, roles=[Role.PRINCIPAL])
    client_for(principal).post(_edit(draft), _form_data(draft, 2, version=0))
    response = client_for(second).post(_edit(draft), _form_data(draft, 0, version=0))
    assert response.status_code == 409
    assert set(saved_scores(draft).values()) == {2}
    assert len(response.context["differences"]) == 76
    # The form keeps what the second person entered, against the saved version.
    form = response.context["form"]
    assert form.data["version"] == "1"
    assert form.data[indicator_field_name(next(iter(saved_scores(draft))))] == "0"


def test_a_finalised_appraisal_cannot_be_edited_on_its_page(client_for, principal, finalised):
    client = client_for(principal)
    before = saved_scores(finalised)
    assert client.get(_edit(finalised))["Location"] == _detail(finalised)
    response = client.post(_edit(finalised), _form_data(finalised, 0))
    assert response["Location"] == _detail(finalised)
    response = client.post(
        reverse("supervision:appraisal_finalise", args=[finalised.pk]),
        {"version": finalised.version},
    )
    assert response["Location"] == _detail(finalised)
    finalised.refresh_from_db()
    assert saved_scores(finalised) == before
    assert finalised.results.count() == 17
    html = client.get(_detail(finalised)).content.decode()
    assert _edit(finalised) not in html


def test_finalise_from_the_detail_page(client_for, principal, draft):
    from staff.appraisals import appraisal_save

    appraisal_save(
        appraisal=draft,
        user=principal,
        version=draft.version,
        scores=dict.fromkeys(saved_scores(draft), 1),
        notes="",
    )
    response = client_for(principal).post(
        reverse("supervision:appraisal_finalise", args=[draft.pk]), {"version": draft.version}
    )
    assert response["Location"] == _detail(draft)
    draft.refresh_from_db()
    assert draft.status == Appraisal.Status.FINALISED and draft.category == "poor"


# Acknowledging


def test_the_counselor_acknowledges_with_a_comment_the_principal_then_reads(
    client_for, counselor, principal, finalised
):
    client = client_for(counselor)
    page = client.get(_detail(finalised))
    assert page.context["may_acknowledge"]
    assert 'data-testid="acknowledge"' in page.content.decode()
    response = client.post(
        reverse("supervision:appraisal_acknowledge", args=[finalised.pk]),
        {"counselor_comment": "Terima kasih, saya akan memperbaiki AKPD."},
    )
    assert response["Location"] == _detail(finalised)
    finalised.refresh_from_db()
    assert finalised.status == Appraisal.Status.ACKNOWLEDGED
    html = client_for(principal).get(_detail(finalised)).content.decode()
    assert "Terima kasih, saya akan memperbaiki AKPD." in html
    again = client.post(
        reverse("supervision:appraisal_acknowledge", args=[finalised.pk]),
        {"counselor_comment": "lagi"},
    )
    assert again.status_code == 302
    finalised.refresh_from_db()
    assert finalised.counselor_comment == "Terima kasih, saya akan memperbaiki AKPD."


def test_acknowledging_without_a_comment(client_for, counselor, finalised):
    client_for(counselor).post(reverse("supervision:appraisal_acknowledge", args=[finalised.pk]))
    finalised.refresh_from_db()
    assert finalised.status == Appraisal.Status.ACKNOWLEDGED and finalised.counselor_comment == ""


# Print, PDF, side by side


def test_the_print_view_lays_out_every_indicator_with_signatures(client_for, counselor, finalised):
    response = client_for(counselor).get(
        reverse("supervision:appraisal_print", args=[finalised.pk])
    )
    html = response.content.decode()
    assert html.count('class="print-number"') >= 76
    assert "print-signatures" in html
    assert finalised.counselor.full_name in html and finalised.assessor.full_name in html
    assert "<script>" not in html and "style=" not in html


def test_the_pdf_is_an_export_written_to_the_access_log(client_for, principal, finalised):
    response = client_for(principal).get(reverse("supervision:appraisal_pdf", args=[finalised.pk]))
    if load_weasyprint() is None:
        assert response.status_code == 503
        return
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.EXPORT)
    assert (entry.user, entry.object_id) == (principal, str(finalised.pk))


def test_without_weasyprint_the_pdf_link_explains_what_to_install(client_for, principal, finalised):
    from unittest import mock

    from counseling import pdf

    with mock.patch.object(pdf, "import_weasyprint", side_effect=ImportError("x")):
        response = client_for(principal).get(
            reverse("supervision:appraisal_pdf", args=[finalised.pk])
        )
    assert response.status_code == 503
    html = response.content.decode()
    assert "libpango-1.0-0" in html
    assert reverse("supervision:appraisal_print", args=[finalised.pk]) in html
    assert not AccessLogEntry.objects.exists()


def test_self_appraisal_and_principals_side_by_side(client_for, principal, counselor, semester):
    theirs = appraisal_with_scores(
        counselor=counselor, assessor=principal, semester=semester, competency_scores={11: 2}
    )
    appraisal_with_scores(
        counselor=counselor,
        assessor=counselor,
        semester=semester,
        kind=Appraisal.Kind.SELF,
        competency_scores={11: 4},
    )
    response = client_for(principal).get(reverse("supervision:appraisal_compare", args=[theirs.pk]))
    rows = {row["competency"].number: row for row in response.context["rows"]}
    assert len(rows) == 17
    assert rows[11]["difference"] == 2 and rows[1]["difference"] == 0
    html = response.content.decode()
    assert 'data-testid="self-final"' in html and 'data-testid="principal-final"' in html


def test_side_by_side_without_a_counterpart_says_so(client_for, principal, finalised):
    response = client_for(principal).get(
        reverse("supervision:appraisal_compare", args=[finalised.pk])
    )
    assert response.context["self_appraisal"] is None
    assert all(row["difference"] is None for row in response.context["rows"])


# Query counts


def _record_evidence(counselor, school, count):
    """Sessions, collaboration and training of the semester: evidence for the panel."""
    from datetime import date, datetime, timedelta, timezone

    from staff.models import TrainingEvent, TrainingParticipation
    from tests.factories import (
        CollaborationFactory,
        CounselingSessionFactory,
        TrainingEventFactory,
        TrainingParticipationFactory,
    )

    zone = timezone(timedelta(hours=7))
    for number in range(count):
        CounselingSessionFactory(
            counselor=counselor,
            starts_at=datetime(2026, 8, 3, 9, tzinfo=zone) + timedelta(days=number),
        )
        CollaborationFactory(counselor=counselor, happened_on=date(2026, 8, 4))
        event = TrainingEventFactory(
            school=school, starts_on=date(2026, 8, 5) + timedelta(days=number), competencies=[12]
        )
        TrainingParticipationFactory(
            event=event, counselor=counselor, attendance=TrainingParticipation.Attendance.PRESENT
        )
        meeting = TrainingEventFactory(
            school=school, kind=TrainingEvent.Kind.MGBK, seats=None, starts_on=date(2026, 8, 8)
        )
        TrainingParticipationFactory(
            event=meeting, counselor=counselor, attendance=TrainingParticipation.Attendance.PRESENT
        )
        _supervision_evidence(counselor, school, day=date(2026, 8, 10) + timedelta(days=number))


def _supervision_evidence(counselor, school, *, day):
    """An observed supervision visit with its scores, and an action item naming a competency."""
    from supervision.models import ChecklistItem, SupervisionScore, SupervisionVisit
    from tests.factories import ActionItemFactory, framework_competencies

    principal = UserFactory(school=school, roles=[Role.PRINCIPAL])
    visit = SupervisionVisit.objects.create(
        school=school,
        semester=school.semesters.get(is_current=True),
        counselor=counselor,
        supervisor=principal,
        focus=SupervisionVisit.Focus.PERSONAL_BOOKS,
        stage=SupervisionVisit.Stage.OBSERVED,
        planned_on=day,
        observed_on=day,
    )
    SupervisionScore.objects.bulk_create(
        SupervisionScore(visit=visit, item=item, score=3)
        for item in ChecklistItem.objects.filter(focus=visit.focus)
    )
    ActionItemFactory(
        meeting=None,
        school=school,
        assignee=counselor,
        created_by=principal,
        due_on=day,
        competency=framework_competencies([13])[0],
    )


def test_appraisal_form_query_count_does_not_grow(
    client_for, principal, counselor, school, draft, django_assert_num_queries
):
    client = client_for(principal)
    _record_evidence(counselor, school, 2)
    client.get(_edit(draft))
    # session, user with school, roles; the appraisal with counselor, assessor, semester,
    # framework; the framework's indicators with competencies and areas; the saved scores;
    # evidence: sessions by strategy, cases over two sessions, collaboration by partner,
    # MGBK attendance, trainings attended and their competencies, supervision visits with their
    # average scores, action items naming a competency
    with django_assert_num_queries(14):
        client.get(_edit(draft))
    _record_evidence(counselor, school, 20)
    with django_assert_num_queries(14):
        response = client.get(_edit(draft))
    assert response.context["evidence"][12]
    # The visits (personal books: competency 11) and the action items (competency 13) show.
    assert any("/supervision/visits/" in row.url for row in response.context["evidence"][11])
    assert len(response.context["evidence"][13]) == 22


def test_appraisal_page_query_count_does_not_grow(
    client_for, principal, counselor, school, finalised, django_assert_num_queries
):
    client = client_for(principal)
    _record_evidence(counselor, school, 2)
    client.get(_detail(finalised))
    # session, user, roles; the appraisal; its indicators and scores; the evidence (eight);
    # its counterpart
    with django_assert_num_queries(15):
        client.get(_detail(finalised))
    _record_evidence(counselor, school, 20)
    with django_assert_num_queries(15):
        client.get(_detail(finalised))


def test_appraisal_list_query_count_does_not_grow(
    client_for, principal, school, semester, django_assert_num_queries
):

    client = client_for(principal)

    def appraise(count):
        for _ in range(count):
            person = UserFactory(school=school, roles=[Role.COUNSELOR])
            appraisal_with_scores(counselor=person, assessor=principal, semester=semester)

    appraise(2)
    # session, user, roles; the school's semesters; its counselors; the semester's appraisals
    with django_assert_num_queries(6):
        client.get(reverse("supervision:appraisal_list"))
    appraise(10)
    with django_assert_num_queries(6):
        response = client.get(reverse("supervision:appraisal_list"))
    assert len(response.context["rows"]) == 12


def test_the_menu_offers_appraisals_to_the_principal_and_counselors_only(client_for, request):
    for person, offered in [
        ("principal", True),
        ("counselor", True),
        ("vice_principal", False),
        ("admin_staff", False),
    ]:
        html = client_for(request.getfixturevalue(person)).get(reverse("home")).content.decode()
        assert bool(re.search(r'href="/supervision/appraisals/"', html)) == offered, person


def test_the_home_page_asks_the_counselor_to_acknowledge(client_for, counselor, finalised):
    client = client_for(counselor)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="to-acknowledge"' in html
    assert _detail(finalised) in html
    client.post(reverse("supervision:appraisal_acknowledge", args=[finalised.pk]))
    assert 'data-testid="to-acknowledge"' not in client.get(reverse("home")).content.decode()


def test_the_home_page_shows_no_draft_to_the_counselor(
    client_for, other_counselor, principal_draft
):
    html = client_for(other_counselor).get(reverse("home")).content.decode()
    assert 'data-testid="to-acknowledge"' not in html


def test_a_semester_not_begun_is_not_offered_nor_accepted(client_for, principal, counselor, school):
    from tests.factories import SemesterFactory

    later = SemesterFactory(
        academic_year=school.academic_years.get(),
        number=2,
        start_date="2099-01-01",
        end_date="2099-06-30",
        is_current=False,
    )
    client = client_for(principal)
    response = client.get(reverse("supervision:appraisal_list"))
    assert later not in response.context["semesters"]
    client.post(
        reverse("supervision:appraisal_start"), {"counselor": counselor.pk, "semester": later.pk}
    )
    assert not Appraisal.objects.exists()


def test_the_detail_page_offers_finalising_once_every_indicator_is_scored(
    client_for, principal, draft
):
    from staff.appraisals import appraisal_save

    client = client_for(principal)
    html = client.get(_detail(draft)).content.decode()
    assert 'data-testid="finalise"' in html
    assert reverse("supervision:appraisal_finalise", args=[draft.pk]) not in html
    appraisal_save(
        appraisal=draft,
        user=principal,
        version=draft.version,
        scores=dict.fromkeys(saved_scores(draft), 2),
        notes="",
    )
    html = client.get(_detail(draft)).content.decode()
    assert reverse("supervision:appraisal_finalise", args=[draft.pk]) in html


def test_the_appraisal_pages_keep_to_the_strict_csp(client_for, principal, counselor, draft):
    """No inline script or style: the form's script and the chart's come from static files,
    their data through json_script."""
    finalised = appraisal_with_scores(
        counselor=counselor, assessor=counselor, semester=draft.semester, kind=Appraisal.Kind.SELF
    )
    client = client_for(principal)
    pages = [
        reverse("supervision:appraisal_list"),
        _edit(draft),
        _detail(finalised),
        reverse("supervision:appraisal_compare", args=[finalised.pk]),
        reverse("supervision:competency_overview"),
        reverse("supervision:competency_profile", args=[counselor.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>" not in html and "style=" not in html, url
        for script in re.findall(r"<script[^>]*>", html):
            assert "src=" in script or 'type="application/json"' in script, (url, script)
