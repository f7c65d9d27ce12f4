"""Who goes when seats are few: the proposal's order on crafted histories (ties included), the
principal's confirmation within the seats, the e-mails to delegates, withdrawing."""

import datetime
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from staff.models import Appraisal, Role, TrainingEvent, TrainingParticipation
from staff.training import (
    delegation_confirm,
    delegation_proposal,
    participation_withdraw,
    training_hours_by_counselor,
)
from tests.factories import (
    TrainingEventFactory,
    TrainingParticipationFactory,
    UserFactory,
    appraisal_with_scores,
    past_semester,
)

# Some tests reach the database only through request.getfixturevalue; the mark keeps them
# among the database tests, before the transactional ones empty the database.
pytestmark = pytest.mark.django_db

TODAY = date(2026, 9, 1)


@pytest.fixture
def team(school, principal):
    """Four counselors whose names sort Ani < Budi < Citra < Dedi."""
    return {
        name: UserFactory(
            username=name.lower(), full_name=name, school=school, roles=[Role.COUNSELOR]
        )
        for name in ["Dedi", "Citra", "Budi", "Ani"]
    }


@pytest.fixture
def event(school, principal):
    """The event to delegate to: one seat, targets assessment (11) and programme design (13)."""
    return TrainingEventFactory(
        school=school,
        created_by=principal,
        title="Diklat Asesmen",
        starts_on=date(2026, 10, 5),
        seats=1,
        competencies=[11, 13],
    )


def went(counselor, *, on: date, hours: int = 8, **values):
    """A past delegation of `counselor` to an event of `hours` JP starting `on`."""
    attendance = values.pop("attendance", TrainingParticipation.Attendance.PRESENT)
    event = TrainingEventFactory(
        school=counselor.school, starts_on=on, hours=hours, seats=None, **values
    )
    return TrainingParticipationFactory(event=event, counselor=counselor, attendance=attendance)


def order(event, today=TODAY):
    return [item.counselor.full_name for item in delegation_proposal(event, today=today).proposals]


def test_fewest_training_hours_in_the_last_12_months_go_first(team, event):
    went(team["Ani"], on=date(2026, 3, 1), hours=16)
    went(team["Budi"], on=date(2026, 4, 1), hours=8)
    went(team["Citra"], on=date(2026, 5, 1), hours=3)
    went(team["Citra"], on=date(2026, 6, 1), hours=3)
    assert order(event) == ["Dedi", "Citra", "Budi", "Ani"]


def test_equal_hours_then_longest_since_last_delegated_never_first(team, event):
    # Delegations older than twelve months count no hours, but do date the last delegation.
    went(team["Ani"], on=date(2025, 6, 1))
    went(team["Budi"], on=date(2024, 9, 1))
    went(team["Citra"], on=date(2025, 1, 10))
    assert order(event) == ["Dedi", "Budi", "Citra", "Ani"]


def test_equal_hours_and_dates_then_weakest_in_the_targeted_competencies(
    team, event, principal, school
):
    semester = school.semesters.get()
    # Average in competencies 11 and 13: Citra 1.5, Ani 2.5, Budi 3; Dedi has no appraisal.
    for name, scores in {
        "Ani": {11: 2, 13: 3},
        "Budi": {11: 3, 13: 3},
        "Citra": {11: 1, 13: 2},
    }.items():
        appraisal_with_scores(
            counselor=team[name],
            assessor=principal,
            semester=semester,
            competency_scores=scores,
            default_score=1,
        )
    assert order(event) == ["Citra", "Ani", "Budi", "Dedi"]
    proposals = delegation_proposal(event, today=TODAY).proposals
    assert proposals[0].weakness == 1.5
    assert proposals[0].targeted_scores == [(11, 1), (13, 2)]


def test_full_tie_falls_back_to_the_name(team, event):
    assert order(event) == ["Ani", "Budi", "Citra", "Dedi"]


def test_each_criterion_only_breaks_the_ties_of_the_one_before(team, event, principal, school):
    """Hours beat the date, the date beats the weakness."""
    semester = school.semesters.get()
    appraisal_with_scores(
        counselor=team["Ani"], assessor=principal, semester=semester, default_score=1
    )
    went(team["Ani"], on=date(2026, 2, 1), hours=3)  # weakest, but has hours
    went(team["Budi"], on=date(2024, 1, 1), hours=3)  # outside the window: 0 hours
    went(team["Citra"], on=date(2023, 1, 1), hours=3)  # longer ago still
    # Dedi never went: 0 hours and never delegated.
    assert order(event) == ["Dedi", "Citra", "Budi", "Ani"]


