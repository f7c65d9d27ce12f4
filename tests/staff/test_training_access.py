"""Training records are read by the school's staff, recorded by its leaders; a certificate is
the owner's and the principal's. Every training page is asked for as each person."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from staff import urls as staff_urls
from staff.models import TrainingEvent, TrainingParticipation
from tests.factories import (
    DisseminationReportFactory,
    TrainingEventFactory,
    TrainingParticipationFactory,
)

# Some tests reach the database only through request.getfixturevalue; the mark keeps them
# among the database tests, before the transactional ones empty the database.
pytestmark = pytest.mark.django_db

PEOPLE = [
    "principal",
    "vice_principal",
    "counselor",  # the delegate
    "other_counselor",
    "homeroom_teacher",
    "subject_teacher",
    "admin_staff",
    "other_principal",
    "other_admin_staff",
    "foreign_counselor",
]
NOBODY = dict.fromkeys(PEOPLE, 404)
SCHOOL = {
    "principal": 200,
    "vice_principal": 200,
    "counselor": 200,
    "other_counselor": 200,
    "homeroom_teacher": 200,
    "subject_teacher": 200,
    "admin_staff": 200,
}
EVERY_SCHOOL = {
    **SCHOOL,
    "other_principal": 200,
    "other_admin_staff": 200,
    "foreign_counselor": 200,
}
LEADERS = {"principal": 200, "vice_principal": 200}
POST_ONLY = 405

EXPECTED = {
    "training_list": EVERY_SCHOOL,
    "training_summary": EVERY_SCHOOL,
    "training_create": {**NOBODY, **LEADERS, "other_principal": 200},
    "training_detail": {**NOBODY, **SCHOOL},
    "training_edit": {**NOBODY, **LEADERS},
    "training_cancel": {**NOBODY, "principal": POST_ONLY, "vice_principal": POST_ONLY},
    "training_delegation": {**NOBODY, "principal": 200},
    "training_attendance": {**NOBODY, **LEADERS},
    "participation_withdraw": {**NOBODY, "principal": POST_ONLY},
    "certificate_upload": {**NOBODY, "counselor": 200},
    "certificate_download": {**NOBODY, "counselor": 200, "principal": 200},
    "dissemination_write": {**NOBODY, "counselor": 200},
    "dissemination_detail": {**NOBODY, **SCHOOL},
    "dissemination_materials": {**NOBODY, **SCHOOL},
}
TRAINING_PAGES = ("training_", "participation_", "certificate_", "dissemination_")


@pytest.fixture
def records(settings, tmp_path, school, principal, counselor):
    settings.MEDIA_ROOT = tmp_path
    event = TrainingEventFactory(
        school=school, created_by=principal, starts_on=date(2026, 9, 10), seats=2
    )
    participation = TrainingParticipationFactory(
        event=event,
        counselor=counselor,
        attendance=TrainingParticipation.Attendance.PRESENT,
        certificate=SimpleUploadedFile("sertifikat.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    report = DisseminationReportFactory(
        participation=participation,
        materials_file=SimpleUploadedFile("modul.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    return {"event": event.pk, "participation": participation.pk, "report": report.pk}


def _pk(name: str, records: dict) -> int:
    if name.startswith(("participation_", "certificate_")) or name == "dissemination_write":
        return records["participation"]
    if name.startswith("dissemination_"):
        return records["report"]
    return records["event"]


def test_every_training_page_answers_each_person_as_the_table_says(request, client_for, records):
    patterns = {
        p.name: list(p.pattern.converters)
        for p in staff_urls.urlpatterns
        if p.name.startswith(TRAINING_PAGES)
    }
    assert set(patterns) == set(EXPECTED), "every training page needs a row here"
    people = {name: request.getfixturevalue(name) for name in PEOPLE}
    mismatches = {}
    for name, params in patterns.items():
        args = [_pk(name, records)] if params else []
        url = reverse(f"staff:{name}", args=args)
        for person, user in people.items():
            status = client_for(user).get(url).status_code
            if status != EXPECTED[name][person]:
                mismatches[name, person] = (status, EXPECTED[name][person])
    assert mismatches == {}


# Who may change what with POST; everyone else gets 404 and nothing changes.
WRITERS = {
    "training_edit": {"principal", "vice_principal"},
    "training_cancel": {"principal", "vice_principal"},
    "training_delegation": {"principal"},
    "training_attendance": {"principal", "vice_principal"},
    "participation_withdraw": {"principal"},
    "certificate_upload": {"counselor"},
    "dissemination_write": {"counselor"},
}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_only_the_allowed_people_may_post(request, client_for, records, name):
    url = reverse(f"staff:{name}", args=[_pk(name, records)])
    for person in set(PEOPLE) - WRITERS[name]:
        response = client_for(request.getfixturevalue(person)).post(url, {})
        assert response.status_code == 404, (person, response.status_code)
    event = TrainingEvent.objects.get(pk=records["event"])
    assert not event.is_cancelled and event.version == 0
    participation = TrainingParticipation.objects.get(pk=records["participation"])
    assert participation.withdrawn_at is None
    assert participation.attendance == TrainingParticipation.Attendance.PRESENT


def test_the_other_schools_list_never_shows_this_schools_events(
    client_for, records, other_principal
):

    html = client_for(other_principal).get(reverse("staff:training_list")).content.decode()
    assert reverse("staff:training_detail", args=[records["event"]]) not in html
