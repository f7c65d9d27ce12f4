"""Referrals: teachers refer students to BK and see only the status; counselors take them up as
cases or decline them; a case's handlers refer it out with the parent's consent; the teacher's
home panel."""

import io
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from counseling import referrals as services
from counseling.cases import case_open
from counseling.models import BKField, Case, InboundReferral, OutboundReferral, Student
from staff.models import AcademicYear, AccessLogEntry, Role
from tests.factories import (
    AcademicYearFactory,
    CaseFactory,
    ClassroomFactory,
    InboundReferralFactory,
    StudentFactory,
    UserFactory,
)

REFERRAL_CREATE = reverse("counseling:referral_create")
MY_REFERRALS = reverse("counseling:my_referrals")
INBOX = reverse("counseling:referral_inbox")
HOME = reverse("home")

REASON = "Sering terlambat dan tampak murung sejak awal bulan."
CASE_SUMMARY = "RINGKASAN-KASUS-RAHASIA: masalah keluarga di rumah."
DECLINE_REASON = "ALASAN-BK-RAHASIA: sudah ditangani wali kelas."


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _current_year(school) -> AcademicYear:
    return AcademicYear.objects.get(school=school, is_current=True)


@pytest.fixture
def own_class(school, homeroom_teacher, counselor):
    return ClassroomFactory(
        school=school,
        academic_year=_current_year(school),
        grade=7,
        name="VII-A",
        homeroom_teacher=homeroom_teacher,
        counselor=counselor,
    )


@pytest.fixture
def another_class(school):
    teacher = UserFactory(
        username="walas2", full_name="Ibu Walas Dua", school=school, roles=[Role.HOMEROOM_TEACHER]
    )
    return ClassroomFactory(
        school=school,
        academic_year=_current_year(school),
        grade=8,
        name="VIII-B",
        homeroom_teacher=teacher,
    )


@pytest.fixture
def student(school, own_class):
    return StudentFactory(
        school=school, classroom=own_class, nisn="0098765432", full_name="Ayu Lestari"
    )


@pytest.fixture
def other_student(school, another_class):
    return StudentFactory(
        school=school, classroom=another_class, nisn="0112233445", full_name="Bagus Pratama"
    )


@pytest.fixture
def foreign_student(other_school):
    classroom = ClassroomFactory(
        school=other_school, academic_year=_current_year(other_school), name="X-1", grade=10
    )
    return StudentFactory(
        school=other_school, classroom=classroom, nisn="0900000001", full_name="Citra Asing"
    )


@pytest.fixture
def second_counselor(school):
    return UserFactory(
        username="konselor2", full_name="Bapak Konselor Dua", school=school, roles=[Role.COUNSELOR]
    )


@pytest.fixture
def other_counselor(other_school):
    return UserFactory(
        username="lain_konselor",
        full_name="Konselor Lain",
        school=other_school,
        roles=[Role.COUNSELOR],
    )


@pytest.fixture
def referral(student, homeroom_teacher):
    return InboundReferralFactory(student=student, referred_by=homeroom_teacher, reason=REASON)


def _accept_data(counselor, **overrides) -> dict:
    return {
        "counselor": counselor.pk,
        "field": BKField.PERSONAL,
        "category": Case.Category.FAMILY,
        "summary": CASE_SUMMARY,
        **overrides,
    }


# --- Referring a student ---------------------------------------------------------------------


def test_homeroom_teacher_refers_a_student_of_own_class(client_for, homeroom_teacher, student):
    client = client_for(homeroom_teacher)
    response = client.post(REFERRAL_CREATE, {"student": student.pk, "reason": f"  {REASON}  "})

    assert response.status_code == 302
    assert response["Location"] == MY_REFERRALS
    referral = InboundReferral.objects.get()
    assert (referral.school, referral.student, referral.referred_by) == (
        student.school,
        student,
        homeroom_teacher,
    )
    assert referral.reason == REASON
    assert referral.status == InboundReferral.Status.SUBMITTED
    assert "Ayu Lestari" in client.get(MY_REFERRALS).content.decode()


def test_homeroom_teacher_cannot_refer_a_student_of_another_class(
    client_for, homeroom_teacher, student, other_student
):
    client = client_for(homeroom_teacher)
    form = client.get(REFERRAL_CREATE).context["form"]
    assert list(form.fields["student"].queryset) == [student]

    response = client.post(REFERRAL_CREATE, {"student": other_student.pk, "reason": REASON})

    assert response.status_code == 200
    assert "student" in response.context["form"].errors
    assert not InboundReferral.objects.exists()


def test_homeroom_teacher_cannot_refer_last_years_pupil(client_for, school, homeroom_teacher):
    last_year = AcademicYearFactory(
        school=school,
        name="2025/2026",
        start_date=timezone.localdate().replace(year=2025, month=7, day=1),
        end_date=timezone.localdate().replace(year=2026, month=6, day=30),
        is_current=False,
    )
    old_class = ClassroomFactory(
        school=school, academic_year=last_year, name="VI-Z", homeroom_teacher=homeroom_teacher
    )
    former_pupil = StudentFactory(school=school, classroom=old_class)
    response = client_for(homeroom_teacher).post(
        REFERRAL_CREATE, {"student": former_pupil.pk, "reason": REASON}
    )
    assert response.status_code == 200
    assert not InboundReferral.objects.exists()


