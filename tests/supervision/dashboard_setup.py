"""A semester of a school's records for the tests of the principal's dashboard and the period
report: meetings, visits, MGBK and training, the BK room, action items, classes with personal
books, cases with sessions, collaboration. `fill_semester` returns a ledger of what it made,
so that a test computes the expected numbers from the ledger itself, never through the
selectors under test; `scale` makes that many times as much (for the query counts)."""

import datetime
from dataclasses import dataclass, field

import pytest

from counseling.models import Collaboration
from staff.models import AcademicYear, TrainingEvent, TrainingParticipation
from supervision.facilities import facilities_record
from supervision.models import ActionItem, FacilityItem, Meeting, SupervisionVisit
from tests.factories import (
    ActionItemFactory,
    CaseFactory,
    ClassroomFactory,
    CollaborationFactory,
    CounselingSessionFactory,
    MeetingFactory,
    PersonalBookFactory,
    StudentFactory,
    SupervisionVisitFactory,
    TrainingEventFactory,
    TrainingParticipationFactory,
)

Attendance = TrainingParticipation.Attendance
# Meeting kinds in turn; each cycle also makes a meeting without minutes and a cancelled one.
KINDS = [
    Meeting.Kind.COORDINATION,
    Meeting.Kind.LIMITED_EVALUATION,
    Meeting.Kind.COACHING,
    Meeting.Kind.COORDINATION,
    Meeting.Kind.CASE_CONFERENCE,
]
PARTNERS = [
    Collaboration.Partner.SUBJECT_TEACHER,
    Collaboration.Partner.HOMEROOM_TEACHER,
    Collaboration.Partner.PARENT,
    Collaboration.Partner.PARENT,
    Collaboration.Partner.OUTSIDE,
]
STAGES = SupervisionVisit.Stage.values
JAKARTA = datetime.timezone(datetime.timedelta(hours=7))
COMPLETENESS = [100, 80, 55, 0, 65]


@pytest.fixture
def counselors(counselor, other_counselor):
    """The school's two counselors (import the fixture where it is wanted)."""
    return [counselor, other_counselor]


@dataclass
class Ledger:
    """What fill_semester made, as plain facts."""

    meetings: list[tuple[str, bool, float]] = field(default_factory=list)  # kind, held, hours
    visits: list[str] = field(default_factory=list)  # stages
    mgbk: list[tuple[int, str]] = field(default_factory=list)  # counselor id, attendance
    delegations: list[tuple[int, int]] = field(default_factory=list)  # counselor id, hours
    seats: list[int | None] = field(default_factory=list)  # per training event
    overdue: int = 0
    collaboration: list[tuple[datetime.date, str]] = field(default_factory=list)
    cases: list[tuple[int, str]] = field(default_factory=list)  # sessions, status
    books: list[tuple[int, int]] = field(default_factory=list)  # counselor id, completeness
    compliance: int | None = None


def local(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=JAKARTA)


def _day(semester, offset: int) -> datetime.date:
    """A weekday-agnostic day in the semester's first four months (always before today)."""
    return semester.start_date + datetime.timedelta(days=offset % 120)


def fill_semester(
    school, semester, *, principal, vice_principal, counselors, scale: int = 1
) -> Ledger:
    ledger = Ledger()
    year = AcademicYear.objects.get(pk=semester.academic_year_id)
    for cycle in range(scale):
        _meetings(ledger, semester, principal, vice_principal, counselors, cycle)
        _visits(ledger, semester, principal, counselors, cycle)
        _training(ledger, school, semester, principal, counselors, cycle)
        _counseling(ledger, school, year, semester, counselors, cycle)
    _facilities(ledger, school, counselors[0], semester)
    return ledger


