"""Cases: opening, the list, the case page, editing, status transitions and the archive; and
the timeline of a student's page."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from counseling import urls as counseling_urls
from counseling.cases import TIMELINE_LIMIT, case_open, case_transition
from counseling.models import BKField, Case, Collaboration, Student
from staff.models import AccessLogEntry, Role
from tests.counseling.cases_setup import CASE_READERS, NO_CASE_ROLES, NOTES, OTHER_SCHOOL, at
from tests.factories import (
    CaseFactory,
    CollaborationFactory,
    CounselingSessionFactory,
    StudentFactory,
    UserFactory,
)

CASE_LIST = reverse("counseling:case_list")


def _detail(case) -> str:
    return reverse("counseling:case_detail", args=[case.pk])


def _transition(case) -> str:
    return reverse("counseling:case_transition", args=[case.pk])


def _edit(case) -> str:
    return reverse("counseling:case_edit", args=[case.pk])


def _archive(case) -> str:
    return reverse("counseling:case_archive", args=[case.pk])


def _case_form(case, **overrides) -> dict:
    data = {
        "field": case.field,
        "category": case.category,
        "source": case.source,
        "counselor": case.counselor_id,
        "co_handlers": [user.pk for user in case.co_handlers.all()],
        "summary": case.summary,
        "version": case.version,
    }
    data.update(overrides)
    return data


def _in_indonesian(text) -> str:
    """A label or message as the pages show it (Indonesian is the site's language)."""
    with translation.override("id"):
        return str(text)


def _notes_reads(user) -> list[str]:
    return list(
        AccessLogEntry.objects.filter(
            user=user, action=AccessLogEntry.Action.VIEW_SESSION_NOTES
        ).values_list("object_id", flat=True)
    )


# Opening a case


def test_counselor_opens_a_case_for_a_student_and_is_responsible_by_default(
    client_for, counselor, co_handler, student
):
    client = client_for(counselor)
    url = reverse("counseling:case_create", args=[student.pk])
    form = client.get(url).context["form"]
    assert form.initial["counselor"] == counselor
    response = client.post(
        url,
        {
            "field": BKField.SOCIAL,
            "category": Case.Category.BULLYING,
            "source": Case.Source.SELF,
            "counselor": counselor.pk,
            "co_handlers": [co_handler.pk],
            "summary": "Diejek teman sekelas.",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(case)
    assert (case.school, case.student, case.counselor, case.created_by) == (
        student.school,
        student,
        counselor,
        counselor,
    )
    assert (case.status, case.opened_on, case.category) == (
        Case.Status.NEW,
        timezone.localdate(),
        Case.Category.BULLYING,
    )
    assert list(case.co_handlers.all()) == [co_handler]


def _open_case_form(counselor, **overrides) -> dict:
    return {
        "field": BKField.PERSONAL,
        "category": Case.Category.FAMILY,
        "source": Case.Source.SELF,
        "counselor": counselor.pk,
        "summary": "Masalah di rumah lagi.",
        **overrides,
    }


def test_a_second_open_case_of_the_same_category_is_refused_with_a_link_to_the_first(
    client_for, other_counselor, case, student
):
    # `case` is the student's open family case, handled by others.
    url = reverse("counseling:case_create", args=[student.pk])
    response = client_for(other_counselor).post(url, _open_case_form(other_counselor))
    assert response.status_code == 200
    assert list(Case.objects.all()) == [case]
    assert response.context["form"].errors == {
        "category": [
            "Ayu Lestari sudah memiliki kasus terbuka dengan kategori ini (dibuka 1 September "
            "2026). Lanjutkan kasus itu daripada membuka kasus baru."
        ]
    }
    html = response.content.decode()
    assert 'data-testid="open-case-exists"' in html
    assert f'href="{_detail(case)}"' in html


@pytest.mark.parametrize("status", [Case.Status.IN_PROGRESS, Case.Status.REFERRED_OUT])
def test_a_case_in_progress_or_referred_out_still_counts_as_open(
    client_for, counselor, student, status
):
    CaseFactory(student=student, counselor=counselor, status=status, category="family")
    response = client_for(counselor).post(
        reverse("counseling:case_create", args=[student.pk]), _open_case_form(counselor)
    )
    assert response.status_code == 200
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "archived"),
    [(Case.Status.RESOLVED, False), (Case.Status.CLOSED, False), (Case.Status.CLOSED, True)],
)
def test_a_new_case_may_follow_a_resolved_closed_or_archived_one(
    client_for, counselor, student, status, archived
):
    CaseFactory(
        student=student, counselor=counselor, status=status, category="family", is_archived=archived
    )
    response = client_for(counselor).post(
        reverse("counseling:case_create", args=[student.pk]), _open_case_form(counselor)
    )
    assert response.status_code == 302
    assert Case.objects.count() == 2


def test_another_category_or_another_student_is_a_case_of_its_own(
    client_for, counselor, case, student, classmate
):
    client = client_for(counselor)
    response = client.post(
        reverse("counseling:case_create", args=[student.pk]),
        _open_case_form(counselor, category=Case.Category.BULLYING),
    )
    assert response.status_code == 302
    response = client.post(
        reverse("counseling:case_create", args=[classmate.pk]), _open_case_form(counselor)
    )
    assert response.status_code == 302
    assert Case.objects.count() == 3


def test_the_service_refuses_a_second_open_case_too(counselor, case, student):
    from counseling.cases import OpenCaseExists

    what = {**_open_case_form(counselor), "counselor": counselor}
    with pytest.raises(OpenCaseExists) as refused:
        case_open(student=student, opened_by=counselor, **what)
    assert refused.value.case == case
    assert Case.objects.count() == 1


def test_an_edit_cannot_move_a_case_onto_another_open_case_of_the_category(
    client_for, counselor, case, student
):
    bullying = CaseFactory(student=student, counselor=counselor, category="bullying")
    response = client_for(counselor).post(
        _edit(bullying), _case_form(bullying, category=Case.Category.FAMILY)
    )
    assert response.status_code == 200
    assert "category" in response.context["form"].errors
    assert f'href="{_detail(case)}"' in response.content.decode()
    bullying.refresh_from_db()
    assert (bullying.category, bullying.version) == (Case.Category.BULLYING, 0)


def test_a_resolved_case_is_not_taken_up_again_beside_a_newer_open_one(
    client_for, counselor, student
):
    resolved = CaseFactory(
        student=student, counselor=counselor, status=Case.Status.RESOLVED, category="family"
    )
    newer = CaseFactory(student=student, counselor=counselor, category="family")
    response = client_for(counselor).post(
        _transition(resolved), {"status": Case.Status.IN_PROGRESS}, follow=True
    )
    assert response.redirect_chain == [(_detail(newer), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Kasus ini tidak dapat ditangani lagi: siswa memiliki kasus terbuka lain dengan "
        "kategori yang sama. Lanjutkan kasus itu. Tidak ada yang diubah."
    ]
    resolved.refresh_from_db()
    assert (resolved.status, resolved.version) == (Case.Status.RESOLVED, 0)


def test_create_forms_are_submitted_once(client_for, counselor, student, case):
    client = client_for(counselor)
    pages = [
        reverse("counseling:case_create", args=[student.pk]),
        reverse("counseling:session_create"),
        reverse("counseling:collaboration_create"),
        reverse("counseling:outbound_referral_create", args=[case.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert " data-once>" in html, url
        assert "/static/js/submit-once" in html, url
    # An edit is not a creation: its second submission meets the version check instead.
    assert " data-once" not in client.get(_edit(case)).content.decode()


def test_any_counselor_may_open_a_case_and_name_another_responsible(
    client_for, other_counselor, counselor, student
):
    response = client_for(other_counselor).post(
        reverse("counseling:case_create", args=[student.pk]),
        {
            "field": BKField.LEARNING,
            "category": Case.Category.MOTIVATION,
            "source": Case.Source.SUBJECT_TEACHER,
            "counselor": counselor.pk,
            "co_handlers": [other_counselor.pk, counselor.pk],
            "summary": "Tidak mengerjakan tugas.",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.counselor == counselor
    # The responsible counselor is not listed again as a co-handler.
    assert list(case.co_handlers.all()) == [other_counselor]
    assert case.created_by == other_counselor


def test_only_the_schools_counselors_can_be_chosen_as_handlers(
    client_for, counselor, homeroom_teacher, foreign_counselor, student
):
    url = reverse("counseling:case_create", args=[student.pk])
    data = {
        "field": BKField.LEARNING,
        "category": Case.Category.MOTIVATION,
        "source": Case.Source.SELF,
        "summary": "x",
    }
    client = client_for(counselor)
    for counselor_pk, co_handlers in [
        (homeroom_teacher.pk, []),
        (foreign_counselor.pk, []),
        (counselor.pk, [foreign_counselor.pk]),
    ]:
        response = client.post(url, {**data, "counselor": counselor_pk, "co_handlers": co_handlers})
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not Case.objects.exists()


def test_case_open_service_refuses_handlers_outside_the_school(
    counselor, foreign_counselor, homeroom_teacher, student
):
    common = {
        "student": student,
        "field": BKField.LEARNING,
        "category": Case.Category.OTHER,
        "source": Case.Source.SELF,
        "summary": "x",
        "opened_by": counselor,
    }
    with pytest.raises(ValidationError):
        case_open(counselor=foreign_counselor, **common)
    with pytest.raises(ValidationError):
        case_open(counselor=homeroom_teacher, **common)
    with pytest.raises(ValidationError):
        case_open(counselor=counselor, co_handlers=[foreign_counselor], **common)
    assert not Case.objects.exists()


def test_case_open_service_dates_and_links_a_referral(counselor, student, homeroom_teacher):
    from tests.factories import InboundReferralFactory

    referral = InboundReferralFactory(student=student, referred_by=homeroom_teacher)
    case = case_open(
        student=student,
        counselor=counselor,
        field=BKField.SOCIAL,
        category=Case.Category.PEERS,
        source=Case.Source.HOMEROOM_TEACHER,
        summary="Dirujuk wali kelas.",
        opened_by=counselor,
        referral=referral,
        opened_on=datetime.date(2026, 10, 1),
    )
    assert (case.referral, case.opened_on, case.school_id) == (
        referral,
        datetime.date(2026, 10, 1),
        student.school_id,
    )


def test_no_case_for_a_student_who_left(client_for, counselor, student):
    student.status = Student.Status.MOVED
    student.save()
    url = reverse("counseling:case_create", args=[student.pk])
    response = client_for(counselor).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("counseling:student_detail", args=[student.pk])


@pytest.mark.parametrize(
    "person", ["principal", "vice_principal", *NO_CASE_ROLES, "other_principal"]
)
def test_only_counselors_open_cases(request, client_for, person, student):
    client = client_for(request.getfixturevalue(person))
    url = reverse("counseling:case_create", args=[student.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"summary": "x"}).status_code == 404
    assert not Case.objects.exists()


def test_counselor_of_another_school_cannot_open_a_case_for_our_student(
    client_for, foreign_counselor, student
):
    url = reverse("counseling:case_create", args=[student.pk])
    assert client_for(foreign_counselor).get(url).status_code == 404


# The case page


@pytest.mark.parametrize("person", ["counselor", "co_handler"])
def test_handlers_see_the_case_with_its_notes_and_their_reading_is_logged(
    request, client_for, person, case, case_session
):
    user = request.getfixturevalue(person)
    response = client_for(user).get(_detail(case))
    assert response.status_code == 200
    html = response.content.decode()
    for shown in [
        "Ayu Lestari",
        "Sering menangis di kelas",
        _in_indonesian(Case.Category.FAMILY.label),
        _in_indonesian(Case.Source.HOMEROOM_TEACHER.label),
        "Bapak Konselor Dua",
        NOTES,
        "Ayu bercerita tentang suasana rumah.",
        _edit(case),
        _transition(case),
    ]:
        assert shown in html
    assert _notes_reads(user) == [str(case_session.pk)]


@pytest.mark.parametrize("person", CASE_READERS)
def test_readers_see_the_case_and_its_session_dates_but_not_what_was_said(
    request, client_for, person, case, case_session
):
    user = request.getfixturevalue(person)
    response = client_for(user).get(_detail(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sering menangis di kelas" in html
    assert "5 Oktober 2026" in html
    assert "Ayu bercerita tentang suasana rumah." not in html
    assert NOTES not in html
    assert "Rahasia" not in html
    assert _edit(case) not in html
    assert _transition(case) not in html
    assert _notes_reads(user) == []
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("person", NO_CASE_ROLES + OTHER_SCHOOL)
def test_teachers_staff_and_other_schools_get_404_on_every_case_page(
    request, client_for, person, case, case_session
):
    client = client_for(request.getfixturevalue(person))
    # The other school's principal and counselor have a case list: their own school's.
    pages = [_detail(case), _edit(case)]
    if person not in ("other_principal", "foreign_counselor"):
        pages.append(CASE_LIST)
    for url in pages:
        assert client.get(url).status_code == 404, url
    for url in [_edit(case), _transition(case), _archive(case)]:
        assert client.post(url, {"status": "in_progress"}).status_code == 404, url
    case.refresh_from_db()
    assert case.status == Case.Status.NEW


def test_case_page_shows_its_referral_origin_and_collaboration(
    client_for, counselor, student, homeroom_teacher
):
    from tests.factories import InboundReferralFactory

    referral = InboundReferralFactory(student=student, referred_by=homeroom_teacher)
    case = case_open(
        student=student,
        counselor=counselor,
        field=BKField.SOCIAL,
        category=Case.Category.PEERS,
        source=Case.Source.HOMEROOM_TEACHER,
        summary="Dirujuk.",
        opened_by=counselor,
        referral=referral,
    )
    CollaborationFactory(
        counselor=counselor, case=case, student=student, topic="Telepon ke ibu Ayu"
    )
    html = client_for(counselor).get(_detail(case)).content.decode()
    assert "Ibu/Bapak walas" in html
    assert reverse("counseling:referral_detail", args=[referral.pk]) in html
    assert "Telepon ke ibu Ayu" in html


# Status transitions

ALL_PAIRS = list(itertools.product(Case.Status.values, Case.Status.values))


@pytest.mark.parametrize(("current", "wanted"), ALL_PAIRS)
def test_every_transition_is_allowed_exactly_when_the_table_says_so(
    client_for, counselor, student, current, wanted
):
    case = CaseFactory(student=student, counselor=counselor, status=current, outcome="")
    response = client_for(counselor).post(
        _transition(case), {"status": wanted, "outcome": "Sudah membaik."}, follow=True
    )
    assert response.status_code == 200
    case.refresh_from_db()
    allowed = wanted in Case.TRANSITIONS[current] and wanted != Case.Status.REFERRED_OUT
    assert case.status == (wanted if allowed else current)
    text = [str(message) for message in response.context["messages"]]
    if allowed:
        assert case.version == 1
        assert text == [
            _in_indonesian(gettext_lazy("The case is now “%(status)s”."))
            % {"status": _in_indonesian(Case.Status(wanted).label)}
        ]
    elif wanted == Case.Status.REFERRED_OUT:
        assert case.version == 0
        assert text == [
            _in_indonesian(
                gettext_lazy(
                    "A case is referred out by recording the referral with the parent's "
                    "consent (Refer out). Nothing was changed."
                )
            )
        ]
    else:
        assert case.version == 0
        assert len(text) == 1
        assert _in_indonesian(Case.Status(wanted).label) in text[0]


@pytest.mark.parametrize(("current", "wanted"), ALL_PAIRS)
def test_transition_service_follows_the_table(counselor, student, current, wanted):
    from counseling.cases import TransitionRefused

    case = CaseFactory(student=student, counselor=counselor, status=current, outcome="Baik")
    if wanted in Case.TRANSITIONS[current] and wanted != Case.Status.REFERRED_OUT:
        assert case_transition(case=case, status=wanted).status == wanted
    else:
        with pytest.raises(TransitionRefused):
            case_transition(case=case, status=wanted)
        case.refresh_from_db()
        assert case.status == current


def test_the_status_form_never_offers_referred_out_but_links_the_referral_form(
    client_for, counselor, student
):
    case = CaseFactory(student=student, counselor=counselor, status=Case.Status.IN_PROGRESS)
    response = client_for(counselor).get(_detail(case))
    offered = [value for value, _label in response.context["next_statuses"]]
    assert offered == [Case.Status.RESOLVED]
    html = response.content.decode()
    assert 'name="status" value="referred_out"' not in html
    assert 'data-testid="refer-out-step"' in html
    assert reverse("counseling:outbound_referral_create", args=[case.pk]) in html


def test_a_new_case_offers_no_referral_step(client_for, counselor, case):
    html = client_for(counselor).get(_detail(case)).content.decode()
    assert 'data-testid="refer-out-step"' not in html


def test_closing_needs_an_outcome(client_for, counselor, student):
    case = CaseFactory(student=student, counselor=counselor, status=Case.Status.RESOLVED)
    response = client_for(counselor).post(
        _transition(case), {"status": Case.Status.CLOSED, "outcome": "   "}
    )
    assert response.status_code == 200
    assert 'data-testid="outcome-error"' in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED

    response = client_for(counselor).post(
        _transition(case), {"status": Case.Status.CLOSED, "outcome": "Masalah selesai."}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on) == (
        Case.Status.CLOSED,
        "Masalah selesai.",
        timezone.localdate(),
    )


def test_resolving_dates_the_case_and_taking_it_up_again_clears_the_date(
    client_for, co_handler, case
):
    client = client_for(co_handler)
    client.post(_transition(case), {"status": Case.Status.IN_PROGRESS})
    client.post(_transition(case), {"status": Case.Status.RESOLVED, "outcome": "Membaik."})
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.outcome) == (
        Case.Status.RESOLVED,
        timezone.localdate(),
        "Membaik.",
    )
    client.post(_transition(case), {"status": Case.Status.IN_PROGRESS})
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.outcome) == (
        Case.Status.IN_PROGRESS,
        None,
        "Membaik.",
    )


def test_an_unknown_status_changes_nothing(client_for, counselor, case):
    response = client_for(counselor).post(_transition(case), {"status": "deleted"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.NEW


@pytest.mark.parametrize("person", CASE_READERS)
def test_readers_cannot_move_edit_or_archive_a_case(request, client_for, person, student):
    case = CaseFactory(
        student=student,
        counselor=request.getfixturevalue("counselor"),
        status=Case.Status.CLOSED,
        outcome="Selesai",
    )
    client = client_for(request.getfixturevalue(person))
    assert client.get(_edit(case)).status_code == 404
    assert client.post(_edit(case), _case_form(case, summary="Diubah")).status_code == 404
    assert client.post(_archive(case)).status_code == 404
    assert client.post(_transition(case), {"status": "in_progress"}).status_code == 404
    assert client.get(_transition(case)).status_code in (404, 405)
    case.refresh_from_db()
    assert (case.status, case.is_archived, case.summary) == (
        Case.Status.CLOSED,
        False,
        "Nilai ulangan turun dan sering tidak mengerjakan tugas.",
    )


def test_transition_and_archive_accept_only_post(client_for, counselor, case):
    client = client_for(counselor)
    assert client.get(_transition(case)).status_code == 405
    assert client.get(_archive(case)).status_code == 405


# The archive; nothing is ever deleted


@pytest.mark.parametrize("status", [s for s in Case.Status.values if s != Case.Status.CLOSED])
def test_only_a_closed_case_can_be_archived(client_for, counselor, student, status):
    case = CaseFactory(student=student, counselor=counselor, status=status)
    response = client_for(counselor).post(_archive(case), follow=True)
    assert response.status_code == 200
    case.refresh_from_db()
    assert not case.is_archived
    assert [str(m) for m in response.context["messages"]] == [
        _in_indonesian(gettext_lazy("Only a closed case can be archived."))
    ]


def test_a_closed_case_is_archived_leaves_the_list_and_stays_readable(
    client_for, co_handler, student, counselor
):
    case = CaseFactory(
        student=student,
        counselor=counselor,
        co_handlers=[co_handler],
        status=Case.Status.CLOSED,
        outcome="Selesai",
    )
    client = client_for(co_handler)
    assert client.post(_archive(case)).status_code == 302
    case.refresh_from_db()
    assert case.is_archived
    assert client.get(_detail(case)).status_code == 200
    assert case not in client.get(CASE_LIST, {"status": "all"}).context["page"]
    assert case in client.get(CASE_LIST, {"status": "all", "archived": "on"}).context["page"]
    # Archived cases are history: no more edits.
    assert client.get(_edit(case)).status_code == 302
    response = client.post(_edit(case), _case_form(case, summary="Diubah"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary != "Diubah"


def test_no_page_deletes_anything(client_for, counselor, case, case_session):
    names = [pattern.name or "" for pattern in counseling_urls.urlpatterns]
    routes = [str(pattern.pattern) for pattern in counseling_urls.urlpatterns]
    assert not [n for n in names if "delete" in n or "remove" in n]
    assert not [r for r in routes if "delete" in r or "remove" in r]
    client = client_for(counselor)
    for url in [f"{_detail(case)}delete/", f"/counseling/sessions/{case_session.pk}/delete/"]:
        assert client.post(url).status_code == 404
    assert Case.objects.filter(pk=case.pk).exists()


# Editing, with the optimistic version check


def test_handler_edits_a_case(client_for, co_handler, counselor, other_counselor, case):
    client = client_for(co_handler)
    form = client.get(_edit(case)).context["form"]
    assert form.initial["version"] == 0
    response = client.post(
        _edit(case),
        _case_form(
            case,
            category=Case.Category.EMOTIONAL,
            summary="Ringkasan baru.",
            counselor=co_handler.pk,
            co_handlers=[counselor.pk, other_counselor.pk],
        ),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.category, case.summary, case.counselor, case.version) == (
        Case.Category.EMOTIONAL,
        "Ringkasan baru.",
        co_handler,
        1,
    )
    assert set(case.co_handlers.all()) == {counselor, other_counselor}


def test_second_of_two_concurrent_case_edits_is_refused_and_shows_the_first(
    client_for, counselor, co_handler, case
):
    first, second = client_for(counselor), client_for(co_handler)
    first_form = _case_form(case, summary="Versi Bu Konselor.")
    second_form = _case_form(case, summary="Versi Pak Konselor Dua.")
    assert first.get(_edit(case)).status_code == second.get(_edit(case)).status_code == 200

    assert first.post(_edit(case), first_form).status_code == 302
    response = second.post(_edit(case), second_form)

    assert response.status_code == 200
    case.refresh_from_db()
    assert (case.summary, case.version) == ("Versi Bu Konselor.", 1)
    html = response.content.decode()
    assert 'data-testid="edit-conflict"' in html
    assert "Versi Bu Konselor." in html  # theirs, shown
    assert "Versi Pak Konselor Dua." in html  # yours, kept in the form
    assert response.context["form"]["version"].value() == "1"
    assert [row["theirs"] for row in response.context["differences"]] == ["Versi Bu Konselor."]

    # Saving again, knowing the other edit, goes through.
    assert second.post(_edit(case), {**second_form, "version": 1}).status_code == 302
    case.refresh_from_db()
    assert (case.summary, case.version) == ("Versi Pak Konselor Dua.", 2)


def test_a_transition_between_opening_and_saving_an_edit_refuses_the_edit(
    client_for, counselor, case
):
    client = client_for(counselor)
    form = _case_form(case, summary="Baru")
    client.post(_transition(case), {"status": Case.Status.IN_PROGRESS})
    response = client.post(_edit(case), form)
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.summary != "Baru"


# The case list


def test_case_list_shows_open_cases_with_their_details_and_session_counts(
    client_for, principal, counselor, co_handler, case, case_session, classmate
):
    CounselingSessionFactory(counselor=counselor, case=case, starts_at=at(12))
    closed = CaseFactory(
        student=classmate, counselor=co_handler, status=Case.Status.CLOSED, outcome="x"
    )
    response = client_for(principal).get(CASE_LIST)
    assert response.status_code == 200
    page = list(response.context["page"])
    assert page == [case]
    assert page[0].session_count == 2
    html = response.content.decode()
    for shown in [
        "Ayu Lestari",
        "VII-A",
        _in_indonesian(Case.Category.FAMILY.label),
        _in_indonesian(Case.Status.NEW.label),
        "Ibu/Bapak konselor",
        "1 Sep 2026",
    ]:
        assert shown in html
    assert _detail(closed) not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["ayu_new", "budi_progress"]),
        ({"status": "all"}, ["ayu_new", "budi_progress", "budi_closed"]),
        ({"status": "closed"}, ["budi_closed"]),
        ({"status": "all", "archived": "on"}, ["ayu_new", "budi_progress", "budi_closed", "old"]),
        ({"field": BKField.CAREER}, ["budi_progress"]),
        ({"category": Case.Category.FAMILY}, ["ayu_new"]),
        ({"q": "budi", "status": "all"}, ["budi_progress", "budi_closed"]),
        ({"mine": "on"}, ["ayu_new"]),
    ],
)
def test_case_list_filters(
    client_for, counselor, co_handler, case, classmate, student, params, expected
):
    named = {"ayu_new": case}
    named["budi_progress"] = CaseFactory(
        student=classmate, counselor=co_handler, field=BKField.CAREER, opened_on=at(2).date()
    )
    named["budi_closed"] = CaseFactory(
        student=classmate, counselor=co_handler, status="closed", opened_on=at(3).date()
    )
    named["old"] = CaseFactory(
        student=student,
        counselor=co_handler,
        status="closed",
        is_archived=True,
        opened_on=datetime.date(2025, 1, 1),
    )
    response = client_for(counselor).get(CASE_LIST, params)
    assert response.status_code == 200
    by_pk = {c.pk: name for name, c in named.items()}
    assert sorted(by_pk[c.pk] for c in response.context["page"]) == sorted(expected)


def test_my_cases_include_co_handled_ones_and_count_sessions_once(
    client_for, counselor, co_handler, case, case_session, other_counselor
):
    case.co_handlers.add(other_counselor)
    response = client_for(co_handler).get(CASE_LIST, {"mine": "on"})
    page = list(response.context["page"])
    assert page == [case]
    assert page[0].session_count == 1


def test_case_list_filters_by_responsible_counselor(
    client_for, principal, counselor, co_handler, case, classmate
):
    other = CaseFactory(student=classmate, counselor=co_handler)
    response = client_for(principal).get(CASE_LIST, {"counselor": co_handler.pk})
    assert list(response.context["page"]) == [other]


def test_case_list_with_a_bad_filter_shows_nothing(client_for, counselor, case):
    response = client_for(counselor).get(CASE_LIST, {"status": "gone"})
    assert response.status_code == 200
    assert list(response.context["page"]) == []


def test_other_schools_principal_sees_only_own_cases(client_for, other_principal, case):
    response = client_for(other_principal).get(CASE_LIST, {"status": "all"})
    assert response.status_code == 200
    assert list(response.context["page"]) == []


def _populate_cases(school, classroom, counselor, co_handler, cases: int) -> None:
    for _ in range(cases):
        student = StudentFactory(school=school, classroom=classroom)
        case = CaseFactory(student=student, counselor=counselor, co_handlers=[co_handler])
        CounselingSessionFactory(counselor=counselor, case=case, confidential_notes="n")
        CollaborationFactory(counselor=counselor, case=case, student=student)


def test_case_list_query_count_does_not_grow(
    client_for, counselor, co_handler, school, classroom, django_assert_num_queries
):
    client = client_for(counselor)
    client.get(CASE_LIST)
    _populate_cases(school, classroom, counselor, co_handler, 6)
    # session, user with school, roles, counselors for the filter, count,
    # the page of cases with student, class, counselor and session count
    with django_assert_num_queries(6):
        client.get(CASE_LIST)
    _populate_cases(school, classroom, counselor, co_handler, 54)
    with django_assert_num_queries(6):
        response = client.get(CASE_LIST, {"mine": "on"})
    assert len(response.context["page"]) == 50
    assert response.context["page"].paginator.count == 60


@pytest.mark.parametrize("person", ["counselor", "principal"])
def test_case_page_query_count_does_not_grow(
    request, client_for, person, counselor, co_handler, case, django_assert_num_queries
):
    user = request.getfixturevalue(person)
    client = client_for(user)

    def add_history(count):
        for day in range(1, count + 1):
            CounselingSessionFactory(
                counselor=counselor, case=case, starts_at=at(day), confidential_notes="n"
            )
            CollaborationFactory(counselor=counselor, case=case, student=case.student)

    add_history(2)
    # session, user with school, roles, the case with student, class, year, counselors and
    # referral, its co-handlers, its sessions, its collaboration, its referrals out; the
    # responsible counselor's page also logs all the notes shown in one INSERT
    expected = 9 if person == "counselor" else 8
    with django_assert_num_queries(expected):
        client.get(_detail(case))
    add_history(18)
    with django_assert_num_queries(expected):
        response = client.get(_detail(case))
    assert len(response.context["sessions"]) == 20
    if person == "counselor":
        assert len(_notes_reads(user)) == 22
    else:
        assert _notes_reads(user) == []


# The timeline on the student's page


def _student_page(student) -> str:
    return reverse("counseling:student_detail", args=[student.pk])


def test_student_page_shows_cases_sessions_and_collaboration_newest_first(
    client_for, counselor, case, case_session, student, classmate
):
    standalone = CounselingSessionFactory(
        counselor=counselor,
        students=[student, classmate],
        strategy="group_counseling",
        starts_at=at(20),
        summary="Diskusi kelompok belajar.",
        confidential_notes="Catatan kelompok rahasia",
    )
    contact = CollaborationFactory(
        counselor=counselor, student=student, happened_on=datetime.date(2026, 10, 10)
    )
    CollaborationFactory(counselor=counselor, student=classmate, topic="Bukan tentang Ayu")
    response = client_for(counselor).get(_student_page(student))
    assert response.status_code == 200
    assert [entry.item for entry in response.context["timeline"]] == [
        standalone,
        contact,
        case_session,
        case,
    ]
    html = response.content.decode()
    assert "Diskusi kelompok belajar." in html
    assert "Bukan tentang Ayu" not in html
    # Notes never appear on the timeline, even to those who may read them.
    assert NOTES not in html
    assert "Catatan kelompok rahasia" not in html
    assert not AccessLogEntry.objects.exists()
    for url in [
        reverse("counseling:case_create", args=[student.pk]),
        f"{reverse('counseling:session_create')}?student={student.pk}",
        f"{reverse('counseling:collaboration_create')}?student={student.pk}",
    ]:
        assert url in html


def test_other_counselor_sees_the_timeline_too(client_for, other_counselor, case, case_session):
    response = client_for(other_counselor).get(_student_page(case.student))
    assert [entry.kind for entry in response.context["timeline"]] == ["session", "case"]
    assert NOTES not in response.content.decode()


@pytest.mark.parametrize("person", ["homeroom_teacher", "admin_staff"])
def test_homeroom_teacher_and_admin_staff_see_no_timeline(
    request, client_for, person, case, case_session
):
    response = client_for(request.getfixturevalue(person)).get(_student_page(case.student))
    assert response.status_code == 200
    assert "timeline" not in response.context
    html = response.content.decode()
    assert 'data-testid="student-timeline"' not in html
    assert "Sering menangis" not in html
    assert "Ayu bercerita" not in html
    assert reverse("counseling:case_create", args=[case.student.pk]) not in html


def test_timeline_is_capped_at_the_latest_entries(client_for, counselor, student):
    for day in range(1, 28):
        CaseFactory(student=student, counselor=counselor, opened_on=at(day).date())
        CollaborationFactory(
            counselor=counselor, student=student, happened_on=at(day, month=9).date()
        )
    response = client_for(counselor).get(_student_page(student))
    timeline = response.context["timeline"]
    assert len(timeline) == TIMELINE_LIMIT
    assert response.context["timeline_truncated"]
    assert 'data-testid="timeline-truncated"' in response.content.decode()
    # The newest: all 27 cases (October) and the 23 latest contacts (September).
    assert [entry.kind for entry in timeline].count("case") == 27
    assert timeline[-1].day == datetime.date(2026, 9, 5)


def test_student_page_query_count_does_not_grow_with_the_history(
    client_for, counselor, co_handler, student, school, django_assert_num_queries
):
    client = client_for(counselor)
    url = _student_page(student)

    def add_history(count):
        for number in range(count):
            case = CaseFactory(student=student, counselor=counselor)
            CounselingSessionFactory(counselor=counselor, case=case, starts_at=at(1 + number))
            CollaborationFactory(counselor=counselor, student=student, case=case)

    add_history(3)
    client.get(url)
    # session, user with school, roles, the student with class, year, both teachers and
    # personal book; the timeline: the newest cases, sessions and collaboration
    with django_assert_num_queries(7):
        client.get(url)
    add_history(30)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(response.context["timeline"]) == TIMELINE_LIMIT


def test_moved_student_gets_no_buttons_to_add_records(client_for, counselor, school, classroom):
    moved = StudentFactory(school=school, classroom=classroom, status=Student.Status.MOVED)
    html = client_for(counselor).get(_student_page(moved)).content.decode()
    assert reverse("counseling:case_create", args=[moved.pk]) not in html
    # The session and collaboration forms choose among active students only: a link with
    # the student preselected would open them without the student.
    assert f"?student={moved.pk}" not in html
    for url in ("session_create", "collaboration_create"):
        form = client_for(counselor).get(reverse(f"counseling:{url}")).context["form"]
        field = form.fields["students" if url == "session_create" else "student"]
        assert moved not in field.queryset


def test_collaboration_of_other_partner_kinds_reads_well(client_for, counselor, student):
    CollaborationFactory(
        counselor=counselor,
        student=student,
        partner_type=Collaboration.Partner.SUBJECT_TEACHER,
        partner_name="Pak Budi (Matematika)",
    )
    html = client_for(counselor).get(_student_page(student)).content.decode()
    assert "Pak Budi (Matematika)" in html


def test_second_school_student_case_is_invisible(
    client_for, counselor, foreign_student, other_school
):
    foreign = UserFactory(school=other_school, roles=[Role.COUNSELOR])
    case = CaseFactory(student=foreign_student, counselor=foreign)
    assert client_for(counselor).get(_detail(case)).status_code == 404
    assert case not in client_for(counselor).get(CASE_LIST).context["page"]


def test_the_timeline_names_the_case_of_a_session_and_of_collaboration(
    client_for, counselor, case, student
):
    CounselingSessionFactory(counselor=counselor, case=case, starts_at=at(7), students=[student])
    CounselingSessionFactory(counselor=counselor, starts_at=at(8), students=[student])
    CollaborationFactory(counselor=counselor, student=student, case=case)
    CollaborationFactory(counselor=counselor, student=student)
    response = client_for(counselor).get(_student_page(student))
    html = response.content.decode()
    # One session and one collaboration of the case ("Keluarga"), one of each outside it.
    assert html.count("kasus: Keluarga") == 2
    assert len(response.context["timeline"]) == 5


def test_the_timeline_dates_a_closed_case_and_a_resolved_case_reads_resolved(
    client_for, counselor, case, student
):
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.RESOLVED, closed_on=datetime.date(2026, 10, 9)
    )
    client = client_for(counselor)
    assert "ditutup 9 Okt 2026" not in client.get(_student_page(student)).content.decode()
    html = client.get(_detail(case)).content.decode()
    assert "Selesai pada" in html
    assert "Ditutup pada" not in html
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, outcome="Selesai.")
    assert "ditutup 9 Okt 2026" in client.get(_student_page(student)).content.decode()
    html = client.get(_detail(case)).content.decode()
    assert "Ditutup pada" in html
