"""Reads of the supervision app, always starting from what supervision.access lets the user
see: the calendar, the meeting page, action items, the role homes, and the figures the
principal's dashboard and the period report read (meetings held by kind, meeting hours,
visits by stage, facility compliance and its trend, overdue action items)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone

from counseling.access import inbound_referrals_visible_to
from counseling.models import InboundReferral
from staff.access import Permission, can, has_role
from staff.appraisals import CompetencyBrief, competency_brief
from staff.models import DisseminationReport, Role, RoleAssignment, School, Semester, User
from staff.training import (
    OwnSemesterTraining,
    SchoolSemesterTraining,
    own_semester_training,
    school_semester_training,
)
from supervision.access import (
    action_items_visible_to,
    evaluations_visible_to,
    facility_requests_decided_by,
    meetings_invited_to,
    meetings_visible_to,
)
from supervision.models import (
    ActionItem,
    FacilityAssessment,
    FacilityRequest,
    Meeting,
    MeetingInvitation,
    PerformanceEvaluation,
    SupervisionVisit,
)


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Local midnight (Asia/Jakarta) at the start of the day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- The calendar ---------------------------------------------------------------------------

WEEK = "week"
MONTH = "month"
SEMESTER = "semester"


@dataclass(frozen=True)
class CalendarPeriod:
    view: str
    first_day: datetime.date
    last_day: datetime.date
    previous: datetime.date
    next: datetime.date

    @property
    def starts_at(self) -> datetime.datetime:
        return start_of_day(self.first_day)

    @property
    def ends_at(self) -> datetime.datetime:
        return start_of_day(self.last_day + datetime.timedelta(days=1))


def semester_calendar_period(semester: Semester) -> CalendarPeriod:
    """A semester's days; before and after it, the days next to it."""
    return CalendarPeriod(
        SEMESTER,
        semester.start_date,
        semester.end_date,
        semester.start_date - datetime.timedelta(days=1),
        semester.end_date + datetime.timedelta(days=1),
    )


def calendar_period(view: str, day: datetime.date) -> CalendarPeriod:
    """The week (Monday to Sunday) or the calendar month holding `day`."""
    if view == MONTH:
        first = day.replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        return CalendarPeriod(
            MONTH, first, following - datetime.timedelta(days=1), previous, following
        )
    first = day - datetime.timedelta(days=day.weekday())
    return CalendarPeriod(
        WEEK,
        first,
        first + datetime.timedelta(days=6),
        first - datetime.timedelta(weeks=1),
        first + datetime.timedelta(weeks=1),
    )


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date
    meetings: list[Meeting] = field(default_factory=list)


def calendar_days(
    user: User,
    period: CalendarPeriod,
    *,
    whole_school: bool = False,
    kind: str = "",
    held_only: bool = False,
) -> list[CalendarDay]:
    """The days of the period that hold meetings, each with its meetings by time. The user's
    own meetings, or every meeting they may see; of one kind, or only those held, if asked.
    One query."""
    source = meetings_visible_to(user) if whole_school else meetings_invited_to(user)
    if kind:
        source = source.filter(kind=kind)
    if held_only:
        source = meetings_held(source)
    meetings = (
        source.filter(starts_at__gte=period.starts_at, starts_at__lt=period.ends_at)
        .select_related("organizer")
        .order_by("starts_at", "pk")
    )
    days: dict[datetime.date, CalendarDay] = {}
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at).date()
        days.setdefault(day, CalendarDay(day)).meetings.append(meeting)
    return list(days.values())


def meetings_awaiting_minutes(user: User, *, limit: int = 10) -> list[Meeting]:
    """Meetings that have ended without minutes, newest first, for who keeps them."""
    if not can(user, Permission.SCHEDULE_MEETINGS):
        return []
    return list(
        meetings_visible_to(user)
        .filter(
            ends_at__lte=timezone.now(),
            cancelled_at__isnull=True,
            minutes_recorded_at__isnull=True,
        )
        .order_by("-starts_at", "-pk")[:limit]
    )


