"""Academic supervision: planning the semester's visits and taking a visit through planned →
observed → feedback given → followed up; checklist items changed by administrators keep old
scores meaningful."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import ChecklistItem, Meeting, SupervisionVisit
from tests.factories import MeetingFactory, TrainingEventFactory

FOCUS = SupervisionVisit.Focus.PERSONAL_BOOKS


def test_checklist_ships_with_the_app(db):
    for focus in SupervisionVisit.Focus.values:
        assert ChecklistItem.objects.filter(focus=focus, is_active=True).count() >= 4


def test_principal_plans_the_semesters_visits(
    client_for, principal, counselor, colleague, semester
):
    day = semester.start_date + datetime.timedelta(days=30)
    response = client_for(principal).post(
        reverse("supervision:visit_plan") + f"?semester={semester.pk}",
        {
            f"date_{counselor.pk}": day.isoformat(),
            f"focus_{counselor.pk}": FOCUS,
            f"date_{colleague.pk}": (day + datetime.timedelta(days=7)).isoformat(),
            f"focus_{colleague.pk}": SupervisionVisit.Focus.CLASSICAL_GUIDANCE,
        },
    )
    assert response.status_code == 302
    visits = SupervisionVisit.objects.order_by("planned_on")
    assert [(v.counselor, v.stage, v.supervisor) for v in visits] == [
        (counselor, "planned", principal),
        (colleague, "planned", principal),
    ]


def test_plan_dates_must_fall_in_the_semester(client_for, principal, counselor, semester):
    response = client_for(principal).post(
        reverse("supervision:visit_plan"),
        {
            f"date_{counselor.pk}": (semester.end_date + datetime.timedelta(days=1)).isoformat(),
            f"focus_{counselor.pk}": FOCUS,
        },
    )
    assert response.status_code == 200
    assert not SupervisionVisit.objects.exists()


def _scores(visit, value=3):
    return {
        f"score_{item.pk}": str(value) for item in ChecklistItem.objects.filter(focus=visit.focus)
    }


def test_a_visit_goes_through_its_stages(client_for, principal, counselor, vice_principal, visit):
    client = client_for(principal)
    today = timezone.localdate().isoformat()
    observe = reverse("supervision:visit_observe", args=[visit.pk])
    assert (
        client.post(
            observe, {"version": "0", "observed_on": today, **_scores(visit, 4)}
        ).status_code
        == 302
    )
    visit.refresh_from_db()
    assert visit.stage == "observed" and visit.scores.count() == 4
    feedback = reverse("supervision:visit_feedback", args=[visit.pk])
    client.post(
        feedback,
        {
            "version": "1",
            "strengths": "Rapi.",
            "recommendations": "Perbarui data.",
            "feedback_on": today,
        },
    )
    visit.refresh_from_db()
    assert visit.stage == "feedback_given"
    coaching = MeetingFactory(organizer=principal, kind=Meeting.Kind.COACHING, invitees=[counselor])
    follow_up = reverse("supervision:visit_follow_up", args=[visit.pk])
    response = client.post(
        follow_up,
        {
            "version": "2",
            "follow_up": "Pembinaan buku pribadi.",
            "action": "Melengkapi data keluarga",
            "action_due_on": "2026-12-20",
            "follow_up_meeting": str(coaching.pk),
            "followed_up_on": today,
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.stage == "followed_up"
    assert visit.follow_up_meeting == coaching
    item = visit.follow_up_action_item
    assert (item.assignee, item.is_confidential) == (counselor, True)
    page = client_for(counselor).get(reverse("supervision:visit_detail", args=[visit.pk]))
    assert "Melengkapi data keluarga" in page.content.decode()
    assert page.context["average"] == 4
    # The vice principal sees neither the visit nor its action item.
    leader = client_for(vice_principal)
    everyone = leader.get(reverse("supervision:my_action_items") + "?everyone=1&status=all")
    assert item.pk not in {shown.pk for shown in everyone.context["items"]}
    assert leader.get(reverse("supervision:visit_detail", args=[visit.pk])).status_code == 404


def test_stages_cannot_be_skipped(client_for, principal, visit):
    response = client_for(principal).post(
        reverse("supervision:visit_feedback", args=[visit.pk]),
        {"version": "0", "strengths": "x", "recommendations": "y", "feedback_on": "2026-10-01"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.stage == "planned"


def test_follow_up_needs_a_link(client_for, principal, visit):
    SupervisionVisit.objects.filter(pk=visit.pk).update(stage="feedback_given")
    response = client_for(principal).post(
        reverse("supervision:visit_follow_up", args=[visit.pk]),
        {
            "version": "0",
            "follow_up": "Dibina.",
            "followed_up_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_follow_up_may_lead_to_a_training(client_for, principal, counselor, school, visit):
    SupervisionVisit.objects.filter(pk=visit.pk).update(stage="feedback_given")
    training = TrainingEventFactory(
        school=school, starts_on=visit.planned_on + datetime.timedelta(days=20), competencies=[11]
    )
    response = client_for(principal).post(
        reverse("supervision:visit_follow_up", args=[visit.pk]),
        {
            "version": "0",
            "follow_up": "Ikut bimtek asesmen.",
            "follow_up_training": str(training.pk),
            "followed_up_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.stage, visit.follow_up_training) == ("followed_up", training)
    page = client_for(counselor).get(reverse("supervision:visit_detail", args=[visit.pk]))
    assert reverse("staff:training_detail", args=[training.pk]) in page.content.decode()


@pytest.mark.parametrize("which", ["cancelled", "over", "other_school"])
def test_follow_up_refuses_a_training_it_cannot_lead_to(
    client_for, principal, school, other_school, visit, which
):
    SupervisionVisit.objects.filter(pk=visit.pk).update(stage="feedback_given")
    day = visit.planned_on + datetime.timedelta(days=20)
    training = {
        "cancelled": lambda: TrainingEventFactory(school=school, starts_on=day, is_cancelled=True),
        "over": lambda: TrainingEventFactory(
            school=school, starts_on=visit.planned_on - datetime.timedelta(days=3)
        ),
        "other_school": lambda: TrainingEventFactory(school=other_school, starts_on=day),
    }[which]()
    response = client_for(principal).post(
        reverse("supervision:visit_follow_up", args=[visit.pk]),
        {
            "version": "0",
            "follow_up": "Ikut pelatihan.",
            "follow_up_training": str(training.pk),
            "followed_up_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "follow_up_training" in response.context["form"].errors
    visit.refresh_from_db()
    assert (visit.stage, visit.follow_up_training) == ("feedback_given", None)


def test_every_item_must_be_scored_from_1_to_4(client_for, principal, visit):
    scores = _scores(visit)
    first = next(iter(scores))
    response = client_for(principal).post(
        reverse("supervision:visit_observe", args=[visit.pk]),
        {"version": "0", "observed_on": timezone.localdate().isoformat(), **scores, first: "5"},
    )
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.stage == "planned" and not visit.scores.exists()


def test_deactivated_items_keep_old_scores_and_leave_new_visits(
    client_for, principal, counselor, school, semester, visit
):
    client = client_for(principal)
    client.post(
        reverse("supervision:visit_observe", args=[visit.pk]),
        {"version": "0", "observed_on": timezone.localdate().isoformat(), **_scores(visit)},
    )
    retired = ChecklistItem.objects.filter(focus=FOCUS).first()
    retired.is_active = False
    retired.save()
    page = client.get(reverse("supervision:visit_detail", args=[visit.pk]))
    assert retired.text in page.content.decode()
    later = SupervisionVisit.objects.create(
        school=school,
        semester=semester,
        counselor=counselor,
        supervisor=principal,
        focus=FOCUS,
        planned_on=semester.start_date,
    )
    form = client.get(reverse("supervision:visit_observe", args=[later.pk])).context["form"]
    assert f"score_{retired.pk}" not in form.fields


def test_stale_observation_is_refused(client_for, principal, visit):
    url = reverse("supervision:visit_observe", args=[visit.pk])
    data = {"version": "0", "observed_on": timezone.localdate().isoformat(), **_scores(visit, 2)}
    client_for(principal).post(url, data)
    response = client_for(principal).post(url, {**data, **_scores(visit, 4)})
    assert response.status_code == 200
    assert {s.score for s in visit.scores.all()} == {2}
