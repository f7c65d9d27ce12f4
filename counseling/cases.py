"""Cases, counseling sessions and collaboration: the services that write them and the
selectors that read them.

Writes go through the functions named ``<entity>_<action>``; each runs in one transaction and
holds the rules (who is a counselor of the school, which status may follow which, the
optimistic version checks). Reads start from what counseling.access lets the user see.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from counseling.access import (
    cases_taking_records_from,
    cases_visible_to,
    collaborations_visible_to,
    is_case_handler,
    is_history,
    sessions_visible_to,
    with_session_content_flag,
)
from counseling.models import (
    Case,
    Classroom,
    Collaboration,
    CounselingSession,
    InboundReferral,
    Student,
)
from counseling.selectors import MULTI_SESSION, session_count
from staff.access import Permission, can
from staff.caching import school_data_changed
from staff.models import AcademicYear, User
from staff.selectors import counselors_of
from staff.services import StaleEdit  # noqa: F401 (raised here; callers import it from here too)


def _check_counselors(school_id: int, counselor: User, co_handlers: Iterable[User]) -> list[User]:
    co_handlers = [user for user in co_handlers if user.pk != counselor.pk]
    allowed = set(
        counselors_of(school_id)
        .filter(pk__in=[counselor.pk, *(user.pk for user in co_handlers)])
        .values_list("pk", flat=True)
    )
    if counselor.pk not in allowed:
        raise ValidationError(
            {"counselor": _("The responsible BK teacher must be a BK teacher of this school.")}
        )
    if any(user.pk not in allowed for user in co_handlers):
        raise ValidationError(
            {"co_handlers": _("Every co-handler must be a BK teacher of this school.")}
        )
    return co_handlers


STILL_OPEN_STATUSES = Case.STILL_OPEN_STATUSES


class OpenCaseExists(ValidationError):
    """The student has an open case of that category already; nothing was written. `case` is
    that case, for a link to it."""

    def __init__(self, case: Case):
        super().__init__(
            {
                "category": _(
                    "%(name)s already has an open case of this category (opened %(date)s). "
                    "Continue that case instead of opening another."
                )
                % {"name": case.student.full_name, "date": date_format(case.opened_on, "j F Y")}
            }
        )
        self.case = case


def open_case_of_category(
    student_id: int, category: str, *, exclude_pk: int | None = None
) -> Case | None:
    """The student's open (not resolved, closed or archived) case of the category, if any."""
    cases = Case.objects.filter(
        student_id=student_id,
        category=category,
        status__in=STILL_OPEN_STATUSES,
        is_archived=False,
    ).select_related("student")
    if exclude_pk is not None:
        cases = cases.exclude(pk=exclude_pk)
    return cases.order_by("opened_on", "pk").first()


def _refuse_a_second_open_case(student: Student, category: str, exclude_pk=None) -> None:
    # The student's row is locked first, so that two requests opening the same case at once
    # (a double submission) take turns and the second finds the first's case.
    Student.objects.select_for_update().filter(pk=student.pk).first()
    existing = open_case_of_category(student.pk, category, exclude_pk=exclude_pk)
    if existing is not None:
        raise OpenCaseExists(existing)


@transaction.atomic
def case_open(
    *,
    student: Student,
    counselor: User,
    field: str,
    category: str,
    source: str,
    summary: str,
    opened_by: User,
    co_handlers: Iterable[User] = (),
    referral: InboundReferral | None = None,
    opened_on: datetime.date | None = None,
) -> Case:
    """Open a new case for the student; the school is the student's.

    The responsible counselor and every co-handler must be counselors of that school (the
    responsible counselor is dropped from the co-handlers if listed there too). A student has
    at most one open case per category: OpenCaseExists names the one there is.
    """
    co_handlers = _check_counselors(student.school_id, counselor, co_handlers)
    _refuse_a_second_open_case(student, category)
    if referral is not None and referral.student_id != student.pk:
        raise ValidationError(_("The referral is about another student."))
    case = Case(
        school_id=student.school_id,
        student=student,
        counselor=counselor,
        field=field,
        category=category,
        source=source,
        summary=summary,
        referral=referral,
        opened_on=opened_on or timezone.localdate(),
        created_by=opened_by,
    )
    case.full_clean(exclude=["co_handlers"])
    case.save()
    if co_handlers:
        case.co_handlers.set(co_handlers)
    return case