def feed_meetings(user: User) -> QuerySet[Meeting]:
    """What a person's calendar feed holds: the own meetings from 90 days back, not
    cancelled (a calendar app drops an event the feed no longer lists)."""
    since = timezone.now() - datetime.timedelta(days=90)
    return (
        meetings_invited_to(user)
        .filter(ends_at__gte=since, cancelled_at__isnull=True)
        .select_related("organizer")
        .order_by("starts_at", "pk")
    )


# --- The meeting page -------------------------------------------------------------------------


def meeting_invitations(meeting: Meeting) -> list[MeetingInvitation]:
    return list(
        meeting.invitations.select_related("person").order_by("person__full_name", "person__pk")
    )


def meeting_reports(meeting: Meeting) -> list[DisseminationReport]:
    """The dissemination reports presented at the meeting (every reader of the meeting may read
    them: training records are the whole school's)."""
    return list(
        meeting.dissemination_reports.select_related(
            "participation__event", "participation__counselor"
        ).order_by("participation__event__starts_on", "pk")
    )


def meeting_action_items(user: User, meeting: Meeting) -> list[ActionItem]:
    return list(
        action_items_visible_to(user)
        .filter(meeting=meeting)
        .select_related("assignee", "competency")
        .order_by("due_on", "pk")
    )


def meeting_evaluations(user: User, meeting: Meeting) -> list[PerformanceEvaluation]:
    return list(
        evaluations_visible_to(user)
        .filter(meeting=meeting)
        .select_related("counselor")
        .order_by("counselor__full_name", "pk")
    )


def evaluation_for_page(user: User) -> QuerySet[PerformanceEvaluation]:
    return evaluations_visible_to(user).select_related("meeting", "counselor", "evaluator")


# --- Action items -----------------------------------------------------------------------------

OPEN = "open"
OVERDUE = "overdue"
DONE = "done"
ALL = "all"


def action_items_for_list(
    user: User,
    *,
    status: str = OPEN,
    everyone: bool = False,
    overdue_on: datetime.date | None = None,
):
    """The user's action items (or, for the school's leaders, everyone's they may see), with
    where each came from. The overdue ones are those of today, or of the day `overdue_on`."""
    items = action_items_visible_to(user)
    if not everyone:
        items = items.filter(assignee=user)
    if status == OPEN:
        items = items.filter(status=ActionItem.Status.OPEN)
    elif status == OVERDUE:
        items = overdue_action_items(items, on=overdue_on)
    elif status == DONE:
        items = items.exclude(status=ActionItem.Status.OPEN)
    return items.select_related("assignee", "meeting", "competency").order_by("due_on", "pk")


def overdue_action_items(
    items: QuerySet[ActionItem], *, on: datetime.date | None = None
) -> QuerySet[ActionItem]:
    """The items overdue today, or as they stood at the start of an earlier day `on`: due
    before it, recorded before it, and not done before it. (A dropped item counts as never
    overdue: when it was dropped is not kept.)"""
    today = timezone.localdate()
    if on is None or on >= today:
        return items.filter(status=ActionItem.Status.OPEN, due_on__lt=today)
    moment = start_of_day(on)
    return items.filter(due_on__lt=on, created_at__lt=moment).filter(
        Q(status=ActionItem.Status.OPEN)
        | Q(status=ActionItem.Status.DONE, completed_at__gte=moment)
    )


def overdue_action_items_count(school: School, *, on: datetime.date | None = None) -> int:
    """Every overdue action item of the school, today or at the start of the day `on` (for
    the dashboards)."""
    return overdue_action_items(ActionItem.objects.filter(school=school), on=on).count()


# --- Homes ------------------------------------------------------------------------------------

OVERDUE_SHOWN = 10
RECENT_MEETINGS_FOR_ATTENDANCE = 5


@dataclass(frozen=True)
class OverduePanel:
    count: int
    items: list[ActionItem]
    everyone: bool


@dataclass(frozen=True)
class MeetingsHome:
    """What everyone's home shows of meetings: the own meetings of the coming seven days,
    and the action items overdue (the own; the school's for its leaders)."""

    upcoming: list[Meeting]
    overdue: OverduePanel | None


