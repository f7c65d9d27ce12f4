from unittest import mock

from django.db import OperationalError


def test_healthz_answers_ok_after_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_unreachable(client, db):
    with mock.patch(
        "config.views.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_healthz_needs_no_sign_in_and_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405
