"""A user of the second school sees nothing of the first, on every page that exists."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from staff.models import AccessLogEntry
from staff.services import access_log_record
from tests.conftest import ROLE_FIXTURES


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # operators only, tested separately
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", list(entry.pattern.converters)


@pytest.fixture
def first_school_cast(request, rf):
    cast = {name: request.getfixturevalue(name) for name in ROLE_FIXTURES}
    http_request = rf.get("/", REMOTE_ADDR="10.0.0.1")
    http_request.user = cast["counselor"]
    access_log_record(
        request=http_request,
        action=AccessLogEntry.Action.VIEW_PERSONAL_BOOK,
        object_type=AccessLogEntry.ObjectType.PERSONAL_BOOK,
        object_id="1",
    )
    return cast


@pytest.mark.parametrize("other", ["other_principal", "other_admin_staff"])
def test_other_school_sees_nothing_of_the_first_on_any_page(
    request, client_for, first_school_cast, school, other
):
    client = client_for(request.getfixturevalue(other))
    victim = first_school_cast["counselor"]
    visited = 0
    for name, params in _named_patterns():
        if name in {"logout", "set_language"}:
            continue
        url = reverse(name, kwargs=dict.fromkeys(params, victim.pk))
        response = client.get(url)
        visited += 1
        assert response.status_code in {200, 302, 404, 405}, (name, response.status_code)
        if params:
            assert response.status_code == 404, name
        # Downloads stream their content.
        content = b"".join(response) if response.streaming else response.content
        body = content.decode()
        assert school.name not in body, name
        for person in first_school_cast.values():
            assert person.full_name not in body, (name, person.username)
    assert visited >= 6
