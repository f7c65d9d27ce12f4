"""Training events and MGBK meetings: recording them, attendance, certificates, dissemination
reports and the overdue rule, the figures per counselor, and the pages' query counts."""

import datetime
from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from staff.models import (
    AccessLogEntry,
    DisseminationReport,
    Role,
    TrainingEvent,
    TrainingParticipation,
)
from staff.training import (
    NO_CERTIFICATE_WHEN_ABSENT,
    attendance_record,
    certificate_upload,
    dissemination_overdue,
    dissemination_report_save,
    mgbk_attendance_rates,
    training_event_create,
    training_summary,
)
from tests.factories import (
    DisseminationReportFactory,
    TrainingEventFactory,
    TrainingParticipationFactory,
    UserFactory,
    framework_competencies,
)
from tests.staff import test_uploads as uploads_test

# Some tests reach the database only through request.getfixturevalue; the mark keeps them
# among the database tests, before the transactional ones empty the database.
pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
Attendance = TrainingParticipation.Attendance


def _png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def event(school, principal):
    return TrainingEventFactory(
        school=school,
        created_by=principal,
        title="Bimtek Konseling Kelompok",
        starts_on=date(2026, 9, 10),
        ends_on=date(2026, 9, 11),
        hours=16,
        seats=2,
        competencies=[12, 14],
    )


@pytest.fixture
def delegation(event, counselor):
    return TrainingParticipationFactory(
        event=event, counselor=counselor, attendance=Attendance.PRESENT
    )


# Recording events


