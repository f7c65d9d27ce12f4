"""DESIGN.md's confidentiality table, walked role by role over every page of the counseling app.

Each page is asked for with a real object of the first school: the student of the homeroom
teacher's class, a case handled by `counselor` with `co_handler`, a session of that case with
confidential notes, the homeroom teacher's referral, and a referral out with a consent form.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from counseling import urls as counseling_urls
from counseling.models import OutboundReferral
from counseling.pdf import load_weasyprint
from staff.models import AccessLogEntry
from tests.counseling.cases_setup import NOTES
from tests.factories import InboundReferralFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

PEOPLE = [
    "principal",
    "vice_principal",
    "counselor",  # responsible for the case
    "co_handler",
    "other_counselor",  # same school, not handling the case
    "homeroom_teacher",  # of the student's class, and the referrer
    "subject_teacher",
    "admin_staff",
    "other_principal",
    "other_admin_staff",
    "foreign_counselor",
]
NOBODY = dict.fromkeys(PEOPLE, 404)
COUNSELORS = {"counselor": 200, "co_handler": 200, "other_counselor": 200}
HANDLERS = {"counselor": 200, "co_handler": 200}
LEADERS = {"principal": 200, "vice_principal": 200}
# Each school's own lists answer its own people (empty for the second school).
OWN_LIST = {"other_principal": 200, "foreign_counselor": 200}
PDF = 200 if load_weasyprint() is not None else 503
ANY_COUNSELOR = ["counselor", "co_handler", "other_counselor", "foreign_counselor"]
# A state change asked for with GET: 405 to whoever could POST it, 404 to everyone else.
POST_ONLY = 405

EXPECTED = {
    "class_list": {
        **NOBODY,
        **COUNSELORS,
        "homeroom_teacher": 200,
        "admin_staff": 200,
        "other_admin_staff": 200,
        "foreign_counselor": 200,
    },
    "student_list": {
        **NOBODY,
        **COUNSELORS,
        "homeroom_teacher": 200,
        "admin_staff": 200,
        "other_admin_staff": 200,
        "foreign_counselor": 200,
    },
    "student_detail": {**NOBODY, **COUNSELORS, "homeroom_teacher": 200, "admin_staff": 200},
    "student_import": {**NOBODY, "admin_staff": 200, "other_admin_staff": 200},
    # Keeping the roster by hand: the administrative staff, each in the own school.
    "class_create": {**NOBODY, "admin_staff": 200, "other_admin_staff": 200},
    "class_edit": {**NOBODY, "admin_staff": 200},
    "student_create": {**NOBODY, "admin_staff": 200, "other_admin_staff": 200},
    "student_edit": {**NOBODY, "admin_staff": 200},
    "promotion": {**NOBODY, "admin_staff": 200, "other_admin_staff": 200},
    # Personal book: counselors read and write; the homeroom teacher reads identity and
    # contacts; the principal sees only completeness (on dashboards), so not these pages.
    "student_book": {**NOBODY, **COUNSELORS, "homeroom_teacher": 200},
    "book_print": {**NOBODY, **COUNSELORS, "homeroom_teacher": 200},
    "book_pdf": {
        **NOBODY,
        "counselor": PDF,
        "co_handler": PDF,
        "other_counselor": PDF,
        "homeroom_teacher": PDF,
    },
    "book_section_edit": {**NOBODY, **COUNSELORS},
    # Cases: leaders and every counselor read; the handlers write.
    "case_list": {**NOBODY, **LEADERS, **COUNSELORS, **OWN_LIST},
    "case_create": {**NOBODY, **COUNSELORS},
    "case_detail": {**NOBODY, **LEADERS, **COUNSELORS},
    "case_edit": {**NOBODY, **HANDLERS},
    # POST-only pages answer every counselor's GET alike, whatever the case: nothing leaks.
    "case_transition": {**NOBODY, **dict.fromkeys(ANY_COUNSELOR, POST_ONLY)},
    "case_archive": {**NOBODY, **dict.fromkeys(ANY_COUNSELOR, POST_ONLY)},
    "session_create": {**NOBODY, **COUNSELORS, "foreign_counselor": 200},
    "session_detail": {**NOBODY, **LEADERS, **COUNSELORS},
    "session_edit": {**NOBODY, **HANDLERS},
    "collaboration_list": {**NOBODY, **LEADERS, **COUNSELORS, **OWN_LIST},
    "collaboration_create": {**NOBODY, **COUNSELORS, "foreign_counselor": 200},
    # Referrals: teachers refer and follow the status of their own; counselors decide.
    "referral_inbox": {**NOBODY, **LEADERS, **COUNSELORS, **OWN_LIST},
    "referral_create": {
        **NOBODY,
        "vice_principal": 200,
        "homeroom_teacher": 200,
        "subject_teacher": 200,
    },
    "my_referrals": {
        **NOBODY,
        "vice_principal": 200,
        "homeroom_teacher": 200,
        "subject_teacher": 200,
    },
    "referral_detail": {**NOBODY, **LEADERS, **COUNSELORS},
    "referral_accept": {
        **NOBODY,
        "counselor": POST_ONLY,
        "co_handler": POST_ONLY,
        "other_counselor": POST_ONLY,
        "foreign_counselor": POST_ONLY,
    },
    "referral_attach": {
        **NOBODY,
        "counselor": POST_ONLY,
        "co_handler": POST_ONLY,
        "other_counselor": POST_ONLY,
        "foreign_counselor": POST_ONLY,
    },
    "referral_decline": {
        **NOBODY,
        "counselor": POST_ONLY,
        "co_handler": POST_ONLY,
        "other_counselor": POST_ONLY,
        "foreign_counselor": POST_ONLY,
    },
    "outbound_referral_create": {**NOBODY, **HANDLERS},
    "outbound_referral_consent": {**NOBODY, **HANDLERS},
}


@pytest.fixture
def records(
    settings, tmp_path, classroom, student, case, case_session, homeroom_teacher, counselor
):
    settings.MEDIA_ROOT = tmp_path
    referral = InboundReferralFactory(student=student, referred_by=homeroom_teacher)
    outbound = OutboundReferral.objects.create(
        school=case.school,
        case=case,
        service=OutboundReferral.Service.PSYCHOLOGIST,
        institution="Biro Psikologi Harapan",
        reason="Perlu asesmen lanjutan.",
        referred_on=case.opened_on,
        consent_given_by="Ibu Sri",
        consent_relation="ibu",
        consent_date=case.opened_on,
        consent_form=SimpleUploadedFile("persetujuan.png", PNG),
        created_by=counselor,
    )
    return {
        "pk": {
            "classroom": classroom.pk,
            "student": student.pk,
            "case": case.pk,
            "session": case_session.pk,
            "referral": referral.pk,
            "outbound": outbound.pk,
        },
    }


# Which object a page's <int:pk> names; the student for all other pages.
OBJECT_OF_PAGE = {
    **dict.fromkeys(
        ["case_detail", "case_edit", "case_transition", "case_archive", "outbound_referral_create"],
        "case",
    ),
    **dict.fromkeys(["session_detail", "session_edit"], "session"),
    **dict.fromkeys(
        ["referral_detail", "referral_accept", "referral_attach", "referral_decline"], "referral"
    ),
    "outbound_referral_consent": "outbound",
    "class_edit": "classroom",
}


def test_every_page_answers_each_person_as_the_table_says(request, client_for, records):
    patterns = {p.name: list(p.pattern.converters) for p in counseling_urls.urlpatterns}
    assert set(patterns) == set(EXPECTED), "every counseling page needs a row here"
    people = {name: request.getfixturevalue(name) for name in PEOPLE}
    answers, expected = {}, {}
    for url_name, params in patterns.items():
        obj = records["pk"][OBJECT_OF_PAGE.get(url_name, "student")]
        kwargs = {param: "identity" if param == "key" else obj for param in params}
        url = reverse(f"counseling:{url_name}", kwargs=kwargs)
        for person, user in people.items():
            answers[url_name, person] = client_for(user).get(url).status_code
            expected[url_name, person] = EXPECTED[url_name][person]
    mismatches = {
        key: (answers[key], expected[key]) for key in answers if answers[key] != expected[key]
    }
    assert mismatches == {}


@pytest.mark.parametrize("person", PEOPLE)
def test_confidential_notes_reach_only_the_case_handlers(
    request, client_for, records, case, case_session, person
):
    client = client_for(request.getfixturevalue(person))
    pages = [
        reverse("counseling:case_detail", args=[case.pk]),
        reverse("counseling:session_detail", args=[case_session.pk]),
        reverse("counseling:student_detail", args=[case.student_id]),
        reverse("counseling:case_list"),
    ]
    shown = any(NOTES in client.get(url).content.decode() for url in pages)
    assert shown == (person in HANDLERS)


def test_reading_notes_is_written_to_the_access_log(client_for, records, co_handler, case_session):
    client_for(co_handler).get(reverse("counseling:session_detail", args=[case_session.pk]))
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.VIEW_SESSION_NOTES)
    assert (entry.user, entry.object_id) == (co_handler, str(case_session.pk))


def test_leaders_read_a_sessions_date_without_writing_to_the_notes_log(
    client_for, records, principal, case_session
):
    response = client_for(principal).get(
        reverse("counseling:session_detail", args=[case_session.pk])
    )
    html = response.content.decode()
    assert "5 Oktober 2026" in html
    assert case_session.summary not in html
    assert not AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.VIEW_SESSION_NOTES
    ).exists()


# What was said in a session, and what comes next: for the case's handlers only.
SESSION_CONTENT = {
    "summary": "Ayu bercerita tentang suasana rumah.",
    "follow_up_plan": "Rencana: memanggil ibu Ayu minggu depan.",
    "other_participants": "Ibu Sri, wali kelas",
}


@pytest.fixture
def session_with_content(case_session):
    case_session.follow_up_plan = SESSION_CONTENT["follow_up_plan"]
    case_session.other_participants = SESSION_CONTENT["other_participants"]
    case_session.next_appointment = case_session.starts_at.replace(day=23, hour=13, minute=17)
    case_session.save()
    case_session.students.add(case_session.case.student)
    return case_session


@pytest.mark.parametrize("person", PEOPLE)
def test_a_sessions_content_reaches_only_the_case_handlers(
    request, client_for, records, case, session_with_content, person
):
    client = client_for(request.getfixturevalue(person))
    pages = [
        reverse("counseling:case_detail", args=[case.pk]),
        reverse("counseling:session_detail", args=[session_with_content.pk]),
        reverse("counseling:student_detail", args=[case.student_id]),
        reverse("counseling:case_list"),
        reverse("home"),
    ]
    html = "".join(client.get(url).content.decode() for url in pages)
    shown = {name for name, text in SESSION_CONTENT.items() if text in html}
    # The next appointment, as the session page writes it.
    if "Jumat, 23 Oktober 2026, 13:17" in html:
        shown.add("next_appointment")
    expected = {*SESSION_CONTENT, "next_appointment"} if person in HANDLERS else set()
    assert shown == expected


def test_who_led_a_session_reads_its_content_without_handling_the_case(
    client_for, records, case, other_counselor
):
    from tests.factories import CounselingSessionFactory

    session = CounselingSessionFactory(
        counselor=other_counselor,
        case=case,
        students=[case.student],
        summary="Sesi pengganti oleh konselor lain.",
        confidential_notes=NOTES,
    )
    client = client_for(other_counselor)
    for url in [
        reverse("counseling:session_detail", args=[session.pk]),
        reverse("counseling:case_detail", args=[case.pk]),
        reverse("counseling:student_detail", args=[case.student_id]),
    ]:
        html = client.get(url).content.decode()
        assert "Sesi pengganti oleh konselor lain." in html, url
        # The notes stay with the case's handlers.
        assert NOTES not in html, url


# Who may change what with POST; everyone else gets 404 and nothing changes.
WRITERS = {
    "case_edit": set(HANDLERS),
    "case_transition": set(HANDLERS),
    "case_archive": set(HANDLERS),
    "session_edit": set(HANDLERS),
    "outbound_referral_create": set(HANDLERS),
    "book_section_edit": set(COUNSELORS),
    "referral_accept": set(COUNSELORS),
    "referral_attach": set(COUNSELORS),
    "referral_decline": set(COUNSELORS),
    "class_create": {"admin_staff", "other_admin_staff"},
    "class_edit": {"admin_staff"},
    "student_create": {"admin_staff", "other_admin_staff"},
    "student_edit": {"admin_staff"},
}


@pytest.mark.parametrize("url_name", sorted(WRITERS))
def test_only_the_allowed_people_may_post(request, client_for, records, url_name):
    patterns = {p.name: list(p.pattern.converters) for p in counseling_urls.urlpatterns}
    obj = records["pk"][OBJECT_OF_PAGE.get(url_name, "student")]
    kwargs = {param: "identity" if param == "key" else obj for param in patterns[url_name]}
    url = reverse(f"counseling:{url_name}", kwargs=kwargs)
    for person in set(PEOPLE) - WRITERS[url_name]:
        response = client_for(request.getfixturevalue(person)).post(url, {})
        assert response.status_code == 404, (person, response.status_code)
