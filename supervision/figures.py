"""The figures of the principal's dashboard and of the period report.

One module computes them and both pages read them, so that a number on the dashboard and the
same number in the report of the same period are equal by construction. They come in four
sections, after the study's three questions (DESIGN.md): the principal's *efforts*, the
*factors* that help or hinder, the BK teachers' *competency* and the *outcomes* of their work.

A *period* is a semester, or an academic year (those of its semesters that have begun). Every
figure is counted or averaged by the database, a fixed number of queries whatever the length
of the school's history, and the whole set is cached per school and period
(staff.caching.cached_for_school) until a record of the school changes. Cached values are
plain data: numbers, dates, ids, names and codes; labels are translated when a page shows them.

What counts, beyond the selectors' own rules:
- Competency: each counselor's latest finalised principal's appraisal of the period's last
  semester or an earlier one, compared with the latest as of the semester before the period.
  A counselor not appraised again since shows no change.
- MGBK attendance: the meetings of the period so far. Training hours and delegations: the
  twelve months up to the period's end (or today, while it runs).
- Cases: those opened in the period, with all their sessions; "handled in two or more
  sessions" is MULTI_SESSION.
- Personal books and students per counselor: the current year's classes, as they stand now
  (no history of them is kept).
- Overdue action items: today for a period still running; at the start of the day after it
  for a period past.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from counseling.models import Collaboration
from counseling.selectors import (
    BOOK_COMPLETE_ENOUGH,
    COUNSELOR_RATIO,
    CasesOpened,
    ClassBooks,
    active_student_count,
    average_completeness,
    books_by_class,
    cases_opened_between,
    collaboration_by_month,
)
from staff.appraisals import (
    appraisal_summaries,
    average_final_scores_by_semester,
    competency_scores_of,
    counselors_with_latest_appraisals,
)
from staff.caching import cached_for_school
from staff.models import Competency, School, Semester
from staff.scoring import Category, two_decimals
from staff.selectors import counselors_of
from staff.training import (
    TRAINING_WINDOW,
    TrainingSeats,
    delegations_by_counselor,
    mgbk_attendance_rates,
    training_hours_by_counselor,
    training_seats,
)
from supervision.models import Meeting
from supervision.selectors import (
    facility_compliance_by_semester,
    meeting_hours,
    meetings_held_by_kind,
    overdue_action_items_count,
    visits_by_stage,
)

SEMESTER = "semester"
YEAR = "year"
# The kinds of meeting that are the principal's efforts (DESIGN.md, the study's first question).
EFFORT_MEETINGS = (
    Meeting.Kind.COORDINATION,
    Meeting.Kind.LIMITED_EVALUATION,
    Meeting.Kind.COACHING,
)
# The partners the study names first; outside parties are counted too.
PARTNERS = tuple(Collaboration.Partner.values)


# --- Periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SemesterRef:
    """A semester as the figures name it: plain values, labelled in the reader's language."""

    pk: int
    year_pk: int
    year_name: str
    number: int
    start: datetime.date
    end: datetime.date
    is_current: bool = False

    @property
    def label(self) -> str:
        return f"{self.year_name} {Semester.Number(self.number).label}"

    def __str__(self) -> str:
        return self.label


def school_semesters(school_id: int, *, today: datetime.date) -> list[SemesterRef]:
    """The school's semesters that have begun, oldest first. One query."""
    rows = (
        Semester.objects.filter(school_id=school_id, start_date__lte=today)
        .order_by("start_date", "pk")
        .values_list(
            "pk",
            "academic_year_id",
            "academic_year__name",
            "number",
            "start_date",
            "end_date",
            "is_current",
        )
    )
    return [SemesterRef(*row) for row in rows]


@dataclass(frozen=True)
class Period:
    """A semester or an academic year (its semesters that have begun), and the period before
    it of the same kind (None for the school's first)."""

    kind: str
    pk: int
    year_name: str
    semesters: tuple[SemesterRef, ...]
    previous: "Period | None" = None

    @property
    def start(self) -> datetime.date:
        return self.semesters[0].start

    @property
    def end(self) -> datetime.date:
        return self.semesters[-1].end

    @property
    def last_semester(self) -> SemesterRef:
        return self.semesters[-1]

    @property
    def is_year(self) -> bool:
        return self.kind == YEAR

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.pk}"

    @property
    def label(self) -> str:
        if self.is_year:
            return _("Academic year %(name)s") % {"name": self.year_name}
        return self.last_semester.label

    def __str__(self) -> str:
        return self.label

    def until(self, today: datetime.date) -> datetime.date:
        """The period's last day, or today while it runs."""
        return min(self.end, today)

    def is_running(self, today: datetime.date) -> bool:
        return self.end >= today