def test_weakness_reads_the_latest_finalised_principal_appraisal_only(
    team, event, principal, school
):
    older = past_semester(school, 2025, number=2)
    current = school.semesters.get(is_current=True)
    # Ani was weak before, is strong now; a self-appraisal and a draft do not count.
    appraisal_with_scores(
        counselor=team["Ani"], assessor=principal, semester=older, default_score=1
    )
    appraisal_with_scores(
        counselor=team["Ani"], assessor=principal, semester=current, default_score=4
    )
    appraisal_with_scores(
        counselor=team["Budi"],
        assessor=team["Budi"],
        semester=current,
        kind=Appraisal.Kind.SELF,
        default_score=1,
    )
    appraisal_with_scores(
        counselor=team["Citra"], assessor=principal, semester=current, default_score=2
    )
    appraisal_with_scores(
        counselor=team["Dedi"],
        assessor=principal,
        semester=current,
        default_score=1,
        finalise=False,
    )
    assert order(event) == ["Citra", "Ani", "Budi", "Dedi"]


def test_training_hours_count_what_was_attended_or_booked(team, school, event):
    ani = team["Ani"]
    went(ani, on=date(2026, 3, 1), hours=8)  # counts
    went(
        ani, on=date(2026, 10, 20), hours=4, attendance=TrainingParticipation.Attendance.UNRECORDED
    )
    went(ani, on=date(2026, 4, 1), hours=16, attendance=TrainingParticipation.Attendance.ABSENT)
    went(ani, on=date(2026, 4, 2), hours=16, attendance=TrainingParticipation.Attendance.EXCUSED)
    went(ani, on=date(2026, 5, 1), hours=32, kind=TrainingEvent.Kind.MGBK)
    went(ani, on=date(2026, 6, 1), hours=32, is_cancelled=True)
    withdrawn = went(ani, on=date(2026, 7, 1), hours=32)
    TrainingParticipation.objects.filter(pk=withdrawn.pk).update(
        withdrawn_at=withdrawn.delegated_at
    )
    went(ani, on=date(2025, 8, 1), hours=64)  # ended more than twelve months before
    hours = training_hours_by_counselor(school, since=TODAY - datetime.timedelta(days=365))
    assert hours == {ani.pk: 12}


def test_the_proposal_ticks_as_many_as_seats_are_left_and_skips_the_delegates(
    team, school, principal
):
    event = TrainingEventFactory(
        school=school, created_by=principal, seats=3, starts_on=date(2026, 10, 5)
    )
    TrainingParticipationFactory(event=event, counselor=team["Ani"])
    proposal = delegation_proposal(event, today=TODAY)
    assert proposal.seats_left == 2
    assert [p.counselor.full_name for p in proposal.proposals] == ["Budi", "Citra", "Dedi"]
    assert [p.proposed for p in proposal.proposals] == [True, True, False]
    assert proposal.seats_are_few
    open_event = TrainingEventFactory(school=school, seats=None, starts_on=date(2026, 10, 5))
    open_proposal = delegation_proposal(open_event, today=TODAY)
    assert all(p.proposed for p in open_proposal.proposals)
    assert not open_proposal.seats_are_few


def test_each_proposal_says_its_reasons(team, event, principal, school):
    went(team["Ani"], on=date(2026, 3, 2), hours=16, title="Bimtek Program BK")
    appraisal_with_scores(
        counselor=team["Budi"],
        assessor=principal,
        semester=school.semesters.get(),
        competency_scores={11: 2, 13: 1},
    )
    proposals = {
        p.counselor.full_name: p for p in delegation_proposal(event, today=TODAY).proposals
    }
    ani = proposals["Ani"].reasons(targets=True)
    assert "16 JP" in ani[0]
    assert "Bimtek Program BK" in ani[1] and "2026" in ani[1]
    budi = proposals["Budi"].reasons(targets=True)
    assert "0 JP" in budi[0]
    assert "1.50" in budi[2] or "1,50" in budi[2]
    assert "11" in budi[2] and "13" in budi[2]
    assert len(proposals["Dedi"].reasons(targets=True)) == 3


# Confirming


EVENT_URL = "https://ruangbk.example/staff/training/1/"