def _overdue_panel(user: User) -> OverduePanel | None:
    everyone = has_role(user, Role.PRINCIPAL, Role.VICE_PRINCIPAL)
    items = action_items_visible_to(user)
    if not everyone:
        items = items.filter(assignee=user)
    overdue = overdue_action_items(items)
    if everyone:
        count = overdue.count()
        shown = list(overdue.select_related("assignee").order_by("due_on", "pk")[:OVERDUE_SHOWN])
    else:
        # The own overdue items are few: one query, counted here.
        shown = list(overdue.order_by("due_on", "pk"))
        count = len(shown)
        shown = shown[:OVERDUE_SHOWN]
    if not count:
        return None
    return OverduePanel(count, shown, everyone)


def meetings_home(user: User) -> MeetingsHome | None:
    """None for someone without the calendar (an operator). Two queries, three for a leader."""
    if not can(user, Permission.USE_CALENDAR):
        return None
    now = timezone.now()
    upcoming = list(
        meetings_invited_to(user)
        .filter(ends_at__gt=now, starts_at__lt=now + datetime.timedelta(days=7))
        .order_by("starts_at", "pk")[:OVERDUE_SHOWN]
    )
    return MeetingsHome(upcoming, _overdue_panel(user))


@dataclass(frozen=True)
class VicePrincipalHome:
    this_week: list[Meeting]
    next_week: list[Meeting]
    next_week_starts: datetime.date
    attendance_rate: int | None
    attendance_meetings: int
    waiting_referrals: int


def attendance_rate(meetings: QuerySet[Meeting]) -> tuple[int | None, int]:
    """The share of invitees present at the most recent meetings with minutes, in percent
    (None before any), and how many meetings that is. One query."""
    recent = (
        meetings.filter(minutes_recorded_at__isnull=False, cancelled_at__isnull=True)
        .order_by("-starts_at", "-pk")
        .values("pk")[:RECENT_MEETINGS_FOR_ATTENDANCE]
    )
    totals = MeetingInvitation.objects.filter(meeting_id__in=recent).aggregate(
        meetings=Count("meeting_id", distinct=True),
        present=Count("pk", filter=Q(attendance=MeetingInvitation.Attendance.PRESENT)),
        recorded=Count("pk", filter=~Q(attendance="")),
    )
    if not totals["recorded"]:
        return None, totals["meetings"]
    return round(totals["present"] * 100 / totals["recorded"]), totals["meetings"]


def vice_principal_home(user: User) -> VicePrincipalHome | None:
    """This week's and next week's meetings of the school, the attendance rate of recent
    meetings, and the referrals waiting for BK's triage (counted only). Three queries."""
    if getattr(user, "school_id", None) is None or not has_role(user, Role.VICE_PRINCIPAL):
        return None
    today = timezone.localdate()
    period = calendar_period(WEEK, today)
    following = calendar_period(WEEK, period.next)
    meetings = list(
        meetings_visible_to(user)
        .filter(starts_at__gte=period.starts_at, starts_at__lt=following.ends_at)
        .select_related("organizer")
        .annotate(invited=Count("invitations"))
        .order_by("starts_at", "pk")
    )
    rate, counted = attendance_rate(meetings_visible_to(user))
    waiting = (
        inbound_referrals_visible_to(user).filter(status=InboundReferral.Status.SUBMITTED).count()
    )
    return VicePrincipalHome(
        this_week=[m for m in meetings if m.starts_at < following.starts_at],
        next_week=[m for m in meetings if m.starts_at >= following.starts_at],
        next_week_starts=following.first_day,
        attendance_rate=rate,
        attendance_meetings=counted,
        waiting_referrals=waiting,
    )


# --- The own semester on the homes ------------------------------------------------------------


