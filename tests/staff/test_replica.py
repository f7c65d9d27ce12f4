"""Reads inside reporting_reads() go to the read replica; everything else stays on the primary.

In tests the replica is a test mirror of the default database (tests/conftest.py), and while a
test runs it shares the default connection; the last test here gives it a connection of its own
to show that the reads really leave through it.
"""

import pytest
from django.conf import settings
from django.db import connections, router
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from staff.models import School
from staff.replica import REPLICA, ReportingReadsRouter, reporting_reads
from tests.factories import SchoolFactory


def test_reads_stay_on_the_primary_outside_reporting_reads(db):
    assert School.objects.all().db == "default"
    assert router.db_for_read(School) == "default"


def test_reads_go_to_the_replica_inside_and_writes_do_not(db):
    with reporting_reads():
        assert School.objects.all().db == REPLICA
        assert router.db_for_write(School) == "default"
        school = SchoolFactory()
    assert school._state.db == "default"
    assert School.objects.all().db == "default"


def test_a_decorated_view_reads_from_the_replica_while_it_renders(db):
    seen = []

    @reporting_reads()
    def report(request):
        seen.append(School.objects.all().db)
        return HttpResponse("ok")

    report(RequestFactory().get("/"))
    assert seen == [REPLICA]
    assert School.objects.all().db == "default"


def test_the_choice_ends_with_the_block_even_after_an_error(db):
    with pytest.raises(ZeroDivisionError), reporting_reads():
        1 / 0  # noqa: B018
    assert School.objects.all().db == "default"


def test_the_replica_sees_what_the_test_wrote(db):
    SchoolFactory(name="SMP Negeri 5 Replika")
    with reporting_reads():
        assert list(School.objects.values_list("name", flat=True)) == ["SMP Negeri 5 Replika"]


def test_without_a_replica_everything_stays_on_default(db, monkeypatch):
    monkeypatch.delitem(settings.DATABASES, REPLICA)
    with reporting_reads():
        assert ReportingReadsRouter().db_for_read(School) is None
        assert School.objects.all().db == "default"


def test_the_replica_is_never_migrated():
    assert ReportingReadsRouter().allow_migrate(REPLICA, "staff") is False
    assert ReportingReadsRouter().allow_migrate("default", "staff") is None


def test_objects_of_both_databases_may_be_related(db):
    school = SchoolFactory()
    with reporting_reads():
        copy = School.objects.get(pk=school.pk)
    assert copy._state.db == REPLICA
    assert ReportingReadsRouter().allow_relation(school, copy) is True


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_reads_leave_through_the_replica_connection():
    SchoolFactory(name="SMP Negeri 6 Replika")
    replica = connections.create_connection(REPLICA)
    shared = connections[REPLICA]
    connections[REPLICA] = replica
    try:
        with (
            CaptureQueriesContext(replica) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_default,
            reporting_reads(),
        ):
            assert School.objects.get().name == "SMP Negeri 6 Replika"
    finally:
        connections[REPLICA] = shared
        replica.close()
    assert len(on_replica) == 1
    assert len(on_default) == 0
