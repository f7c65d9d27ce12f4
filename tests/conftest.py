"""The standing cast: one school with a person in every role, and a second school."""

import pytest
from django.test import Client

from staff.models import Role
from tests.factories import SchoolFactory, SemesterFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher (tested on its own); tests hash many passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
