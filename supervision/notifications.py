"""E-mail to the people invited to a meeting: the invitation, a change, a cancellation. Each
carries the meeting as an iCalendar attachment (METHOD:REQUEST, or METHOD:CANCEL) so that a
calendar app takes it in, updates it or removes it.

Sent once the transaction that changed the meeting has committed: nobody is told of a meeting
that was not saved, and a mail server that is down does not undo one that was.
"""

import logging
from collections.abc import Iterable
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from staff.models import User
from supervision.ical import calendar_bytes, meeting_event, meeting_link
from supervision.models import Meeting, SupervisionVisit

logger = logging.getLogger(__name__)

INVITE = "invite"
UPDATE = "update"
CANCEL = "cancel"
# Taken off the invitees of a meeting that still takes place.
UNINVITE = "uninvite"

_METHOD = {INVITE: "REQUEST", UPDATE: "REQUEST", CANCEL: "CANCEL", UNINVITE: "CANCEL"}


def _subject(notice: str, title: str) -> str:
    subjects = {
        INVITE: _("Meeting invitation: %(title)s"),
        UPDATE: _("Meeting changed: %(title)s"),
        CANCEL: _("Meeting cancelled: %(title)s"),
        UNINVITE: _("No longer invited: %(title)s"),
    }
    return subjects[notice] % {"title": title}


def _attachment(meeting: Meeting, person: User, notice: str, number: int) -> MIMEText:
    method = _METHOD[notice]
    event = meeting_event(
        meeting, link=meeting_link(meeting), attendee=person, cancelled=method == "CANCEL"
    )
    content = calendar_bytes([event], method=method).decode()
    part = MIMEText(content, "calendar", "utf-8")
    part.set_param("method", method)
    filename = "rapat.ics" if number == 0 else f"rapat-{number + 1}.ics"
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def _message(meetings: list[Meeting], person: User, notice: str) -> EmailMessage:
    first = meetings[0]
    body = render_to_string(
        "supervision/email/meeting_notice.txt",
        {
            "notice": notice,
            "person": person,
            "meetings": meetings,
            "first": first,
            "link": meeting_link(first),
        },
    )
    message = EmailMessage(
        subject=_subject(notice, first.title),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        reply_to=[first.organizer.email] if first.organizer.email else None,
    )
    # One calendar object per occurrence: iTIP wants one event (one UID) per REQUEST.
    for number, meeting in enumerate(meetings):
        message.attach(_attachment(meeting, person, notice, number))
    return message


def send_meeting_notices(*, meeting_ids: list[int], person_ids: list[int], notice: str) -> int:
    """Send one e-mail to each active person with an address; returns how many went out."""
    meetings = list(
        Meeting.objects.filter(pk__in=meeting_ids).select_related("organizer").order_by("starts_at")
    )
    people = list(User.objects.filter(pk__in=person_ids, is_active=True).exclude(email=""))
    if not meetings or not people:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        messages = [_message(meetings, person, notice) for person in people]
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # A mail server that is down must not turn into an error page.
        logger.exception("Meeting e-mail (%s) for meetings %s not sent", notice, meeting_ids)
        return 0


def notify_on_commit(*, meetings: Iterable[Meeting], person_ids: Iterable[int], notice: str):
    meeting_ids = [meeting.pk for meeting in meetings]
    person_ids = sorted(set(person_ids))
    if meeting_ids and person_ids:
        transaction.on_commit(
            lambda: send_meeting_notices(
                meeting_ids=meeting_ids, person_ids=person_ids, notice=notice
            )
        )


# Supervision visits: the visited BK teacher is told when a visit is planned, moved or cancelled.
VISIT_PLANNED = "planned"
VISIT_RESCHEDULED = "rescheduled"
VISIT_CANCELLED = "cancelled"


def _visit_subject(notice: str) -> str:
    subjects = {
        VISIT_PLANNED: _("Supervision visit planned"),
        VISIT_RESCHEDULED: _("Supervision visit moved to another day"),
        VISIT_CANCELLED: _("Supervision visit cancelled"),
    }
    return subjects[notice]


def _visit_message(visit: SupervisionVisit, notice: str) -> EmailMessage:
    changes = list(visit.changes.all())
    body = render_to_string(
        "supervision/email/visit_notice.txt",
        {
            "notice": notice,
            "visit": visit,
            "change": changes[-1] if changes else None,
            "link": settings.SITE_URL.rstrip("/")
            + reverse("supervision:visit_detail", args=[visit.pk]),
        },
    )
    return EmailMessage(
        subject=_visit_subject(notice),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[visit.counselor.email],
        reply_to=[visit.supervisor.email] if visit.supervisor.email else None,
    )


def send_visit_notices(*, visit_ids: list[int], notice: str) -> int:
    """One e-mail to the BK teacher of each visit (active, with an address)."""
    visits = (
        SupervisionVisit.objects.filter(pk__in=visit_ids, counselor__is_active=True)
        .exclude(counselor__email="")
        .select_related("counselor", "supervisor")
        .prefetch_related("changes")
    )
    with translation.override(settings.LANGUAGE_CODE):
        messages = [_visit_message(visit, notice) for visit in visits]
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # A mail server that is down must not turn into an error page.
        logger.exception("Visit e-mail (%s) for visits %s not sent", notice, visit_ids)
        return 0


def notify_visits_on_commit(*, visits: Iterable[SupervisionVisit], notice: str) -> None:
    visit_ids = [visit.pk for visit in visits]
    if visit_ids:
        transaction.on_commit(lambda: send_visit_notices(visit_ids=visit_ids, notice=notice))
