"""Writes of the staff app. Views call these; they hold the rules."""

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest

from staff.access import forget_roles
from staff.caching import school_data_changed
from staff.models import AccessLogEntry, RoleAssignment, School, Semester, User


class StaleEdit(Exception):
    """Somebody else saved the record after the form was opened; nothing was written."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from.

    Behind DJANGO_TRUSTED_PROXY_COUNT proxies, each appending to X-Forwarded-For, the client is
    that many entries from the right; anything further left could be forged by the client.
    Used by the access log and by django-axes for login throttling.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return _valid_address(forwarded[-proxies])
    return _valid_address(request.META.get("REMOTE_ADDR", ""))


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def access_log_record(
    *,
    request: HttpRequest,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AccessLogEntry:
    """Write one access-log row: who, what, which object, from where. Never the content.

    The action and the kind of record must be declared in AccessLogEntry.Action and
    AccessLogEntry.ObjectType, so that the principal's page has a label for every row."""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    if action not in AccessLogEntry.Action.values:
        raise ValueError(f"Declare the access-log action {action!r} in AccessLogEntry.Action.")
    if object_type not in AccessLogEntry.ObjectType.values:
        raise ValueError(
            f"Declare the access-log object type {object_type!r} in AccessLogEntry.ObjectType."
        )
    user = request.user
    return AccessLogEntry.objects.create(
        user=user,
        school_id=getattr(user, "school_id", None),
        action=action,
        object_type=object_type,
        object_id=object_id,
        client_address=client_address(request),
    )


def user_set_roles(*, user: User, roles: Iterable[str]) -> None:
    wanted = set(roles)
    current = set(user.role_assignments.values_list("role", flat=True))
    user.role_assignments.filter(role__in=current - wanted).delete()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, role=role) for role in sorted(wanted - current)]
    )
    school_data_changed(school_id=user.school_id)
    forget_roles(user)


@transaction.atomic
def user_create(
    *,
    school: School,
    username: str,
    full_name: str,
    email: str = "",
    nip: str = "",
    roles: Iterable[str],
    temporary_password: str,
) -> User:
    """A new account of the school whose password must be changed at the first sign-in."""
    user = User(
        school=school,
        username=username,
        full_name=full_name,
        email=email,
        nip=nip,
        must_change_password=True,
    )
    user.set_password(temporary_password)
    user.save()
    user_set_roles(user=user, roles=roles)
    return user


@transaction.atomic
def user_update(*, user: User, roles: Iterable[str], fields: list[str], version: int) -> User:
    """Save the named fields (already set on ``user`` by a form) and the roles, edited on the
    form opened at `version`; StaleEdit, and nothing written, if the account was saved since."""
    current = User.objects.select_for_update().get(pk=user.pk)
    if current.version != version:
        raise StaleEdit(current)
    user.version = version + 1
    user.save(update_fields=[*fields, "version", "updated_at"])
    user_set_roles(user=user, roles=roles)
    return user


def user_set_temporary_password(*, user: User, password: str) -> None:
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password", "updated_at"])


def user_password_changed(*, user: User) -> None:
    """The user chose a password of their own."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password", "updated_at"])


@transaction.atomic
def semester_make_current(*, semester: Semester) -> None:
    """Make this the school's current semester, and its year the current year."""
    Semester.objects.filter(school_id=semester.school_id, is_current=True).exclude(
        pk=semester.pk
    ).update(is_current=False)
    year = semester.academic_year
    type(year).objects.filter(school_id=year.school_id, is_current=True).exclude(pk=year.pk).update(
        is_current=False
    )
    if not year.is_current:
        year.is_current = True
        year.save(update_fields=["is_current"])
    if not semester.is_current:
        semester.is_current = True
        semester.save(update_fields=["is_current"])
    school_data_changed(school_id=semester.school_id)
