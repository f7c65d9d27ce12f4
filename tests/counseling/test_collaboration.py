"""The collaboration log: a counselor's work with teachers, parents and outside parties."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from counseling.cases import collaboration_log
from counseling.models import Case, Collaboration
from staff.models import Role
from tests.counseling.cases_setup import CASE_READERS, NO_CASE_ROLES
from tests.factories import CaseFactory, CollaborationFactory, StudentFactory, UserFactory

COLLABORATION_LIST = reverse("counseling:collaboration_list")
COLLABORATION_CREATE = reverse("counseling:collaboration_create")


def _form(**overrides) -> dict:
    data = {
        "partner_type": Collaboration.Partner.PARENT,
        "partner_name": "Ibu Sri (ibu kandung)",
        "method": Collaboration.Method.HOME_VISIT,
        "happened_on": "2026-10-20",
        "student": "",
        "case": "",
        "topic": "Kebiasaan belajar di rumah",
        "agreement": "Ibu mendampingi belajar setiap malam.",
    }
    data.update(overrides)
    return data


# Logging


def test_counselor_logs_collaboration_about_a_student(client_for, counselor, student):
    client = client_for(counselor)
    form = client.get(COLLABORATION_CREATE, {"student": student.pk}).context["form"]
    assert form.initial["student"] == student.pk
    assert form.initial["happened_on"] == timezone.localdate()
    response = client.post(COLLABORATION_CREATE, _form(student=student.pk))
    entry = Collaboration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("counseling:student_detail", args=[student.pk])
    assert (entry.school, entry.counselor, entry.student, entry.case) == (
        student.school,
        counselor,
        student,
        None,
    )
    assert (entry.partner_type, entry.method, entry.happened_on) == (
        Collaboration.Partner.PARENT,
        Collaboration.Method.HOME_VISIT,
        datetime.date(2026, 10, 20),
    )
    assert entry.agreement == "Ibu mendampingi belajar setiap malam."


def test_collaboration_without_a_student_goes_to_the_list(client_for, counselor):
    response = client_for(counselor).post(
        COLLABORATION_CREATE,
        _form(partner_type=Collaboration.Partner.OUTSIDE, partner_name="Puskesmas Sukamaju"),
    )
    assert response.status_code == 302
    assert response["Location"] == COLLABORATION_LIST
    assert Collaboration.objects.get().student is None


def test_collaboration_about_a_case_takes_its_student(client_for, co_handler, case):
    # A co-handler records work about the case as the responsible counselor does.
    client = client_for(co_handler)
    form = client.get(COLLABORATION_CREATE, {"case": case.pk}).context["form"]
    assert (form.initial["case"], form.initial["student"]) == (case.pk, case.student_id)
    response = client.post(COLLABORATION_CREATE, _form(case=case.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("counseling:case_detail", args=[case.pk])
    entry = Collaboration.objects.get()
    assert (entry.case, entry.student) == (case, case.student)


def test_only_the_cases_handlers_are_offered_and_may_log_it(
    client_for, counselor, other_counselor, case, student, classmate
):
    other_case = CaseFactory(student=classmate, counselor=other_counselor, category="motivation")
    form = client_for(counselor).get(COLLABORATION_CREATE).context["form"]
    assert list(form.fields["case"].queryset) == [case]
    client = client_for(other_counselor)
    assert list(client.get(COLLABORATION_CREATE).context["form"].fields["case"].queryset) == [
        other_case
    ]
    # The case page's link, typed by hand: not a case of theirs to write into.
    assert client.get(COLLABORATION_CREATE, {"case": case.pk}).status_code == 404
    # A forged POST is a form error and nothing is saved.
    response = client.post(COLLABORATION_CREATE, _form(case=case.pk))
    assert response.status_code == 200
    assert "case" in response.context["form"].errors
    assert not Collaboration.objects.exists()
    # The student, without the case, is any counselor's to work about (DESIGN.md).
    response = client.post(COLLABORATION_CREATE, _form(student=student.pk))
    assert response.status_code == 302
    assert Collaboration.objects.get().student == student


def test_the_service_refuses_a_case_the_counselor_does_not_handle(other_counselor, case):
    with pytest.raises(ValidationError) as refused:
        collaboration_log(
            counselor=other_counselor,
            partner_type=Collaboration.Partner.PARENT,
            partner_name="Ibu Sri",
            method=Collaboration.Method.PHONE,
            student=None,
            case=case,
            happened_on=datetime.date(2026, 10, 20),
            topic="Kabar di rumah",
            agreement="",
        )
    assert "case" in refused.value.error_dict
    assert not Collaboration.objects.exists()


def test_a_closed_case_takes_no_more_collaboration(client_for, counselor, case):
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, outcome="Selesai.")
    client = client_for(counselor)
    response = client.get(COLLABORATION_CREATE, {"case": case.pk}, follow=True)
    assert response.redirect_chain == [(reverse("counseling:case_detail", args=[case.pk]), 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    # The case page offers no such link any more.
    assert f"{COLLABORATION_CREATE}?case={case.pk}" not in response.content.decode()
    response = client.post(COLLABORATION_CREATE, _form(case=case.pk))
    assert "case" in response.context["form"].errors
    assert not Collaboration.objects.exists()


def test_case_and_another_student_do_not_go_together(client_for, counselor, case, classmate):
    response = client_for(counselor).post(
        COLLABORATION_CREATE, _form(case=case.pk, student=classmate.pk)
    )
    assert response.status_code == 200
    assert "student" in response.context["form"].errors
    assert not Collaboration.objects.exists()


def test_the_date_cannot_be_in_the_future(client_for, counselor):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(counselor).post(
        COLLABORATION_CREATE, _form(happened_on=tomorrow.isoformat())
    )
    assert response.status_code == 200
    assert "happened_on" in response.context["form"].errors
    assert not Collaboration.objects.exists()


@pytest.mark.parametrize(
    "missing", ["partner_type", "partner_name", "method", "happened_on", "topic"]
)
def test_required_fields(client_for, counselor, missing):
    response = client_for(counselor).post(COLLABORATION_CREATE, _form(**{missing: ""}))
    assert response.status_code == 200
    assert missing in response.context["form"].errors


def test_another_schools_student_and_case_cannot_be_chosen(
    client_for, counselor, foreign_student, foreign_counselor
):
    foreign_case = CaseFactory(student=foreign_student, counselor=foreign_counselor)
    client = client_for(counselor)
    for data in [_form(student=foreign_student.pk), _form(case=foreign_case.pk)]:
        response = client.post(COLLABORATION_CREATE, data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert client.get(COLLABORATION_CREATE, {"case": foreign_case.pk}).status_code == 404
    assert client.get(COLLABORATION_CREATE, {"student": foreign_student.pk}).status_code == 404
    assert not Collaboration.objects.exists()


@pytest.mark.parametrize("person", ["principal", "vice_principal", *NO_CASE_ROLES])
def test_only_counselors_log_collaboration(request, client_for, person):
    client = client_for(request.getfixturevalue(person))
    assert client.get(COLLABORATION_CREATE).status_code == 404
    assert client.post(COLLABORATION_CREATE, _form()).status_code == 404
    assert not Collaboration.objects.exists()


# The list


@pytest.mark.parametrize("person", ["counselor", *CASE_READERS])
def test_school_leaders_and_counselors_read_the_log(request, client_for, person, student):
    CollaborationFactory(
        counselor=request.getfixturevalue("counselor"), student=student, topic="Nilai turun"
    )
    response = client_for(request.getfixturevalue(person)).get(COLLABORATION_LIST)
    assert response.status_code == 200
    html = response.content.decode()
    for shown in ["Nilai turun", "Ibu Sri (ibu kandung)", "Ayu Lestari", "VII-A"]:
        assert shown in html
    assert (COLLABORATION_CREATE in html) == (person in ("counselor", "other_counselor"))


@pytest.mark.parametrize("person", NO_CASE_ROLES + ["other_admin_staff"])
def test_teachers_and_staff_get_404_on_the_log(request, client_for, person):
    assert client_for(request.getfixturevalue(person)).get(COLLABORATION_LIST).status_code == 404


@pytest.mark.parametrize("person", ["other_principal", "foreign_counselor"])
def test_another_school_sees_only_its_own_log(request, client_for, person, counselor, student):
    CollaborationFactory(counselor=counselor, student=student)
    response = client_for(request.getfixturevalue(person)).get(COLLABORATION_LIST)
    assert response.status_code == 200
    assert list(response.context["page"]) == []


def test_the_log_filters_by_partner_and_counselor(
    client_for, principal, counselor, co_handler, student
):
    parent_call = CollaborationFactory(counselor=counselor, student=student)
    teacher_talk = CollaborationFactory(
        counselor=co_handler,
        partner_type=Collaboration.Partner.SUBJECT_TEACHER,
        happened_on=datetime.date(2026, 10, 1),
    )
    client = client_for(principal)

    def listed(params):
        return list(client.get(COLLABORATION_LIST, params).context["page"])

    assert listed({}) == [teacher_talk, parent_call]
    assert listed({"partner_type": "parent"}) == [parent_call]
    assert listed({"counselor": co_handler.pk}) == [teacher_talk]
    assert listed({"partner_type": "parent", "counselor": co_handler.pk}) == []
    assert listed({"partner_type": "grandmother"}) == []


def _populate(school, classroom, counselors, entries: int) -> None:
    for number in range(entries):
        student = StudentFactory(school=school, classroom=classroom)
        case = CaseFactory(student=student, counselor=counselors[number % len(counselors)])
        CollaborationFactory(
            counselor=counselors[number % len(counselors)], student=student, case=case
        )


def test_the_log_query_count_does_not_grow(
    client_for, principal, counselor, co_handler, school, classroom, django_assert_num_queries
):
    client = client_for(principal)
    client.get(COLLABORATION_LIST)
    _populate(school, classroom, [counselor, co_handler], 6)
    # session, user with school, roles, counselors for the filter, count,
    # the page of entries with counselor, student, class and case
    with django_assert_num_queries(6):
        client.get(COLLABORATION_LIST)
    _populate(school, classroom, [counselor, co_handler], 54)
    with django_assert_num_queries(6):
        response = client.get(COLLABORATION_LIST)
    assert len(response.context["page"]) == 50
    assert response.context["page"].paginator.count == 60
    # A filter by counselor adds the check of the chosen one.
    with django_assert_num_queries(7):
        response = client.get(COLLABORATION_LIST, {"counselor": counselor.pk})
    assert response.context["page"].paginator.count == 30


def test_a_new_counselor_appears_in_the_filter(client_for, principal, school):
    newcomer = UserFactory(school=school, full_name="Ibu Baru", roles=[Role.COUNSELOR])
    form = client_for(principal).get(COLLABORATION_LIST).context["form"]
    assert newcomer in form.fields["counselor"].queryset