def test_subject_teacher_may_refer_any_active_student_of_the_school_ordered_by_class(
    client_for, subject_teacher, student, other_student
):
    client = client_for(subject_teacher)
    form = client.get(REFERRAL_CREATE).context["form"]
    choices = [label for _value, label in form.fields["student"].choices][1:]
    assert choices == ["VII-A — Ayu Lestari", "VIII-B — Bagus Pratama"]

    response = client.post(REFERRAL_CREATE, {"student": other_student.pk, "reason": REASON})

    assert response.status_code == 302
    assert InboundReferral.objects.get().student == other_student


@pytest.mark.parametrize("status", [Student.Status.MOVED, Student.Status.GRADUATED])
def test_subject_teacher_cannot_refer_a_student_who_left(
    client_for, school, subject_teacher, own_class, status
):
    gone = StudentFactory(school=school, classroom=own_class, status=status)
    response = client_for(subject_teacher).post(
        REFERRAL_CREATE, {"student": gone.pk, "reason": REASON}
    )
    assert response.status_code == 200
    assert "student" in response.context["form"].errors
    assert not InboundReferral.objects.exists()


def test_subject_teacher_cannot_refer_another_schools_student(
    client_for, subject_teacher, student, foreign_student
):
    response = client_for(subject_teacher).post(
        REFERRAL_CREATE, {"student": foreign_student.pk, "reason": REASON}
    )
    assert response.status_code == 200
    assert "student" in response.context["form"].errors
    assert not InboundReferral.objects.exists()


def test_referral_needs_a_description_of_what_was_observed(client_for, homeroom_teacher, student):
    client = client_for(homeroom_teacher)
    for reason in ["", "   ", "murung"]:
        response = client.post(REFERRAL_CREATE, {"student": student.pk, "reason": reason})
        assert response.status_code == 200
        assert "reason" in response.context["form"].errors
    assert not InboundReferral.objects.exists()


def test_the_same_teacher_cannot_refer_a_student_twice_while_bk_has_not_decided(
    client_for, homeroom_teacher, student, referral
):
    response = client_for(homeroom_teacher).post(
        REFERRAL_CREATE, {"student": student.pk, "reason": REASON}
    )
    assert response.status_code == 200
    assert "student" in response.context["form"].errors
    assert InboundReferral.objects.count() == 1


def test_referral_form_preselects_the_student_from_the_link(client_for, homeroom_teacher, student):
    response = client_for(homeroom_teacher).get(f"{REFERRAL_CREATE}?student={student.pk}")
    assert response.context["form"]["student"].value() == student.pk
    # Junk in the link is ignored, not a 500.
    assert client_for(homeroom_teacher).get(f"{REFERRAL_CREATE}?student=x").status_code == 200


def test_homeroom_teacher_without_a_class_is_told_there_is_nobody_to_refer(
    client_for, homeroom_teacher, another_class, other_student
):
    response = client_for(homeroom_teacher).get(REFERRAL_CREATE)
    assert response.status_code == 200
    assert list(response.context["form"].fields["student"].queryset) == []
    assert "Tidak ada siswa yang dapat Anda rujuk" in response.content.decode()


@pytest.mark.parametrize(
    "person", ["principal", "counselor", "admin_staff", "other_principal", "other_admin_staff"]
)
def test_only_teachers_and_the_vice_principal_may_refer(request, client_for, student, person):
    client = client_for(request.getfixturevalue(person))
    assert client.get(REFERRAL_CREATE).status_code == 404
    assert (
        client.post(REFERRAL_CREATE, {"student": student.pk, "reason": REASON}).status_code == 404
    )
    assert client.get(MY_REFERRALS).status_code == 404
    assert not InboundReferral.objects.exists()


# --- What the referrer sees: the status, nothing more ------------------------------------------


def test_referrer_sees_only_the_status_of_own_referrals(
    client_for, homeroom_teacher, counselor, student, own_class, referral
):
    classmate = StudentFactory(school=student.school, classroom=own_class, full_name="Dewi Sari")
    declined = InboundReferralFactory(
        student=classmate, referred_by=homeroom_teacher, reason="Tidak mengerjakan tugas lagi."
    )
    services.referral_accept(
        referral=referral,
        accepted_by=counselor,
        counselor=counselor,
        field=BKField.PERSONAL,
        category=Case.Category.FAMILY,
        summary=CASE_SUMMARY,
    )
    services.referral_decline(referral=declined, declined_by=counselor, reason=DECLINE_REASON)
    client = client_for(homeroom_teacher)

    for url in (MY_REFERRALS, HOME):
        html = client.get(url).content.decode()
        assert "Ayu Lestari" in html
        assert "Dewi Sari" in html
        assert str(InboundReferral.Status.ACCEPTED.label) in html
        assert str(InboundReferral.Status.DECLINED.label) in html
        assert "RINGKASAN-KASUS-RAHASIA" not in html
        assert "ALASAN-BK-RAHASIA" not in html
        assert counselor.full_name not in html
        assert REASON not in html
    case = Case.objects.get()
    assert client.get(reverse("counseling:referral_detail", args=[referral.pk])).status_code == 404
    assert client.get(reverse("counseling:referral_detail", args=[declined.pk])).status_code == 404
    if "case_detail" in _counseling_url_names():
        assert client.get(reverse("counseling:case_detail", args=[case.pk])).status_code == 404


