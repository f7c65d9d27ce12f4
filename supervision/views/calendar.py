"""Everyone's calendar of meetings, by week or month, and the private calendar feed that
calendar apps subscribe to (no sign-in: the secret token in its address is the key)."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from staff.access import Permission, can, permission_required
from staff.models import Semester
from supervision import meetings as services
from supervision import selectors
from supervision.dates import day_from_query
from supervision.ical import calendar_bytes, meeting_event, meeting_link
from supervision.models import CalendarFeed, Meeting

# The address of a new feed, kept in the session just long enough to be shown once.
NEW_FEED_TOKEN = "supervision_new_feed_token"


def _semester_holding(request: HttpRequest, day: datetime.date) -> Semester | None:
    """The school's semester holding the day, else its current one."""
    semesters = Semester.objects.filter(school_id=request.user.school_id).select_related(
        "academic_year"
    )
    found = semesters.filter(start_date__lte=day, end_date__gte=day).first()
    return found or semesters.filter(is_current=True).first()


@permission_required(Permission.USE_CALENDAR)
def calendar(request: HttpRequest) -> HttpResponse:
    user = request.user
    view = request.GET.get("view")
    if view not in (selectors.MONTH, selectors.SEMESTER):
        view = selectors.WEEK
    day = day_from_query(request.GET.get("day", "")) or timezone.localdate()
    leader = can(user, Permission.SCHEDULE_MEETINGS)
    whole_school = leader and request.GET.get("all") == "1"
    # Filters the principal's dashboard links with: one kind of meeting, only those held.
    kind = request.GET.get("kind", "")
    if kind not in Meeting.Kind.values:
        kind = ""
    held_only = request.GET.get("held") == "1"
    semester = _semester_holding(request, day) if view == selectors.SEMESTER else None
    if semester is not None:
        period = selectors.semester_calendar_period(semester)
    else:
        period = selectors.calendar_period(
            selectors.MONTH if view == selectors.SEMESTER else view, day
        )
    token = request.session.pop(NEW_FEED_TOKEN, None)
    feed_url = (
        request.build_absolute_uri(reverse("supervision:calendar_feed", args=[token]))
        if token
        else None
    )
    filters = urlencode(
        {key: value for key, value in (("kind", kind), ("held", "1" if held_only else "")) if value}
    )
    return render(
        request,
        "supervision/calendar.html",
        {
            "period": period,
            "semester": semester,
            "days": selectors.calendar_days(
                user, period, whole_school=whole_school, kind=kind, held_only=held_only
            ),
            "today": timezone.localdate(),
            "leader": leader,
            "whole_school": whole_school,
            "kind": kind,
            "kinds": Meeting.Kind.choices,
            "held_only": held_only,
            "filters": f"&{filters}" if filters else "",
            "awaiting_minutes": selectors.meetings_awaiting_minutes(user) if leader else [],
            "feed": CalendarFeed.objects.filter(user=user).first(),
            "feed_url": feed_url,
        },
    )


@permission_required(Permission.USE_CALENDAR)
@require_POST
def calendar_feed_issue(request: HttpRequest) -> HttpResponse:
    request.session[NEW_FEED_TOKEN] = services.calendar_feed_issue(user=request.user)
    messages.success(
        request,
        _(
            "Your calendar feed address is ready. Copy it now: it is shown only once. An "
            "earlier address no longer works."
        ),
    )
    return redirect("supervision:calendar")


@permission_required(Permission.USE_CALENDAR)
@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    if services.calendar_feed_revoke(user=request.user):
        messages.success(
            request, _("Your calendar feed was switched off; its address no longer works.")
        )
    return redirect("supervision:calendar")


@require_GET
@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's meetings for a calendar app. Unknown or revoked tokens do not exist."""
    owner = services.calendar_feed_owner(token)
    if owner is None:
        raise Http404
    events = [
        meeting_event(meeting, link=meeting_link(meeting))
        for meeting in selectors.feed_meetings(owner)
    ]
    content = calendar_bytes(
        events, name=_("Meetings of %(name)s") % {"name": owner.full_name or owner.username}
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rapat.ics"'
    return response
