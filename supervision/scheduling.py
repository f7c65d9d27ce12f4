"""When meetings happen: the dates of a repeating meeting, and the invitees who are taken at
that time by another meeting or by counseling."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counseling.selectors import BusyTime, counseling_busy_times
from staff.models import User
from supervision.models import MeetingInvitation

MAX_OCCURRENCES = 52

Window = tuple[datetime.datetime, datetime.datetime]


class Repeat(models.TextChoices):
    NONE = "none", _("Does not repeat")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")


def overlaps(first: Window, second: Window) -> bool:
    """Two stretches of time share a moment. One ending when the other starts does not."""
    return first[0] < second[1] and second[0] < first[1]


def occurrences(
    starts_at: datetime.datetime, ends_at: datetime.datetime, repeat: str, count: int
) -> list[Window]:
    """The start and end of each occurrence, at the same local (Asia/Jakarta) time of day.

    Weekly: every seven days. Monthly: the same day of each month, or the month's last day
    when it is shorter (a meeting on the 31st falls on 28 or 29 February, then 31 March).
    """
    if repeat == Repeat.NONE:
        count = 1
    local_start = timezone.localtime(starts_at)
    length = ends_at - starts_at
    windows = []
    for number in range(count):
        if repeat == Repeat.MONTHLY:
            day = local_start.date() + relativedelta(months=number)
        else:
            day = local_start.date() + datetime.timedelta(weeks=number)
        start = timezone.make_aware(
            datetime.datetime.combine(day, local_start.time()), local_start.tzinfo
        )
        windows.append((start, start + length))
    return windows


@dataclass(frozen=True)
class Conflict:
    """An invitee taken at a time that overlaps an occurrence. What takes them is not said."""

    person: User
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    occurrence: Window


def find_conflicts(
    *,
    school_id: int,
    people: Iterable[User],
    windows: list[Window],
    ignore_meetings: Iterable[int] = (),
) -> list[Conflict]:
    """Every invitee's other meetings (not cancelled) and counseling sessions or appointments
    that overlap one of the windows, by person and time. Meetings and sessions of other schools
    never count. Three queries whatever the number of people and windows."""
    people = {person.pk: person for person in people}
    if not people or not windows:
        return []
    reach = Q()
    for start, end in windows:
        reach |= Q(meeting__starts_at__lt=end, meeting__ends_at__gt=start)
    meetings = (
        MeetingInvitation.objects.filter(
            reach,
            person_id__in=list(people),
            meeting__school_id=school_id,
            meeting__cancelled_at__isnull=True,
        )
        .exclude(meeting_id__in=list(ignore_meetings))
        .values_list("person_id", "meeting__starts_at", "meeting__ends_at")
    )
    busy = [BusyTime(*row) for row in meetings]
    busy += counseling_busy_times(school_id=school_id, person_ids=list(people), windows=windows)
    found = set()
    for entry in busy:
        for window in windows:
            if overlaps((entry.starts_at, entry.ends_at), window):
                found.add((entry.person_id, entry.starts_at, entry.ends_at, window))
    conflicts = [
        Conflict(people[person_id], starts_at, ends_at, window)
        for person_id, starts_at, ends_at, window in found
    ]
    conflicts.sort(key=lambda c: (c.occurrence[0], c.person.full_name, c.person.pk, c.starts_at))
    return conflicts