def semester_period(semesters: list[SemesterRef], pk: int) -> Period | None:
    """The semester among the school's (begun) semesters, with the one before it."""
    for position, semester in enumerate(semesters):
        if semester.pk == pk:
            previous = None
            if position:
                before = semesters[position - 1]
                previous = Period(SEMESTER, before.pk, before.year_name, (before,))
            return Period(SEMESTER, semester.pk, semester.year_name, (semester,), previous)
    return None


def year_period(semesters: list[SemesterRef], year_pk: int) -> Period | None:
    """The academic year's begun semesters, with the year before it."""
    years: list[tuple[int, str]] = []
    for semester in semesters:
        if (semester.year_pk, semester.year_name) not in years:
            years.append((semester.year_pk, semester.year_name))
    for position, (pk, name) in enumerate(years):
        if pk == year_pk:
            previous = None
            if position:
                before_pk, before_name = years[position - 1]
                previous = Period(
                    YEAR,
                    before_pk,
                    before_name,
                    tuple(s for s in semesters if s.year_pk == before_pk),
                )
            return Period(YEAR, pk, name, tuple(s for s in semesters if s.year_pk == pk), previous)
    return None


def default_semester(semesters: list[SemesterRef]) -> SemesterRef | None:
    """The current semester, else the latest begun."""
    return next((s for s in semesters if s.is_current), semesters[-1] if semesters else None)


# --- Small measures --------------------------------------------------------------------------


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole in percent, one decimal; None when there is nothing to share."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def mean(values: list[Decimal]) -> Decimal | None:
    return two_decimals(sum(values, Decimal(0)) / len(values)) if values else None


@dataclass(frozen=True)
class Spread:
    """How evenly something is shared among the counselors: the lowest and highest share.
    The spread (highest − lowest) is 0 when everyone had the same."""

    lowest: int
    highest: int

    @property
    def spread(self) -> int:
        return self.highest - self.lowest


def counselor_names(school_id: int) -> list[tuple[int, str]]:
    """The school's active counselors, (id, name) by name. One query."""
    return [
        (pk, full_name or username)
        for pk, full_name, username in counselors_of(school_id).values_list(
            "pk", "full_name", "username"
        )
    ]


def spread_of(values: list[int]) -> Spread | None:
    """None with fewer than two counselors: there is nothing to compare."""
    return Spread(min(values), max(values)) if len(values) > 1 else None


# --- Competency ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyColumn:
    number: int
    title: str
    area: str  # its area's letter, A–D


@dataclass(frozen=True)
class CounselorCompetency:
    """A counselor's row of the heatmap: the latest finalised principal's appraisal as of the
    period, its scores per competency (in the columns' order), and the one before."""

    counselor_id: int
    name: str
    appraisal_id: int | None
    appraised_in: SemesterRef | None
    scores: tuple[int | None, ...]
    final_score: Decimal | None
    category: str
    previous_appraisal_id: int | None
    previous_final_score: Decimal | None

    @property
    def category_label(self) -> str:
        return Category(self.category).label if self.category else ""

    @property
    def appraised_again(self) -> bool:
        """Appraised since the period before: only then is there a change to show."""
        return self.appraisal_id is not None and self.appraisal_id != self.previous_appraisal_id

    @property
    def change(self) -> Decimal | None:
        if not self.appraised_again or self.previous_final_score is None:
            return None
        return self.final_score - self.previous_final_score


@dataclass(frozen=True)
class CompetencyFigures:
    columns: tuple[CompetencyColumn, ...]
    rows: tuple[CounselorCompetency, ...]
    # Counselors whose appraisal shown is of the period itself.
    appraised_in_period: int
    # The average of the rows' final scores, as of the period and as of the one before.
    average: Decimal | None
    previous_average: Decimal | None
    # The average final score of each semester's appraisals, up to the period's end.
    history: tuple[tuple[SemesterRef, Decimal | None], ...]

    @property
    def column_averages(self) -> list[Decimal | None]:
        averages = []
        for position in range(len(self.columns)):
            values = [row.scores[position] for row in self.rows if row.scores[position]]
            averages.append(mean([Decimal(v) for v in values]))
        return averages

    @property
    def change(self) -> Decimal | None:
        """Since the period before; None when nobody was appraised in this period."""
        if not self.appraised_in_period or None in (self.average, self.previous_average):
            return None
        return self.average - self.previous_average


