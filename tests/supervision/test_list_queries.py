"""The other lists of the supervision app keep their number of queries whatever the data:
the action items, the semester's visits and the BK room."""

import datetime

from django.urls import reverse
from django.utils import timezone

from supervision.facilities import facilities_record, facility_request_file
from supervision.models import FacilityItem, SupervisionVisit
from tests.factories import ActionItemFactory, MeetingFactory, UserFactory


def _items(vice_principal, school, count):
    people = [UserFactory(school=school) for _ in range(2)]
    meeting = MeetingFactory(organizer=vice_principal, invitees=people)
    for number in range(count):
        ActionItemFactory(
            meeting=meeting,
            assignee=people[number % 2],
            due_on=timezone.localdate() - datetime.timedelta(days=number % 3),
        )


def test_action_items_query_count_does_not_grow(
    client_for, vice_principal, school, django_assert_num_queries
):
    client = client_for(vice_principal)
    url = reverse("supervision:my_action_items") + "?everyone=1&status=all"
    _items(vice_principal, school, 2)
    # session, user, roles, the items with their assignees and meetings
    with django_assert_num_queries(4):
        client.get(url)
    _items(vice_principal, school, 30)
    with django_assert_num_queries(4):
        response = client.get(url)
    assert len(response.context["items"]) == 32


def _visits(principal, school, count):
    semester = school.semesters.get(is_current=True)
    for _ in range(count):
        counselor = UserFactory(school=school, roles=["counselor"])
        SupervisionVisit.objects.create(
            school=school,
            semester=semester,
            counselor=counselor,
            supervisor=principal,
            focus=SupervisionVisit.Focus.ADMINISTRATION,
            planned_on=semester.start_date,
        )


def test_visit_list_query_count_does_not_grow(
    client_for, principal, school, django_assert_num_queries
):
    client = client_for(principal)
    url = reverse("supervision:visit_list")
    _visits(principal, school, 2)
    # session, user, roles, the current semester, the visits with counselor, semester and
    # average score, the semesters to choose from
    with django_assert_num_queries(6):
        client.get(url)
    _visits(principal, school, 20)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["visits"]) == 22


def _facilities(counselor, school, records, requests):
    items = list(FacilityItem.objects.filter(is_active=True))
    for _ in range(records):
        latest = school.facility_assessments.order_by("-recorded_at", "-pk").first()
        facilities_record(
            school=school,
            recorded_by=counselor,
            based_on=latest.pk if latest else 0,
            conditions={item.pk: ("meets", "") for item in items},
        )
    for number in range(requests):
        facility_request_file(requested_by=counselor, what=f"Kursi {number}", reason="Kurang.")


def test_facility_overview_query_count_does_not_grow(
    client_for, counselor, school, django_assert_num_queries
):
    client = client_for(counselor)
    url = reverse("supervision:facility_overview")
    _facilities(counselor, school, 1, 2)
    # session, user, roles, the latest record with its recorder, its conditions, the items of
    # the standard, every record with its recorder, the semesters with the compliance at the
    # end of each, the requests with their people and items
    with django_assert_num_queries(9):
        client.get(url)
    _facilities(counselor, school, 10, 20)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["trend"]) == 11
    assert len(response.context["requests"]) == 22
