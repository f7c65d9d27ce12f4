"""Reads of dashboards and reports on the read replica, everything else on the primary.

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database. A view that only reads
and may show data a few seconds old (a dashboard, a period report) opts in::

    @reporting_reads()
    def dashboard(request): ...

    with reporting_reads():
        rows = list(report_rows(school))

Inside, :class:`ReportingReadsRouter` sends reads to the replica; writes (the access log, a
session) still go to the primary. Without the variable, everything stays on ``default``. The
choice is a context variable, so it holds for one request in one thread (or task) only.

Decorate the whole view: querysets are lazy, and one first evaluated by the template after the
``with`` block has ended would read from the primary.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"

_reporting = ContextVar("ruangbk_reporting_reads", default=False)


@contextmanager
def reporting_reads() -> Iterator[None]:
    """Within it (or the view it decorates), reads go to the replica if there is one."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reads_go_to_replica() -> bool:
    return _reporting.get() and replica_configured()


class ReportingReadsRouter:
    """Routes reads to the replica inside ``reporting_reads()``; nothing else changes."""

    def db_for_read(self, model, **hints) -> str | None:
        return REPLICA if reads_go_to_replica() else None

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The same rows either way: an object read from the replica may point to one from the
        # primary.
        databases = {obj1._state.db, obj2._state.db}
        return True if databases <= {DEFAULT_DB_ALIAS, REPLICA} else None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        # The replica follows the primary; migrations run on the primary only.
        return False if db == REPLICA else None