def competency_figures(
    school_id: int, period: Period, semesters: list[SemesterRef]
) -> CompetencyFigures:
    """Five queries: the counselors with their latest appraisals, those appraisals, their
    scores, the framework's competencies, the averages by semester."""
    before = period.previous.last_semester if period.previous else None
    people = list(
        counselors_with_latest_appraisals(
            school_id,
            semester_id=period.last_semester.pk,
            as_of=period.last_semester.start,
            previous_as_of=before.start if before else None,
        ).values_list("pk", "full_name", "username", "latest_id", "previous_id")
    )
    wanted = {pk for row in people for pk in row[3:] if pk is not None}
    summaries = appraisal_summaries(wanted)
    latest_ids = {row[3] for row in people if row[3] is not None}
    scores = competency_scores_of(latest_ids)
    columns = tuple(
        CompetencyColumn(number, title, letter)
        for number, title, letter in Competency.objects.filter(framework__is_active=True)
        .order_by("number")
        .values_list("number", "title", "area__letter")
    )
    in_period = {semester.pk for semester in period.semesters}
    by_pk = {semester.pk: semester for semester in semesters}
    rows = []
    for pk, full_name, username, latest_id, previous_id in people:
        latest = summaries.get(latest_id)
        before_summary = summaries.get(previous_id)
        own = scores.get(latest_id, {})
        rows.append(
            CounselorCompetency(
                counselor_id=pk,
                name=full_name or username,
                appraisal_id=latest_id,
                appraised_in=by_pk.get(latest["semester_id"]) if latest else None,
                scores=tuple(own.get(column.number) for column in columns),
                final_score=latest["final_score"] if latest else None,
                category=latest["category"] if latest else "",
                previous_appraisal_id=previous_id,
                previous_final_score=before_summary["final_score"] if before_summary else None,
            )
        )
    averages = average_final_scores_by_semester(school_id, until=period.last_semester.start)
    return CompetencyFigures(
        columns=columns,
        rows=tuple(rows),
        appraised_in_period=sum(
            1 for row in rows if row.appraised_in and row.appraised_in.pk in in_period
        ),
        average=mean([row.final_score for row in rows if row.final_score is not None]),
        previous_average=mean(
            [row.previous_final_score for row in rows if row.previous_final_score is not None]
        ),
        history=tuple(
            (semester, averages.get(semester.pk, (None, 0))[0])
            for semester in semesters
            if semester.start <= period.last_semester.start
        ),
    )


# --- Efforts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CounselorEffort:
    counselor_id: int
    name: str
    mgbk_present: int
    mgbk_recorded: int
    delegations: int
    hours: int

    @property
    def mgbk_percent(self) -> Decimal | None:
        return percent(self.mgbk_present, self.mgbk_recorded)


@dataclass(frozen=True)
class EffortFigures:
    """What the principal did in the period: meetings held, supervision visits, MGBK
    attendance, and how training and delegations were shared over twelve months."""

    meetings: dict[str, int]
    visits: dict[str, int]
    counselors: tuple[CounselorEffort, ...]
    mgbk_since: datetime.date
    mgbk_until: datetime.date
    window_since: datetime.date
    window_until: datetime.date

    @property
    def effort_meetings(self) -> int:
        return sum(self.meetings[kind] for kind in EFFORT_MEETINGS)

    @property
    def visits_total(self) -> int:
        return sum(self.visits.values())

    @property
    def mgbk_present(self) -> int:
        return sum(row.mgbk_present for row in self.counselors)

    @property
    def mgbk_recorded(self) -> int:
        return sum(row.mgbk_recorded for row in self.counselors)

    @property
    def mgbk_percent(self) -> Decimal | None:
        return percent(self.mgbk_present, self.mgbk_recorded)

    @property
    def hours_spread(self) -> Spread | None:
        return spread_of([row.hours for row in self.counselors])

    @property
    def delegations_spread(self) -> Spread | None:
        return spread_of([row.delegations for row in self.counselors])