def _counseling_url_names() -> set[str]:
    from counseling import urls

    return {pattern.name for pattern in urls.urlpatterns}


def test_my_referrals_lists_only_own_referrals(
    client_for, subject_teacher, homeroom_teacher, student, other_student, referral
):
    InboundReferralFactory(student=other_student, referred_by=subject_teacher)
    response = client_for(subject_teacher).get(MY_REFERRALS)
    assert [r.student.full_name for r in response.context["page"]] == ["Bagus Pratama"]


# --- Triage ----------------------------------------------------------------------------------


def _age(referral, days):
    InboundReferral.objects.filter(pk=referral.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def test_inbox_shows_waiting_referrals_first_oldest_first_then_decided_ones(
    client_for, counselor, homeroom_teacher, subject_teacher, student, other_student
):
    decided_recent = InboundReferralFactory(student=student, referred_by=homeroom_teacher)
    waiting_new = InboundReferralFactory(student=other_student, referred_by=subject_teacher)
    waiting_old = InboundReferralFactory(student=student, referred_by=subject_teacher)
    decided_old = InboundReferralFactory(student=other_student, referred_by=homeroom_teacher)
    for referral, days in [
        (decided_recent, 1),
        (waiting_new, 2),
        (waiting_old, 5),
        (decided_old, 9),
    ]:
        _age(referral, days)
    services.referral_decline(referral=decided_recent, declined_by=counselor, reason="Sudah.")
    services.referral_decline(referral=decided_old, declined_by=counselor, reason="Sudah.")

    client = client_for(counselor)
    response = client.get(INBOX)
    assert [r.pk for r in response.context["page"]] == [
        waiting_old.pk,
        waiting_new.pk,
        decided_recent.pk,
        decided_old.pk,
    ]
    waiting = client.get(INBOX, {"status": InboundReferral.Status.SUBMITTED})
    assert [r.pk for r in waiting.context["page"]] == [waiting_old.pk, waiting_new.pk]
    # An unknown status shows everything rather than failing.
    assert len(client.get(INBOX, {"status": "nonsense"}).context["page"]) == 4


@pytest.mark.parametrize("person", ["counselor", "principal", "vice_principal"])
def test_inbox_and_referral_page_for_counselors_and_school_leaders(
    request, client_for, referral, person
):
    client = client_for(request.getfixturevalue(person))
    assert [r.pk for r in client.get(INBOX).context["page"]] == [referral.pk]
    response = client.get(reverse("counseling:referral_detail", args=[referral.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert REASON in html
    # Only counselors decide; the school leaders follow.
    assert response.context["may_decide"] is (person == "counselor")
    assert (reverse("counseling:referral_accept", args=[referral.pk]) in html) is (
        person == "counselor"
    )


def test_other_schools_see_nothing_of_the_referrals(
    client_for, referral, other_principal, other_counselor
):
    for person in (other_principal, other_counselor):
        client = client_for(person)
        assert list(client.get(INBOX).context["page"]) == []
        assert (
            client.get(reverse("counseling:referral_detail", args=[referral.pk])).status_code == 404
        )
        response = client.post(
            reverse("counseling:referral_accept", args=[referral.pk]),
            _accept_data(other_counselor),
        )
        assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == InboundReferral.Status.SUBMITTED


@pytest.mark.parametrize(
    "person", ["homeroom_teacher", "subject_teacher", "admin_staff", "other_admin_staff"]
)
def test_teachers_and_staff_have_no_inbox_nor_referral_page(request, client_for, referral, person):
    client = client_for(request.getfixturevalue(person))
    assert client.get(INBOX).status_code == 404
    assert client.get(reverse("counseling:referral_detail", args=[referral.pk])).status_code == 404


@pytest.mark.parametrize(
    ("referrer", "expected_source"),
    [
        ("homeroom_teacher", Case.Source.HOMEROOM_TEACHER),
        ("subject_teacher", Case.Source.SUBJECT_TEACHER),
        ("vice_principal", Case.Source.DISCIPLINE),
    ],
)
def test_counselor_takes_a_referral_up_as_a_case(
    request, client_for, counselor, student, referrer, expected_source
):
    referral = InboundReferralFactory(
        student=student, referred_by=request.getfixturevalue(referrer), reason=REASON
    )
    client = client_for(counselor)
    form = client.get(reverse("counseling:referral_detail", args=[referral.pk])).context[
        "accept_form"
    ]
    assert form["summary"].value() == REASON
    assert form["counselor"].value() == counselor.pk

    response = client.post(
        reverse("counseling:referral_accept", args=[referral.pk]), _accept_data(counselor)
    )

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("counseling:case_detail", args=[case.pk])
    assert case.referral == referral
    assert case.source == expected_source
    assert (case.student, case.counselor, case.created_by) == (student, counselor, counselor)
    assert (case.field, case.category, case.summary) == (
        BKField.PERSONAL,
        Case.Category.FAMILY,
        CASE_SUMMARY,
    )
    assert case.status == Case.Status.NEW
    referral.refresh_from_db()
    assert referral.status == InboundReferral.Status.ACCEPTED
    assert referral.decided_by == counselor
    assert referral.decided_at is not None


def test_homeroom_teacher_who_also_teaches_a_subject_refers_another_class_as_subject_teacher(
    school, counselor, other_student
):
    teacher = UserFactory(school=school, roles=[Role.HOMEROOM_TEACHER, Role.SUBJECT_TEACHER])
    referral = InboundReferralFactory(student=other_student, referred_by=teacher)
    assert services.referral_source(referral) == Case.Source.SUBJECT_TEACHER


def test_accepting_counselor_may_make_a_colleague_responsible_but_not_an_outsider(
    client_for, counselor, second_counselor, other_counselor, referral
):
    client = client_for(counselor)
    url = reverse("counseling:referral_accept", args=[referral.pk])
    response = client.post(url, _accept_data(other_counselor))
    assert response.status_code == 200
    assert "counselor" in response.context["accept_form"].errors
    assert not Case.objects.exists()

    client.post(url, _accept_data(second_counselor))
    assert Case.objects.get().counselor == second_counselor


def test_a_referral_about_an_open_problem_is_not_opened_as_a_second_case(
    client_for, counselor, referral, case
):
    existing = case  # the student's case about emotional wellbeing, in progress
    url = reverse("counseling:referral_accept", args=[referral.pk])
    response = client_for(counselor).post(
        url, _accept_data(counselor, category=Case.Category.EMOTIONAL)
    )
    assert response.status_code == 200
    assert "category" in response.context["accept_form"].errors
    html = response.content.decode()
    # The open case holds no referral: it is offered to take this one up.
    assert 'data-testid="attach-to-open-case"' in html
    assert reverse("counseling:referral_attach", args=[referral.pk]) in html
    assert reverse("counseling:case_detail", args=[existing.pk]) in html
    assert list(Case.objects.all()) == [existing]
    referral.refresh_from_db()
    assert referral.status == InboundReferral.Status.SUBMITTED
    # Another category is another problem: taken up as its own case.
    response = client_for(counselor).post(
        url, _accept_data(counselor, category=Case.Category.DISCIPLINE)
    )
    assert response.status_code == 302
    assert Case.objects.count() == 2


def _attach(referral) -> str:
    return reverse("counseling:referral_attach", args=[referral.pk])


def test_a_referral_about_an_open_problem_is_taken_up_in_the_open_case(
    client_for, homeroom_teacher, second_counselor, referral, case
):
    # Any counselor triaging the referral, not only the case's own.
    client = client_for(second_counselor)
    version = case.version
    response = client.post(_attach(referral), {"case": case.pk}, follow=True)
    assert response.redirect_chain == [(reverse("counseling:case_detail", args=[case.pk]), 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert 'data-testid="referral-origin"' in response.content.decode()
    referral.refresh_from_db()
    case.refresh_from_db()
    assert (referral.status, referral.decided_by) == (
        InboundReferral.Status.ACCEPTED,
        second_counselor,
    )
    assert referral.decided_at is not None
    # The case is linked and otherwise as its handlers left it.
    assert (case.referral, case.counselor, case.summary, case.version) == (
        referral,
        case.counselor,
        CASE_SUMMARY,
        version,
    )
    assert Case.objects.count() == 1
    # The referrer sees it taken up, and nothing more.
    html = client_for(homeroom_teacher).get(MY_REFERRALS).content.decode()
    assert str(InboundReferral.Status.ACCEPTED.label) in html
    assert CASE_SUMMARY not in html
    # The referral's page names the case.
    html = client.get(reverse("counseling:referral_detail", args=[referral.pk])).content.decode()
    assert reverse("counseling:case_detail", args=[case.pk]) in html


def test_a_case_with_a_referral_of_its_own_is_not_offered_and_refuses_another(
    client_for, counselor, homeroom_teacher, referral, case, student
):
    first = InboundReferralFactory(student=student, referred_by=homeroom_teacher, reason="Dulu.")
    Case.objects.filter(pk=case.pk).update(referral=first)
    client = client_for(counselor)
    response = client.post(
        reverse("counseling:referral_accept", args=[referral.pk]),
        _accept_data(counselor, category=Case.Category.EMOTIONAL),
    )
    html = response.content.decode()
    # The refusal with a link stays.
    assert 'data-testid="open-case-exists"' in html
    assert 'data-testid="attach-to-open-case"' not in html
    # A forged attach changes nothing.
    response = client.post(_attach(referral), {"case": case.pk}, follow=True)
    assert response.redirect_chain == [
        (reverse("counseling:referral_detail", args=[referral.pk]), 302)
    ]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    referral.refresh_from_db()
    case.refresh_from_db()
    assert (referral.status, case.referral) == (InboundReferral.Status.SUBMITTED, first)


def test_a_referral_joins_only_an_open_case_of_its_own_student(
    client_for, counselor, referral, case, other_student
):
    others = CaseFactory(student=other_student, counselor=counselor, category="emotional")
    closed = CaseFactory(
        student=referral.student,
        counselor=counselor,
        category=Case.Category.PEERS,
        status=Case.Status.CLOSED,
        outcome="Selesai.",
    )
    client = client_for(counselor)
    for target in ("", "abc", others.pk, closed.pk, 999999):
        response = client.post(_attach(referral), {"case": target})
        assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == InboundReferral.Status.SUBMITTED
    assert not Case.objects.filter(referral=referral).exists()


def test_attaching_a_decided_referral_or_into_a_case_taken_meanwhile_changes_nothing(
    counselor, homeroom_teacher, referral, case, student
):
    services.referral_decline(referral=referral, declined_by=counselor, reason="Sudah.")
    with pytest.raises(services.ReferralAlreadyDecided):
        services.referral_attach(referral=referral, case=case, attached_by=counselor)
    fresh = InboundReferralFactory(student=student, referred_by=homeroom_teacher, reason="Lagi.")
    other = InboundReferralFactory(student=student, referred_by=homeroom_teacher, reason="Juga.")
    services.referral_attach(referral=other, case=case, attached_by=counselor)
    with pytest.raises(services.CaseCannotTakeReferral):
        services.referral_attach(referral=fresh, case=case, attached_by=counselor)
    fresh.refresh_from_db()
    assert fresh.status == InboundReferral.Status.SUBMITTED


@pytest.mark.parametrize("person", ["principal", "vice_principal", "homeroom_teacher"])
def test_only_counselors_attach_a_referral(request, client_for, referral, case, person):
    response = client_for(request.getfixturevalue(person)).post(
        _attach(referral), {"case": case.pk}
    )
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == InboundReferral.Status.SUBMITTED


def test_another_schools_counselor_cannot_attach(client_for, other_counselor, referral, case):
    response = client_for(other_counselor).post(_attach(referral), {"case": case.pk})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == InboundReferral.Status.SUBMITTED


def test_the_accept_form_is_submitted_once(client_for, counselor, referral):
    html = (
        client_for(counselor)
        .get(reverse("counseling:referral_detail", args=[referral.pk]))
        .content.decode()
    )
    assert "novalidate data-once>" in html


def test_accepting_needs_field_category_and_summary(client_for, counselor, referral):
    response = client_for(counselor).post(
        reverse("counseling:referral_accept", args=[referral.pk]),
        _accept_data(counselor, field="", category="nonsense", summary=" "),
    )
    assert response.status_code == 200
    assert set(response.context["accept_form"].errors) == {"field", "category", "summary"}
    assert not Case.objects.exists()
    referral.refresh_from_db()
    assert referral.status == InboundReferral.Status.SUBMITTED


def test_declining_needs_a_reason(client_for, counselor, referral):
    client = client_for(counselor)
    url = reverse("counseling:referral_decline", args=[referral.pk])
    for reason in ["", "   "]:
        response = client.post(url, {"decline_reason": reason})
        assert response.status_code == 200
        assert "decline_reason" in response.context["decline_form"].errors
    referral.refresh_from_db()
    assert referral.status == InboundReferral.Status.SUBMITTED

    response = client.post(url, {"decline_reason": DECLINE_REASON})

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == InboundReferral.Status.DECLINED
    assert referral.decline_reason == DECLINE_REASON
    assert referral.decided_by == counselor
    assert not Case.objects.exists()


@pytest.mark.parametrize("person", ["principal", "vice_principal", "homeroom_teacher"])
def test_only_counselors_decide(request, client_for, referral, person):
    client = client_for(request.getfixturevalue(person))
    accept = client.post(
        reverse("counseling:referral_accept", args=[referral.pk]),
        _accept_data(UserFactory(school=referral.school, roles=[Role.COUNSELOR])),
    )
    decline = client.post(
        reverse("counseling:referral_decline", args=[referral.pk]), {"decline_reason": "Tidak."}
    )
    assert (accept.status_code, decline.status_code) == (404, 404)
    referral.refresh_from_db()
    assert referral.status == InboundReferral.Status.SUBMITTED


def test_a_decided_referral_cannot_be_decided_again(
    client_for, counselor, second_counselor, referral
):
    client_for(counselor).post(
        reverse("counseling:referral_accept", args=[referral.pk]), _accept_data(counselor)
    )
    client = client_for(second_counselor)

    again = client.post(
        reverse("counseling:referral_accept", args=[referral.pk]),
        _accept_data(second_counselor),
        follow=True,
    )
    decline = client.post(
        reverse("counseling:referral_decline", args=[referral.pk]),
        {"decline_reason": DECLINE_REASON},
        follow=True,
    )

    for response in (again, decline):
        assert "sudah memutuskan rujukan ini" in response.content.decode()
        assert response.context["may_decide"] is False
    assert Case.objects.count() == 1
    referral.refresh_from_db()
    assert (referral.status, referral.decided_by, referral.decline_reason) == (
        InboundReferral.Status.ACCEPTED,
        counselor,
        "",
    )


def test_two_counselors_accepting_from_the_same_page_open_one_case(
    counselor, second_counselor, referral
):
    # Both loaded the referral while it was waiting; the second save finds it decided.
    first_view = InboundReferral.objects.get(pk=referral.pk)
    second_view = InboundReferral.objects.get(pk=referral.pk)
    arguments = {"field": BKField.SOCIAL, "category": Case.Category.PEERS, "summary": "Ringkas."}
    services.referral_accept(
        referral=first_view, accepted_by=counselor, counselor=counselor, **arguments
    )
    with pytest.raises(services.ReferralAlreadyDecided):
        services.referral_accept(
            referral=second_view,
            accepted_by=second_counselor,
            counselor=second_counselor,
            **arguments,
        )
    assert Case.objects.count() == 1
    assert Case.objects.get().counselor == counselor


def test_a_referral_already_linked_to_a_case_is_never_linked_twice(counselor, referral):
    # Even if its status was somehow left waiting, the one-to-one link is checked first.
    case_open(
        student=referral.student,
        counselor=counselor,
        field=BKField.PERSONAL,
        category=Case.Category.OTHER,
        source=Case.Source.HOMEROOM_TEACHER,
        summary="Ringkas.",
        opened_by=counselor,
        referral=referral,
    )
    with pytest.raises(services.ReferralAlreadyDecided):
        services.referral_accept(
            referral=referral,
            accepted_by=counselor,
            counselor=counselor,
            field=BKField.PERSONAL,
            category=Case.Category.OTHER,
            summary="Lagi.",
        )
    assert Case.objects.count() == 1


def test_a_case_opened_from_the_referral_at_the_same_moment_gives_a_message_not_an_error(
    monkeypatch, client_for, counselor, referral
):
    # Where the database cannot lock the row, the one-to-one link is the last guard.
    def collide(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: counseling_case.referral_id")

    monkeypatch.setattr(services, "case_open", collide)
    response = client_for(counselor).post(
        reverse("counseling:referral_accept", args=[referral.pk]),
        _accept_data(counselor),
        follow=True,
    )
    assert response.status_code == 200
    assert "sudah memutuskan rujukan ini" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == InboundReferral.Status.SUBMITTED
    assert not Case.objects.exists()


# --- Referring a case out --------------------------------------------------------------------


def _png(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "JPEG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def case(student, counselor):
    case = case_open(
        student=student,
        counselor=counselor,
        field=BKField.PERSONAL,
        category=Case.Category.EMOTIONAL,
        source=Case.Source.COUNSELOR,
        summary=CASE_SUMMARY,
        opened_by=counselor,
        opened_on=timezone.localdate() - timedelta(days=30),
    )
    Case.objects.filter(pk=case.pk).update(status=Case.Status.IN_PROGRESS)
    case.refresh_from_db()
    return case


def _refer_out_data(**overrides) -> dict:
    today = timezone.localdate()
    return {
        "service": OutboundReferral.Service.PSYCHOLOGIST,
        "institution": "Biro Psikologi Harapan",
        "reason": "Kecemasan berat; perlu asesmen psikolog.",
        "referred_on": today.isoformat(),
        "consent_given_by": "Sri Wahyuni",
        "consent_relation": "Ibu",
        "consent_date": (today - timedelta(days=1)).isoformat(),
        **overrides,
    }


def _refer_out_url(case) -> str:
    return reverse("counseling:outbound_referral_create", args=[case.pk])


def test_handler_refers_the_case_out_with_consent_and_the_case_moves_to_referred_out(
    client_for, counselor, case
):
    version = case.version
    response = client_for(counselor).post(
        _refer_out_url(case), _refer_out_data(consent_form=_upload("Ayu Lestari.png", _png()))
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("counseling:case_detail", args=[case.pk])
    referral = OutboundReferral.objects.get()
    assert (referral.case, referral.school, referral.created_by) == (case, case.school, counselor)
    assert (referral.institution, referral.consent_given_by, referral.consent_relation) == (
        "Biro Psikologi Harapan",
        "Sri Wahyuni",
        "Ibu",
    )
    # Stored under a random name with the detected type's extension, never the child's name.
    assert referral.consent_form.name.startswith(f"consent/{case.school_id}/")
    assert referral.consent_form.name.endswith(".png")
    assert "Ayu" not in referral.consent_form.name
    case.refresh_from_db()
    assert case.status == Case.Status.REFERRED_OUT
    assert case.version == version + 1


def test_a_co_handler_may_refer_out_without_a_consent_form(
    client_for, counselor, second_counselor, case
):
    case.co_handlers.add(second_counselor)
    response = client_for(second_counselor).post(_refer_out_url(case), _refer_out_data())
    assert response.status_code == 302
    assert not OutboundReferral.objects.get().consent_form


def test_a_new_case_keeps_its_status_when_referred_out(client_for, counselor, case):
    Case.objects.filter(pk=case.pk).update(status=Case.Status.NEW)
    response = client_for(counselor).post(_refer_out_url(case), _refer_out_data(), follow=True)
    assert OutboundReferral.objects.count() == 1
    case.refresh_from_db()
    assert case.status == Case.Status.NEW
    assert "Status kasus tetap" in response.content.decode()


def test_a_closed_case_is_not_referred_out(client_for, counselor, case):
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    response = client_for(counselor).post(_refer_out_url(case), _refer_out_data())
    assert response.status_code == 302
    assert not OutboundReferral.objects.exists()


@pytest.mark.parametrize(
    "person",
    [
        "second_counselor",
        "principal",
        "vice_principal",
        "homeroom_teacher",
        "subject_teacher",
        "admin_staff",
        "other_principal",
        "other_counselor",
    ],
)
def test_only_the_cases_handlers_may_refer_it_out(request, client_for, case, person):
    client = client_for(request.getfixturevalue(person))
    assert client.get(_refer_out_url(case)).status_code == 404
    assert client.post(_refer_out_url(case), _refer_out_data()).status_code == 404
    assert not OutboundReferral.objects.exists()
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("name", "content", "stored_as"),
    [
        ("persetujuan.pdf", PDF, ".pdf"),
        ("persetujuan.jpeg", _jpeg(), ".jpg"),
        ("foto.PNG", _png(), ".png"),
        # Judged by the content: a PDF sent under an image name is stored as the PDF it is.
        ("scan.jpg", PDF, ".pdf"),
    ],
)
def test_consent_form_type_is_judged_by_its_content(
    client_for, counselor, case, name, content, stored_as
):
    response = client_for(counselor).post(
        _refer_out_url(case), _refer_out_data(consent_form=_upload(name, content))
    )
    assert response.status_code == 302
    stored = OutboundReferral.objects.get().consent_form
    assert stored.name.endswith(stored_as)
    with stored.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("persetujuan.pdf", b"Ini hanya teks biasa, bukan PDF."),
        ("persetujuan.png", b"GIF89a\x01\x00\x01\x00"),
        ("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),
        # The right signature over a body that is no image.
        ("rusak.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ("rusak.jpg", b"\xff\xd8\xff\xe0" + b"bukan gambar" * 10),
        ("besar.pdf", b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024)),
        ("kosong.pdf", b""),
    ],
)
def test_consent_forms_that_are_not_a_small_pdf_jpg_or_png_are_refused(
    client_for, counselor, case, name, content
):
    response = client_for(counselor).post(
        _refer_out_url(case), _refer_out_data(consent_form=_upload(name, content))
    )
    assert response.status_code == 200
    assert "consent_form" in response.context["form"].errors
    assert not OutboundReferral.objects.exists()
    case.refresh_from_db()
    assert case.status == Case.Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"referred_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "referred_on"),
        ({"referred_on": (timezone.localdate() - timedelta(days=60)).isoformat()}, "referred_on"),
        ({"consent_date": (timezone.localdate() + timedelta(days=1)).isoformat()}, "consent_date"),
        (
            {
                "referred_on": (timezone.localdate() - timedelta(days=5)).isoformat(),
                "consent_date": (timezone.localdate() - timedelta(days=2)).isoformat(),
            },
            "consent_date",
        ),
        ({"consent_given_by": ""}, "consent_given_by"),
        ({"consent_date": ""}, "consent_date"),
        ({"service": "dukun"}, "service"),
    ],
)
def test_referral_out_dates_and_consent_are_checked(client_for, counselor, case, overrides, field):
    response = client_for(counselor).post(_refer_out_url(case), _refer_out_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not OutboundReferral.objects.exists()


@pytest.fixture
def referral_out(client_for, counselor, case):
    client_for(counselor).post(
        _refer_out_url(case), _refer_out_data(consent_form=_upload("form.pdf", PDF))
    )
    return OutboundReferral.objects.get()


def _consent_url(referral) -> str:
    return reverse("counseling:outbound_referral_consent", args=[referral.pk])


def test_handler_downloads_the_consent_form_and_the_download_is_logged(
    client_for, counselor, referral_out
):
    response = client_for(counselor).get(_consent_url(referral_out))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.object_type, entry.object_id) == (
        counselor,
        AccessLogEntry.Action.EXPORT,
        "counseling.outboundreferral",
        str(referral_out.pk),
    )


@pytest.mark.parametrize(
    "person",
    [
        "second_counselor",
        "principal",
        "vice_principal",
        "homeroom_teacher",
        "subject_teacher",
        "admin_staff",
        "other_principal",
        "other_counselor",
    ],
)
def test_only_the_cases_handlers_download_the_consent_form(
    request, client_for, referral_out, person
):
    response = client_for(request.getfixturevalue(person)).get(_consent_url(referral_out))
    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_a_referral_out_without_a_form_has_nothing_to_download(client_for, counselor, case):
    client_for(counselor).post(_refer_out_url(case), _refer_out_data())
    referral = OutboundReferral.objects.get()
    assert client_for(counselor).get(_consent_url(referral)).status_code == 404


def test_the_consent_form_is_never_linked_through_media_url(
    settings, client_for, counselor, second_counselor, case, referral_out
):
    if "case_detail" not in _counseling_url_names():
        pytest.skip("the case page is not there yet")
    url = reverse("counseling:case_detail", args=[case.pk])
    handler_html = client_for(counselor).get(url).content.decode()
    assert _consent_url(referral_out) in handler_html
    assert _refer_out_url(case) in handler_html
    assert settings.MEDIA_URL not in handler_html
    assert referral_out.consent_form.name not in handler_html
    # A colleague reads the case but neither downloads the form nor refers the case out.
    colleague_html = client_for(second_counselor).get(url).content.decode()
    assert "Biro Psikologi Harapan" in colleague_html
    assert _consent_url(referral_out) not in colleague_html
    assert _refer_out_url(case) not in colleague_html


# --- The teacher's home panel ----------------------------------------------------------------


def test_homeroom_teacher_home_shows_own_class_and_referral_status(
    client_for, school, homeroom_teacher, counselor, student, own_class, referral
):
    StudentFactory(school=school, classroom=own_class, status=Student.Status.MOVED)
    StudentFactory(school=school, classroom=own_class, full_name="Eka Putra")
    services.referral_decline(referral=referral, declined_by=counselor, reason=DECLINE_REASON)
    InboundReferralFactory(student=student, referred_by=homeroom_teacher)

    response = client_for(homeroom_teacher).get(HOME)

    panel = response.context["teacher_home"]
    assert [(c.name, c.active_students) for c in panel.classes] == [("VII-A", 2)]
    assert panel.may_refer
    assert [(c.status, c.count) for c in panel.counts] == [
        (InboundReferral.Status.SUBMITTED, 1),
        (InboundReferral.Status.ACCEPTED, 0),
        (InboundReferral.Status.DECLINED, 1),
    ]
    assert len(panel.referrals) == 2
    html = response.content.decode()
    assert f"{reverse('counseling:student_list')}?classroom={own_class.pk}" in html
    assert REFERRAL_CREATE in html
    assert "ALASAN-BK-RAHASIA" not in html


def test_subject_teacher_home_has_referrals_but_no_class(client_for, subject_teacher, student):
    response = client_for(subject_teacher).get(HOME)
    panel = response.context["teacher_home"]
    assert panel.classes == []
    assert panel.may_refer
    assert REFERRAL_CREATE in response.content.decode()


@pytest.mark.parametrize("person", ["principal", "counselor", "admin_staff"])
def test_other_roles_have_no_teacher_panel(request, client_for, person):
    response = client_for(request.getfixturevalue(person)).get(HOME)
    assert "teacher_home" not in response.context


def test_teacher_home_lists_the_latest_ten_referrals(
    client_for, homeroom_teacher, student, own_class
):
    for _ in range(12):
        InboundReferralFactory(student=student, referred_by=homeroom_teacher)
    response = client_for(homeroom_teacher).get(HOME)
    panel = response.context["teacher_home"]
    assert len(panel.referrals) == 10
    assert panel.referral_total == 12
    assert MY_REFERRALS in response.content.decode()


# --- Every referral page, as each member of the cast ----------------------------------------

CAST = [
    "principal",
    "vice_principal",
    "counselor",
    "second_counselor",
    "homeroom_teacher",
    "subject_teacher",
    "admin_staff",
    "other_principal",
    "other_counselor",
]


def _only(*people, status=200, others=404) -> dict:
    return {person: (status if person in people else others) for person in CAST}


def test_every_referral_page_answers_each_person_as_expected(
    request, client_for, referral, referral_out, case
):
    pages = {
        REFERRAL_CREATE: _only("vice_principal", "homeroom_teacher", "subject_teacher"),
        MY_REFERRALS: _only("vice_principal", "homeroom_teacher", "subject_teacher"),
        INBOX: _only(
            "principal",
            "vice_principal",
            "counselor",
            "second_counselor",
            "other_principal",
            "other_counselor",
        ),
        reverse("counseling:referral_detail", args=[referral.pk]): _only(
            "principal", "vice_principal", "counselor", "second_counselor"
        ),
        # POST only: any counselor asking with GET is told so (whatever the referral, so it
        # reveals nothing); nobody else learns the page exists.
        reverse("counseling:referral_accept", args=[referral.pk]): _only(
            "counselor", "second_counselor", "other_counselor", status=405
        ),
        reverse("counseling:referral_decline", args=[referral.pk]): _only(
            "counselor", "second_counselor", "other_counselor", status=405
        ),
        _refer_out_url(case): _only("counselor"),
        _consent_url(referral_out): _only("counselor"),
    }
    clients = {person: client_for(request.getfixturevalue(person)) for person in CAST}
    answers = {
        (url, person): clients[person].get(url).status_code for url in pages for person in CAST
    }
    expected = {
        (url, person): status for url, row in pages.items() for person, status in row.items()
    }
    assert answers == expected


# --- Query counts ----------------------------------------------------------------------------


def _many_referrals(school, teacher, classroom, count):
    students = [
        StudentFactory(school=school, classroom=classroom) for _ in range(max(1, count // 2))
    ]
    for index in range(count):
        InboundReferralFactory(student=students[index % len(students)], referred_by=teacher)


def test_my_referrals_query_count_does_not_grow(
    client_for, school, homeroom_teacher, own_class, django_assert_num_queries
):
    client = client_for(homeroom_teacher)
    _many_referrals(school, homeroom_teacher, own_class, 3)
    # session, user, roles, count, the page of referrals with students and classes
    with django_assert_num_queries(5):
        client.get(MY_REFERRALS)
    _many_referrals(school, homeroom_teacher, own_class, 30)
    with django_assert_num_queries(5):
        client.get(MY_REFERRALS)


def test_referral_inbox_query_count_does_not_grow(
    client_for, school, counselor, homeroom_teacher, own_class, django_assert_num_queries
):
    client = client_for(counselor)
    _many_referrals(school, homeroom_teacher, own_class, 3)
    for referral in InboundReferral.objects.all()[:1]:
        services.referral_decline(referral=referral, declined_by=counselor, reason="Sudah.")
    # session, user, roles, count, the page of referrals, then (prefetched, so that the
    # computed order sorts the referrals alone) their students with classes, their referrers
    # and their deciders
    with django_assert_num_queries(8):
        client.get(INBOX)
    _many_referrals(school, homeroom_teacher, own_class, 30)
    for referral in InboundReferral.objects.filter(status="submitted")[:10]:
        services.referral_decline(referral=referral, declined_by=counselor, reason="Sudah.")
    with django_assert_num_queries(8):
        client.get(INBOX)


def test_homeroom_teacher_home_query_count_does_not_grow(
    client_for, school, homeroom_teacher, own_class, django_assert_num_queries
):
    client = client_for(homeroom_teacher)
    _many_referrals(school, homeroom_teacher, own_class, 3)
    # session, user with school, roles, current semester with its year, own classes with
    # active students counted, referral counts by status, the latest referrals; the own
    # meetings of the coming week, the own overdue action items
    with django_assert_num_queries(9):
        client.get(HOME)
    _many_referrals(school, homeroom_teacher, own_class, 30)
    with django_assert_num_queries(9):
        client.get(HOME)
