"""The standing cast: one school with a person in every role, and a second school."""

import copy

import pytest
from django.core.cache import caches
from django.db import connections
from django.test import Client, override_settings

from staff.models import Role
from staff.replica import REPLICA
from tests.factories import SchoolFactory, SemesterFactory, UserFactory

LOCAL_CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher (tested on its own); tests hash many passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _local_memory_caches():
    """The suite runs on local-memory caches whatever REDIS_URL says (the cache tests run
    against a real Redis in tests/staff/test_caching_redis.py)."""
    with override_settings(CACHES=LOCAL_CACHES):
        yield


@pytest.fixture(autouse=True)
def _empty_caches():
    # Ids repeat from test to test (SQLite rolls its sequences back): no value may survive.
    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A read replica in every test run, as a test mirror of the default database (settings
    make it so when DATABASE_REPLICA_URL is set), so that staff.replica's routing runs."""
    if REPLICA not in connections:
        replica = copy.deepcopy(connections.settings["default"])
        replica["TEST"] = {**replica["TEST"], "MIRROR": "default"}
        connections.settings[REPLICA] = replica


@pytest.fixture(autouse=True)
def _replica_reads_see_the_test_transaction(request):
    """A mirror is a second connection to the test database, which cannot see what a test
    wrote in its (never committed) transaction. While a test runs, reads routed to the replica
    use the default connection itself: they see the test's data, and count in
    django_assert_num_queries."""
    uses_database = "_django_db_helper" in request.fixturenames or request.node.get_closest_marker(
        "django_db"
    )
    if not uses_database:
        yield
        return
    # The test database (and pytest-django's guard on other aliases) first, undone after us.
    request.getfixturevalue("_django_db_helper")
    replica = connections[REPLICA]
    connections[REPLICA] = connections["default"]
    yield
    connections[REPLICA] = replica


@pytest.fixture
def school(db):
    school = SchoolFactory(name="SMP Negeri 1 Uji", npsn="11111111")
    SemesterFactory(academic_year__school=school)
    return school


@pytest.fixture
def other_school(db):
    school = SchoolFactory(name="SMA Negeri 9 Lain", npsn="99999999", level="SMA")
    SemesterFactory(academic_year__school=school)
    return school


def _member(school, username, *roles):
    return UserFactory(
        username=username, full_name=f"Ibu/Bapak {username}", school=school, roles=list(roles)
    )


@pytest.fixture
def principal(school):
    return _member(school, "kepala", Role.PRINCIPAL)


@pytest.fixture
def vice_principal(school):
    return _member(school, "wakil", Role.VICE_PRINCIPAL)


@pytest.fixture
def counselor(school):
    return _member(school, "konselor", Role.COUNSELOR)


@pytest.fixture
def homeroom_teacher(school):
    return _member(school, "walas", Role.HOMEROOM_TEACHER)


@pytest.fixture
def subject_teacher(school):
    return _member(school, "mapel", Role.SUBJECT_TEACHER)


@pytest.fixture
def admin_staff(school):
    return _member(school, "tatausaha", Role.ADMIN_STAFF)


@pytest.fixture
def other_principal(other_school):
    return _member(other_school, "lain_kepala", Role.PRINCIPAL)


@pytest.fixture
def other_admin_staff(other_school):
    return _member(other_school, "lain_tu", Role.ADMIN_STAFF)


ROLE_FIXTURES = [
    "principal",
    "vice_principal",
    "counselor",
    "homeroom_teacher",
    "subject_teacher",
    "admin_staff",
]


@pytest.fixture
def client_for():
    """A client already signed in as the given user (django-axes needs no request this way)."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