@transaction.atomic
def case_update(
    *,
    case: Case,
    version: int,
    counselor: User,
    co_handlers: Iterable[User],
    field: str,
    category: str,
    source: str,
    summary: str,
) -> Case:
    """Save an edit made on the form opened at `version`.

    The UPDATE only matches while the case is still at that version; if somebody else saved in
    between, nothing is written and StaleEdit carries their version.
    """
    if case.is_archived:
        raise ValidationError(_("An archived case can no longer be changed."))
    co_handlers = _check_counselors(case.school_id, counselor, co_handlers)
    # As stored: a bound ModelForm has already put the submitted values on `case`.
    stored = Case.objects.values("category", "status").get(pk=case.pk)
    if category != stored["category"] and stored["status"] in STILL_OPEN_STATUSES:
        _refuse_a_second_open_case(case.student, category, exclude_pk=case.pk)
    updated = Case.objects.filter(pk=case.pk, version=version, is_archived=False).update(
        counselor=counselor,
        field=field,
        category=category,
        source=source,
        summary=summary,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise StaleEdit(
            Case.objects.select_related("counselor").prefetch_related("co_handlers").get(pk=case.pk)
        )
    case.co_handlers.set(co_handlers)
    # The UPDATE above sends no signal.
    school_data_changed(school_id=case.school_id)
    case.refresh_from_db()
    return case


class TransitionRefused(Exception):
    """The case may not move to that status from where it is now."""


@transaction.atomic
def case_transition(*, case: Case, status: str, outcome: str | None = None) -> Case:
    """Move the case to `status` if Case.TRANSITIONS allows it from its current status.

    "Referred out" is refused here: only recording an outbound referral with the parent's
    consent (counseling.referrals.outbound_referral_create) takes a case there. Closing needs
    an outcome. Resolving or closing dates the case closed; taking it up again
    clears that date.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.is_archived or status not in locked.manual_next_statuses():
        raise TransitionRefused(status)
    if outcome is not None:
        locked.outcome = outcome.strip()
    if status == Case.Status.CLOSED and not locked.outcome:
        raise ValidationError({"outcome": _("Write the outcome before closing the case.")})
    if status in STILL_OPEN_STATUSES and locked.status not in STILL_OPEN_STATUSES:
        # Taking a resolved case up again: not beside another open case of its category.
        _refuse_a_second_open_case(locked.student, locked.category, exclude_pk=locked.pk)
    locked.status = status
    if status in (Case.Status.RESOLVED, Case.Status.CLOSED):
        locked.closed_on = timezone.localdate()
    elif status == Case.Status.IN_PROGRESS:
        locked.closed_on = None
    locked.version += 1
    locked.save(update_fields=["status", "outcome", "closed_on", "version", "updated_at"])
    return locked


@transaction.atomic
def case_archive(*, case: Case) -> Case:
    """Put a closed case in the archive; it stays readable and is never deleted."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != Case.Status.CLOSED:
        raise ValidationError(_("Only a closed case can be archived."))
    if not locked.is_archived:
        locked.is_archived = True
        locked.version += 1
        locked.save(update_fields=["is_archived", "version", "updated_at"])
    return locked


# --- Counseling sessions ----------------------------------------------------------------------

# How many students each strategy needs; classical guidance takes a whole class instead.
GROUP_STRATEGIES = (
    CounselingSession.Strategy.GROUP_COUNSELING,
    CounselingSession.Strategy.GROUP_GUIDANCE,
)


def session_participants(
    *,
    school_id: int,
    strategy: str,
    students: Iterable[Student],
    classroom: Classroom | None,
    case: Case | None,
) -> list[Student]:
    """The students a session is about, checked against its strategy.

    Individual counseling: exactly one student. Group counseling and group guidance: two or
    more. Classical guidance: a class, whose active students are all attached (students chosen
    besides are kept). Any other strategy: at least one student. A session within a case
    includes the case's student. Raises ValidationError keyed by form field.
    """
    chosen = {student.pk: student for student in students}
    if any(student.school_id != school_id for student in chosen.values()):
        raise ValidationError({"students": _("Choose students of your own school.")})
    if strategy == CounselingSession.Strategy.CLASSICAL_GUIDANCE:
        if classroom is None:
            raise ValidationError({"classroom": _("Choose the class that took part.")})
        if classroom.school_id != school_id:
            raise ValidationError({"classroom": _("Choose a class of your own school.")})
        for student in classroom.students.filter(status=Student.Status.ACTIVE):
            chosen.setdefault(student.pk, student)
        if not chosen:
            raise ValidationError({"classroom": _("This class has no active students.")})
    else:
        if classroom is not None:
            raise ValidationError(
                {"classroom": _("Choose a class only for classical guidance; leave it empty.")}
            )
        if strategy == CounselingSession.Strategy.INDIVIDUAL and len(chosen) != 1:
            raise ValidationError(
                {"students": _("Individual counseling is with exactly one student.")}
            )
        if strategy in GROUP_STRATEGIES and len(chosen) < 2:
            raise ValidationError({"students": _("A group session needs two or more students.")})
        if not chosen:
            raise ValidationError({"students": _("Choose at least one student.")})
    if case is not None and case.student_id not in chosen:
        raise ValidationError(
            {
                "students": _("%(name)s, the student of this case, must be among the students.")
                % {"name": case.student.full_name}
            }
        )
    return list(chosen.values())


# How far ahead of its session a next appointment may be set.
NEXT_APPOINTMENT_WITHIN = datetime.timedelta(days=365)
# The earliest session date when the school has no academic year recorded.
SESSIONS_RECORDED_FOR_YEARS = 10


def earliest_session_day(school_id: int) -> datetime.date:
    """The first day of the school's first academic year: no session is older than the
    school's records (without any year, ten years back)."""
    first = AcademicYear.objects.filter(school_id=school_id).aggregate(day=Min("start_date"))
    if first["day"] is not None:
        return first["day"]
    today = timezone.localdate()
    return today.replace(year=today.year - SESSIONS_RECORDED_FOR_YEARS, day=1)


def check_session_times(
    *,
    school_id: int,
    starts_at: datetime.datetime | None,
    next_appointment: datetime.datetime | None,
) -> None:
    """A logged session has taken place (not after now) within the school's records; its next
    appointment comes after it and within a year. Raises ValidationError keyed by form field."""
    errors: dict[str, str] = {}
    if starts_at is not None:
        earliest = earliest_session_day(school_id)
        if starts_at > timezone.now():
            errors["starts_at"] = _(
                "A session is logged once it has taken place. Put a planned meeting in "
                "the next appointment of the previous session."
            )
        elif timezone.localtime(starts_at).date() < earliest:
            errors["starts_at"] = _(
                "The date is before the school's first academic year (%(date)s). Check the year."
            ) % {"date": date_format(earliest, "j F Y")}
    if starts_at is not None and next_appointment is not None:
        if next_appointment <= starts_at:
            errors["next_appointment"] = _("The next appointment must come after this session.")
        elif next_appointment - starts_at > NEXT_APPOINTMENT_WITHIN:
            errors["next_appointment"] = _(
                "The next appointment must be within a year of the session. Check the year."
            )
    if errors:
        raise ValidationError(errors)


SESSION_OF_CLOSED_CASE = gettext_lazy(
    "The case of this session is closed: its sessions are kept as they are."
)


def _refuse_history(case: Case, message: str) -> None:
    """ValidationError (on the form's case field) when the case is closed or archived, as
    stored now: its row is locked, so that closing it and writing into it take turns."""
    stored = Case.objects.select_for_update().only("status", "is_archived").get(pk=case.pk)
    if is_history(stored):
        raise ValidationError({"case": message})


@transaction.atomic
def session_log(
    *,
    counselor: User,
    case: Case | None,
    starts_at: datetime.datetime,
    duration_minutes: int,
    strategy: str,
    component: str,
    field: str,
    students: Iterable[Student],
    classroom: Classroom | None,
    other_participants: str,
    summary: str,
    confidential_notes: str,
    follow_up_plan: str,
    next_appointment: datetime.datetime | None,
) -> CounselingSession:
    """Record a session led by `counselor`; within a case only its handlers may.

    The first session of a new case takes the case in progress.
    """
    school_id = counselor.school_id
    if not counselors_of(school_id).filter(pk=counselor.pk).exists():
        raise ValidationError(_("Only a BK teacher of the school can log a session."))
    if case is not None:
        if not is_case_handler(counselor, case):
            raise ValidationError({"case": _("Only the case's BK teachers can log its sessions.")})
        _refuse_history(case, _("This case is closed; no more sessions can be logged."))
    participants = session_participants(
        school_id=school_id, strategy=strategy, students=students, classroom=classroom, case=case
    )
    check_session_times(school_id=school_id, starts_at=starts_at, next_appointment=next_appointment)
    session = CounselingSession(
        school_id=school_id,
        case=case,
        counselor=counselor,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        strategy=strategy,
        component=component,
        field=field,
        classroom=classroom,
        other_participants=other_participants,
        summary=summary,
        confidential_notes=confidential_notes,
        follow_up_plan=follow_up_plan,
        next_appointment=next_appointment,
    )
    session.full_clean()
    session.save()
    session.students.set(participants)
    if case is not None and case.status == Case.Status.NEW:
        case_transition(case=case, status=Case.Status.IN_PROGRESS)
        case.refresh_from_db()
    return session


@transaction.atomic
def session_update(
    *,
    session: CounselingSession,
    edited_at: datetime.datetime,
    starts_at: datetime.datetime,
    duration_minutes: int,
    strategy: str,
    component: str,
    field: str,
    students: Iterable[Student],
    classroom: Classroom | None,
    other_participants: str,
    summary: str,
    follow_up_plan: str,
    next_appointment: datetime.datetime | None,
    confidential_notes: str | None = None,
) -> CounselingSession:
    """Save an edit of a session made on the form that showed the record as of `edited_at`
    (its updated_at then). If it was saved since, nothing is written: StaleEdit.

    `confidential_notes=None` leaves the notes as they are (for an editor who may not read them).
    A session of a closed or archived case is history and is not changed.
    """
    if session.case_id is not None:
        _refuse_history(session.case, SESSION_OF_CLOSED_CASE)
    participants = session_participants(
        school_id=session.school_id,
        strategy=strategy,
        students=students,
        classroom=classroom,
        case=session.case,
    )
    check_session_times(
        school_id=session.school_id, starts_at=starts_at, next_appointment=next_appointment
    )
    values = {
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "strategy": strategy,
        "component": component,
        "field": field,
        "classroom": classroom,
        "other_participants": other_participants,
        "summary": summary,
        "follow_up_plan": follow_up_plan,
        "next_appointment": next_appointment,
    }
    if confidential_notes is not None:
        values["confidential_notes"] = confidential_notes
    updated = CounselingSession.objects.filter(pk=session.pk, updated_at=edited_at).update(
        **values, updated_at=timezone.now()
    )
    if not updated:
        raise StaleEdit(
            CounselingSession.objects.select_related("counselor", "classroom")
            .prefetch_related("students")
            .get(pk=session.pk)
        )
    session.students.set(participants)
    # The UPDATE above sends no signal.
    school_data_changed(school_id=session.school_id)
    session.refresh_from_db()
    return session


# --- Collaboration ----------------------------------------------------------------------------


@transaction.atomic
def collaboration_log(
    *,
    counselor: User,
    partner_type: str,
    partner_name: str,
    method: str,
    student: Student | None,
    case: Case | None,
    happened_on: datetime.date,
    topic: str,
    agreement: str,
) -> Collaboration:
    """Record a counselor's work with a teacher, parent or outside party. About a case, it is
    about the case's student."""
    school_id = counselor.school_id
    if not counselors_of(school_id).filter(pk=counselor.pk).exists():
        raise ValidationError(_("Only a BK teacher of the school can log collaboration."))
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("The date cannot be in the future.")})
    if student is not None and student.school_id != school_id:
        raise ValidationError({"student": _("Choose a student of your own school.")})
    if case is not None:
        if not cases_taking_records_from(counselor).filter(pk=case.pk).exists():
            raise ValidationError(
                {"case": _("Choose an open case that you handle, or leave the case empty.")}
            )
        if student is not None and student.pk != case.student_id:
            raise ValidationError(
                {"student": _("The case is about another student; choose its student or none.")}
            )
        student = case.student
    collaboration = Collaboration(
        school_id=school_id,
        counselor=counselor,
        partner_type=partner_type,
        partner_name=partner_name,
        method=method,
        student=student,
        case=case,
        happened_on=happened_on,
        topic=topic,
        agreement=agreement,
    )
    collaboration.full_clean()
    collaboration.save()
    return collaboration