@dataclass(frozen=True)
class MeetingAttendance:
    """Invitations to the meetings held (minutes recorded, not cancelled), and how many of
    them the person came to or was excused from."""

    invited: int
    present: int
    excused: int

    @property
    def percent(self) -> int | None:
        if not self.invited:
            return None
        return round(self.present * 100 / self.invited)

    def __add__(self, other: "MeetingAttendance") -> "MeetingAttendance":
        return MeetingAttendance(
            self.invited + other.invited,
            self.present + other.present,
            self.excused + other.excused,
        )


@dataclass(frozen=True)
class PersonAttendance:
    person_id: int
    full_name: str
    attendance: MeetingAttendance


def _held_in(semester: Semester) -> Q:
    """Invitations to the meetings of the semester that took place."""
    return Q(
        meeting__cancelled_at__isnull=True,
        meeting__minutes_recorded_at__isnull=False,
        meeting__starts_at__gte=start_of_day(semester.start_date),
        meeting__starts_at__lt=start_of_day(semester.end_date + datetime.timedelta(days=1)),
    )


_ATTENDANCE = {
    "invited": Count("pk"),
    "present": Count("pk", filter=Q(attendance=MeetingInvitation.Attendance.PRESENT)),
    "excused": Count("pk", filter=Q(attendance=MeetingInvitation.Attendance.EXCUSED)),
}


def own_meeting_attendance(user: User, semester: Semester) -> MeetingAttendance:
    """The user's attendance at the own meetings held in the semester. One query."""
    totals = MeetingInvitation.objects.filter(
        _held_in(semester), person=user, meeting__in=meetings_invited_to(user)
    ).aggregate(**_ATTENDANCE)
    return MeetingAttendance(**totals)


def school_meeting_attendance(
    user: User, semester: Semester
) -> tuple[MeetingAttendance, list[PersonAttendance]]:
    """For whoever sees every meeting of the school: the attendance at the meetings held in
    the semester, in all and of each counselor invited to them, by name. One query (a row per
    person invited)."""
    counselor = RoleAssignment.objects.filter(user_id=OuterRef("person_id"), role=Role.COUNSELOR)
    rows = (
        MeetingInvitation.objects.filter(_held_in(semester), meeting__in=meetings_visible_to(user))
        .annotate(is_counselor=Exists(counselor))
        .values("person_id", "person__full_name", "is_counselor")
        .annotate(**_ATTENDANCE)
        .order_by("person__full_name", "person_id")
    )
    everyone = MeetingAttendance(0, 0, 0)
    counselors = []
    for row in rows:
        attendance = MeetingAttendance(row["invited"], row["present"], row["excused"])
        everyone += attendance
        if row["is_counselor"]:
            counselors.append(
                PersonAttendance(row["person_id"], row["person__full_name"], attendance)
            )
    return everyone, counselors


@dataclass(frozen=True)
class CounselorSemester:
    """The counselor's own semester on the home: the competency profile in brief, the own
    training and dissemination reports, and the attendance at the own meetings."""

    semester: Semester
    competency: CompetencyBrief | None
    training: OwnSemesterTraining
    meetings: MeetingAttendance


def counselor_semester(
    user: User, semester: Semester | None, *, today: datetime.date
) -> CounselorSemester | None:
    """None for anyone not a counselor of a school, or without a current semester. Three
    queries."""
    if semester is None or getattr(user, "school_id", None) is None:
        return None
    if not has_role(user, Role.COUNSELOR):
        return None
    return CounselorSemester(
        semester=semester,
        competency=competency_brief(user),
        training=own_semester_training(user, semester, today=today),
        meetings=own_meeting_attendance(user, semester),
    )


@dataclass(frozen=True)
class VicePrincipalSemester:
    """What the vice principal follows of the semester: attendance at the school's meetings
    (in all, and per counselor), the training recorded and the reports falling due. Nothing
    of appraisals (DESIGN.md: the vice principal sees none)."""

    semester: Semester
    counselors: list[PersonAttendance]
    meetings: MeetingAttendance
    training: SchoolSemesterTraining


