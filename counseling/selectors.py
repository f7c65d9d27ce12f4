"""Reads of the counseling app, always starting from what counseling.access lets the user see."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from counseling.access import (
    cases_handled_by,
    classrooms_visible_to,
    sessions_visible_to,
    students_visible_to,
)
from counseling.models import Case, Classroom, Collaboration, CounselingSession, Student
from staff.access import has_role
from staff.models import AcademicYear, Role, User


def classrooms_of_year(user: User, year: AcademicYear) -> QuerySet[Classroom]:
    """The year's classes the user may see, with their teachers and active students counted."""
    return (
        classrooms_visible_to(user)
        .filter(academic_year=year)
        .select_related("homeroom_teacher", "counselor")
        .annotate(
            active_students=Count("students", filter=Q(students__status=Student.Status.ACTIVE))
        )
        .order_by("grade", "name")
    )


def students_for_list(
    user: User,
    *,
    query: str = "",
    classroom: Classroom | None = None,
    counselor: User | None = None,
    status: str | None = Student.Status.ACTIVE,
) -> QuerySet[Student]:
    """Students the user may see, filtered; `status=None` means every status.

    A query of digits also matches the start of a NISN (kept as text, leading zeros included)
    and an exact NIS.
    """
    students = students_visible_to(user).select_related("classroom")
    if query:
        condition = Q(full_name__icontains=query)
        if query.isdigit():
            condition |= Q(nisn__startswith=query) | Q(nis=query)
        students = students.filter(condition)
    if classroom is not None:
        students = students.filter(classroom=classroom)
    if counselor is not None:
        students = students.filter(classroom__counselor=counselor)
    if status is not None:
        students = students.filter(status=status)
    return students.order_by("full_name", "pk")


# --- The counselor's home --------------------------------------------------------------------

# Students per BK teacher (Permendikbud 111/2014): one counselor for every 150 students.
COUNSELOR_RATIO = 150
# A personal book under this share of its fields filled in needs the counselor's attention.
BOOK_COMPLETE_ENOUGH = 60
LOWEST_BOOKS_SHOWN = 10
SINGLE_SESSION_CASES_SHOWN = 10


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class CounselorHome:
    """What a counselor's start page shows: the own caseload and what needs doing next."""

    caseload: int
    open_cases: list[StatusCount]
    appointments: list[CounselingSession]
    week_ends: datetime.date
    single_session_count: int
    single_session_cases: list[Case]
    low_book_count: int
    lowest_books: list[Student]
    ratio: int = COUNSELOR_RATIO
    book_threshold: int = BOOK_COMPLETE_ENOUGH

    @property
    def open_cases_total(self) -> int:
        return sum(item.count for item in self.open_cases)

    @property
    def over_ratio(self) -> bool:
        return self.caseload > self.ratio

    @property
    def over_ratio_by(self) -> int:
        return max(0, self.caseload - self.ratio)

    @property
    def ratio_meter(self) -> int:
        """The caseload for a meter whose maximum is the ratio."""
        return min(self.caseload, self.ratio)


def _end_of_week(now: datetime.datetime) -> datetime.datetime:
    """Midnight at the start of next Monday, local time (Asia/Jakarta)."""
    today = timezone.localtime(now).date()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))


