"""Who may see which students and records of the counseling app: the one place it is decided.

DESIGN.md's confidentiality table is the specification. Views fetch through these querysets,
so a record outside them is a 404 by construction.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.http import Http404, HttpRequest

from counseling.models import (
    Case,
    Classroom,
    Collaboration,
    CounselingSession,
    InboundReferral,
    OutboundReferral,
    Student,
)
from staff.access import Permission, can, has_role
from staff.models import AcademicYear, Role, User


def may_browse_roster(user: User) -> bool:
    """May this user open the class and student lists? Roster users see the whole school, a
    homeroom teacher the own classes (possibly none this year); for anyone else
    classrooms_visible_to and students_visible_to are empty, so the pages do not exist."""
    if can(user, Permission.VIEW_ROSTER):
        return True
    return getattr(user, "school_id", None) is not None and has_role(user, Role.HOMEROOM_TEACHER)


def roster_required(view: Callable) -> Callable:
    """Decorate a roster list page: signed-in users who may not browse the roster get 404."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not may_browse_roster(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def classrooms_visible_to(user: User) -> QuerySet[Classroom]:
    """Classes of the user's school for roster users; own classes for a homeroom teacher."""
    if getattr(user, "school_id", None) is None:
        return Classroom.objects.none()
    classes = Classroom.objects.filter(school_id=user.school_id)
    if can(user, Permission.VIEW_ROSTER):
        return classes
    if has_role(user, Role.HOMEROOM_TEACHER):
        return classes.filter(homeroom_teacher=user)
    return Classroom.objects.none()


def students_visible_to(user: User) -> QuerySet[Student]:
    """Students of the user's school for roster users; the students of the class a homeroom
    teacher leads this year; nobody for anyone else."""
    if getattr(user, "school_id", None) is None:
        return Student.objects.none()
    students = Student.objects.filter(school_id=user.school_id)
    if can(user, Permission.VIEW_ROSTER):
        return students
    if has_role(user, Role.HOMEROOM_TEACHER):
        # The class they lead this year; last year's pupils are no longer theirs to see.
        return students.filter(
            classroom__homeroom_teacher=user, classroom__academic_year__is_current=True
        )
    return Student.objects.none()


# --- Keeping the roster by hand -------------------------------------------------------------
# The administrative staff create and edit the classes of the current academic year and of the
# years after it (a new year's classes before the promotion); earlier years are history. They
# edit any student of the school, whose records are never deleted.


def classrooms_managed_by(user: User) -> QuerySet[Classroom]:
    if not can(user, Permission.MANAGE_ROSTER):
        return Classroom.objects.none()
    current_start = AcademicYear.objects.filter(school_id=user.school_id, is_current=True).values(
        "start_date"
    )[:1]
    return Classroom.objects.filter(
        school_id=user.school_id, academic_year__start_date__gte=Subquery(current_start)
    )


def students_managed_by(user: User) -> QuerySet[Student]:
    if not can(user, Permission.MANAGE_ROSTER):
        return Student.objects.none()
    return Student.objects.filter(school_id=user.school_id)


# --- Counseling records ---------------------------------------------------------------------
# DESIGN.md, "Confidentiality": case summaries, statuses and session dates are read by the
# principal, the vice principal and every counselor of the school, and written by the case's
# handlers (the responsible counselor and co-handlers). Confidential notes are for the handlers
# only. Teachers see nothing of cases: only the status of their own referrals.

CASE_READERS = (Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.COUNSELOR)


def _school_id(user: User) -> int | None:
    return getattr(user, "school_id", None)


def cases_visible_to(user: User) -> QuerySet[Case]:
    if _school_id(user) is None or not has_role(user, *CASE_READERS):
        return Case.objects.none()
    return Case.objects.filter(school_id=user.school_id)


def is_case_handler(user: User, case: Case) -> bool:
    """Responsible counselor or co-handler of the case, still a counselor of its school."""
    if case.school_id != _school_id(user) or not has_role(user, Role.COUNSELOR):
        return False
    if case.counselor_id == user.pk:
        return True
    return case.co_handlers.filter(pk=user.pk).exists()


