"""Which roles a user holds and what those roles may do: the one place the project asks.

Default deny: a permission not listed here, or a user without a school, may do nothing.
Views protect themselves with :func:`permission_required`, which answers 404 — a page a
person may not use does not exist for them.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest

from staff.models import Role, User


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
    Permission.USE_CALENDAR: frozenset(
        {
            Role.PRINCIPAL,
            Role.VICE_PRINCIPAL,
            Role.COUNSELOR,
            Role.HOMEROOM_TEACHER,
            Role.SUBJECT_TEACHER,
            Role.ADMIN_STAFF,
        }
    ),
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
