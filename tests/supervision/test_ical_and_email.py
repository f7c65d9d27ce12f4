"""Meetings as iCalendar: the download, the private feed (its token revoked and renewed), and
the e-mails sent on invitation, change and cancellation. Everything produced is parsed back."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from supervision.meetings import calendar_feed_issue
from supervision.models import CalendarFeed, Meeting
from supervision.scheduling import Repeat
from tests.factories import MeetingFactory
from tests.supervision.conftest import local

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def _events(content: bytes) -> list:
    calendar = Calendar.from_ical(content)
    return list(calendar.walk("VEVENT"))


@pytest.fixture
def meeting(vice_principal, counselor, homeroom_teacher, next_week):
    return MeetingFactory(
        organizer=vice_principal,
        invitees=[counselor, homeroom_teacher],
        title="Rapat koordinasi BK",
        place="Ruang rapat guru",
        starts_at=local(next_week, 13),
        ends_at=local(next_week, 14, 30),
    )


# The download


def test_ics_download_is_valid_icalendar_at_the_local_time(client_for, counselor, meeting):
    response = client_for(counselor).get(reverse("supervision:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    # The VTIMEZONE that calendar apps need to show WIB.
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Jakarta"]
    (event,) = _events(response.content)
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start.hour, start.minute, end.hour, end.minute) == (13, 0, 14, 30)
    assert start.utcoffset() == datetime.timedelta(hours=7)
    assert start == meeting.starts_at and end == meeting.ends_at
    assert str(event["SUMMARY"]) == "Rapat koordinasi BK"
    assert str(event["LOCATION"]) == "Ruang rapat guru"
    assert str(event["UID"]).startswith(str(meeting.uid))
    assert b"TZID=Asia/Jakarta" in response.content


def test_ics_download_needs_the_meeting_to_be_visible(client_for, subject_teacher, meeting):
    url = reverse("supervision:meeting_ics", args=[meeting.pk])
    assert client_for(subject_teacher).get(url).status_code == 404


# The feed


def _feed_url(token: str) -> str:
    return reverse("supervision:calendar_feed", args=[token])


def test_feed_lists_own_meetings_without_signing_in(
    client, counselor, vice_principal, meeting, next_week
):
    MeetingFactory(organizer=vice_principal, title="Rapat lain", starts_at=local(next_week, 8))
    cancelled = MeetingFactory(organizer=vice_principal, invitees=[counselor], title="Rapat batal")
    Meeting.objects.filter(pk=cancelled.pk).update(cancelled_at=timezone.now())
    token = calendar_feed_issue(user=counselor)
    response = client.get(_feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)
    assert [str(e["SUMMARY"]) for e in events] == ["Rapat koordinasi BK"]
    start = events[0].decoded("DTSTART")
    assert start.astimezone(JAKARTA).hour == 13 and start == meeting.starts_at
    assert "Cache-Control" in response and "no-cache" in response["Cache-Control"]


def test_only_a_hash_of_the_token_is_stored(counselor):
    token = calendar_feed_issue(user=counselor)
    feed = CalendarFeed.objects.get(user=counselor)
    assert token not in feed.token_hash
    assert len(token) >= 40


def test_unknown_token_is_not_found(client, counselor, meeting):
    calendar_feed_issue(user=counselor)
    assert client.get(_feed_url("not-the-token")).status_code == 404


def test_revoked_token_stops_working(client, client_for, counselor, meeting):
    token = calendar_feed_issue(user=counselor)
    assert client.get(_feed_url(token)).status_code == 200
    response = client_for(counselor).post(reverse("supervision:calendar_feed_revoke"))
    assert response.status_code == 302
    assert client.get(_feed_url(token)).status_code == 404
    assert not CalendarFeed.objects.filter(user=counselor).exists()


def test_renewing_replaces_the_old_address_and_shows_the_new_one_once(
    client, client_for, counselor, meeting
):
    old = calendar_feed_issue(user=counselor)
    person = client_for(counselor)
    person.post(reverse("supervision:calendar_feed_issue"))
    page = person.get(reverse("supervision:calendar"))
    new_url = page.context["feed_url"]
    assert new_url and old not in new_url
    assert client.get(new_url).status_code == 200
    assert client.get(_feed_url(old)).status_code == 404
    # Shown once: the next visit no longer has it.
    assert person.get(reverse("supervision:calendar")).context["feed_url"] is None


def test_feed_of_a_deactivated_person_stops_working(client, counselor, meeting):
    token = calendar_feed_issue(user=counselor)
    counselor.is_active = False
    counselor.save()
    assert client.get(_feed_url(token)).status_code == 404


# E-mail


def _calendar_parts(message) -> list:
    return [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]


def _post(next_week, **overrides):
    data = {
        "kind": Meeting.Kind.COORDINATION,
        "title": "Rapat koordinasi BK",
        "day": next_week.isoformat(),
        "start_time": "13:00",
        "end_time": "14:00",
        "place": "Ruang rapat guru",
        "agenda": "Program semester",
        "roles": ["counselor"],
        "people": [],
        "repeat": Repeat.NONE,
        "count": "",
    }
    data.update(overrides)
    return data


def test_invitees_get_an_invitation_with_icalendar_request(
    client_for,
    vice_principal,
    counselor,
    colleague,
    homeroom_teacher,
    next_week,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(vice_principal).post(
            reverse("supervision:meeting_create"),
            _post(next_week, people=[str(homeroom_teacher.pk)]),
        )
    assert response.status_code == 302
    # Each invitee gets their own e-mail; the organizer none.
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [counselor.email, colleague.email, homeroom_teacher.email]
    )
    message = next(m for m in mailoutbox if m.to == [counselor.email])
    assert "Rapat koordinasi BK" in message.subject
    assert "13:00" in message.body and "Ruang rapat guru" in message.body
    (part,) = _calendar_parts(message)
    assert part.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    assert str(calendar["METHOD"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART").astimezone(JAKARTA).hour == 13
    assert counselor.email in str(event["ATTENDEE"])
    assert int(event["SEQUENCE"]) == 0


def test_a_series_invitation_carries_one_calendar_file_per_meeting(
    client_for, vice_principal, counselor, next_week, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(vice_principal).post(
            reverse("supervision:meeting_create"),
            _post(next_week, repeat=Repeat.WEEKLY, count="3"),
        )
    (message,) = mailoutbox
    parts = _calendar_parts(message)
    uids = {
        str(Calendar.from_ical(p.get_payload(decode=True)).walk("VEVENT")[0]["UID"]) for p in parts
    }
    assert len(parts) == 3 and len(uids) == 3


def test_no_email_when_the_save_is_refused(
    client_for, vice_principal, counselor, next_week, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(vice_principal).post(
            reverse("supervision:meeting_create"), _post(next_week, end_time="12:00")
        )
    assert mailoutbox == []


def _edit_post(meeting, **overrides):
    local_start = timezone.localtime(meeting.starts_at)
    data = {
        "kind": meeting.kind,
        "title": meeting.title,
        "day": local_start.date().isoformat(),
        "start_time": local_start.strftime("%H:%M"),
        "end_time": timezone.localtime(meeting.ends_at).strftime("%H:%M"),
        "place": meeting.place,
        "agenda": meeting.agenda,
        "people": [
            str(pk)
            for pk in meeting.invitations.values_list("person_id", flat=True)
            if pk != meeting.organizer_id
        ],
        "version": str(meeting.version),
    }
    data.update(overrides)
    return data


def test_a_change_notifies_the_invitees_with_a_higher_sequence(
    client_for,
    vice_principal,
    counselor,
    homeroom_teacher,
    meeting,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(vice_principal).post(
            reverse("supervision:meeting_edit", args=[meeting.pk]),
            _edit_post(meeting, start_time="14:00", end_time="15:00"),
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == sorted([counselor.email, homeroom_teacher.email])
    message = mailoutbox[0]
    (part,) = _calendar_parts(message)
    (event,) = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    assert int(event["SEQUENCE"]) == 1
    assert str(event["UID"]).startswith(str(meeting.uid))
    assert event.decoded("DTSTART").astimezone(JAKARTA).hour == 14


def test_people_taken_off_get_a_cancellation_and_new_people_an_invitation(
    client_for,
    vice_principal,
    counselor,
    homeroom_teacher,
    colleague,
    meeting,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(vice_principal).post(
            reverse("supervision:meeting_edit", args=[meeting.pk]),
            _edit_post(meeting, people=[str(counselor.pk), str(colleague.pk)]),
        )
    by_person = {m.to[0]: m for m in mailoutbox}
    # Nothing else changed, so the counselor who stays invited is not written to.
    assert set(by_person) == {homeroom_teacher.email, colleague.email}
    assert _calendar_parts(by_person[homeroom_teacher.email])[0].get_param("method") == "CANCEL"
    assert _calendar_parts(by_person[colleague.email])[0].get_param("method") == "REQUEST"


def test_cancelling_notifies_every_invitee_with_icalendar_cancel(
    client_for,
    vice_principal,
    counselor,
    homeroom_teacher,
    meeting,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(vice_principal).post(
            reverse("supervision:meeting_cancel", args=[meeting.pk]),
            {"reason": "Bertepatan dengan ujian sekolah"},
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.cancel_reason == "Bertepatan dengan ujian sekolah"
    assert sorted(m.to[0] for m in mailoutbox) == sorted([counselor.email, homeroom_teacher.email])
    message = mailoutbox[0]
    assert "Bertepatan dengan ujian sekolah" in message.body
    (part,) = _calendar_parts(message)
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    assert str(calendar["METHOD"]) == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_cancelling_needs_a_reason(client_for, vice_principal, meeting, mailoutbox):
    client_for(vice_principal).post(
        reverse("supervision:meeting_cancel", args=[meeting.pk]), {"reason": "  "}
    )
    meeting.refresh_from_db()
    assert not meeting.is_cancelled


def test_cancelling_the_rest_of_a_series(
    client_for, vice_principal, counselor, next_week, django_capture_on_commit_callbacks
):
    client = client_for(vice_principal)
    client.post(
        reverse("supervision:meeting_create"), _post(next_week, repeat=Repeat.WEEKLY, count="4")
    )
    meetings = list(Meeting.objects.order_by("starts_at"))
    client.post(
        reverse("supervision:meeting_cancel", args=[meetings[1].pk]),
        {"reason": "Libur semester", "following": "on"},
    )
    assert [m.is_cancelled for m in Meeting.objects.order_by("starts_at")] == [
        False,
        True,
        True,
        True,
    ]


def test_a_mail_server_that_is_down_does_not_undo_the_meeting(
    client_for, vice_principal, counselor, next_week, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(vice_principal).post(
            reverse("supervision:meeting_create"), _post(next_week)
        )
    assert response.status_code == 302
    assert Meeting.objects.filter(title="Rapat koordinasi BK").exists()
