"""A planned supervision visit is moved to another day or cancelled by the principal: the BK
teacher is told by e-mail, the change is kept as the visit's history, a cancelled visit stays on
record (and stops counting), and a visit that took place can no longer be moved or cancelled."""

import datetime

import pytest
from django.urls import reverse

from supervision.models import ChecklistItem, SupervisionScore, SupervisionVisit, VisitChange
from supervision.selectors import visits_by_stage


def _reschedule(client, visit, day, **extra):
    data = {"version": str(visit.version), "planned_on": day, "reason": "Rapat dinas.", **extra}
    return client.post(reverse("supervision:visit_reschedule", args=[visit.pk]), data)


def _cancel(client, visit, reason="Guru BK cuti melahirkan."):
    return client.post(
        reverse("supervision:visit_cancel", args=[visit.pk]),
        {"version": str(visit.version), "reason": reason},
    )


def test_principal_moves_a_visit_and_the_counselor_is_told(
    client_for, principal, counselor, visit, mailoutbox, django_capture_on_commit_callbacks
):
    new_day = visit.planned_on + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = _reschedule(client_for(principal), visit, new_day)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.planned_on, visit.version) == (new_day, 1)
    change = VisitChange.objects.get(visit=visit)
    assert (change.kind, change.previous_date, change.new_date, change.changed_by) == (
        VisitChange.Kind.RESCHEDULED,
        new_day - datetime.timedelta(days=10),
        new_day,
        principal,
    )
    (message,) = mailoutbox
    assert message.to == [counselor.email]
    assert "Rapat dinas." in message.body
    page = client_for(counselor).get(reverse("supervision:visit_detail", args=[visit.pk]))
    assert 'data-testid="visit-changes"' in page.content.decode()


@pytest.mark.parametrize(
    "day",
    [
        "0001-01-01",
        "20255-01-01",
        "not a date",
        "",
        "semester_end_plus_one",
        "same",
    ],
)
def test_moving_a_visit_refuses_a_bad_day(client_for, principal, visit, semester, day):
    if day == "semester_end_plus_one":
        day = semester.end_date + datetime.timedelta(days=1)
    elif day == "same":
        day = visit.planned_on
    response = _reschedule(client_for(principal), visit, day)
    assert response.status_code == 200
    assert "planned_on" in response.context["form"].errors
    visit.refresh_from_db()
    assert visit.version == 0 and not VisitChange.objects.exists()


def test_principal_cancels_a_visit_which_stays_on_record(
    client_for, principal, counselor, visit, school, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _cancel(client_for(principal), visit)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.is_cancelled and visit.cancel_reason == "Guru BK cuti melahirkan."
    assert VisitChange.objects.get(visit=visit).kind == VisitChange.Kind.CANCELLED
    (message,) = mailoutbox
    assert message.to == [counselor.email] and "Guru BK cuti melahirkan." in message.body
    # Still listed, marked cancelled; no longer counted on the dashboard; never observed.
    listing = client_for(principal).get(reverse("supervision:visit_list"))
    assert visit.pk in {shown.pk for shown in listing.context["visits"]}
    assert 'data-testid="visit-cancelled"' in listing.content.decode()
    assert sum(visits_by_stage(school, visit.semester).values()) == 0
    observe = client_for(principal).get(reverse("supervision:visit_observe", args=[visit.pk]))
    assert observe.status_code == 302
    assert _reschedule(client_for(principal), visit, visit.planned_on).status_code == 302
    visit.refresh_from_db()
    assert visit.version == 1


def test_cancelling_needs_a_reason(client_for, principal, visit):
    response = _cancel(client_for(principal), visit, reason="   ")
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    visit.refresh_from_db()
    assert not visit.is_cancelled


@pytest.mark.parametrize(
    "stage",
    [
        SupervisionVisit.Stage.OBSERVED,
        SupervisionVisit.Stage.FEEDBACK_GIVEN,
        SupervisionVisit.Stage.FOLLOWED_UP,
    ],
)
def test_a_visit_that_took_place_is_neither_moved_nor_cancelled(
    client_for, principal, visit, stage
):
    SupervisionVisit.objects.filter(pk=visit.pk).update(stage=stage)
    visit.refresh_from_db()
    client = client_for(principal)
    assert (
        _reschedule(client, visit, visit.planned_on + datetime.timedelta(days=3)).status_code == 302
    )
    assert _cancel(client, visit).status_code == 302
    visit.refresh_from_db()
    assert not visit.is_cancelled and visit.version == 0
    page = client.get(reverse("supervision:visit_detail", args=[visit.pk])).content.decode()
    assert 'data-testid="visit-reschedule"' not in page and 'data-testid="visit-cancel"' not in page


def test_a_stale_move_is_refused(client_for, principal, visit):
    client = client_for(principal)
    first = visit.planned_on + datetime.timedelta(days=3)
    assert _reschedule(client, visit, first).status_code == 302
    response = _reschedule(client, visit, visit.planned_on + datetime.timedelta(days=5))
    assert response.status_code == 200
    visit.refresh_from_db()
    assert (visit.planned_on, visit.version) == (first, 1)


def test_planning_visits_tells_each_counselor(
    client_for, principal, counselor, semester, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(principal).post(
            reverse("supervision:visit_plan"),
            {
                f"date_{counselor.pk}": semester.start_date,
                f"focus_{counselor.pk}": "personal_books",
            },
        )
    assert response.status_code == 302
    (message,) = mailoutbox
    assert message.to == [counselor.email]


@pytest.mark.parametrize(("language", "shown"), [("id", "3,25"), ("en", "3.25")])
def test_the_average_score_is_written_as_the_language_writes_decimals(
    client_for, principal, visit, language, shown
):
    items = list(ChecklistItem.objects.filter(focus=visit.focus, is_active=True)[:4])
    SupervisionScore.objects.bulk_create(
        SupervisionScore(visit=visit, item=item, score=score)
        for item, score in zip(items, [3, 3, 3, 4], strict=True)
    )
    SupervisionVisit.objects.filter(pk=visit.pk).update(stage=SupervisionVisit.Stage.OBSERVED)
    client = client_for(principal)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    detail = client.get(reverse("supervision:visit_detail", args=[visit.pk])).content.decode()
    listing = client.get(reverse("supervision:visit_list")).content.decode()
    assert shown in detail and shown in listing