def _event_data(**overrides):
    data = {
        "kind": TrainingEvent.Kind.WORKSHOP,
        "title": "Workshop AKPD",
        "organizer": "MGBK SMP Kabupaten",
        "place": "Aula",
        "starts_on": "2026-10-03",
        "ends_on": "2026-10-03",
        "hours": "8",
        "seats": "1",
        "competencies": [c.pk for c in framework_competencies([11, 13])],
        "description": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("person", ["principal", "vice_principal"])
def test_leaders_record_an_event_with_its_targeted_competencies(client_for, request, person):
    response = client_for(request.getfixturevalue(person)).post(
        reverse("staff:training_create"), _event_data()
    )
    event = TrainingEvent.objects.get()
    assert response["Location"] == reverse("staff:training_detail", args=[event.pk])
    assert sorted(event.competencies.values_list("number", flat=True)) == [11, 13]
    assert event.seats == 1 and event.hours == 8


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": "2026-10-01"}, "ends_on"),
        ({"hours": "0"}, "hours"),
        ({"hours": "lima"}, "hours"),
        ({"hours": "900"}, "hours"),
        ({"seats": "0"}, "seats"),
        ({"title": ""}, "title"),
        ({"starts_on": "3 Oktober"}, "starts_on"),
        ({"kind": TrainingEvent.Kind.MGBK, "seats": "2"}, "seats"),
    ],
)
def test_bad_event_input_is_explained_and_nothing_saved(client_for, principal, overrides, field):
    response = client_for(principal).post(
        reverse("staff:training_create"), _event_data(**overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not TrainingEvent.objects.exists()


@pytest.mark.parametrize("hours", ["0", "-2", "2.5", "2,5", "lima", "501", ""])
def test_hours_other_than_whole_jp_in_range_get_one_plain_message(client_for, principal, hours):
    response = client_for(principal).post(
        reverse("staff:training_create"), _event_data(hours=hours)
    )
    assert response.context["form"].errors["hours"] == [
        "Isi lamanya dalam bilangan bulat JP dari 1 sampai 500, misalnya 8."
    ]
    assert not TrainingEvent.objects.exists()


def test_the_hours_field_says_what_a_jp_is(client_for, principal):
    form = client_for(principal).get(reverse("staff:training_create")).context["form"]
    assert form["hours"].label == "Lama dalam JP (jam pelajaran)"
    assert "45 menit" in form["hours"].help_text
    assert 'min="1"' in str(form["hours"]) and 'max="500"' in str(form["hours"])
    assert form.fields["kind"].choices[0] == ("", "Pilih jenis kegiatan")


def test_every_counselor_is_a_participant_of_an_mgbk_meeting_at_once(school, principal, counselor):
    other = UserFactory(school=school, roles=[Role.COUNSELOR])
    event = training_event_create(
        school=school,
        created_by=principal,
        competencies=[],
        kind=TrainingEvent.Kind.MGBK,
        title="Pertemuan MGBK Oktober",
        organizer="MGBK",
        place="",
        starts_on=date(2026, 10, 10),
        ends_on=date(2026, 10, 10),
        hours=4,
        seats=None,
        description="",
    )
    assert set(event.participations.values_list("counselor", flat=True)) == {counselor.pk, other.pk}


def test_an_edit_on_a_stale_form_is_refused(client_for, principal, vice_principal, event):
    url = reverse("staff:training_edit", args=[event.pk])
    data = _event_data(version=event.version, title="Judul kepala sekolah")
    client_for(principal).post(url, data)
    response = client_for(vice_principal).post(url, {**data, "title": "Judul wakasek"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Judul kepala sekolah"


def test_seats_cannot_drop_below_the_delegates(client_for, principal, event, counselor, school):
    TrainingParticipationFactory(event=event, counselor=counselor)
    TrainingParticipationFactory(
        event=event, counselor=UserFactory(school=school, roles=[Role.COUNSELOR])
    )
    response = client_for(principal).post(
        reverse("staff:training_edit", args=[event.pk]),
        _event_data(version=event.version, seats="1"),
    )
    assert response.status_code == 200
    assert "seats" in response.context["form"].errors


def test_a_cancelled_event_stays_on_record_and_stops_counting(
    client_for, principal, event, delegation
):
    with mock.patch("staff.views.training.timezone.localdate", return_value=date(2026, 9, 1)):
        response = client_for(principal).post(reverse("staff:training_cancel", args=[event.pk]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_cancelled
    assert TrainingParticipation.objects.filter(pk=delegation.pk).exists()
    assert list(dissemination_overdue(event.school, today=date(2027, 1, 1))) == []


def test_an_event_that_took_place_is_not_cancelled(client_for, principal, event):
    with mock.patch("staff.views.training.timezone.localdate", return_value=date(2026, 9, 12)):
        client = client_for(principal)
        response = client.post(reverse("staff:training_cancel", args=[event.pk]), follow=True)
        html = client.get(reverse("staff:training_detail", args=[event.pk])).content.decode()
    assert list(response.context["messages"])
    event.refresh_from_db()
    assert not event.is_cancelled
    assert reverse("staff:training_cancel", args=[event.pk]) not in html


# Attendance


def test_leaders_record_attendance_once_the_event_began(event, delegation, vice_principal):
    absent = {delegation.pk: (Attendance.PRESENT, Attendance.ABSENT)}
    with pytest.raises(ValidationError):
        attendance_record(event=event, by=vice_principal, attendance=absent, today=date(2026, 9, 9))
    changed = attendance_record(
        event=event, by=vice_principal, attendance=absent, today=date(2026, 9, 10)
    )
    assert changed == 1
    delegation.refresh_from_db()
    assert delegation.attendance == Attendance.ABSENT


def test_a_counselor_does_not_record_attendance(event, delegation, counselor):
    with pytest.raises(ValidationError):
        attendance_record(event=event, by=counselor, attendance={}, today=date(2026, 9, 10))


def test_the_attendance_page_saves_each_participant(client_for, vice_principal, event, delegation):
    with mock.patch("staff.views.training.timezone.localdate", return_value=date(2026, 9, 12)):
        response = client_for(vice_principal).post(
            reverse("staff:training_attendance", args=[event.pk]),
            {
                f"attendance_{delegation.pk}": Attendance.EXCUSED,
                f"shown_{delegation.pk}": Attendance.PRESENT,
            },
        )
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.attendance == Attendance.EXCUSED


def test_attendance_changed_meanwhile_is_not_overwritten(
    client_for, principal, vice_principal, event, delegation
):
    url = reverse("staff:training_attendance", args=[event.pk])
    with mock.patch("staff.views.training.timezone.localdate", return_value=date(2026, 9, 12)):
        # Both opened the form while the delegate was recorded present.
        client_for(principal).post(
            url,
            {
                f"attendance_{delegation.pk}": Attendance.ABSENT,
                f"shown_{delegation.pk}": Attendance.PRESENT,
            },
        )
        response = client_for(vice_principal).post(
            url,
            {
                f"attendance_{delegation.pk}": Attendance.EXCUSED,
                f"shown_{delegation.pk}": Attendance.PRESENT,
            },
        )
    assert response["Location"] == url
    delegation.refresh_from_db()
    assert delegation.attendance == Attendance.ABSENT


def test_mgbk_attendance_rate_counts_recorded_meetings(school, counselor):
    for day, attendance in [
        (date(2026, 7, 11), Attendance.PRESENT),
        (date(2026, 8, 8), Attendance.PRESENT),
        (date(2026, 9, 12), Attendance.EXCUSED),
        (date(2026, 10, 10), Attendance.ABSENT),
        (date(2026, 11, 14), Attendance.UNRECORDED),
    ]:
        meeting = TrainingEventFactory(
            school=school, kind=TrainingEvent.Kind.MGBK, starts_on=day, seats=None
        )
        TrainingParticipationFactory(event=meeting, counselor=counselor, attendance=attendance)
    rates = mgbk_attendance_rates(school, since=date(2026, 7, 1), until=date(2026, 12, 31))
    assert (rates[counselor.pk].present, rates[counselor.pk].recorded) == (2, 4)
    assert str(rates[counselor.pk].percent) == "50.0"
    later = mgbk_attendance_rates(school, since=date(2026, 9, 1), until=date(2026, 12, 31))
    assert (later[counselor.pk].present, later[counselor.pk].recorded) == (0, 2)


# Certificates


def test_the_delegate_uploads_a_certificate_stored_under_a_random_name(
    client_for, media, counselor, delegation
):
    response = client_for(counselor).post(
        reverse("staff:certificate_upload", args=[delegation.pk]),
        {"certificate": SimpleUploadedFile("Sertifikat Ibu Konselor.png", _png())},
    )
    assert response.status_code == 302
    delegation.refresh_from_db()
    name = delegation.certificate.name
    assert name.startswith(f"certificates/{delegation.school_id}/") and name.endswith(".png")
    assert "Konselor" not in name
    assert delegation.certificate_uploaded_at is not None


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("sertifikat.pdf", b"Ini hanya teks, bukan PDF."),
        ("sertifikat.png", PNG),  # a PNG signature, but not an image
        ("sertifikat.exe", b"MZ\x90\x00"),
        ("kosong.pdf", b""),
        ("besar.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024)),
    ],
)
def test_a_certificate_that_is_not_a_small_pdf_jpg_or_png_is_refused(
    client_for, media, counselor, delegation, name, content
):
    response = client_for(counselor).post(
        reverse("staff:certificate_upload", args=[delegation.pk]),
        {"certificate": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert "certificate" in response.context["form"].errors
    delegation.refresh_from_db()
    assert not delegation.certificate


def test_a_pdf_certificate_is_accepted_by_its_content(client_for, media, counselor, delegation):
    response = client_for(counselor).post(
        reverse("staff:certificate_upload", args=[delegation.pk]),
        {"certificate": SimpleUploadedFile("sertifikat.jpg", b"%PDF-1.4\n%%EOF\n")},
    )
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.certificate.name.endswith(".pdf")


@pytest.fixture
def certificate(media, delegation):
    delegation.certificate = SimpleUploadedFile("sertifikat.png", _png())
    delegation.save()
    return delegation


@pytest.mark.parametrize(("person", "status"), [("counselor", 200), ("principal", 200)])
def test_owner_and_principal_download_the_certificate_and_it_is_logged(
    client_for, request, certificate, person, status
):
    user = request.getfixturevalue(person)
    response = client_for(user).get(reverse("staff:certificate_download", args=[certificate.pk]))
    assert response.status_code == status
    assert response["Content-Type"] == "image/png"
    assert AccessLogEntry.objects.filter(
        user=user, action=AccessLogEntry.Action.EXPORT, object_id=str(certificate.pk)
    ).exists()


@pytest.mark.parametrize(
    "person", ["vice_principal", "homeroom_teacher", "admin_staff", "other_principal"]
)
def test_nobody_else_downloads_the_certificate(client_for, request, certificate, person):
    response = client_for(request.getfixturevalue(person)).get(
        reverse("staff:certificate_download", args=[certificate.pk])
    )
    assert response.status_code == 404


def test_another_counselor_neither_downloads_nor_uploads(client_for, certificate, school):
    colleague = UserFactory(school=school, roles=[Role.COUNSELOR])
    client = client_for(colleague)
    assert (
        client.get(reverse("staff:certificate_download", args=[certificate.pk])).status_code == 404
    )
    assert client.get(reverse("staff:certificate_upload", args=[certificate.pk])).status_code == 404


def test_the_certificate_is_never_linked_through_media_url(client_for, principal, certificate):
    html = (
        client_for(principal)
        .get(reverse("staff:training_detail", args=[certificate.event_id]))
        .content.decode()
    )
    assert certificate.certificate.name not in html
    assert reverse("staff:certificate_download", args=[certificate.pk]) in html


def test_the_vice_principal_sees_that_a_certificate_exists_but_no_link(
    client_for, vice_principal, certificate
):
    html = (
        client_for(vice_principal)
        .get(reverse("staff:training_detail", args=[certificate.event_id]))
        .content.decode()
    )
    assert reverse("staff:certificate_download", args=[certificate.pk]) not in html


# Dissemination reports


def _report(participation, by, *, today=date(2026, 9, 15), version=None, **values):
    data = {"summary": "Teknik permainan peran.", "materials": "", "shared_on": None}
    data.update(values)
    return dissemination_report_save(
        participation=participation, by=by, version=version, today=today, **data
    )


def test_the_delegate_writes_the_report_once_the_event_is_over(delegation, counselor):
    with pytest.raises(ValidationError):
        _report(delegation, counselor, today=date(2026, 9, 10))
    report = _report(delegation, counselor, today=date(2026, 9, 11), shared_on=date(2026, 9, 11))
    assert report.summary == "Teknik permainan peran."
    assert report.school_id == delegation.school_id


def test_the_shared_date_lies_between_the_event_and_today(delegation, counselor):
    for day in [date(2026, 9, 9), date(2026, 9, 16)]:
        with pytest.raises(ValidationError):
            _report(delegation, counselor, shared_on=day)


def test_only_the_delegate_writes_and_only_when_a_report_is_owed(
    delegation, principal, school, counselor
):
    with pytest.raises(ValidationError):
        _report(delegation, principal)
    absent = TrainingParticipationFactory(
        event=delegation.event,
        counselor=UserFactory(school=school, roles=[Role.COUNSELOR]),
        attendance=Attendance.ABSENT,
    )
    with pytest.raises(ValidationError):
        _report(absent, absent.counselor)
    meeting = TrainingEventFactory(school=school, kind=TrainingEvent.Kind.MGBK, seats=None)
    at_mgbk = TrainingParticipationFactory(event=meeting, counselor=counselor)
    with pytest.raises(ValidationError):
        _report(at_mgbk, counselor)


def test_an_edit_of_the_report_on_a_stale_form_is_refused(delegation, counselor):
    from staff.training import StaleEdit

    report = _report(delegation, counselor)
    _report(delegation, counselor, version=report.version, summary="Versi kedua")
    with pytest.raises(StaleEdit):
        _report(delegation, counselor, version=report.version, summary="Versi lama")
    report.refresh_from_db()
    assert report.summary == "Versi kedua"


def test_the_report_page_writes_with_a_materials_file(client_for, media, counselor, delegation):
    with mock.patch("staff.views.training.timezone.localdate", return_value=date(2026, 9, 15)):
        response = client_for(counselor).post(
            reverse("staff:dissemination_write", args=[delegation.pk]),
            {
                "summary": "Langkah konseling kelompok.",
                "materials": "Modul di grup BK.",
                "shared_on": "2026-09-14",
                "materials_file": SimpleUploadedFile("modul.pdf", b"%PDF-1.4\n%%EOF\n"),
            },
        )
    report = DisseminationReport.objects.get()
    assert response["Location"] == reverse("staff:dissemination_detail", args=[report.pk])
    assert report.materials_file.name.startswith(f"dissemination/{report.school_id}/")


@pytest.mark.parametrize(
    "person", ["principal", "vice_principal", "homeroom_teacher", "subject_teacher", "admin_staff"]
)
def test_every_staff_member_of_the_school_reads_a_report(client_for, request, delegation, person):
    report = DisseminationReportFactory(participation=delegation)
    response = client_for(request.getfixturevalue(person)).get(
        reverse("staff:dissemination_detail", args=[report.pk])
    )
    assert response.status_code == 200
    assert "Teknik konseling kelompok" in response.content.decode()
    assert 'data-testid="shared-at"' in response.content.decode()


def test_another_counselor_cannot_write_someone_elses_report(client_for, delegation, school):
    colleague = UserFactory(school=school, roles=[Role.COUNSELOR])
    response = client_for(colleague).get(reverse("staff:dissemination_write", args=[delegation.pk]))
    assert response.status_code == 404


# The overdue rule: due 14 days after the event's last day (11 September → 25 September).


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (date(2026, 9, 11), False),
        (date(2026, 9, 24), False),
        (date(2026, 9, 25), False),  # the due day itself
        (date(2026, 9, 26), True),
        (date(2027, 1, 1), True),
    ],
)
def test_a_report_is_overdue_the_day_after_it_was_due(delegation, today, overdue):
    assert delegation.event.dissemination_due == date(2026, 9, 25)
    found = list(dissemination_overdue(delegation.school, today=today))
    assert found == ([delegation] if overdue else [])


@pytest.mark.parametrize(
    "change",
    [
        "report_written",
        "withdrawn",
        "absent",
        "excused",
        "cancelled",
        "mgbk",
    ],
)
def test_no_overdue_report_where_none_is_owed_or_it_was_written(delegation, change):
    if change == "report_written":
        DisseminationReportFactory(participation=delegation)
    elif change == "withdrawn":
        TrainingParticipation.objects.filter(pk=delegation.pk).update(
            withdrawn_at=delegation.delegated_at
        )
    elif change in ("absent", "excused"):
        TrainingParticipation.objects.filter(pk=delegation.pk).update(attendance=change)
    elif change == "cancelled":
        TrainingEvent.objects.filter(pk=delegation.event_id).update(is_cancelled=True)
    else:
        TrainingEvent.objects.filter(pk=delegation.event_id).update(kind=TrainingEvent.Kind.MGBK)
    assert list(dissemination_overdue(delegation.school, today=date(2027, 1, 1))) == []


def test_unrecorded_attendance_still_owes_the_report(delegation):
    TrainingParticipation.objects.filter(pk=delegation.pk).update(attendance=Attendance.UNRECORDED)
    assert len(dissemination_overdue(delegation.school, today=date(2027, 1, 1))) == 1


def test_overdue_reports_are_flagged_to_the_delegate_and_the_principal_at_home(
    client_for, delegation, counselor, principal, vice_principal
):
    with mock.patch("supervision.views.home.timezone.localdate", return_value=date(2026, 10, 1)):
        mine = client_for(counselor).get(reverse("home")).content.decode()
        theirs = client_for(principal).get(reverse("home")).content.decode()
        vice = client_for(vice_principal).get(reverse("home")).content.decode()
    assert 'data-testid="own-overdue"' in mine
    assert reverse("staff:dissemination_write", args=[delegation.pk]) in mine
    assert 'data-testid="school-overdue"' in theirs and counselor.full_name in theirs
    assert 'data-testid="overdue-reports"' not in vice


def test_nothing_is_flagged_before_the_due_date(client_for, delegation, counselor):
    with mock.patch("supervision.views.home.timezone.localdate", return_value=date(2026, 9, 20)):
        html = client_for(counselor).get(reverse("home")).content.decode()
    assert 'data-testid="overdue-reports"' not in html


# The figures per counselor


def test_the_summary_gives_each_counselor_the_twelve_months_figures(school, counselor, event):
    TrainingParticipationFactory(event=event, counselor=counselor, attendance=Attendance.PRESENT)
    meeting = TrainingEventFactory(
        school=school, kind=TrainingEvent.Kind.MGBK, starts_on=date(2026, 8, 8), seats=None
    )
    TrainingParticipationFactory(event=meeting, counselor=counselor, attendance=Attendance.PRESENT)
    idle = UserFactory(school=school, roles=[Role.COUNSELOR], full_name="Zaenal")
    rows = {row.counselor: row for row in training_summary(school, today=date(2026, 10, 1))}
    mine = rows[counselor]
    assert (mine.hours, mine.delegations, mine.last_delegated) == (16, 1, date(2026, 9, 10))
    assert (mine.mgbk.present, mine.mgbk.recorded, mine.overdue_reports) == (1, 1, 1)
    assert (rows[idle].hours, rows[idle].delegations, rows[idle].last_delegated) == (0, 0, None)
    assert rows[idle].mgbk is None


# Query counts


def _populate(school, counselor, principal, count):
    for number in range(count):
        event = TrainingEventFactory(
            school=school,
            created_by=principal,
            starts_on=date(2026, 7, 1) + datetime.timedelta(days=number),
            competencies=[12],
        )
        TrainingParticipationFactory(
            event=event, counselor=counselor, attendance=Attendance.PRESENT
        )
        meeting = TrainingEventFactory(
            school=school,
            kind=TrainingEvent.Kind.MGBK,
            starts_on=date(2026, 7, 2) + datetime.timedelta(days=number),
            seats=None,
        )
        TrainingParticipationFactory(
            event=meeting, counselor=counselor, attendance=Attendance.PRESENT
        )


@pytest.mark.parametrize("person", ["principal", "counselor"])
def test_training_list_query_count_does_not_grow(
    client_for, request, person, school, counselor, principal, django_assert_num_queries
):
    client = client_for(request.getfixturevalue(person))
    url = reverse("staff:training_list")
    _populate(school, counselor, principal, 2)
    client.get(url)
    # session, user with school, roles, the user's own delegations (counselor: with events and
    # reports; principal: none, no query), count, the page of events, their participants
    expected = 7 if person == "counselor" else 6
    with django_assert_num_queries(expected):
        client.get(url)
    _populate(school, counselor, principal, 20)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["page"]) == 30


def test_training_summary_query_count_does_not_grow(
    client_for, school, counselor, principal, django_assert_num_queries
):
    client = client_for(principal)
    url = reverse("staff:training_summary")
    _populate(school, counselor, principal, 2)
    # session, user, roles; hours, delegations, MGBK rates, last delegations, overdue
    # reports, the counselors
    with django_assert_num_queries(9):
        client.get(url)
    _populate(school, counselor, principal, 20)
    with django_assert_num_queries(9):
        client.get(url)


def test_training_page_query_count_does_not_grow(
    client_for, school, principal, event, django_assert_num_queries
):

    client = client_for(principal)
    url = reverse("staff:training_detail", args=[event.pk])

    def delegate(count):
        for _ in range(count):
            TrainingParticipationFactory(
                event=event, counselor=UserFactory(school=school, roles=[Role.COUNSELOR])
            )

    delegate(2)
    # session, user, roles; the event with who recorded it, its competencies, its participants
    # with their reports
    with django_assert_num_queries(6):
        client.get(url)
    delegate(20)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["rows"]) == 22


def test_principal_home_query_count_does_not_grow_with_overdue_reports(
    client_for, principal, school, django_assert_num_queries
):
    client = client_for(principal)

    def owe(count):
        for _ in range(count):
            TrainingParticipationFactory(
                event=TrainingEventFactory(school=school, starts_on=date(2026, 8, 1)),
                counselor=UserFactory(school=school, roles=[Role.COUNSELOR]),
            )

    owe(2)
    # session, user with school, roles, current semester with its year; the school's overdue
    # dissemination reports (at most eleven, with event and delegate); the own meetings of the
    # coming week, the school's overdue action items counted and the first of them, facility
    # requests waiting
    with django_assert_num_queries(9):
        response = client.get(reverse("home"))
    assert len(response.context["overdue_reports"].school) == 2
    owe(20)
    with django_assert_num_queries(9):
        response = client.get(reverse("home"))
    html = response.content.decode()
    shown = html.split('data-testid="school-overdue"')[1].split("</ul>")[0]
    assert shown.count("<li") == 10
    assert reverse("staff:training_summary") in html


def test_the_training_pages_keep_to_the_strict_csp(client_for, principal, event, delegation):
    client = client_for(principal)
    pages = [
        reverse("staff:training_list"),
        reverse("staff:training_summary"),
        reverse("staff:training_create"),
        reverse("staff:training_detail", args=[event.pk]),
        reverse("staff:training_delegation", args=[event.pk]),
        reverse("staff:training_attendance", args=[event.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>" not in html and "style=" not in html, url


# A certificate proves attendance: a delegate marked absent or excused is not offered the upload,
# and an upload sent anyway is refused with a message.

NOT_ATTENDING = [Attendance.ABSENT, Attendance.EXCUSED]


def _upload_url(participation) -> str:
    return reverse("staff:certificate_upload", args=[participation.pk])


@pytest.mark.parametrize(
    ("attendance", "offered"),
    [
        (Attendance.ABSENT, False),
        (Attendance.EXCUSED, False),
        (Attendance.PRESENT, True),
        (Attendance.UNRECORDED, True),
    ],
)
def test_the_certificate_upload_is_offered_only_to_a_delegate_who_may_have_attended(
    client_for, counselor, delegation, attendance, offered
):
    delegation.attendance = attendance
    delegation.save()
    client = client_for(counselor)
    for page in (
        reverse("staff:training_detail", args=[delegation.event_id]),
        reverse("staff:training_list"),
    ):
        assert (_upload_url(delegation) in client.get(page).content.decode()) is offered


@pytest.mark.parametrize("attendance", NOT_ATTENDING)
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
    assert str(NO_CERTIFICATE_WHEN_ABSENT) in [str(m) for m in response.context["messages"]]
    delegation.refresh_from_db()
    assert not delegation.certificate


def test_the_service_refuses_a_certificate_of_an_absent_delegate(media, counselor, delegation):
    delegation.attendance = Attendance.ABSENT
    delegation.save()
    with pytest.raises(ValidationError):
        certificate_upload(
            participation=delegation,
            by=counselor,
            upload=SimpleUploadedFile("sertifikat.png", _png()),
        )
    delegation.refresh_from_db()
    assert not delegation.certificate


# Materials of other kinds on the report page (staff.uploads.materials_check)


def _write_report(client, delegation, upload):
    with mock.patch("staff.views.training.timezone.localdate", return_value=date(2026, 9, 15)):
        return client.post(
            reverse("staff:dissemination_write", args=[delegation.pk]),
            {
                "summary": "Langkah konseling kelompok.",
                "materials": "",
                "shared_on": "2026-09-14",
                "materials_file": upload,
            },
        )


def test_the_report_page_takes_a_presentation(client_for, media, counselor, delegation):
    upload = SimpleUploadedFile(
        "slide.pptx", uploads_test._office("ppt/presentation.xml", uploads_test.SLIDES)
    )
    response = _write_report(client_for(counselor), delegation, upload)
    assert response.status_code == 302
    report = DisseminationReport.objects.get()
    assert report.materials_file.name.endswith(".pptx")
    download = client_for(counselor).get(reverse("staff:dissemination_materials", args=[report.pk]))
    assert download["Content-Type"].endswith("presentationml.presentation")


def test_the_report_page_refuses_another_kind_with_a_message(
    client_for, media, counselor, delegation
):
    upload = SimpleUploadedFile(
        "modul.docm", uploads_test._office("word/document.xml", uploads_test.WORD_MACROS)
    )
    response = _write_report(client_for(counselor), delegation, upload)
    assert response.status_code == 200
    assert "materials_file" in response.context["form"].errors
    assert not DisseminationReport.objects.exists()