def _meetings(ledger, semester, principal, vice_principal, counselors, cycle):
    for position, kind in enumerate(KINDS):
        day = _day(semester, 7 * position + cycle)
        hours = 1 + position % 2 * 0.5
        starts = local(day, 9)
        held = MeetingFactory(
            organizer=vice_principal,
            kind=kind,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=hours),
            minutes_recorded_at=starts + datetime.timedelta(hours=3),
            invitees=[principal, *counselors],
        )
        ledger.meetings.append((kind, True, hours))
        if position == 0:
            ActionItemFactory(meeting=held, due_on=day + datetime.timedelta(days=7))
            ActionItemFactory(
                meeting=held,
                due_on=day + datetime.timedelta(days=7),
                status=ActionItem.Status.DONE,
                completed_at=starts + datetime.timedelta(days=2),
            )
            ledger.overdue += 1
    # Not held: no minutes yet, or cancelled.
    MeetingFactory(
        organizer=principal,
        kind=Meeting.Kind.COACHING,
        starts_at=local(_day(semester, cycle + 3), 13),
    )
    ledger.meetings.append((Meeting.Kind.COACHING, False, 1))
    starts = local(_day(semester, cycle + 5), 13)
    MeetingFactory(
        organizer=principal,
        kind=Meeting.Kind.COORDINATION,
        starts_at=starts,
        minutes_recorded_at=starts,
        cancelled_at=starts,
    )
    ledger.meetings.append((Meeting.Kind.COORDINATION, False, 1))


def _visits(ledger, semester, principal, counselors, cycle):
    for position, counselor in enumerate(counselors):
        stage = STAGES[(cycle + position) % len(STAGES)]
        SupervisionVisitFactory(
            semester=semester, counselor=counselor, supervisor=principal, stage=stage
        )
        ledger.visits.append(stage)


def _training(ledger, school, semester, principal, counselors, cycle):
    forum = TrainingEventFactory(
        school=school,
        kind=TrainingEvent.Kind.MGBK,
        title=f"MGBK {cycle + 1}",
        starts_on=_day(semester, 10 + cycle),
        seats=None,
        created_by=principal,
    )
    for position, counselor in enumerate(counselors):
        attendance = Attendance.ABSENT if (cycle + position) % 3 == 2 else Attendance.PRESENT
        TrainingParticipationFactory(event=forum, counselor=counselor, attendance=attendance)
        ledger.mgbk.append((counselor.pk, attendance))
    seats = 1 if cycle % 2 == 0 else None
    course = TrainingEventFactory(
        school=school,
        title=f"Bimtek {cycle + 1}",
        starts_on=_day(semester, 20 + cycle),
        hours=8 + cycle % 3,
        seats=seats,
        created_by=principal,
    )
    ledger.seats.append(seats)
    delegate = counselors[cycle % len(counselors)]
    TrainingParticipationFactory(event=course, counselor=delegate, attendance=Attendance.PRESENT)
    ledger.delegations.append((delegate.pk, course.hours))


def _counseling(ledger, school, year, semester, counselors, cycle):
    counselor = counselors[cycle % len(counselors)]
    classroom = ClassroomFactory(school=school, academic_year=year, counselor=counselor)
    for position, completeness in enumerate(COMPLETENESS):
        student = StudentFactory(school=school, classroom=classroom)
        PersonalBookFactory(student=student, completeness=completeness)
        ledger.books.append((counselor.pk, completeness))
        status = "resolved" if position % 2 else "in_progress"
        case = CaseFactory(
            student=student,
            counselor=counselor,
            status=status,
            opened_on=_day(semester, 30 + position + cycle),
        )
        sessions = position % 3 + 1
        for number in range(sessions):
            CounselingSessionFactory(
                counselor=counselor,
                case=case,
                starts_at=local(_day(semester, 31 + position + number + cycle), 10),
            )
        ledger.cases.append((sessions, status))
        day = _day(semester, 25 * position + cycle)
        partner = PARTNERS[position]
        CollaborationFactory(
            counselor=counselor, student=student, happened_on=day, partner_type=partner
        )
        ledger.collaboration.append((day, partner))


def record_facilities(school, counselor, *, at: datetime.datetime, meeting: int) -> int:
    """An assessment of the BK room in which the first `meeting` items of the standard meet
    it and the others are missing; returns the compliance it should give."""
    items = list(FacilityItem.objects.filter(is_active=True))
    latest = school.facility_assessments.order_by("-recorded_at", "-pk").first()
    facilities_record(
        school=school,
        recorded_by=counselor,
        based_on=latest.pk if latest else 0,
        conditions={
            item.pk: ("meets" if position < meeting else "missing", "")
            for position, item in enumerate(items)
        },
        recorded_at=at,
    )
    return round(min(meeting, len(items)) * 100 / len(items))


def _facilities(ledger, school, counselor, semester):
    half = FacilityItem.objects.filter(is_active=True).count() // 2
    ledger.compliance = record_facilities(
        school, counselor, at=local(_day(semester, 15), 10), meeting=half
    )
