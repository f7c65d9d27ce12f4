"""Consent forms on shared S3-compatible storage (DJANGO_MEDIA_STORAGE=s3) stay behind the view.

An S3 service is stood in for by moto, in this process. The form is stored as a private
object and reaches the person only through the download view, which checks access and writes
the access log; no page ever carries a link to the bucket.
"""

import boto3
import pytest
from django.urls import reverse
from moto import mock_aws

from counseling.cases import case_transition
from counseling.models import Case, OutboundReferral
from staff.models import AccessLogEntry

BUCKET = "ruangbk-uji"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def bucket(settings):
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "staff.storage.PrivateS3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "access_key": "uji",
                    "secret_key": "uji-rahasia",
                    "region_name": "us-east-1",
                },
            },
        }
        yield client


@pytest.fixture
def referred_case(case):
    return case_transition(case=case, status=Case.Status.IN_PROGRESS)


def _refer_out(client, case, upload_name="Ayu Lestari.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("counseling:outbound_referral_create", args=[case.pk]),
        {
            "service": OutboundReferral.Service.PSYCHOLOGIST,
            "institution": "Biro Psikologi Harapan",
            "reason": "Kecemasan berat; perlu asesmen psikolog.",
            "referred_on": "2026-10-02",
            "consent_given_by": "Sri Wahyuni",
            "consent_relation": "Ibu",
            "consent_date": "2026-10-01",
            "consent_form": SimpleUploadedFile(upload_name, PDF),
        },
    )


def test_the_consent_form_is_a_private_object_streamed_through_the_view(
    bucket, client_for, counselor, referred_case
):
    client = client_for(counselor)
    assert _refer_out(client, referred_case).status_code == 302
    referral = OutboundReferral.objects.get()
    key = referral.consent_form.name
    assert key.startswith(f"consent/{referred_case.school_id}/") and "Ayu" not in key

    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [grant["Grantee"].get("URI") for grant in grants] == [None]  # the owner alone

    response = client.get(reverse("counseling:outbound_referral_consent", args=[referral.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.EXPORT).count() == 1

    page = client.get(reverse("counseling:case_detail", args=[referred_case.pk]))
    html = page.content.decode()
    assert BUCKET not in html and key not in html


def test_others_get_404_and_nothing_of_the_bucket(
    bucket, client_for, counselor, other_counselor, principal, referred_case
):
    _refer_out(client_for(counselor), referred_case)
    url = reverse("counseling:outbound_referral_consent", args=[OutboundReferral.objects.get().pk])
    for person in (other_counselor, principal):
        response = client_for(person).get(url)
        assert response.status_code == 404
        assert BUCKET not in response.content.decode()


def test_a_form_missing_from_the_bucket_is_a_404_not_an_error(
    bucket, client_for, counselor, referred_case
):
    client = client_for(counselor)
    _refer_out(client, referred_case)
    referral = OutboundReferral.objects.get()
    bucket.delete_object(Bucket=BUCKET, Key=referral.consent_form.name)
    response = client.get(reverse("counseling:outbound_referral_consent", args=[referral.pk]))
    assert response.status_code == 404


def test_a_url_made_by_mistake_is_signed_and_short_lived(
    bucket, client_for, counselor, referred_case
):
    _refer_out(client_for(counselor), referred_case)
    url = OutboundReferral.objects.get().consent_form.url
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=300" in url