# --- Reads ------------------------------------------------------------------------------------

CASE_STATUS_OPEN = "open"
CASE_STATUS_ALL = "all"


def cases_for_list(
    user: User,
    *,
    status: str = CASE_STATUS_OPEN,
    field: str = "",
    category: str = "",
    counselor: User | None = None,
    mine: bool = False,
    archived: bool = False,
    query: str = "",
    opened_from: datetime.date | None = None,
    opened_to: datetime.date | None = None,
    sessions: int | None = None,
) -> QuerySet[Case]:
    """The cases the user may see, filtered, each with its student, class, responsible
    counselor and its number of sessions. Archived cases only when asked for. `sessions`
    keeps the cases with exactly that many sessions, or at least MULTI_SESSION of them."""
    cases = cases_visible_to(user)
    if status == CASE_STATUS_OPEN:
        cases = cases.filter(status__in=Case.OPEN_STATUSES)
    elif status != CASE_STATUS_ALL:
        cases = cases.filter(status=status)
    if not archived:
        cases = cases.filter(is_archived=False)
    if field:
        cases = cases.filter(field=field)
    if category:
        cases = cases.filter(category=category)
    if counselor is not None:
        cases = cases.filter(counselor=counselor)
    if mine:
        # EXISTS rather than a join, so that the session count below is not multiplied.
        co_handled = Case.co_handlers.through.objects.filter(
            case_id=OuterRef("pk"), user_id=user.pk
        )
        cases = cases.filter(Q(counselor=user) | Exists(co_handled))
    if query:
        cases = cases.filter(student__full_name__icontains=query)
    if opened_from is not None:
        cases = cases.filter(opened_on__gte=opened_from)
    if opened_to is not None:
        cases = cases.filter(opened_on__lte=opened_to)
    # The number of sessions as a subquery, not a join with GROUP BY: the database then takes
    # the page's fifty cases in index order and counts only their sessions, and the list's
    # total counts cases alone (Django leaves the unused subquery out of COUNT).
    cases = cases.select_related("student__classroom", "counselor").annotate(
        session_count=session_count()
    )
    if sessions is not None:
        if sessions >= MULTI_SESSION:
            cases = cases.filter(session_count__gte=MULTI_SESSION)
        else:
            cases = cases.filter(session_count=sessions)
    return cases.order_by("-opened_on", "-pk")