def counselor_home(user: User, *, now: datetime.datetime | None = None) -> CounselorHome | None:
    """The counselor's panel, or None for someone who is not a counselor of a school.

    A fixed number of queries whatever the amount of data: the caseload with the count of
    thin personal books, the ten thinnest books, open cases by status, the week's
    appointments with their students, and the cases left after a single session (count and
    the oldest few).
    """
    if getattr(user, "school_id", None) is None or not has_role(user, Role.COUNSELOR):
        return None
    now = now or timezone.now()
    week_ends = _end_of_week(now)

    own_students = students_visible_to(user).filter(
        status=Student.Status.ACTIVE,
        classroom__counselor=user,
        classroom__academic_year__is_current=True,
    )
    thin_book = Q(personal_book__isnull=True) | Q(
        personal_book__completeness__lt=BOOK_COMPLETE_ENOUGH
    )
    totals = own_students.aggregate(caseload=Count("pk"), low_books=Count("pk", filter=thin_book))
    lowest_books = list(
        own_students.filter(thin_book)
        .annotate(book_completeness=Coalesce("personal_book__completeness", 0))
        .select_related("classroom")
        .order_by("book_completeness", "full_name", "pk")[:LOWEST_BOOKS_SHOWN]
    )

    handled = cases_handled_by(user).filter(status__in=Case.OPEN_STATUSES)
    by_status = {
        row["status"]: row["count"]
        for row in handled.order_by().values("status").annotate(count=Count("pk"))
    }
    open_cases = [
        StatusCount(status, Case.Status(status).label, by_status.get(status, 0))
        for status in Case.OPEN_STATUSES
    ]

    # The case met again after the session that made the appointment.
    kept = CounselingSession.objects.filter(
        case_id=OuterRef("case_id"), starts_at__gt=OuterRef("starts_at")
    )
    appointments = list(
        sessions_visible_to(user)
        .filter(next_appointment__gte=now, next_appointment__lt=week_ends)
        .filter(Q(counselor=user) | Q(case__in=handled))
        # A closed case keeps no appointments; one already kept is superseded.
        .filter(Q(case__isnull=True) | Q(case__status__in=Case.OPEN_STATUSES) & ~Exists(kept))
        .select_related("case__student", "classroom")
        .prefetch_related(
            Prefetch("students", queryset=Student.objects.order_by("full_name", "pk"))
        )
        .order_by("next_appointment", "pk")
    )

    single_session = handled.annotate(
        session_count=Count("sessions"),
        followed_up=Count(
            "sessions",
            filter=~Q(sessions__follow_up_plan="") | Q(sessions__next_appointment__isnull=False),
        ),
    ).filter(session_count=1, followed_up=0)
    single_session_count = single_session.count()
    single_session_cases = list(
        single_session.select_related("student__classroom").order_by("opened_on", "pk")[
            :SINGLE_SESSION_CASES_SHOWN
        ]
    )

    return CounselorHome(
        caseload=totals["caseload"],
        open_cases=open_cases,
        appointments=appointments,
        week_ends=(week_ends - datetime.timedelta(days=1)).date(),
        single_session_count=single_session_count,
        single_session_cases=single_session_cases,
        low_book_count=totals["low_books"],
        lowest_books=lowest_books,
    )


# --- When counselors are taken by counseling (for scheduling meetings) ------------------------

# The longest session the session form accepts: a session that began this long before a window
# may still reach into it.
LONGEST_SESSION = datetime.timedelta(minutes=600)


@dataclass(frozen=True)
class BusyTime:
    """A stretch of time a person is taken, and nothing about what takes them."""

    person_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime


def counseling_busy_times(
    *,
    school_id: int,
    person_ids: list[int],
    windows: list[tuple[datetime.datetime, datetime.datetime]],
) -> list[BusyTime]:
    """When the given people are taken by counseling and overlap one of the windows.

    Their sessions last from `starts_at` for `duration_minutes`. The next appointments they set
    are taken to last as long as the session that set them; an appointment of a closed case is
    no longer kept. Two queries, on the (counselor, starts_at) and (counselor, next_appointment)
    indexes; the exact overlap (touching is not overlapping) is decided here.
    """
    if not person_ids or not windows:
        return []
    sessions = CounselingSession.objects.filter(school_id=school_id, counselor_id__in=person_ids)
    reach = Q()
    reach_appointment = Q()
    for start, end in windows:
        reach |= Q(starts_at__gte=start - LONGEST_SESSION, starts_at__lt=end)
        reach_appointment |= Q(
            next_appointment__gte=start - LONGEST_SESSION, next_appointment__lt=end
        )
    busy = [
        BusyTime(person, begins, begins + datetime.timedelta(minutes=minutes))
        for person, begins, minutes in sessions.filter(reach).values_list(
            "counselor_id", "starts_at", "duration_minutes"
        )
    ]
    busy += [
        BusyTime(person, begins, begins + datetime.timedelta(minutes=minutes))
        for person, begins, minutes in sessions.filter(reach_appointment)
        .exclude(case__status=Case.Status.CLOSED)
        .values_list("counselor_id", "next_appointment", "duration_minutes")
    ]
    return [
        entry
        for entry in busy
        if any(entry.starts_at < end and start < entry.ends_at for start, end in windows)
    ]


# --- For the principal's dashboard and the period report --------------------------------------
# Counted and summed by the database, a fixed number of queries whatever a school's history.

# A case "handled in two or more sessions" (DESIGN.md: the study's third question).
MULTI_SESSION = 2


