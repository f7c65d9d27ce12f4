"""The benchmark's query count: an opt-in response header with the request's database queries."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff.middleware import QUERY_COUNT_HEADER, QueryCountHeaderMiddleware
from staff.models import School
from staff.replica import reporting_reads


@pytest.fixture
def counting(settings):
    settings.MIDDLEWARE = ["staff.middleware.QueryCountHeaderMiddleware", *settings.MIDDLEWARE]


def test_the_header_counts_every_query_of_the_request(counting, client_for, counselor):
    client = client_for(counselor)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("counseling:case_list"))
    assert response.status_code == 200
    # The session, the user and the roles included: everything the request cost.
    assert int(response[QUERY_COUNT_HEADER]) == len(queries) >= 4


def test_a_request_without_queries_says_zero(counting, client):
    response = client.get(reverse("login"))
    assert response[QUERY_COUNT_HEADER] == "0"


def test_queries_on_the_replica_count_once(rf, db):
    def report(request):
        with reporting_reads():
            School.objects.count()
        School.objects.count()
        return HttpResponse()

    response = QueryCountHeaderMiddleware(report)(rf.get("/"))
    assert response[QUERY_COUNT_HEADER] == "2"


def test_there_is_no_header_unless_asked_for(client_for, counselor):
    response = client_for(counselor).get(reverse("counseling:case_list"))
    assert QUERY_COUNT_HEADER not in response
