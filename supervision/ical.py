"""Meetings as iCalendar (RFC 5545): the invitations sent by e-mail, the download of one
meeting and each person's calendar feed. Times are in Asia/Jakarta, with its VTIMEZONE, so
that calendar apps show the school's local time."""

import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from staff.models import User
from supervision.models import Meeting

PRODUCT_ID = "-//Ruang BK//Rapat//ID"
UID_DOMAIN = "ruangbk"


def event_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@{UID_DOMAIN}"


def _address(user: User) -> vCalAddress:
    email = user.email or settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(user.full_name or user.username)
    return address


def _description(meeting: Meeting, link: str) -> str:
    lines = [str(meeting.get_kind_display())]
    if meeting.agenda:
        lines += ["", meeting.agenda]
    lines += ["", _("Organizer: %(name)s") % {"name": meeting.organizer.full_name}]
    if link:
        lines.append(link)
    return "\n".join(lines)


def meeting_event(
    meeting: Meeting,
    *,
    link: str = "",
    attendee: User | None = None,
    cancelled: bool = False,
) -> Event:
    """One VEVENT. Its SEQUENCE is the meeting's version, so that a calendar app knows an
    update or a cancellation supersedes what it holds."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    event = Event()
    event.add("uid", event_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", meeting.title)
    event.add("location", meeting.place)
    event.add("description", _description(meeting, link))
    event.add("sequence", meeting.version)
    event.add("status", "CANCELLED" if cancelled or meeting.is_cancelled else "CONFIRMED")
    event.add("organizer", _address(meeting.organizer))
    if attendee is not None:
        address = _address(attendee)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address)
    if link:
        event.add("url", link)
    return event


def calendar_bytes(
    events: Iterable[Event], *, method: str | None = None, name: str | None = None
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_link(meeting: Meeting) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("supervision:meeting_detail", args=[meeting.pk])