def cases_handled_by(user: User) -> QuerySet[Case]:
    """Cases the user may write: responsible for or co-handling.

    EXISTS rather than a join with DISTINCT: each case once, so further filters (a status)
    narrow the scan through the case indexes, and counts need no de-duplication."""
    if _school_id(user) is None or not has_role(user, Role.COUNSELOR):
        return Case.objects.none()
    co_handled = Case.co_handlers.through.objects.filter(case_id=OuterRef("pk"), user_id=user.pk)
    return Case.objects.filter(school_id=user.school_id).filter(
        Q(counselor=user) | Exists(co_handled)
    )


def cases_taking_records_from(user: User) -> QuerySet[Case]:
    """Cases the user may add sessions and collaboration to: handled by the user and still
    running. A closed case (and so an archived one) is history: nothing more is logged in it."""
    return cases_handled_by(user).filter(status__in=Case.OPEN_STATUSES, is_archived=False)


def is_history(case: Case | None) -> bool:
    """A closed or archived case: its record, sessions included, is kept as it is."""
    return case is not None and (case.status == Case.Status.CLOSED or case.is_archived)


def sessions_visible_to(user: User) -> QuerySet[CounselingSession]:
    """Sessions whose date, duration and strategy the user may read. What was said (summary,
    participants, follow-up) needs may_read_session_content; the notes may_read_notes."""
    if _school_id(user) is None or not has_role(user, *CASE_READERS):
        return CounselingSession.objects.none()
    return CounselingSession.objects.filter(school_id=user.school_id)


def may_read_session_content(user: User, session: CounselingSession) -> bool:
    """A session's summary, participants, follow-up plan and next appointment: who led it and
    the handlers of its case. The school's leaders and other counselors see only that it took
    place (DESIGN.md: "sessions' dates")."""
    if session.school_id != _school_id(user) or not has_role(user, Role.COUNSELOR):
        return False
    if session.counselor_id == user.pk:
        return True
    return session.case_id is not None and is_case_handler(user, session.case)


def with_session_content_flag(
    user: User, sessions: QuerySet[CounselingSession]
) -> QuerySet[CounselingSession]:
    """The sessions, each annotated `content_readable` as may_read_session_content decides,
    within the same query (for lists: a case's sessions, a student's timeline)."""
    if _school_id(user) is None or not has_role(user, Role.COUNSELOR):
        readable = Value(False)
    else:
        readable = ExpressionWrapper(
            Q(school_id=user.school_id)
            & (Q(counselor_id=user.pk) | Q(case__in=cases_handled_by(user).values("pk"))),
            output_field=BooleanField(),
        )
    return sessions.annotate(content_readable=readable)


def may_read_notes(user: User, session: CounselingSession) -> bool:
    """Confidential notes: the case's handlers; for a session outside a case, who led it."""
    if session.school_id != _school_id(user) or not has_role(user, Role.COUNSELOR):
        return False
    if session.case_id is not None:
        return is_case_handler(user, session.case)
    return session.counselor_id == user.pk


def may_edit_session(user: User, session: CounselingSession) -> bool:
    """Who led the session, or a handler of its case: who may read its content. (A leader no
    longer handling the case may still correct the record, but not read its notes: see
    may_read_notes.) Nobody edits a session of a closed or archived case: it is history."""
    return may_read_session_content(user, session) and not is_history(session.case)


def collaborations_visible_to(user: User) -> QuerySet[Collaboration]:
    if _school_id(user) is None or not has_role(user, *CASE_READERS):
        return Collaboration.objects.none()
    return Collaboration.objects.filter(school_id=user.school_id)


class BookAccess:
    """How much of a personal book a user may see."""

    NONE = 0
    COMPLETENESS = 1  # the principal: how complete, nothing of the content
    IDENTITY_AND_CONTACTS = 2  # the homeroom teacher of the student's current class
    FULL = 3  # every counselor of the school: read and write


