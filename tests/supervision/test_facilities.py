"""The BK room: the standard ships as data, each record keeps the history and gives the
compliance, and requests go submitted → approved / rejected (with a reason) → fulfilled."""

import pytest
from django.urls import reverse

from supervision.facilities import facility_request_file
from supervision.models import FacilityAssessment, FacilityItem, FacilityRequest
from supervision.selectors import facility_compliance_by_semester

OVERVIEW = reverse("supervision:facility_overview")
RECORD = reverse("supervision:facility_record")


def test_the_standard_ships_with_its_rooms_and_equipment(db):
    codes = set(FacilityItem.objects.values_list("code", flat=True))
    assert {
        "ruang-kerja",
        "ruang-data",
        "ruang-konseling-individual",
        "ruang-konseling-kelompok",
        "ruang-tamu",
        "lemari-arsip",
    } <= codes
    room = FacilityItem.objects.get(code="ruang-konseling-individual")
    assert "9 m²" in room.requirement and room.category == "room"


def _record_post(based_on: int, meets: int, **overrides) -> dict:
    data = {"based_on": str(based_on), "note": ""}
    for position, item in enumerate(FacilityItem.objects.filter(is_active=True)):
        data[f"state_{item.pk}"] = "meets" if position < meets else "missing"
        data[f"note_{item.pk}"] = ""
    data.update(overrides)
    return data


def test_records_keep_the_history_and_give_the_compliance(client_for, counselor, principal, school):
    total = FacilityItem.objects.filter(is_active=True).count()
    assert client_for(counselor).post(RECORD, _record_post(0, 4)).status_code == 302
    first = FacilityAssessment.objects.get()
    assert first.compliance == round(4 * 100 / total)
    assert client_for(principal).post(RECORD, _record_post(first.pk, 8)).status_code == 302
    page = client_for(principal).get(OVERVIEW)
    assert [a.compliance for a in page.context["trend"]] == [
        round(4 * 100 / total),
        round(8 * 100 / total),
    ]
    assert page.context["latest"].compliance == round(8 * 100 / total)
    (semester, compliance), *_ = facility_compliance_by_semester(school)
    assert compliance == round(8 * 100 / total)


def test_a_record_made_meanwhile_refuses_the_save(client_for, counselor, principal):
    client_for(counselor).post(RECORD, _record_post(0, 4))
    response = client_for(principal).post(RECORD, _record_post(0, 8))
    assert response.status_code == 302 and response["Location"] == RECORD
    assert FacilityAssessment.objects.count() == 1


def test_every_item_needs_a_state(client_for, counselor):
    data = _record_post(0, 4)
    data.pop(next(k for k in data if k.startswith("state_")))
    response = client_for(counselor).post(RECORD, data)
    assert response.status_code == 200
    assert not FacilityAssessment.objects.exists()


def test_vice_principal_reads_but_does_not_record(client_for, vice_principal):
    assert client_for(vice_principal).get(OVERVIEW).status_code == 200
    assert client_for(vice_principal).post(RECORD, _record_post(0, 4)).status_code == 404


# Requests


@pytest.fixture
def submitted(counselor):
    return facility_request_file(
        requested_by=counselor,
        what="Lemari arsip berkunci",
        reason="Lemari lama rusak.",
        item=FacilityItem.objects.get(code="lemari-arsip"),
    )


def test_counselor_files_a_request(client_for, counselor, principal):
    item = FacilityItem.objects.get(code="komputer")
    response = client_for(counselor).post(
        reverse("supervision:facility_request_create"),
        {"item": str(item.pk), "what": "Pencetak", "reason": "Untuk laporan."},
    )
    assert response.status_code == 302
    request = FacilityRequest.objects.get()
    assert (request.requested_by, request.status, request.item) == (counselor, "submitted", item)
    home = client_for(principal).get(reverse("home"))
    assert home.context["facility_requests_waiting"] == 1


def test_request_needs_what_and_why(client_for, counselor):
    response = client_for(counselor).post(
        reverse("supervision:facility_request_create"), {"item": "", "what": "", "reason": ""}
    )
    assert response.status_code == 200
    assert {"what", "reason"} <= set(response.context["form"].errors)


def _decide(client, request, decision, reason=""):
    return client.post(
        reverse("supervision:facility_request_decide", args=[request.pk]),
        {"decision": decision, "reason": reason},
    )


def test_principal_approves_then_marks_fulfilled(client_for, principal, submitted):
    client = client_for(principal)
    assert _decide(client, submitted, "approve").status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decided_by) == ("approved", principal)
    client.post(reverse("supervision:facility_request_fulfil", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == "fulfilled" and submitted.fulfilled_at is not None


def test_rejecting_needs_a_reason_the_counselor_reads(client_for, principal, counselor, submitted):
    client = client_for(principal)
    response = _decide(client, submitted, "reject")
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    _decide(client, submitted, "reject", "Anggaran habis.")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decision_reason) == ("rejected", "Anggaran habis.")
    page = client_for(counselor).get(
        reverse("supervision:facility_request_detail", args=[submitted.pk])
    )
    assert "Anggaran habis." in page.content.decode()


def test_a_decided_request_cannot_be_decided_again(client_for, principal, submitted):
    client = client_for(principal)
    _decide(client, submitted, "reject", "Tidak perlu.")
    _decide(client, submitted, "approve")
    submitted.refresh_from_db()
    assert submitted.status == "rejected"


def test_only_an_approved_request_is_fulfilled(client_for, principal, submitted):
    client_for(principal).post(reverse("supervision:facility_request_fulfil", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_counselor_cannot_decide(client_for, counselor, submitted):
    assert _decide(client_for(counselor), submitted, "approve").status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