def vice_principal_semester(
    user: User, semester: Semester | None, *, today: datetime.date
) -> VicePrincipalSemester | None:
    """None for anyone not a vice principal of a school, or without a current semester.
    Three queries."""
    if semester is None or getattr(user, "school_id", None) is None:
        return None
    if not has_role(user, Role.VICE_PRINCIPAL):
        return None
    everyone, counselors = school_meeting_attendance(user, semester)
    return VicePrincipalSemester(
        semester=semester,
        counselors=counselors,
        meetings=everyone,
        training=school_semester_training(user.school_id, semester, today=today),
    )


def facility_requests_waiting(user: User) -> int | None:
    """For the principal's home: requests waiting for a decision. One query."""
    if not can(user, Permission.DECIDE_FACILITY_REQUESTS):
        return None
    return (
        facility_requests_decided_by(user).filter(status=FacilityRequest.Status.SUBMITTED).count()
    )


# --- For the principal's dashboard and the period report --------------------------------------


def meetings_held(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Meetings that took place: not cancelled, with minutes recorded."""
    return meetings.filter(cancelled_at__isnull=True, minutes_recorded_at__isnull=False)


def _held_between(school: School, start: datetime.date, end: datetime.date) -> QuerySet[Meeting]:
    return meetings_held(Meeting.objects.filter(school=school)).filter(
        starts_at__gte=start_of_day(start),
        starts_at__lt=start_of_day(end + datetime.timedelta(days=1)),
    )


def meetings_held_by_kind(
    school: School, start: datetime.date, end: datetime.date
) -> dict[str, int]:
    """Meetings with minutes between two days (inclusive), by kind; every kind present."""
    rows = _held_between(school, start, end).order_by().values("kind").annotate(count=Count("pk"))
    counts = dict.fromkeys(Meeting.Kind.values, 0)
    counts.update({row["kind"]: row["count"] for row in rows})
    return counts


def meeting_hours(school: School, start: datetime.date, end: datetime.date) -> float:
    """Hours spent in meetings held between two days (inclusive), added up by the database."""
    duration = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
    total = _held_between(school, start, end).aggregate(total=Sum(duration))["total"]
    return round(total.total_seconds() / 3600, 1) if total else 0.0


def visits_by_stage(school: School, *semesters: Semester | int) -> dict[str, int]:
    """The visits of the semesters (one, or the two of a year; records or ids) by stage; every
    stage present. A cancelled visit does not count."""
    ids = [semester if isinstance(semester, int) else semester.pk for semester in semesters]
    rows = (
        SupervisionVisit.objects.filter(
            school=school, semester_id__in=ids, cancelled_at__isnull=True
        )
        .order_by()
        .values("stage")
        .annotate(count=Count("pk"))
    )
    counts = dict.fromkeys(SupervisionVisit.Stage.values, 0)
    counts.update({row["stage"]: row["count"] for row in rows})
    return counts


def facility_compliance(school: School) -> FacilityAssessment | None:
    """The latest assessment of the BK room (its `compliance` is the current percentage)."""
    return (
        FacilityAssessment.objects.filter(school=school)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")
        .first()
    )


def facility_compliance_trend(school: School) -> list[FacilityAssessment]:
    """Every assessment of the school, oldest first: the compliance history."""
    return list(
        FacilityAssessment.objects.filter(school=school)
        .select_related("recorded_by")
        .order_by("recorded_at", "pk")
    )


def facility_compliance_by_semester(school: School) -> list[tuple[Semester, int | None]]:
    """The compliance at the end of each semester of the school that has begun (the last
    assessment recorded by its last day), oldest first; None before the first. One query: the
    database picks each semester's assessment, however long the history."""
    latest = (
        FacilityAssessment.objects.filter(
            school_id=school.pk, recorded_at__date__lte=OuterRef("end_date")
        )
        .order_by("-recorded_at", "-pk")
        .values("compliance")[:1]
    )
    semesters = (
        Semester.objects.filter(school=school, start_date__lte=timezone.localdate())
        .select_related("academic_year")
        .annotate(compliance_then=Subquery(latest))
        .order_by("start_date")
    )
    return [(semester, semester.compliance_then) for semester in semesters]