def personal_book_access(user: User, student: Student) -> int:
    if student.school_id != _school_id(user) or _school_id(user) is None:
        return BookAccess.NONE
    if has_role(user, Role.COUNSELOR):
        return BookAccess.FULL
    if (
        has_role(user, Role.HOMEROOM_TEACHER)
        and student.classroom_id is not None
        and student.classroom.homeroom_teacher_id == user.pk
        and student.classroom.academic_year.is_current
    ):
        return BookAccess.IDENTITY_AND_CONTACTS
    if has_role(user, Role.PRINCIPAL):
        return BookAccess.COMPLETENESS
    return BookAccess.NONE


def referable_students(user: User) -> QuerySet[Student]:
    """Whom a teacher may refer to BK: a homeroom teacher the own class, a subject teacher any
    active student of the school."""
    if _school_id(user) is None:
        return Student.objects.none()
    active = Student.objects.filter(school_id=user.school_id, status=Student.Status.ACTIVE)
    if has_role(user, Role.SUBJECT_TEACHER, Role.VICE_PRINCIPAL):
        return active
    if has_role(user, Role.HOMEROOM_TEACHER):
        return active.filter(
            classroom__homeroom_teacher=user, classroom__academic_year__is_current=True
        )
    return Student.objects.none()


def inbound_referrals_visible_to(user: User) -> QuerySet[InboundReferral]:
    """Counselors and school leaders see every referral of the school; anyone else the ones
    they made (whose status is all they see)."""
    if _school_id(user) is None:
        return InboundReferral.objects.none()
    referrals = InboundReferral.objects.filter(school_id=user.school_id)
    if has_role(user, *CASE_READERS):
        return referrals
    return referrals.filter(referred_by=user)


def outbound_referrals_visible_to(user: User) -> QuerySet[OutboundReferral]:
    if _school_id(user) is None or not has_role(user, *CASE_READERS):
        return OutboundReferral.objects.none()
    return OutboundReferral.objects.filter(school_id=user.school_id)


def inbound_referral_details_visible_to(user: User) -> QuerySet[InboundReferral]:
    """Referrals whose content (what was observed, the decision) the user may read: the school's
    counselors and leaders. A referring teacher sees only the status, through
    referrals_made_by, never the referral's page."""
    if _school_id(user) is None or not has_role(user, *CASE_READERS):
        return InboundReferral.objects.none()
    return InboundReferral.objects.filter(school_id=user.school_id)


def may_decide_referrals(user: User) -> bool:
    """Accepting a referral as a case or declining it: the school's counselors."""
    return _school_id(user) is not None and has_role(user, Role.COUNSELOR)


def cases_a_referral_may_join(user: User, referral: InboundReferral) -> QuerySet[Case]:
    """The open cases of the referral's student that a counselor deciding the referral may
    attach it to instead of opening a second case: not resolved, closed or archived, and
    without a referral of their own (a case holds at most one). Attaching is a triage decision,
    open to every counselor who may decide referrals; it changes nothing the case's handlers
    wrote, it only names where the referral went."""
    if not may_decide_referrals(user) or referral.school_id != user.school_id:
        return Case.objects.none()
    return Case.objects.filter(
        school_id=user.school_id,
        student_id=referral.student_id,
        status__in=Case.STILL_OPEN_STATUSES,
        is_archived=False,
        referral__isnull=True,
    )


def referrals_made_by(user: User) -> QuerySet[InboundReferral]:
    """The user's own referrals at the school (of which a teacher sees the status only)."""
    if _school_id(user) is None:
        return InboundReferral.objects.none()
    return InboundReferral.objects.filter(school_id=user.school_id, referred_by=user)


def outbound_referrals_handled_by(user: User) -> QuerySet[OutboundReferral]:
    """Referrals out of the cases the user handles: who may record one and download the
    parent's signed consent form."""
    if _school_id(user) is None or not has_role(user, Role.COUNSELOR):
        return OutboundReferral.objects.none()
    return OutboundReferral.objects.filter(
        school_id=user.school_id, case__in=cases_handled_by(user).values("pk")
    )
