"""The append-only access log and the principal's page that reads it."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from counseling.models import CounselingSession, OutboundReferral, PersonalBook
from staff.models import AccessLogEntry, Appraisal, User
from staff.services import access_log_record
from supervision.forms import ExportForm
from tests.conftest import ROLE_FIXTURES


def _record(user, action=AccessLogEntry.Action.VIEW_PERSONAL_BOOK, object_id="7"):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    return access_log_record(
        request=request, action=action, object_type="counseling.personalbook", object_id=object_id
    )


def test_helper_records_who_what_and_from_where(counselor):
    entry = _record(counselor)
    assert entry.user == counselor
    assert entry.school == counselor.school
    assert entry.client_address == "10.1.2.3"
    assert entry.object_type == "counseling.personalbook"


def test_access_log_rows_cannot_be_changed(counselor):
    entry = _record(counselor)
    entry.object_id = "8"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(object_id="9")
    assert AccessLogEntry.objects.get(pk=entry.pk).object_id == "7"


def test_access_log_rows_cannot_be_deleted(counselor):
    entry = _record(counselor)
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.all().delete()
    assert AccessLogEntry.objects.count() == 1


def test_admin_offers_no_change_or_delete_of_access_log(counselor):
    model_admin = site._registry[AccessLogEntry]
    request = RequestFactory().get("/admin/")
    request.user = counselor
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_principal_reads_own_school_log_only(client_for, principal, counselor, other_principal):
    _record(counselor, object_id="11")
    _record(other_principal, object_id="22")
    page = client_for(principal).get(reverse("staff:access_log"))
    entries = list(page.context["page"])
    assert [e.object_id for e in entries] == ["11"]


def test_principal_filters_by_person_and_date(client_for, principal, counselor, vice_principal):
    _record(counselor, object_id="1")
    _record(vice_principal, object_id="2")
    client = client_for(principal)
    by_person = client.get(reverse("staff:access_log"), {"person": counselor.pk})
    assert [e.object_id for e in by_person.context["page"]] == ["1"]
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    in_range = client.get(reverse("staff:access_log"), {"date_from": today, "date_to": today})
    assert len(in_range.context["page"]) == 2
    later = client.get(reverse("staff:access_log"), {"date_from": tomorrow})
    assert len(later.context["page"]) == 0


def test_reversed_dates_show_a_message(client_for, principal):
    response = client_for(principal).get(
        reverse("staff:access_log"), {"date_from": "2026-11-10", "date_to": "2026-11-01"}
    )
    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors


def test_person_of_another_school_is_not_a_filter_choice(client_for, principal, other_principal):
    response = client_for(principal).get(
        reverse("staff:access_log"), {"person": other_principal.pk}
    )
    assert "person" in response.context["form"].errors


@pytest.mark.parametrize("role", [r for r in ROLE_FIXTURES if r != "principal"])
def test_other_roles_cannot_read_the_access_log(request, client_for, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("staff:access_log")).status_code == 404


def test_access_log_query_count_does_not_grow(
    client_for, principal, counselor, django_assert_num_queries
):
    client = client_for(principal)
    client.get(reverse("staff:access_log"))
    _record(counselor)
    # session, user with school, roles, people for the filter, count, entries with their users
    with django_assert_num_queries(6):
        client.get(reverse("staff:access_log"))
    for n in range(40):
        _record(counselor, object_id=str(n))
    with django_assert_num_queries(6):
        response = client.get(reverse("staff:access_log"))
    assert len(response.context["page"]) == 41


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.5"),
        (1, {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, "1.2.3.4"),
        (1, {"REMOTE_ADDR": "10.0.0.5"}, "10.0.0.5"),
        (1, {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "not-an-address"}, None),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(settings, proxies, meta, expected):
    from staff.services import client_address

    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", **meta)
    assert client_address(request) == expected


# --- Every action and kind of record has a label --------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    path
    for app in ("staff", "counseling", "supervision", "config")
    for path in (ROOT / app).rglob("*.py")
    if "migrations" not in path.parts
]


def _source_matches(pattern: str) -> set[str]:
    return {match for path in SOURCES for match in re.findall(pattern, path.read_text())}


def test_every_action_and_object_type_has_a_label_of_its_own():
    for choices in (AccessLogEntry.Action, AccessLogEntry.ObjectType):
        for member in choices:
            assert member.label and member.label != member.value, member
    with translation.override("id"):
        assert AccessLogEntry.ObjectType.PERSONAL_BOOK.label == "Buku pribadi"


def test_every_action_the_code_logs_is_declared():
    used = _source_matches(r"AccessLogEntry\.Action\.([A-Z_]+)")
    assert used, "the pattern finds the uses"
    assert used <= set(AccessLogEntry.Action.names)


def test_every_object_type_the_code_names_is_declared():
    literals = _source_matches(r"object_type=\"([^\"]+)\"")
    assert literals <= set(AccessLogEntry.ObjectType.values)
    # The exports name their table and format: every pair the exports page can give.
    exports = (ROOT / "supervision" / "views" / "exports.py").read_text()
    tables = set(re.findall(r"name=\"(\w+)\"", exports)) | set(
        re.findall(r"_semester_download\(\s*request,\s*\"(\w+)\"", exports)
    )
    assert tables == {"students", "session_statistics", "training", "appraisals"}
    for table in tables:
        for fmt in (ExportForm.CSV, ExportForm.XLSX):
            assert f"export.{table}.{fmt}" in AccessLogEntry.ObjectType.values


@pytest.mark.parametrize(
    "model", [CounselingSession, PersonalBook, OutboundReferral, User, Appraisal]
)
def test_every_model_logged_as_a_record_is_declared(model):
    assert model._meta.label_lower in AccessLogEntry.ObjectType.values


def test_the_helper_refuses_an_undeclared_action_or_object_type(counselor):
    request = RequestFactory().get("/")
    request.user = counselor
    with pytest.raises(ValueError, match="AccessLogEntry.Action"):
        access_log_record(
            request=request, action="peek", object_type=AccessLogEntry.ObjectType.PERSONAL_BOOK
        )
    with pytest.raises(ValueError, match="AccessLogEntry.ObjectType"):
        access_log_record(
            request=request, action=AccessLogEntry.Action.EXPORT, object_type="export.secrets.csv"
        )
    assert not AccessLogEntry.objects.exists()


def test_the_log_page_shows_labels_not_codes(client_for, principal, counselor):
    _record(counselor, object_id="7")
    request = RequestFactory().get("/")
    request.user = counselor
    access_log_record(
        request=request,
        action=AccessLogEntry.Action.EXPORT,
        object_type=AccessLogEntry.ObjectType.EXPORT_SESSIONS_XLSX,
        object_id="2026/2027-1",
    )
    html = client_for(principal).get(reverse("staff:access_log")).content.decode()
    assert "Membaca buku pribadi siswa" in html and "Buku pribadi" in html
    assert "Statistik layanan (Excel)" in html
    assert "counseling.personalbook" not in html and "export.session_statistics" not in html