def session_count() -> Subquery:
    """For a case (OuterRef "pk"): how many sessions it has, 0 for none. A subquery rather than
    a join with GROUP BY, so that filters and pages over cases stay on the case indexes."""
    counts = (
        CounselingSession.objects.filter(case_id=OuterRef("pk"))
        .order_by()
        .values("case_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts), 0)


def collaboration_by_month(
    school_id: int, *, since: datetime.date, until: datetime.date
) -> dict[tuple[datetime.date, str], int]:
    """How many collaboration entries of the school fall in each month, by partner type:
    {(first day of the month, partner type): count}, for entries from `since` to `until`."""
    rows = (
        Collaboration.objects.filter(
            school_id=school_id, happened_on__gte=since, happened_on__lte=until
        )
        .annotate(month=TruncMonth("happened_on"))
        .order_by()
        .values("month", "partner_type")
        .annotate(count=Count("pk"))
    )
    return {(row["month"], row["partner_type"]): row["count"] for row in rows}


@dataclass(frozen=True)
class CasesOpened:
    """The cases opened in a period: how many, how many were handled in two or more sessions,
    and where each stands now (by status)."""

    total: int
    multi_session: int
    by_status: dict[str, int]


def cases_opened_between(
    school_id: int, *, since: datetime.date, until: datetime.date
) -> CasesOpened:
    """The school's cases opened from `since` to `until` (archived ones included), with all
    their sessions counted. One query."""
    statuses = {
        f"status_{status}": Count("pk", filter=Q(status=status)) for status in Case.Status.values
    }
    totals = (
        Case.objects.filter(school_id=school_id, opened_on__gte=since, opened_on__lte=until)
        .annotate(session_total=session_count())
        .aggregate(
            case_total=Count("pk"),
            multi_total=Count("pk", filter=Q(session_total__gte=MULTI_SESSION)),
            **statuses,
        )
    )
    return CasesOpened(
        total=totals["case_total"],
        multi_session=totals["multi_total"],
        by_status={status: totals[f"status_{status}"] for status in Case.Status.values},
    )


@dataclass(frozen=True)
class ClassBooks:
    """A class of the current year: its responsible counselor and homeroom teacher, its active
    students, and their personal books' completeness added up (a missing book counts 0)."""

    classroom_id: int
    name: str
    grade: int
    counselor_id: int | None
    counselor_name: str
    homeroom_teacher_name: str
    students: int
    completeness_total: int
    complete_enough: int

    @property
    def average_completeness(self) -> Decimal | None:
        return average_completeness(self.completeness_total, self.students)


def average_completeness(total: int, students: int) -> Decimal | None:
    """The mean completeness in percent, one decimal; None without students."""
    if not students:
        return None
    return (Decimal(total) / Decimal(students)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def books_by_class(school_id: int) -> list[ClassBooks]:
    """Every class of the school's current year with its active students counted and the
    completeness of their personal books added up, by grade and name. One query: counts
    only, nothing of a book's content."""
    active = Q(students__status=Student.Status.ACTIVE)
    completeness = Coalesce("students__personal_book__completeness", 0)
    rows = (
        Classroom.objects.filter(school_id=school_id, academic_year__is_current=True)
        .annotate(
            active_students=Count("students", filter=active),
            completeness_total=Coalesce(Sum(completeness, filter=active), 0),
            complete_enough=Count(
                "students",
                filter=active & Q(students__personal_book__completeness__gte=BOOK_COMPLETE_ENOUGH),
            ),
        )
        .order_by("grade", "name", "pk")
        .values_list(
            "pk",
            "name",
            "grade",
            "counselor_id",
            "counselor__full_name",
            "homeroom_teacher__full_name",
            "active_students",
            "completeness_total",
            "complete_enough",
        )
    )
    return [
        ClassBooks(
            classroom_id=pk,
            name=name,
            grade=grade,
            counselor_id=counselor_id,
            counselor_name=counselor_name or "",
            homeroom_teacher_name=homeroom or "",
            students=students,
            completeness_total=total,
            complete_enough=enough,
        )
        for pk, name, grade, counselor_id, counselor_name, homeroom, students, total, enough in rows
    ]


def active_student_count(school_id: int) -> int:
    """Every active student of the school, in a class or not."""
    return Student.objects.filter(school_id=school_id, status=Student.Status.ACTIVE).count()