def test_the_principal_confirms_and_the_delegates_are_told_by_email(
    team, event, principal, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delegated = delegation_confirm(
            event=event, counselors=[team["Citra"]], by=principal, event_url=EVENT_URL
        )
    assert [p.counselor for p in delegated] == [team["Citra"]]
    assert delegated[0].delegated_by == principal
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [team["Citra"].email]
    assert "Diklat Asesmen" in message.subject
    assert EVENT_URL in message.body
    assert "19 Oktober 2026" in message.body  # the report is due 14 days after the event


def test_confirming_more_than_the_seats_is_refused_and_nothing_is_written(
    team, event, principal, mailoutbox, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        delegation_confirm(
            event=event,
            counselors=[team["Ani"], team["Budi"]],
            by=principal,
            event_url=EVENT_URL,
        )
    assert not TrainingParticipation.objects.filter(event=event).exists()
    assert mailoutbox == []


def test_only_the_principal_delegates(team, event, vice_principal):
    with pytest.raises(ValidationError):
        delegation_confirm(
            event=event, counselors=[team["Ani"]], by=vice_principal, event_url=EVENT_URL
        )


def test_counselors_of_another_school_cannot_be_delegated(event, principal, other_school):
    stranger = UserFactory(school=other_school, roles=[Role.COUNSELOR])
    with pytest.raises(ValidationError):
        delegation_confirm(event=event, counselors=[stranger], by=principal, event_url=EVENT_URL)


def test_withdrawing_before_the_event_frees_the_seat_and_the_row_is_kept(team, event, principal):
    (participation,) = delegation_confirm(
        event=event, counselors=[team["Ani"]], by=principal, event_url=EVENT_URL
    )
    participation_withdraw(participation=participation, by=principal, today=TODAY)
    participation.refresh_from_db()
    assert participation.is_withdrawn
    assert delegation_proposal(event, today=TODAY).seats_left == 1
    (again,) = delegation_confirm(
        event=event, counselors=[team["Ani"]], by=principal, event_url=EVENT_URL
    )
    assert again.pk == participation.pk and not again.is_withdrawn
    assert TrainingParticipation.objects.filter(event=event).count() == 1


def test_a_delegation_is_not_withdrawn_once_the_event_began(team, event, principal):
    (participation,) = delegation_confirm(
        event=event, counselors=[team["Ani"]], by=principal, event_url=EVENT_URL
    )
    with pytest.raises(ValidationError):
        participation_withdraw(participation=participation, by=principal, today=event.starts_on)


# The pages


def test_the_delegation_page_shows_the_order_with_reasons_and_ticks_the_proposal(
    client_for, team, event, principal
):
    went(team["Ani"], on=date(2026, 3, 1), hours=16)
    response = client_for(principal).get(reverse("staff:training_delegation", args=[event.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows[0][0].counselor.full_name == "Budi"
    assert rows[0][2] is True  # ticked
    assert all(checked is False for _, _, checked in rows[1:])
    assert [row[0].counselor.full_name for row in rows] == ["Budi", "Citra", "Dedi", "Ani"]
    html = response.content.decode()
    budi = team["Budi"].pk
    assert f'value="{budi}" id="delegate-{budi}" checked' in html
    assert 'data-testid="rotation-rule"' in html


def test_confirming_on_the_page_delegates_and_mails(
    client_for, team, event, principal, mailoutbox, django_capture_on_commit_callbacks
):

    client = client_for(principal)
    url = reverse("staff:training_delegation", args=[event.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"counselors": [team["Dedi"].pk]})
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:training_detail", args=[event.pk])
    assert list(event.participations.values_list("counselor__full_name", flat=True)) == ["Dedi"]
    assert len(mailoutbox) == 1


def test_too_many_ticked_on_the_page_explains_the_seats(client_for, team, event, principal):
    response = client_for(principal).post(
        reverse("staff:training_delegation", args=[event.pk]),
        {"counselors": [team["Ani"].pk, team["Budi"].pk]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not event.participations.exists()


def test_nothing_ticked_is_explained(client_for, team, event, principal):
    response = client_for(principal).post(reverse("staff:training_delegation", args=[event.pk]), {})
    assert response.status_code == 200
    assert response.context["form"].errors["counselors"]


def test_a_mail_server_that_is_down_does_not_undo_the_delegation(
    client_for, team, event, principal, django_capture_on_commit_callbacks
):
    from unittest import mock

    client = client_for(principal)
    url = reverse("staff:training_delegation", args=[event.pk])
    with (
        mock.patch("staff.training.send_mail", side_effect=OSError("connection refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url, {"counselors": [team["Ani"].pk]})
    assert response.status_code == 302
    assert event.participations.filter(counselor=team["Ani"]).exists()
