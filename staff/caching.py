"""Values computed from a school's records, cached until those records change.

A dashboard or report whose figures are costly and the same for everyone of a school (and
semester) reads them through :func:`cached_for_school`::

    figures = cached_for_school(
        school_id=school.pk, name="dashboard-outcomes", semester_id=semester.pk,
        compute=lambda: outcome_figures(school, semester),
    )

Each school has a version token in the cache; every cached value of the school is stored under
the token current when its computation began. A change to any watched record of the school
replaces the token, so every value computed before the change is never read again (and
expires on its own). Models are watched with one line in their app's ``ready()``::

    watch_school_records(Meeting, Appraisal)

which replaces the token whenever such a record is saved or deleted, or its many-to-many
relations change, however that happens (services, the admin, the demo loader). Code that
writes with ``QuerySet.update()``, ``bulk_create()`` or ``bulk_update()``, which send no
signals, calls :func:`school_data_changed` itself.

The token is replaced at once (so that the rest of the same transaction reads fresh values)
and again when the transaction commits (so that nobody keeps a value computed, by another
request, from the data before the commit). Cache values are pickled: keep them plain data
(numbers, strings, lists, dicts, dataclasses of those), never querysets.

The cache is Django's default one: Redis shared by every process of every application server
when ``REDIS_URL`` is set; otherwise each process's own memory, where a change invalidates the
values of the process that made it at once and those of the others when they expire, after a
minute (settings.SCHOOL_CACHE_TIMEOUT). If Redis cannot be reached the value is computed (and
the failure logged) rather than the page failing.
"""

import logging
import secrets
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# A token is kept for longer than any value stored under it. How long a value lives at most,
# changes or not, is settings.SCHOOL_CACHE_TIMEOUT: an hour with Redis (bounding the damage of a
# write that bypassed both the signals and school_data_changed, such as SQL typed by hand), a
# minute in local memory (where a change reaches the other worker processes' memory only so).
TOKEN_TIMEOUT = 7 * 24 * 60 * 60

_CACHE_ERRORS = (RedisError, OSError)
_MISSING = object()


def _token_key(school_id: int) -> str:
    return f"school:{school_id}:token"


def _new_token() -> str:
    # When it was made, so that a value computed right after a change can be told apart (see
    # SCHOOL_CACHE_SETTLE_SECONDS), and random, so that two servers never make the same one.
    return f"{time.time_ns() // 1_000_000}-{secrets.token_hex(6)}"


def _token_age(token: str) -> float:
    """Seconds since the token was made."""
    made_at, _, _random = token.partition("-")
    try:
        return time.time() - int(made_at) / 1000
    except ValueError:
        return float("inf")


def _current_token(school_id: int) -> str:
    key = _token_key(school_id)
    token = cache.get(key)
    if token is None:
        # A school seen for the first time, or its token evicted: a new one, so that nothing
        # stored under an older token can be read. add() keeps a concurrent request's token.
        token = _new_token()
        if not cache.add(key, token, TOKEN_TIMEOUT):
            token = cache.get(key) or token
    return token


def cached_for_school(
    *,
    school_id: int,
    name: str,
    compute: Callable[[], T],
    semester_id: int | None = None,
    timeout: int | None = None,
) -> T:
    """``compute()``'s value for this school (and semester), from the cache while no record of
    the school changed since it was computed."""
    try:
        token = _current_token(school_id)
        key = f"school:{school_id}:{token}:{name}:{semester_id or '-'}"
        value = cache.get(key, _MISSING)
    except _CACHE_ERRORS:
        logger.warning("Cache unreachable; computing %s for school %s", name, school_id)
        return compute()
    if value is not _MISSING:
        return value
    value = compute()
    # With a read replica, right after a change the replica may not have it yet: the value
    # just computed may be the old one, so it is not kept.
    settle = settings.SCHOOL_CACHE_SETTLE_SECONDS
    if settle and _token_age(token) < settle:
        return value
    try:
        cache.set(key, value, settings.SCHOOL_CACHE_TIMEOUT if timeout is None else timeout)
    except _CACHE_ERRORS:
        logger.warning("Cache unreachable; %s for school %s not stored", name, school_id)
    return value


def _replace_token(school_id: int) -> None:
    try:
        cache.set(_token_key(school_id), _new_token(), TOKEN_TIMEOUT)
    except _CACHE_ERRORS:
        # Values of this school may be served stale until they expire (SCHOOL_CACHE_TIMEOUT).
        logger.exception("Cache unreachable; cached values of school %s not invalidated", school_id)


def school_data_changed(*, school_id: int | None) -> None:
    """Records of the school changed: its cached values are not to be used any more."""
    if school_id is None:
        return
    _replace_token(school_id)
    transaction.on_commit(partial(_replace_token, school_id))


def _school_id(instance, school_id_of: Callable[[models.Model], int | None]) -> int | None:
    try:
        return school_id_of(instance)
    except AttributeError:
        return None


def watch_school_records(
    *model_classes: type[models.Model],
    school_id_of: Callable[[models.Model], int | None] = lambda record: record.school_id,
    ignored_fields: Iterable[str] = (),
) -> None:
    """Invalidate a school's cached values whenever a record of these models changes.

    ``school_id_of`` finds the school of a record (by default its ``school_id``). A save of
    ``ignored_fields`` only (``save(update_fields=[...])``) changes nothing that is cached.
    Many-to-many changes count too, from either side, when the object on the side that
    changed has a ``school_id``.
    """
    ignored = frozenset(ignored_fields)
    for model in model_classes:
        uid = f"school-cache:{model._meta.label_lower}"

        def changed(sender, instance, update_fields=None, **kwargs):
            if update_fields and ignored.issuperset(update_fields):
                return
            school_data_changed(school_id=_school_id(instance, school_id_of))

        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _relation_changed,
                sender=field.remote_field.through,
                weak=False,
                dispatch_uid=f"{uid}:{field.name}",
            )


def _relation_changed(sender, instance, action: str, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        school_data_changed(school_id=getattr(instance, "school_id", None))