def case_for_page(user: User) -> QuerySet[Case]:
    """Cases the user may see, with what their page shows beside the sessions."""
    return (
        cases_visible_to(user)
        .select_related(
            "student__classroom__academic_year",
            "counselor",
            "created_by",
            "referral__referred_by",
        )
        .prefetch_related("co_handlers")
    )


def case_sessions(case: Case) -> QuerySet[CounselingSession]:
    return case.sessions.select_related("counselor").order_by("starts_at", "pk")


def case_collaborations(case: Case) -> QuerySet[Collaboration]:
    return case.collaborations.select_related("counselor").order_by("happened_on", "pk")


def collaborations_for_list(
    user: User,
    *,
    partner_type: str = "",
    counselor: User | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[Collaboration]:
    entries = collaborations_visible_to(user)
    if partner_type:
        entries = entries.filter(partner_type=partner_type)
    if counselor is not None:
        entries = entries.filter(counselor=counselor)
    if date_from is not None:
        entries = entries.filter(happened_on__gte=date_from)
    if date_to is not None:
        entries = entries.filter(happened_on__lte=date_to)
    return entries.select_related("counselor", "student__classroom", "case").order_by(
        "-happened_on", "-pk"
    )


TIMELINE_LIMIT = 50


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # "case", "session" or "collaboration"
    day: datetime.date
    moment: datetime.datetime
    item: Case | CounselingSession | Collaboration


def student_timeline(user: User, student: Student, limit: int = TIMELINE_LIMIT):
    """The student's cases, sessions and collaboration the user may see, newest first, at most
    `limit` of them; returns (entries, whether older ones were left out).

    Three queries whatever the history's length: the newest `limit + 1` of each kind.
    """
    cases = (
        cases_visible_to(user)
        .filter(student=student)
        .select_related("counselor")
        .order_by("-opened_on", "-pk")[: limit + 1]
    )
    sessions = (
        with_session_content_flag(user, sessions_visible_to(user))
        .filter(students=student)
        .select_related("counselor", "case")
        .order_by("-starts_at", "-pk")[: limit + 1]
    )
    collaborations = (
        collaborations_visible_to(user)
        .filter(student=student)
        .select_related("counselor", "case")
        .order_by("-happened_on", "-pk")[: limit + 1]
    )
    entries = [
        *(TimelineEntry("case", c.opened_on, _start_of(c.opened_on), c) for c in cases),
        *(
            TimelineEntry("session", timezone.localtime(s.starts_at).date(), s.starts_at, s)
            for s in sessions
        ),
        *(
            TimelineEntry("collaboration", c.happened_on, _start_of(c.happened_on), c)
            for c in collaborations
        ),
    ]
    entries.sort(key=lambda entry: (entry.day, entry.moment), reverse=True)
    return entries[:limit], len(entries) > limit


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def student_timeline_context(user: User, student: Student) -> dict:
    """What the student page adds for its timeline: nothing for people who may not see cases
    (teachers, admin staff), otherwise the entries and whether the user may add to them."""
    if not can(user, Permission.VIEW_CASES):
        return {}
    entries, truncated = student_timeline(user, student)
    return {
        "timeline": entries,
        "timeline_truncated": truncated,
        "timeline_limit": TIMELINE_LIMIT,
        "may_handle_cases": can(user, Permission.HANDLE_CASES),
    }