def effort_figures(
    school: School, period: Period, *, today: datetime.date, meetings: dict[str, int]
) -> EffortFigures:
    """Five queries: visits by stage, MGBK attendance, delegations, training hours, the
    counselors (the meetings held are counted once for every section)."""
    until = period.until(today)
    window_since = until - TRAINING_WINDOW
    mgbk = mgbk_attendance_rates(school, since=period.start, until=until)
    delegations = delegations_by_counselor(school, since=window_since, until=until)
    hours = training_hours_by_counselor(school, since=window_since, until=until)
    counselors = tuple(
        CounselorEffort(
            counselor_id=pk,
            name=name,
            mgbk_present=mgbk[pk].present if pk in mgbk else 0,
            mgbk_recorded=mgbk[pk].recorded if pk in mgbk else 0,
            delegations=delegations.get(pk, 0),
            hours=hours.get(pk, 0),
        )
        for pk, name in counselor_names(school.pk)
    )
    return EffortFigures(
        meetings=meetings,
        visits=visits_by_stage(school, *(semester.pk for semester in period.semesters)),
        counselors=counselors,
        mgbk_since=period.start,
        mgbk_until=until,
        window_since=window_since,
        window_until=until,
    )


# --- Factors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactorFigures:
    """What helps and what hinders: the BK room against the standard, the training seats
    offered against the counselors, the time meetings took, overdue action items."""

    compliance: int | None
    previous_compliance: int | None
    compliance_history: tuple[tuple[SemesterRef, int | None], ...]
    seats: TrainingSeats
    counselor_count: int
    meetings_held: int
    meeting_hours: float
    overdue_items: int
    # The day at whose start the overdue items are counted; None: today.
    overdue_on: datetime.date | None

    @property
    def seats_short(self) -> bool:
        """Fewer seats per training than counselors: someone always stays behind."""
        per_event = self.seats.seats_per_event
        return per_event is not None and per_event < self.counselor_count


def factor_figures(
    school: School,
    period: Period,
    semesters: list[SemesterRef],
    *,
    today: datetime.date,
    meetings: dict[str, int],
    counselor_count: int,
) -> FactorFigures:
    """Four queries: the compliance at the end of each semester, the seats, the meeting
    hours, the overdue action items."""
    compliance = {semester.pk: value for semester, value in facility_compliance_by_semester(school)}
    before = period.previous.last_semester.pk if period.previous else None
    overdue_on = None if period.is_running(today) else period.end + datetime.timedelta(days=1)
    return FactorFigures(
        compliance=compliance.get(period.last_semester.pk),
        previous_compliance=compliance.get(before) if before else None,
        compliance_history=tuple(
            (semester, compliance.get(semester.pk))
            for semester in semesters
            if semester.start <= period.last_semester.start
        ),
        seats=training_seats(school, since=period.start, until=period.end),
        counselor_count=counselor_count,
        meetings_held=sum(meetings.values()),
        meeting_hours=meeting_hours(school, period.start, period.end),
        overdue_items=overdue_action_items_count(school, on=overdue_on),
        overdue_on=overdue_on,
    )


# --- Outcomes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Caseload:
    """The active students of the classes a counselor is responsible for this year, and how
    complete their personal books are. Counts only."""

    counselor_id: int | None  # None: classes without a responsible counselor
    name: str
    classes: int
    students: int
    completeness_total: int
    complete_enough: int

    @property
    def average_completeness(self) -> Decimal | None:
        return average_completeness(self.completeness_total, self.students)

    @property
    def complete_enough_percent(self) -> Decimal | None:
        return percent(self.complete_enough, self.students)

    @property
    def over_ratio(self) -> bool:
        return self.students > COUNSELOR_RATIO


def caseloads(classes: list[ClassBooks], counselors: list[tuple[int, str]]) -> tuple[Caseload, ...]:
    """Every active counselor (by name) with the classes they are responsible for, then those
    responsible for classes though no longer counselors, then the classes nobody is."""
    totals: dict[int | None, list] = {pk: [name, 0, 0, 0, 0] for pk, name in counselors}
    for row in classes:
        entry = totals.setdefault(row.counselor_id, [row.counselor_name, 0, 0, 0, 0])
        entry[1] += 1
        entry[2] += row.students
        entry[3] += row.completeness_total
        entry[4] += row.complete_enough
    order = {pk: position for position, (pk, _name) in enumerate(counselors)}
    ordered = sorted(
        totals.items(),
        key=lambda item: (item[0] is None, order.get(item[0], len(order)), item[1][0]),
    )
    return tuple(
        Caseload(pk, name, classes_count, students, total, enough)
        for pk, (name, classes_count, students, total, enough) in ordered
    )


