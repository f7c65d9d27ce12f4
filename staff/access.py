"""Which roles a user holds and what those roles may do: the one place the project asks.

Default deny: a permission not listed here, or a user without a school, may do nothing.
Views protect themselves with :func:`permission_required`, which answers 404 — a page a
person may not use does not exist for them.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from staff.models import (
    Appraisal,
    DisseminationReport,
    Role,
    Semester,
    TrainingEvent,
    TrainingParticipation,
    User,
)


class Permission:
    """Names of what a person may do. Extend PERMISSIONS when a feature adds one."""

    MANAGE_ACCOUNTS = "manage_accounts"
    READ_ACCESS_LOG = "read_access_log"
    VIEW_ROSTER = "view_roster"
    MANAGE_ROSTER = "manage_roster"
    REFER_STUDENT = "refer_student"
    VIEW_REFERRALS = "view_referrals"
    DECIDE_REFERRALS = "decide_referrals"
    VIEW_CASES = "view_cases"
    HANDLE_CASES = "handle_cases"
    USE_CALENDAR = "use_calendar"
    SCHEDULE_MEETINGS = "schedule_meetings"
    EVALUATE_COUNSELORS = "evaluate_counselors"
    VIEW_VISITS = "view_visits"
    SUPERVISE_COUNSELORS = "supervise_counselors"
    VIEW_FACILITIES = "view_facilities"
    RECORD_FACILITIES = "record_facilities"
    REQUEST_FACILITIES = "request_facilities"
    DECIDE_FACILITY_REQUESTS = "decide_facility_requests"
    VIEW_APPRAISALS = "view_appraisals"
    APPRAISE_COUNSELORS = "appraise_counselors"
    SELF_APPRAISE = "self_appraise"
    VIEW_TRAINING = "view_training"
    MANAGE_TRAINING = "manage_training"
    DELEGATE_TRAINING = "delegate_training"
    VIEW_EXPORTS = "view_exports"
    EXPORT_STUDENTS = "export_students"
    EXPORT_SESSION_STATISTICS = "export_session_statistics"
    EXPORT_TRAINING = "export_training"
    EXPORT_APPRAISALS = "export_appraisals"
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_SCHOOL_CALENDAR = "view_school_calendar"
    MANAGE_SCHOOL_CALENDAR = "manage_school_calendar"


# Every role a school hands out (the district supervisor works across schools).
SCHOOL_STAFF_ROLES = (
    Role.PRINCIPAL,
    Role.VICE_PRINCIPAL,
    Role.COUNSELOR,
    Role.HOMEROOM_TEACHER,
    Role.SUBJECT_TEACHER,
    Role.ADMIN_STAFF,
)

PERMISSIONS: dict[str, frozenset[str]] = {
    # Case lists, case pages and the collaboration log (never the confidential notes, which
    # counseling.access grants per case).
    Permission.VIEW_CASES: frozenset({Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.COUNSELOR}),
    # Opening cases, logging sessions and collaboration.
    Permission.HANDLE_CASES: frozenset({Role.COUNSELOR}),
    Permission.MANAGE_ACCOUNTS: frozenset({Role.ADMIN_STAFF}),
    Permission.READ_ACCESS_LOG: frozenset({Role.PRINCIPAL}),
    # The school's classes and student list; homeroom teachers see their own class through
    # counseling.access instead.
    Permission.VIEW_ROSTER: frozenset({Role.ADMIN_STAFF, Role.COUNSELOR}),
    # Importing students and changing classes.
    Permission.MANAGE_ROSTER: frozenset({Role.ADMIN_STAFF}),
    # Referring a student to BK (whom, counseling.access.referable_students decides).
    Permission.REFER_STUDENT: frozenset(
        {Role.HOMEROOM_TEACHER, Role.SUBJECT_TEACHER, Role.VICE_PRINCIPAL}
    ),
    # The school's referrals to BK: counselors triage them, school leaders follow them.
    Permission.VIEW_REFERRALS: frozenset({Role.COUNSELOR, Role.PRINCIPAL, Role.VICE_PRINCIPAL}),
    Permission.DECIDE_REFERRALS: frozenset({Role.COUNSELOR}),
    # The own meetings, action items and calendar feed: everyone who works at a school may be
    # invited to a meeting (which meetings each sees, supervision.access decides).
    Permission.USE_CALENDAR: frozenset(SCHOOL_STAFF_ROLES),
    # Scheduling meetings and keeping their minutes and action items.
    Permission.SCHEDULE_MEETINGS: frozenset({Role.PRINCIPAL, Role.VICE_PRINCIPAL}),
    # Writing the performance evaluations of a limited meeting (the counselor reads own).
    Permission.EVALUATE_COUNSELORS: frozenset({Role.PRINCIPAL}),
    # Academic supervision: the principal plans and records visits; a counselor reads own.
    Permission.VIEW_VISITS: frozenset({Role.PRINCIPAL, Role.COUNSELOR}),
    Permission.SUPERVISE_COUNSELORS: frozenset({Role.PRINCIPAL}),
    # The BK room: its state, its compliance with the standard and the requests for it.
    Permission.VIEW_FACILITIES: frozenset({Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.COUNSELOR}),
    Permission.RECORD_FACILITIES: frozenset({Role.PRINCIPAL, Role.COUNSELOR}),
    Permission.REQUEST_FACILITIES: frozenset({Role.COUNSELOR}),
    Permission.DECIDE_FACILITY_REQUESTS: frozenset({Role.PRINCIPAL}),
    # Competency appraisals and profiles: the principal's of every counselor, a counselor's
    # own (which ones exactly, appraisals_visible_to decides). Nobody else, not even the vice
    # principal (DESIGN.md, confidentiality).
    Permission.VIEW_APPRAISALS: frozenset({Role.PRINCIPAL, Role.COUNSELOR}),
    Permission.APPRAISE_COUNSELORS: frozenset({Role.PRINCIPAL}),
    Permission.SELF_APPRAISE: frozenset({Role.COUNSELOR}),
    # Training events and MGBK meetings are read by all of the school's staff.
    Permission.VIEW_TRAINING: frozenset(SCHOOL_STAFF_ROLES),
    # Recording events and their attendance: the school's leaders.
    Permission.MANAGE_TRAINING: frozenset({Role.PRINCIPAL, Role.VICE_PRINCIPAL}),
    # Deciding who is sent when seats are few (DESIGN.md: the principal decides).
    Permission.DELEGATE_TRAINING: frozenset({Role.PRINCIPAL}),
    # Exports (CSV and XLSX), each for whoever may read its data; the rows come from the same
    # access querysets as the pages. The exports page lists what each person may download:
    # everyone of a school may at least download the training participation.
    Permission.VIEW_EXPORTS: frozenset(SCHOOL_STAFF_ROLES),
    # The roster's fields: the whole school for the roster's users, the own class for a
    # homeroom teacher (counseling.access.students_visible_to).
    Permission.EXPORT_STUDENTS: frozenset(
        {Role.ADMIN_STAFF, Role.COUNSELOR, Role.HOMEROOM_TEACHER}
    ),
    # Session counts (never notes, summaries or names): those who read the school's cases.
    Permission.EXPORT_SESSION_STATISTICS: frozenset(
        {Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.COUNSELOR}
    ),
    Permission.EXPORT_TRAINING: frozenset(SCHOOL_STAFF_ROLES),
    # The principal all of the school's, a counselor the own (appraisals_visible_to).
    Permission.EXPORT_APPRAISALS: frozenset({Role.PRINCIPAL, Role.COUNSELOR}),
    # The principal's dashboard, the period report and the counts behind them (personal-book
    # completeness and students per BK teacher, never a child's record). The district
    # supervisor joins once that role has its schools.
    Permission.VIEW_DASHBOARD: frozenset({Role.PRINCIPAL}),
    # The school's academic years and semesters: administrative staff keep them (which semester
    # is current), the principal reads them.
    Permission.VIEW_SCHOOL_CALENDAR: frozenset({Role.ADMIN_STAFF, Role.PRINCIPAL}),
    Permission.MANAGE_SCHOOL_CALENDAR: frozenset({Role.ADMIN_STAFF}),
}

_CACHE_ATTRIBUTE = "_role_codes_cache"


def roles_of(user: User) -> frozenset[str]:
    """The role codes the user holds, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = frozenset(user.role_assignments.values_list("role", flat=True))
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_roles(user: User) -> None:
    """Drop the cached roles after they changed."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def has_role(user: User, *roles: str) -> bool:
    return not roles_of(user).isdisjoint(roles)


def can(user: User, permission: str) -> bool:
    """May this user do this? Only members of a school hold school permissions."""
    allowed = PERMISSIONS.get(permission)
    if allowed is None or getattr(user, "school_id", None) is None:
        return False
    return has_role(user, *allowed)


def permission_required(permission: str) -> Callable:
    """Decorate a view: signed-in users without the permission get 404."""
    if permission not in PERMISSIONS:
        raise ValueError(f"Unknown permission {permission!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not can(request.user, permission):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- Competency appraisals ---------------------------------------------------------------------
# DESIGN.md, "Confidentiality": the principal sees every appraisal of the own school, a counselor
# only the own, nobody else any. A draft is its assessor's work in progress: the counselor sees
# the principal's appraisal once it is finalised, the principal a self-appraisal once submitted.


def _school_id(user: User) -> int | None:
    return getattr(user, "school_id", None)


def appraisals_visible_to(user: User) -> QuerySet[Appraisal]:
    if _school_id(user) is None:
        return Appraisal.objects.none()
    submitted = ~Q(status=Appraisal.Status.DRAFT)
    visible = Q(pk__in=[])
    if has_role(user, Role.PRINCIPAL):
        visible |= Q(kind=Appraisal.Kind.PRINCIPAL) | (Q(kind=Appraisal.Kind.SELF) & submitted)
    if has_role(user, Role.COUNSELOR):
        visible |= Q(counselor=user, kind=Appraisal.Kind.SELF) | (
            Q(counselor=user, kind=Appraisal.Kind.PRINCIPAL) & submitted
        )
    return Appraisal.objects.filter(school_id=user.school_id).filter(visible)


def may_edit_appraisal(user: User, appraisal: Appraisal) -> bool:
    """Scoring a draft: the school's principal for a principal's appraisal, the counselor for
    the own self-appraisal. Nobody edits a finalised appraisal."""
    if appraisal.school_id != _school_id(user) or not appraisal.is_draft:
        return False
    if appraisal.kind == Appraisal.Kind.PRINCIPAL:
        return has_role(user, Role.PRINCIPAL) and appraisal.counselor_id != user.pk
    return appraisal.counselor_id == user.pk and has_role(user, Role.COUNSELOR)


def may_acknowledge_appraisal(user: User, appraisal: Appraisal) -> bool:
    """The appraised counselor acknowledges the principal's finalised appraisal."""
    return (
        appraisal.school_id == _school_id(user)
        and appraisal.kind == Appraisal.Kind.PRINCIPAL
        and appraisal.status == Appraisal.Status.FINALISED
        and appraisal.counselor_id == user.pk
        and has_role(user, Role.COUNSELOR)
    )


