"""A certificate proves attendance: a delegate marked absent or excused is not offered the
upload, and an upload sent anyway is refused with a message."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from staff import training
from staff.models import TrainingParticipation
from tests.staff.test_training import _png, delegation, event, media  # noqa: F401

Attendance = TrainingParticipation.Attendance
NOT_ATTENDED = [Attendance.ABSENT, Attendance.EXCUSED]


def _upload_url(participation) -> str:
    return reverse("staff:certificate_upload", args=[participation.pk])


@pytest.mark.parametrize("attendance", NOT_ATTENDED)
def test_no_certificate_upload_is_offered_to_a_delegate_who_did_not_attend(
    client_for, counselor, delegation, attendance
):
    delegation.attendance = attendance
    delegation.save()
    client = client_for(counselor)
    for page in (
        reverse("staff:training_detail", args=[delegation.event_id]),
        reverse("staff:training_list"),
    ):
        assert _upload_url(delegation) not in client.get(page).content.decode()


@pytest.mark.parametrize("attendance", [Attendance.PRESENT, Attendance.UNRECORDED])
def test_the_upload_is_offered_to_a_delegate_present_or_not_yet_recorded(
    client_for, counselor, delegation, attendance
):
    delegation.attendance = attendance
    delegation.save()
    client = client_for(counselor)
    for page in (
        reverse("staff:training_detail", args=[delegation.event_id]),
        reverse("staff:training_list"),
    ):
        assert _upload_url(delegation) in client.get(page).content.decode()


@pytest.mark.parametrize("attendance", NOT_ATTENDED)
def test_an_upload_for_an_event_not_attended_is_refused(
    client_for, media, counselor, delegation, attendance
):
    delegation.attendance = attendance
    delegation.save()
    response = client_for(counselor).post(
        _upload_url(delegation),
        {"certificate": SimpleUploadedFile("sertifikat.png", _png())},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "staff:training_detail", args=[delegation.event_id]
    )
    assert str(training.NO_CERTIFICATE_WHEN_ABSENT) in [
        str(m) for m in response.context["messages"]
    ]
    delegation.refresh_from_db()
    assert not delegation.certificate


def test_the_service_refuses_a_certificate_of_an_absent_delegate(media, counselor, delegation):
    delegation.attendance = Attendance.ABSENT
    delegation.save()
    with pytest.raises(ValidationError):
        training.certificate_upload(
            participation=delegation,
            by=counselor,
            upload=SimpleUploadedFile("sertifikat.png", _png()),
        )
    delegation.refresh_from_db()
    assert not delegation.certificate