@dataclass(frozen=True)
class OutcomeFigures:
    """What the counselors' work shows: collaboration per month and partner, cases handled
    in two or more sessions and how they ended, personal books and students per counselor."""

    months: tuple[datetime.date, ...]
    collaboration: dict[str, tuple[int, ...]]
    previous_collaboration: int | None
    cases: CasesOpened
    previous_cases: CasesOpened | None
    caseloads: tuple[Caseload, ...]
    students: int
    counselor_count: int
    ratio: int = COUNSELOR_RATIO
    book_threshold: int = BOOK_COMPLETE_ENOUGH

    @property
    def collaboration_totals(self) -> dict[str, int]:
        return {partner: sum(counts) for partner, counts in self.collaboration.items()}

    @property
    def collaboration_total(self) -> int:
        return sum(self.collaboration_totals.values())

    @property
    def multi_session_percent(self) -> Decimal | None:
        return percent(self.cases.multi_session, self.cases.total)

    @property
    def previous_multi_session_percent(self) -> Decimal | None:
        if self.previous_cases is None:
            return None
        return percent(self.previous_cases.multi_session, self.previous_cases.total)

    @property
    def resolved(self) -> int:
        """Cases resolved, or closed (after being resolved or referred out)."""
        by_status = self.cases.by_status
        return by_status["resolved"] + by_status["closed"]

    @property
    def resolved_percent(self) -> Decimal | None:
        return percent(self.resolved, self.cases.total)

    @property
    def students_per_counselor(self) -> Decimal | None:
        if not self.counselor_count:
            return None
        return (Decimal(self.students) / Decimal(self.counselor_count)).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    @property
    def counselors_needed(self) -> int:
        """Counselors the students call for at one for every `ratio`."""
        return -(-self.students // self.ratio)

    @property
    def book_completeness(self) -> Decimal | None:
        """The mean completeness of the books of every student in a class this year."""
        return average_completeness(
            sum(row.completeness_total for row in self.caseloads),
            sum(row.students for row in self.caseloads),
        )


def months_between(start: datetime.date, end: datetime.date) -> tuple[datetime.date, ...]:
    """The first day of every month from start's to end's."""
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return tuple(months)


def outcome_figures(
    school: School,
    period: Period,
    *,
    today: datetime.date,
    counselors: list[tuple[int, str]],
) -> OutcomeFigures:
    """Five queries, seven with the period before: collaboration per month (and its total
    before), the cases opened (and before), the classes with their books, the students."""
    until = period.until(today)
    counts = collaboration_by_month(school.pk, since=period.start, until=until)
    months = months_between(period.start, until)
    previous = period.previous
    previous_collaboration = previous_cases = None
    if previous is not None:
        previous_collaboration = sum(
            collaboration_by_month(school.pk, since=previous.start, until=previous.end).values()
        )
        previous_cases = cases_opened_between(school.pk, since=previous.start, until=previous.end)
    return OutcomeFigures(
        months=months,
        collaboration={
            partner: tuple(counts.get((month, partner), 0) for month in months)
            for partner in PARTNERS
        },
        previous_collaboration=previous_collaboration,
        cases=cases_opened_between(school.pk, since=period.start, until=period.end),
        previous_cases=previous_cases,
        caseloads=caseloads(books_by_class(school.pk), counselors),
        students=active_student_count(school.pk),
        counselor_count=len(counselors),
    )


# --- All of them -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    period_key: str
    competency: CompetencyFigures
    efforts: EffortFigures
    factors: FactorFigures
    outcomes: OutcomeFigures


def compute_figures(
    school: School, period: Period, semesters: list[SemesterRef], *, today: datetime.date
) -> Figures:
    """Every figure of the period, computed afresh: about twenty queries, the same number
    whatever the school's history and the other schools."""
    meetings = meetings_held_by_kind(school, period.start, period.end)
    efforts = effort_figures(school, period, today=today, meetings=meetings)
    counselors = [(row.counselor_id, row.name) for row in efforts.counselors]
    return Figures(
        period_key=period.key,
        competency=competency_figures(school.pk, period, semesters),
        efforts=efforts,
        factors=factor_figures(
            school,
            period,
            semesters,
            today=today,
            meetings=meetings,
            counselor_count=len(counselors),
        ),
        outcomes=outcome_figures(school, period, today=today, counselors=counselors),
    )


def period_figures(
    school: School, period: Period, semesters: list[SemesterRef], *, today: datetime.date
) -> Figures:
    """The period's figures, from the school's cache while none of its records changed.
    Today's date is part of the key: overdue items and the twelve months move with it."""
    return cached_for_school(
        school_id=school.pk,
        name=f"figures:{period.key}:{today.isoformat()}",
        semester_id=period.pk if period.kind == SEMESTER else None,
        compute=lambda: compute_figures(school, period, semesters, today=today),
    )
