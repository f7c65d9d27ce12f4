"""Counseling sessions: logging them with the participants each strategy needs, reading them
(the confidential notes only for those who may, always logged) and editing them."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from counseling.cases import session_log, session_update
from counseling.models import Case, CounselingSession, Student
from counseling.views.cases import SESSION_EDIT_FIELDS
from staff.models import AccessLogEntry
from tests.counseling.cases_setup import (
    CASE_READERS,
    NO_CASE_ROLES,
    NOTES,
    OTHER_SCHOOL,
    at,
    session_post,
)
from tests.factories import CaseFactory, ClassroomFactory, CounselingSessionFactory, StudentFactory

SESSION_CREATE = reverse("counseling:session_create")
Strategy = CounselingSession.Strategy


def _detail(session) -> str:
    return reverse("counseling:session_detail", args=[session.pk])


def _edit(session) -> str:
    return reverse("counseling:session_edit", args=[session.pk])


def _notes_reads(user=None) -> list[str]:
    entries = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.VIEW_SESSION_NOTES)
    if user is not None:
        entries = entries.filter(user=user)
    return list(entries.values_list("object_id", flat=True))


def _log(counselor, student, **overrides) -> CounselingSession:
    """session_log of an individual session with the student; override what a test is about."""
    values = {
        "case": None,
        "starts_at": at(6),
        "duration_minutes": 45,
        "strategy": Strategy.INDIVIDUAL,
        "component": CounselingSession.Component.RESPONSIVE,
        "field": "personal",
        "students": [student],
        "classroom": None,
        "other_participants": "",
        "summary": "Ringkasan.",
        "confidential_notes": "",
        "follow_up_plan": "",
        "next_appointment": None,
    }
    return session_log(counselor=counselor, **{**values, **overrides})


def _edit_form(session, **overrides) -> dict:
    data = session_post(
        starts_at=timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        duration_minutes=session.duration_minutes,
        strategy=session.strategy,
        component=session.component,
        field=session.field,
        classroom=session.classroom_id or "",
        students=[s.pk for s in session.students.all()],
        summary=session.summary,
        confidential_notes=session.confidential_notes,
        edited_at=session.updated_at.isoformat(),
    )
    data.update(overrides)
    return data


# Logging a session


def test_counselor_logs_a_standalone_session_with_every_field(client_for, counselor, student):
    response = client_for(counselor).post(
        SESSION_CREATE,
        session_post(
            students=[student.pk],
            duration_minutes="30",
            other_participants="Wali kelas",
            confidential_notes=NOTES,
            follow_up_plan="Bertemu lagi minggu depan.",
            next_appointment="2026-10-12T09:00",
        ),
    )
    session = CounselingSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(session)
    assert (session.school, session.counselor, session.case) == (student.school, counselor, None)
    assert timezone.localtime(session.starts_at).replace(tzinfo=None) == datetime.datetime(
        2026, 10, 5, 9, 0
    )
    assert (session.duration_minutes, session.other_participants) == (30, "Wali kelas")
    assert (session.confidential_notes, session.follow_up_plan) == (
        NOTES,
        "Bertemu lagi minggu depan.",
    )
    assert timezone.localtime(session.next_appointment).day == 12
    assert list(session.students.all()) == [student]


@pytest.mark.parametrize(
    ("strategy", "students", "with_class", "accepted"),
    [
        (Strategy.INDIVIDUAL, 1, False, True),
        (Strategy.INDIVIDUAL, 0, False, False),
        (Strategy.INDIVIDUAL, 2, False, False),
        (Strategy.GROUP_COUNSELING, 2, False, True),
        (Strategy.GROUP_COUNSELING, 1, False, False),
        (Strategy.GROUP_GUIDANCE, 3, False, True),
        (Strategy.GROUP_GUIDANCE, 1, False, False),
        (Strategy.CLASSICAL_GUIDANCE, 0, True, True),
        (Strategy.CLASSICAL_GUIDANCE, 1, True, True),
        (Strategy.CLASSICAL_GUIDANCE, 2, False, False),
        (Strategy.CONSULTATION, 1, False, True),
        (Strategy.CONSULTATION, 0, False, False),
        (Strategy.HOME_VISIT, 1, False, True),
        (Strategy.CASE_CONFERENCE, 2, False, True),
        (Strategy.REFERRAL, 0, False, False),
        # A class belongs to classical guidance only.
        (Strategy.INDIVIDUAL, 1, True, False),
        (Strategy.GROUP_COUNSELING, 2, True, False),
    ],
)
def test_participants_follow_the_strategy(
    client_for, counselor, school, classroom, strategy, students, with_class, accepted
):
    pupils = [StudentFactory(school=school, classroom=classroom) for _ in range(3)]
    response = client_for(counselor).post(
        SESSION_CREATE,
        session_post(
            strategy=strategy,
            students=[p.pk for p in pupils[:students]],
            classroom=classroom.pk if with_class else "",
        ),
    )
    assert CounselingSession.objects.exists() == accepted
    if accepted:
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert response.context["form"].errors


def test_classical_guidance_attaches_every_active_student_of_the_class(
    client_for, counselor, school, classroom, student, classmate
):
    StudentFactory(school=school, classroom=classroom, status=Student.Status.MOVED)
    other_class = ClassroomFactory(school=school, academic_year=classroom.academic_year)
    elsewhere = StudentFactory(school=school, classroom=other_class)
    response = client_for(counselor).post(
        SESSION_CREATE,
        session_post(
            strategy=Strategy.CLASSICAL_GUIDANCE,
            component=CounselingSession.Component.BASIC,
            classroom=classroom.pk,
            students=[elsewhere.pk],
            summary="Bimbingan klasikal: cara belajar efektif.",
        ),
    )
    assert response.status_code == 302
    session = CounselingSession.objects.get()
    assert session.classroom == classroom
    assert set(session.students.all()) == {student, classmate, elsewhere}


def test_classical_guidance_of_an_empty_class_is_refused(client_for, counselor, school):
    from staff.models import AcademicYear

    empty = ClassroomFactory(
        school=school, academic_year=AcademicYear.objects.get(school=school, is_current=True)
    )
    response = client_for(counselor).post(
        SESSION_CREATE, session_post(strategy=Strategy.CLASSICAL_GUIDANCE, classroom=empty.pk)
    )
    assert response.status_code == 200
    assert "classroom" in response.context["form"].errors
    assert not CounselingSession.objects.exists()


def test_students_of_another_school_cannot_be_chosen(
    client_for, counselor, foreign_student, student
):
    response = client_for(counselor).post(
        SESSION_CREATE,
        session_post(strategy=Strategy.GROUP_COUNSELING, students=[student.pk, foreign_student.pk]),
    )
    assert response.status_code == 200
    assert "students" in response.context["form"].errors
    assert not CounselingSession.objects.exists()


def test_the_student_choice_lists_active_students_of_the_school_by_class(
    client_for, counselor, school, student, classmate, foreign_student
):
    from staff.models import AcademicYear

    year = AcademicYear.objects.get(school=school, is_current=True)
    older = ClassroomFactory(school=school, academic_year=year, grade=9, name="IX-C")
    senior = StudentFactory(school=school, classroom=older, full_name="Aan Kakak Kelas")
    StudentFactory(school=school, classroom=student.classroom, status=Student.Status.GRADUATED)
    form = client_for(counselor).get(SESSION_CREATE).context["form"]
    assert list(form.fields["students"].queryset) == [student, classmate, senior]
    labels = [label for _, label in form.fields["students"].choices]
    assert labels[0] == "VII-A · Ayu Lestari"


def test_student_pickers_are_plain_selects_marked_searchable(
    client_for, counselor, homeroom_teacher
):
    pages = [
        (counselor, SESSION_CREATE, "students"),
        (counselor, reverse("counseling:collaboration_create"), "student"),
        (homeroom_teacher, reverse("counseling:referral_create"), "student"),
    ]
    for user, url, name in pages:
        html = client_for(user).get(url).content.decode()
        select = re.search(rf'<select name="{name}"[^>]*>', html).group(0)
        assert "data-searchable" in select, url
        assert 'data-no-results="Tidak ada yang cocok; periksa ejaannya."' in select, url
        # Without JavaScript the select itself is the picker; with it, Tom Select enhances it.
        assert "/static/vendor/tom-select/tom-select.complete.min.js" in html, url
        assert "/static/js/searchable-select.js" in html, url


def test_a_students_page_preselects_the_student(client_for, counselor, student):
    form = client_for(counselor).get(SESSION_CREATE, {"student": student.pk}).context["form"]
    assert form.initial["students"] == [student.pk]


def test_next_appointment_must_come_after_the_session(client_for, counselor, student):
    response = client_for(counselor).post(
        SESSION_CREATE,
        session_post(students=[student.pk], next_appointment="2026-10-05T08:00"),
    )
    assert response.status_code == 200
    assert "next_appointment" in response.context["form"].errors
    assert not CounselingSession.objects.exists()


def test_a_session_in_the_future_cannot_be_logged(client_for, counselor, student):
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    response = client_for(counselor).post(
        SESSION_CREATE,
        session_post(students=[student.pk], starts_at=tomorrow.strftime("%Y-%m-%dT%H:%M")),
    )
    assert response.status_code == 200
    assert "starts_at" in response.context["form"].errors


def _errors(response) -> dict:
    assert response.status_code == 200
    assert not CounselingSession.objects.exists()
    return {
        name: [str(e) for e in errors] for name, errors in response.context["form"].errors.items()
    }


@pytest.mark.parametrize("starts_at", ["1900-10-05T09:00", "2026-06-30T23:59"])
def test_a_session_before_the_schools_first_academic_year_is_refused(
    client_for, counselor, student, starts_at
):
    # The school's records start with the 2026/2027 year, on 1 July 2026.
    response = client_for(counselor).post(
        SESSION_CREATE, session_post(students=[student.pk], starts_at=starts_at)
    )
    assert _errors(response) == {
        "starts_at": [
            "Tanggalnya sebelum tahun pelajaran pertama sekolah (1 Juli 2026). Periksa tahunnya."
        ]
    }


def test_a_session_on_the_first_day_of_the_schools_records_is_logged(
    client_for, counselor, student
):
    response = client_for(counselor).post(
        SESSION_CREATE, session_post(students=[student.pk], starts_at="2026-07-01T07:00")
    )
    assert response.status_code == 302
    assert CounselingSession.objects.count() == 1


def test_a_session_years_ahead_is_refused(client_for, counselor, student):
    response = client_for(counselor).post(
        SESSION_CREATE, session_post(students=[student.pk], starts_at="2206-10-05T09:00")
    )
    assert list(_errors(response)) == ["starts_at"]


def test_a_next_appointment_more_than_a_year_ahead_is_refused(client_for, counselor, student):
    response = client_for(counselor).post(
        SESSION_CREATE,
        session_post(students=[student.pk], next_appointment="2027-10-06T09:00"),
    )
    assert _errors(response) == {
        "next_appointment": [
            "Janji temu berikutnya harus dalam setahun sejak sesi ini. Periksa tahunnya."
        ]
    }
    response = client_for(counselor).post(
        SESSION_CREATE,
        session_post(students=[student.pk], next_appointment="2027-10-05T09:00"),
    )
    assert response.status_code == 302


def test_an_edit_cannot_move_a_session_out_of_bounds(client_for, counselor, case_session):
    client = client_for(counselor)
    for change in [{"starts_at": "1900-10-05T09:00"}, {"next_appointment": "2031-01-01T09:00"}]:
        response = client.post(_edit(case_session), _edit_form(case_session, **change))
        assert response.status_code == 200
        assert list(response.context["form"].errors) == list(change)
    case_session.refresh_from_db()
    assert case_session.starts_at == at(5)


def test_the_service_applies_the_same_bounds(counselor, student):
    from django.core.exceptions import ValidationError

    for starts_at, next_appointment, field in [
        (at(5).replace(year=1900), None, "starts_at"),
        (timezone.now() + datetime.timedelta(days=400), None, "starts_at"),
        (at(5), at(5).replace(year=2028), "next_appointment"),
    ]:
        with pytest.raises(ValidationError) as refused:
            _log(counselor, student, starts_at=starts_at, next_appointment=next_appointment)
        assert list(refused.value.message_dict) == [field]
    assert not CounselingSession.objects.exists()


@pytest.mark.parametrize("minutes", ["0", "601", "-5", "satu jam"])
def test_a_duration_out_of_range_is_refused(client_for, counselor, student, minutes):
    response = client_for(counselor).post(
        SESSION_CREATE, session_post(students=[student.pk], duration_minutes=minutes)
    )
    assert response.status_code == 200
    assert "duration_minutes" in response.context["form"].errors


@pytest.mark.parametrize("person", ["principal", "vice_principal", *NO_CASE_ROLES])
def test_only_counselors_log_sessions(request, client_for, person, student):
    client = client_for(request.getfixturevalue(person))
    assert client.get(SESSION_CREATE).status_code == 404
    response = client.post(SESSION_CREATE, session_post(students=[student.pk]))
    assert response.status_code == 404
    assert not CounselingSession.objects.exists()


# Sessions within a case


def test_first_session_takes_a_new_case_in_progress(client_for, co_handler, case, student):
    client = client_for(co_handler)
    form = client.get(SESSION_CREATE, {"case": case.pk}).context["form"]
    assert form.initial["case"] == case
    assert form.initial["students"] == [student.pk]
    response = client.post(
        f"{SESSION_CREATE}?case={case.pk}",
        session_post(case=case.pk, students=[student.pk], confidential_notes=NOTES),
    )
    assert response.status_code == 302
    session = CounselingSession.objects.get()
    assert (session.case, session.counselor) == (case, co_handler)
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS


@pytest.mark.parametrize(
    "status", [Case.Status.IN_PROGRESS, Case.Status.RESOLVED, Case.Status.REFERRED_OUT]
)
def test_a_session_leaves_a_case_past_new_where_it_is(client_for, counselor, student, status):
    case = CaseFactory(student=student, counselor=counselor, status=status)
    response = client_for(counselor).post(
        SESSION_CREATE, session_post(case=case.pk, students=[student.pk])
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == status


def test_a_case_session_includes_the_cases_student(client_for, counselor, case, classmate):
    response = client_for(counselor).post(
        SESSION_CREATE, session_post(case=case.pk, students=[classmate.pk])
    )
    assert response.status_code == 200
    assert "students" in response.context["form"].errors
    assert not CounselingSession.objects.exists()


def test_closed_case_takes_no_more_sessions(client_for, counselor, student):
    case = CaseFactory(student=student, counselor=counselor, status="closed", outcome="x")
    client = client_for(counselor)
    response = client.get(SESSION_CREATE, {"case": case.pk})
    assert response.status_code == 302
    response = client.post(SESSION_CREATE, session_post(case=case.pk, students=[student.pk]))
    assert response.status_code == 200
    assert "case" in response.context["form"].errors
    assert not CounselingSession.objects.exists()


@pytest.mark.parametrize("person", ["other_counselor", "foreign_counselor"])
def test_only_the_cases_handlers_log_its_sessions(request, client_for, person, case, student):
    client = client_for(request.getfixturevalue(person))
    assert client.get(SESSION_CREATE, {"case": case.pk}).status_code == 404
    response = client.post(SESSION_CREATE, session_post(case=case.pk, students=[student.pk]))
    if person == "other_counselor":
        assert response.status_code == 200
        assert "case" in response.context["form"].errors
    else:
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not CounselingSession.objects.exists()
    case.refresh_from_db()
    assert case.status == Case.Status.NEW


def test_a_bad_case_parameter_is_a_missing_page(client_for, counselor):
    assert client_for(counselor).get(SESSION_CREATE, {"case": "abc"}).status_code == 404
    assert client_for(counselor).get(SESSION_CREATE, {"student": "1 OR 1"}).status_code == 404


# Reading a session


@pytest.mark.parametrize("person", ["counselor", "co_handler"])
def test_handlers_read_a_case_sessions_notes_and_it_is_logged(
    request, client_for, person, case_session
):
    user = request.getfixturevalue(person)
    response = client_for(user).get(_detail(case_session))
    assert response.status_code == 200
    html = response.content.decode()
    assert NOTES in html
    assert "Ayu Lestari" in html
    assert _notes_reads(user) == [str(case_session.pk)]


@pytest.mark.parametrize("person", CASE_READERS)
def test_readers_see_date_and_strategy_only(request, client_for, person, case_session):
    case_session.follow_up_plan = "Rencana tindak lanjut rahasia"
    case_session.other_participants = "Ibu kandung"
    case_session.save()
    user = request.getfixturevalue(person)
    response = client_for(user).get(_detail(case_session))
    assert response.status_code == 200
    html = response.content.decode()
    assert "5 Oktober 2026" in html
    assert "Konseling individual" in html
    assert 'data-testid="session-content-withheld"' in html
    for hidden in [
        NOTES,
        "Rahasia",
        "Ayu bercerita tentang suasana rumah.",
        "Rencana tindak lanjut rahasia",
        "Ibu kandung",
    ]:
        assert hidden not in html
    assert _edit(case_session) not in html
    assert _notes_reads() == []


def test_a_standalone_sessions_notes_are_for_who_led_it(
    client_for, counselor, other_counselor, student
):
    session = CounselingSessionFactory(
        counselor=counselor, students=[student], confidential_notes=NOTES
    )
    assert NOTES in client_for(counselor).get(_detail(session)).content.decode()
    assert NOTES not in client_for(other_counselor).get(_detail(session)).content.decode()
    assert _notes_reads(counselor) == [str(session.pk)]
    assert _notes_reads(other_counselor) == []


def test_a_session_without_notes_writes_no_log(client_for, counselor, student):
    session = CounselingSessionFactory(counselor=counselor, students=[student])
    assert client_for(counselor).get(_detail(session)).status_code == 200
    assert _notes_reads() == []


@pytest.mark.parametrize("person", NO_CASE_ROLES + OTHER_SCHOOL)
def test_teachers_staff_and_other_schools_get_404_on_sessions(
    request, client_for, person, case_session
):
    client = client_for(request.getfixturevalue(person))
    assert client.get(_detail(case_session)).status_code == 404
    assert client.get(_edit(case_session)).status_code == 404
    assert client.post(_edit(case_session), _edit_form(case_session)).status_code == 404
    assert _notes_reads() == []


# Editing a session


@pytest.mark.parametrize("person", ["counselor", "co_handler"])
def test_leader_and_case_handlers_edit_a_session(request, client_for, person, case_session):
    user = request.getfixturevalue(person)
    client = client_for(user)
    response = client.get(_edit(case_session))
    assert response.status_code == 200
    # The form shows the notes: a read, logged.
    assert NOTES in response.content.decode()
    assert _notes_reads(user) == [str(case_session.pk)]
    response = client.post(
        _edit(case_session),
        _edit_form(case_session, summary="Ringkasan diperbaiki.", confidential_notes="Baru"),
    )
    assert response.status_code == 302
    case_session.refresh_from_db()
    assert (case_session.summary, case_session.confidential_notes) == (
        "Ringkasan diperbaiki.",
        "Baru",
    )


@pytest.mark.parametrize("person", CASE_READERS)
def test_readers_cannot_edit_a_session(request, client_for, person, case_session):
    client = client_for(request.getfixturevalue(person))
    assert client.get(_edit(case_session)).status_code == 404
    response = client.post(_edit(case_session), _edit_form(case_session, summary="Diubah"))
    assert response.status_code == 404
    case_session.refresh_from_db()
    assert case_session.summary != "Diubah"


def test_a_leader_no_longer_handling_the_case_edits_without_seeing_the_notes(
    client_for, counselor, co_handler, case
):
    session = CounselingSessionFactory(
        counselor=co_handler, case=case, starts_at=at(6), confidential_notes=NOTES
    )
    case.co_handlers.clear()
    client = client_for(co_handler)
    response = client.get(_edit(session))
    assert response.status_code == 200
    assert NOTES not in response.content.decode()
    assert "confidential_notes" not in response.context["form"].fields
    data = _edit_form(session, summary="Diperbaiki", confidential_notes="Ditimpa")
    assert client.post(_edit(session), data).status_code == 302
    session.refresh_from_db()
    assert (session.summary, session.confidential_notes) == ("Diperbaiki", NOTES)
    assert _notes_reads(co_handler) == []


def test_second_of_two_concurrent_session_edits_is_refused_and_shows_the_first(
    client_for, counselor, co_handler, case_session
):
    first, second = client_for(counselor), client_for(co_handler)
    assert first.get(_edit(case_session)).status_code == 200
    assert second.get(_edit(case_session)).status_code == 200
    first_form = _edit_form(case_session, summary="Versi pertama.")
    second_form = _edit_form(case_session, summary="Versi kedua.")

    assert first.post(_edit(case_session), first_form).status_code == 302
    response = second.post(_edit(case_session), second_form)

    assert response.status_code == 200
    case_session.refresh_from_db()
    assert case_session.summary == "Versi pertama."
    html = response.content.decode()
    assert 'data-testid="edit-conflict"' in html
    assert "Versi pertama." in html
    assert "Versi kedua." in html
    assert response.context["form"]["edited_at"].value() == case_session.updated_at.isoformat()

    again = {**second_form, "edited_at": case_session.updated_at.isoformat()}
    assert second.post(_edit(case_session), again).status_code == 302
    case_session.refresh_from_db()
    assert case_session.summary == "Versi kedua."


def test_a_damaged_edit_stamp_saves_nothing(client_for, counselor, case_session):
    response = client_for(counselor).post(
        _edit(case_session), _edit_form(case_session, summary="X", edited_at="kemarin")
    )
    assert response.status_code == 200
    assert "edited_at" in response.context["form"].errors
    case_session.refresh_from_db()
    assert case_session.summary != "X"


def test_editing_a_classical_session_keeps_the_whole_class(
    client_for, counselor, school, classroom, student, classmate
):
    session = CounselingSessionFactory(
        counselor=counselor,
        strategy=Strategy.CLASSICAL_GUIDANCE,
        classroom=classroom,
        students=[student, classmate],
    )
    newcomer = StudentFactory(school=school, classroom=classroom)
    response = client_for(counselor).post(
        _edit(session), _edit_form(session, students=[], summary="Diperbarui")
    )
    assert response.status_code == 302
    assert set(session.students.all()) == {student, classmate, newcomer}


# A closed or archived case's sessions are history


def _close(case, *, archived=False) -> None:
    Case.objects.filter(pk=case.pk).update(
        status=Case.Status.CLOSED, outcome="Selesai.", is_archived=archived
    )


@pytest.mark.parametrize("archived", [False, True])
@pytest.mark.parametrize("person", ["counselor", "co_handler"])
def test_a_closed_cases_session_is_not_edited(request, client_for, person, case_session, archived):
    _close(case_session.case, archived=archived)
    client = client_for(request.getfixturevalue(person))
    page = client.get(_detail(case_session))
    # Still readable, with no edit link but a word on why.
    assert page.status_code == 200
    html = page.content.decode()
    assert _edit(case_session) not in html
    assert 'data-testid="session-history-note"' in html
    response = client.get(_edit(case_session), follow=True)
    assert response.redirect_chain == [(_detail(case_session), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Kasus sesi ini sudah ditutup: sesi-sesinya disimpan apa adanya."
    ]
    response = client.post(_edit(case_session), _edit_form(case_session, summary="Diubah"))
    assert response.status_code == 302
    case_session.refresh_from_db()
    assert case_session.summary != "Diubah"


@pytest.mark.parametrize("person", CASE_READERS)
def test_readers_still_get_404_on_a_closed_cases_session_edit(
    request, client_for, person, case_session
):
    _close(case_session.case)
    assert client_for(request.getfixturevalue(person)).get(_edit(case_session)).status_code == 404


def test_a_case_closed_while_its_session_is_edited_keeps_the_session(
    client_for, counselor, case_session
):
    client = client_for(counselor)
    assert client.get(_edit(case_session)).status_code == 200
    _close(case_session.case)
    # The edit view lets the form through only while the case is open; the service checks
    # again, as stored.
    with pytest.raises(ValidationError):
        session_update(
            session=case_session,
            edited_at=case_session.updated_at,
            **{
                name: getattr(case_session, name)
                for name in SESSION_EDIT_FIELDS
                if name not in ("students", "summary", "confidential_notes")
            },
            students=[case_session.case.student],
            summary="Diubah",
        )
    case_session.refresh_from_db()
    assert case_session.summary != "Diubah"


def test_a_closed_case_is_not_offered_for_a_new_session(client_for, counselor, case, student):
    other = CaseFactory(student=student, counselor=counselor, category="bullying")
    form = client_for(counselor).get(SESSION_CREATE).context["form"]
    assert set(form.fields["case"].queryset) == {case, other}
    _close(case)
    form = client_for(counselor).get(SESSION_CREATE).context["form"]
    assert list(form.fields["case"].queryset) == [other]


def test_the_service_refuses_a_session_for_a_case_closed_meanwhile(counselor, case, student):
    # The form was opened while the case was open; the case object is as then.
    _close(case)
    with pytest.raises(ValidationError) as refused:
        _log(counselor, student, case=case)
    assert "case" in refused.value.error_dict
    assert not CounselingSession.objects.exists()
