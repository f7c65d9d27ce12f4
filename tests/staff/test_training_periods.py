"""Training figures of a chosen period, as the principal's dashboard and the period report link
to them: the training list between two days (MGBK meetings aside), the participation summary
between two days, the seats offered, and each counselor's last delegation read by the database."""

from datetime import date

import pytest
from django.urls import reverse

from staff.models import Role, TrainingEvent, TrainingParticipation
from staff.training import last_delegation_by_counselor, training_seats, training_summary
from tests.factories import TrainingEventFactory, TrainingParticipationFactory, UserFactory

pytestmark = pytest.mark.django_db

Attendance = TrainingParticipation.Attendance


@pytest.fixture
def events(school, principal, counselor):
    """A bimtek in September and a workshop in March (two seats each), an MGBK meeting in
    September, a cancelled diklat in October, an open seminar in November."""
    made = {
        "bimtek": TrainingEventFactory(
            school=school, title="Bimtek September", starts_on=date(2026, 9, 10), seats=2
        ),
        "workshop": TrainingEventFactory(
            school=school,
            kind=TrainingEvent.Kind.WORKSHOP,
            title="Workshop Maret",
            starts_on=date(2026, 3, 5),
            hours=12,
            seats=2,
        ),
        "mgbk": TrainingEventFactory(
            school=school,
            kind=TrainingEvent.Kind.MGBK,
            title="MGBK September",
            starts_on=date(2026, 9, 20),
            seats=None,
        ),
        "cancelled": TrainingEventFactory(
            school=school,
            kind=TrainingEvent.Kind.DIKLAT,
            title="Diklat batal",
            starts_on=date(2026, 10, 1),
            seats=3,
            is_cancelled=True,
        ),
        "seminar": TrainingEventFactory(
            school=school,
            kind=TrainingEvent.Kind.SEMINAR,
            title="Seminar terbuka",
            starts_on=date(2026, 11, 2),
            seats=None,
        ),
    }
    TrainingParticipationFactory(
        event=made["bimtek"], counselor=counselor, attendance=Attendance.PRESENT
    )
    TrainingParticipationFactory(
        event=made["workshop"], counselor=counselor, attendance=Attendance.PRESENT
    )
    TrainingParticipationFactory(
        event=made["mgbk"], counselor=counselor, attendance=Attendance.ABSENT
    )
    return made


def test_the_seats_of_a_period_count_trainings_not_cancelled_and_not_mgbk(school, events):
    seats = training_seats(school, since=date(2026, 7, 1), until=date(2026, 12, 31))
    assert (seats.events, seats.seats, seats.unlimited) == (2, 2, 1)
    assert seats.limited_events == 1
    assert str(seats.seats_per_event) == "2.0"
    nothing = training_seats(school, since=date(2025, 7, 1), until=date(2025, 12, 31))
    assert (nothing.events, nothing.seats, nothing.seats_per_event) == (0, 0, None)


def test_the_training_list_shows_the_trainings_beginning_in_a_period(client_for, principal, events):
    url = reverse("staff:training_list")
    response = client_for(principal).get(
        url, {"kind": "training", "date_from": "2026-07-01", "date_to": "2026-12-31"}
    )
    shown = {event.title for event in response.context["page"]}
    assert shown == {"Bimtek September", "Diklat batal", "Seminar terbuka"}


def test_the_training_list_says_when_its_dates_are_wrong(client_for, principal, events):
    response = client_for(principal).get(
        reverse("staff:training_list"), {"date_from": "2026-12-31", "date_to": "2026-07-01"}
    )
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert "Tanggal akhir lebih awal daripada tanggal mulai." in response.content.decode()
    response = client_for(principal).get(reverse("staff:training_list"), {"date_from": "kemarin"})
    assert response.status_code == 200


def test_the_summary_of_a_period_counts_only_what_began_in_it(school, counselor, events):
    rows = {
        row.counselor: row
        for row in training_summary(
            school, today=date(2026, 11, 25), since=date(2026, 7, 1), until=date(2026, 12, 31)
        )
    }
    mine = rows[counselor]
    # The bimtek (8 JP) only: the workshop began in March.
    assert (mine.hours, mine.delegations) == (8, 1)
    assert (mine.mgbk.present, mine.mgbk.recorded) == (0, 1)


def test_the_summary_page_takes_a_period(client_for, principal, counselor, events):
    url = reverse("staff:training_summary")
    response = client_for(principal).get(url, {"date_from": "2026-01-01", "date_to": "2026-06-30"})
    row = next(row for row in response.context["rows"] if row.counselor == counselor)
    assert (row.hours, row.delegations, row.mgbk) == (12, 1, None)
    assert "1 Januari 2026" in response.content.decode()
    response = client_for(principal).get(url, {"date_from": "2026-06-30", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert "Tanggal akhir lebih awal daripada tanggal mulai." in response.content.decode()


def test_the_last_delegation_is_each_counselors_latest_event(
    school, counselor, events, django_assert_num_queries
):
    colleague = UserFactory(school=school, roles=[Role.COUNSELOR])
    TrainingParticipationFactory(event=events["workshop"], counselor=colleague)
    for number in range(5):
        TrainingParticipationFactory(
            event=TrainingEventFactory(school=school, starts_on=date(2024, 1, 1 + number)),
            counselor=colleague,
        )
    with django_assert_num_queries(1):
        latest = last_delegation_by_counselor(school)
    assert latest == {
        counselor.pk: (date(2026, 9, 10), "Bimtek September"),
        colleague.pk: (date(2026, 3, 5), "Workshop Maret"),
    }
    # The event under decision does not count; MGBK meetings and cancelled events never do.
    without = last_delegation_by_counselor(school, exclude_event=events["bimtek"])
    assert without[counselor.pk] == (date(2026, 3, 5), "Workshop Maret")