def competency_profiles_visible_to(user: User) -> QuerySet[User]:
    """Whose competency profile the user may open: the principal every counselor of the school
    (and anyone appraised there before), a counselor the own."""
    school_id = _school_id(user)
    if school_id is None:
        return User.objects.none()
    people = User.objects.filter(school_id=school_id)
    visible = Q(pk__in=[])
    if has_role(user, Role.PRINCIPAL):
        visible |= Q(role_assignments__role=Role.COUNSELOR) | Q(appraisals_received__isnull=False)
    if has_role(user, Role.COUNSELOR):
        visible |= Q(pk=user.pk)
    return User.objects.filter(pk__in=people.filter(visible).values("pk"))


# --- The school calendar ----------------------------------------------------------------------


def semesters_managed_by(user: User) -> QuerySet[Semester]:
    """The semesters whose dates and current flag this user may change: those of the own school
    for whoever may manage the school calendar; none for anyone else."""
    if not can(user, Permission.MANAGE_SCHOOL_CALENDAR):
        return Semester.objects.none()
    return Semester.objects.filter(school_id=user.school_id)


# --- Training and MGBK -------------------------------------------------------------------------
# Training records are read by every staff member of the school; a certificate only by its
# owner and the principal.


def training_events_visible_to(user: User) -> QuerySet[TrainingEvent]:
    if not can(user, Permission.VIEW_TRAINING):
        return TrainingEvent.objects.none()
    return TrainingEvent.objects.filter(school_id=user.school_id)


def participations_visible_to(user: User) -> QuerySet[TrainingParticipation]:
    if not can(user, Permission.VIEW_TRAINING):
        return TrainingParticipation.objects.none()
    return TrainingParticipation.objects.filter(school_id=user.school_id)


def dissemination_reports_visible_to(user: User) -> QuerySet[DisseminationReport]:
    if not can(user, Permission.VIEW_TRAINING):
        return DisseminationReport.objects.none()
    return DisseminationReport.objects.filter(school_id=user.school_id)


def may_read_certificate(user: User, participation: TrainingParticipation) -> bool:
    if participation.school_id != _school_id(user) or not can(user, Permission.VIEW_TRAINING):
        return False
    return participation.counselor_id == user.pk or has_role(user, Role.PRINCIPAL)


def participations_of(user: User) -> QuerySet[TrainingParticipation]:
    """The user's own delegations: whose certificate and dissemination report they keep."""
    if _school_id(user) is None or not has_role(user, Role.COUNSELOR):
        return TrainingParticipation.objects.none()
    return TrainingParticipation.objects.filter(school_id=user.school_id, counselor=user)
