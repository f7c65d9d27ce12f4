"""Reads of the staff app, always through the reader's school."""

from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from staff.models import (
    AcademicYear,
    AccessLogEntry,
    Role,
    RoleAssignment,
    School,
    Semester,
    User,
)


def users_of_school(school: School) -> QuerySet[User]:
    return (
        User.objects.filter(school=school)
        .prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role"))
        )
        .order_by("-is_active", "full_name", "username")
    )


def active_holders_of(school: School | int, role: str) -> QuerySet[User]:
    """Active users holding `role` at the school, by name."""
    school_id = school if isinstance(school, int) else school.pk
    return (
        User.objects.filter(school_id=school_id, is_active=True, role_assignments__role=role)
        .distinct()
        .order_by("full_name", "username")
    )


def counselors_of(school: School | int) -> QuerySet[User]:
    """Active users holding the counselor role at the school, by name."""
    return active_holders_of(school, Role.COUNSELOR)


def current_semester(school: School | None) -> Semester | None:
    if school is None:
        return None
    return (
        Semester.objects.filter(school=school, is_current=True)
        .select_related("academic_year")
        .first()
    )


def current_academic_year(school: School | None) -> AcademicYear | None:
    if school is None:
        return None
    return AcademicYear.objects.filter(school=school, is_current=True).first()


def access_log_of_school(
    school: School,
    *,
    user_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AccessLogEntry]:
    entries = AccessLogEntry.objects.filter(school=school).select_related("user")
    if user_id is not None:
        entries = entries.filter(user_id=user_id)
    # Whole local days, as datetime bounds so that the (school, created_at) index serves them.
    if date_from is not None:
        entries = entries.filter(created_at__gte=_start_of_local_day(date_from))
    if date_to is not None:
        entries = entries.filter(created_at__lt=_start_of_local_day(date_to + timedelta(days=1)))
    return entries.order_by("-created_at", "-id")


def _start_of_local_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
