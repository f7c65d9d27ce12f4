"""Every page of the supervision app asked for by every role and by the other school, with real
records: DESIGN.md's table (meetings and minutes: the principal and the vice principal all, the
others only meetings they are invited to, the other school nothing; a performance evaluation
only the principal and that counselor; a supervision visit only the principal and that
counselor)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from counseling import pdf
from supervision import urls as supervision_urls
from supervision.meetings import action_item_add, calendar_feed_issue
from supervision.models import FacilityRequest, Meeting, PerformanceEvaluation, SupervisionVisit
from tests.factories import ActionItemFactory, MeetingFactory

PEOPLE = [
    "principal",
    "vice_principal",
    "counselor",  # invited to the meetings; evaluated; visited
    "colleague",  # a counselor not invited, not evaluated, not visited
    "homeroom_teacher",  # invited to the coordination meeting
    "subject_teacher",
    "admin_staff",
    "other_principal",
    "other_admin_staff",
    "foreign_counselor",
]
NOBODY = dict.fromkeys(PEOPLE, 404)
CALENDAR_USERS = {
    "principal": 200,
    "vice_principal": 200,
    "counselor": 200,
    "colleague": 200,
    "homeroom_teacher": 200,
    "subject_teacher": 200,
    "admin_staff": 200,
    "other_principal": 200,
    "other_admin_staff": 200,
    "foreign_counselor": 200,
}
LEADERS = {"principal": 200, "vice_principal": 200}
INVITED = {**LEADERS, "counselor": 200, "homeroom_teacher": 200}
POST_ONLY = 405
FEED_ACTION = {person: 302 if code == 200 else code for person, code in CALENDAR_USERS.items()}

EXPECTED = {
    "calendar": CALENDAR_USERS,
    "calendar_feed_issue": dict.fromkeys(PEOPLE, POST_ONLY),
    "calendar_feed_revoke": dict.fromkeys(PEOPLE, POST_ONLY),
    # The counselor's token: it opens the counselor's feed for whoever holds it.
    "calendar_feed": dict.fromkeys(PEOPLE, 200),
    "meeting_create": {
        **NOBODY,
        **LEADERS,
        "other_principal": 200,
    },
    "meeting_detail": {**NOBODY, **INVITED},
    "meeting_ics": {**NOBODY, **INVITED},
    "meeting_edit": {**NOBODY, **LEADERS},
    "meeting_minutes": {**NOBODY, **LEADERS},
    "meeting_cancel": {**NOBODY, "principal": POST_ONLY, "vice_principal": POST_ONLY},
    "action_item_create": {**NOBODY, "principal": POST_ONLY, "vice_principal": POST_ONLY},
    # The evaluation of `counselor` in the limited meeting: the principal writes it.
    "evaluation_edit": {**NOBODY, "principal": 200},
    "evaluation_detail": {**NOBODY, "principal": 200, "counselor": 200},
    "evaluation_action_create": {**NOBODY, "principal": POST_ONLY},
    "my_action_items": CALENDAR_USERS,
    # A meeting item assigned to the homeroom teacher: the leaders edit it.
    "action_item_edit": {**NOBODY, **LEADERS},
    "action_item_status": {
        **NOBODY,
        "principal": POST_ONLY,
        "vice_principal": POST_ONLY,
        "homeroom_teacher": POST_ONLY,
    },
    "visit_list": {
        **NOBODY,
        "principal": 200,
        "counselor": 200,
        "colleague": 200,
        "other_principal": 200,
        "foreign_counselor": 200,
    },
    "visit_plan": {**NOBODY, "principal": 200, "other_principal": 200},
    "visit_detail": {**NOBODY, "principal": 200, "counselor": 200},
    "visit_observe": {**NOBODY, "principal": 200},
    "visit_reschedule": {**NOBODY, "principal": 200},
    "visit_cancel": {**NOBODY, "principal": 200},
    "visit_feedback": {**NOBODY, "principal": 302},  # not observed yet: back to the visit
    "visit_follow_up": {**NOBODY, "principal": 302},
    "facility_overview": {
        **NOBODY,
        **LEADERS,
        "counselor": 200,
        "colleague": 200,
        "other_principal": 200,
        "foreign_counselor": 200,
    },
    "facility_record": {
        **NOBODY,
        "principal": 200,
        "counselor": 200,
        "colleague": 200,
        "other_principal": 200,
        "foreign_counselor": 200,
    },
    "facility_request_create": {
        **NOBODY,
        "counselor": 200,
        "colleague": 200,
        "foreign_counselor": 200,
    },
    "facility_request_detail": {**NOBODY, **LEADERS, "counselor": 200, "colleague": 200},
    "facility_request_decide": {**NOBODY, "principal": POST_ONLY},
    "facility_request_fulfil": {**NOBODY, "principal": POST_ONLY},
    # The principal's dashboard and reports: the other school's principal has their own.
    "dashboard": {**NOBODY, "principal": 200, "other_principal": 200},
    "book_overview": {**NOBODY, "principal": 200, "other_principal": 200},
    "report_index": {**NOBODY, "principal": 200, "other_principal": 200},
    "report_semester": {**NOBODY, "principal": 200},
    "report_year": {**NOBODY, "principal": 200},
    # Without WeasyPrint's libraries the principal gets what to install instead (503).
    "report_semester_pdf": {**NOBODY, "principal": "pdf"},
    "report_year_pdf": {**NOBODY, "principal": "pdf"},
}


@pytest.fixture
def records(
    school, principal, vice_principal, counselor, homeroom_teacher, subject_teacher, colleague
):
    now = timezone.now()
    coordination = MeetingFactory(
        organizer=vice_principal,
        invitees=[counselor, homeroom_teacher],
        title="Rapat koordinasi rahasia",
        starts_at=now - timezone.timedelta(days=1),
        ends_at=now - timezone.timedelta(days=1) + timezone.timedelta(hours=1),
        minutes="Notulen rapat koordinasi.",
        minutes_recorded_at=now,
    )
    limited = MeetingFactory(
        organizer=vice_principal,
        kind=Meeting.Kind.LIMITED_EVALUATION,
        invitees=[principal, counselor, colleague],
        title="Rapat terbatas",
    )
    evaluation = PerformanceEvaluation.objects.create(
        school=school,
        meeting=limited,
        counselor=counselor,
        evaluator=principal,
        went_well="Layanan klasikal sangat baik.",
        to_improve="Buku pribadi belum lengkap.",
    )
    item = ActionItemFactory(meeting=coordination, assignee=homeroom_teacher)
    action_item_add(
        created_by=principal,
        evaluation=evaluation,
        assignee=counselor,
        description="Melengkapi buku pribadi kelas asuh",
        due_on=timezone.localdate(),
    )
    visit = SupervisionVisit.objects.create(
        school=school,
        semester=school.semesters.get(is_current=True),
        counselor=counselor,
        supervisor=principal,
        focus=SupervisionVisit.Focus.PERSONAL_BOOKS,
        planned_on=timezone.localdate(),
    )
    request = FacilityRequest.objects.create(
        school=school, requested_by=counselor, what="Lemari arsip berkunci", reason="Rusak."
    )
    token = calendar_feed_issue(user=counselor)
    semester = school.semesters.get(is_current=True)
    return {
        "semester": semester.pk,
        "year": semester.academic_year_id,
        "meeting": coordination.pk,
        "limited": limited.pk,
        "evaluation": evaluation.pk,
        "item": item.pk,
        "visit": visit.pk,
        "request": request.pk,
        "counselor": counselor.pk,
        "token": token,
    }


def _url(name: str, params: list[str], records: dict) -> str:
    objects = {
        "meeting_cancel": "meeting",
        "evaluation_edit": "limited",
        "evaluation_detail": "evaluation",
        "evaluation_action_create": "evaluation",
        "action_item_edit": "item",
        "action_item_status": "item",
        "report_semester": "semester",
        "report_semester_pdf": "semester",
        "report_year": "year",
        "report_year_pdf": "year",
    }
    if name.startswith("visit_"):
        obj = records["visit"]
    elif name.startswith("facility_request"):
        obj = records["request"]
    else:
        obj = records[objects.get(name, "meeting")]
    kwargs = {}
    for param in params:
        kwargs[param] = {"token": records["token"], "counselor_pk": records["counselor"]}.get(
            param, obj
        )
    return reverse(f"supervision:{name}", kwargs=kwargs)


def test_every_page_answers_each_person_as_the_table_says(request, client_for, records):
    # The appraisal and competency pages have their own walk (test_appraisal_access.py), and
    # so have the exports (test_exports.py).
    patterns = {
        p.name: list(p.pattern.converters)
        for p in supervision_urls.urlpatterns
        if not p.name.startswith(("appraisal_", "competency_", "export_"))
    }
    assert set(patterns) == set(EXPECTED), "every supervision page needs a row here"
    people = {name: request.getfixturevalue(name) for name in PEOPLE}
    pdf_available = pdf.load_weasyprint() is not None
    mismatches = {}
    for name, params in patterns.items():
        url = _url(name, params, records)
        for person, user in people.items():
            code = client_for(user).get(url).status_code
            expected = EXPECTED[name][person]
            if expected == "pdf":
                expected = 200 if pdf_available else 503
            if code != expected:
                mismatches[name, person] = (code, expected)
    assert mismatches == {}


# Who may change what with POST; everyone else gets 404 and nothing changes.
WRITERS = {
    "meeting_edit": {"principal", "vice_principal"},
    "meeting_minutes": {"principal", "vice_principal"},
    "meeting_cancel": {"principal", "vice_principal"},
    "action_item_create": {"principal", "vice_principal"},
    "evaluation_edit": {"principal"},
    "evaluation_action_create": {"principal"},
    "action_item_edit": {"principal", "vice_principal"},
    "action_item_status": {"principal", "vice_principal", "homeroom_teacher"},
    "visit_observe": {"principal"},
    "visit_reschedule": {"principal"},
    "visit_cancel": {"principal"},
    "visit_feedback": {"principal"},
    "visit_follow_up": {"principal"},
    "facility_request_decide": {"principal"},
    "facility_request_fulfil": {"principal"},
}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_only_the_allowed_people_may_post(request, client_for, records, name):
    patterns = {p.name: list(p.pattern.converters) for p in supervision_urls.urlpatterns}
    url = _url(name, patterns[name], records)
    for person in set(PEOPLE) - WRITERS[name]:
        response = client_for(request.getfixturevalue(person)).post(url, {})
        assert response.status_code == 404, (person, response.status_code)


@pytest.mark.parametrize("person", PEOPLE)
def test_evaluations_and_their_agreed_actions_reach_only_the_principal_and_the_counselor(
    request, client_for, records, person
):
    client = client_for(request.getfixturevalue(person))
    pages = [
        reverse("supervision:meeting_detail", args=[records["limited"]]),
        reverse("supervision:my_action_items") + "?everyone=1&status=all",
        reverse("home"),
    ]
    shown = any(
        "Buku pribadi belum lengkap." in client.get(url).content.decode()
        or "Melengkapi buku pribadi kelas asuh" in client.get(url).content.decode()
        for url in pages
    )
    detail = client.get(reverse("supervision:evaluation_detail", args=[records["evaluation"]]))
    if detail.status_code == 200:
        shown = shown or "Buku pribadi belum lengkap." in detail.content.decode()
    assert shown == (person in {"principal", "counselor"})


@pytest.mark.parametrize("person", PEOPLE)
def test_minutes_reach_only_leaders_and_invitees(request, client_for, records, person):
    client = client_for(request.getfixturevalue(person))
    response = client.get(reverse("supervision:meeting_detail", args=[records["meeting"]]))
    assert ("Notulen rapat koordinasi." in response.content.decode()) == (person in INVITED)


def test_counselor_sees_only_own_meetings_in_the_calendar(
    client_for, records, colleague, counselor
):
    meeting = Meeting.objects.get(pk=records["meeting"])
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    url = reverse("supervision:calendar") + f"?day={day}&all=1"
    assert meeting.title in client_for(counselor).get(url).content.decode()
    assert meeting.title not in client_for(colleague).get(url).content.decode()


@pytest.mark.parametrize("person", ["principal", "vice_principal", "counselor"])
def test_pages_have_no_inline_scripts_or_styles(request, client_for, records, person):
    """The strict Content Security Policy would block them."""
    client = client_for(request.getfixturevalue(person))
    patterns = {p.name: list(p.pattern.converters) for p in supervision_urls.urlpatterns}
    shown = 0
    for name, params in patterns.items():
        response = client.get(_url(name, params, records))
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        shown += 1
        html = response.content.decode()
        assert " style=" not in html and "<style" not in html and "<script>" not in html, name
    assert shown >= 8
