"""Academic supervision of BK teachers: the principal plans a semester's visits and takes each
through planned → observed → feedback given → followed up.

Each stage's service checks the visit's version (two open forms cannot overwrite each other)
and the stage it comes from. A training a visit leads to will be one more follow-up link
(see visit_follow_up).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from counseling.cases import StaleEdit, counselors_of
from staff.caching import school_data_changed
from staff.models import Semester, User
from supervision.meetings import action_item_add
from supervision.models import ChecklistItem, Meeting, SupervisionScore, SupervisionVisit

Stage = SupervisionVisit.Stage


@transaction.atomic
def visits_plan(
    *, supervisor: User, semester: Semester, plans: list[tuple[User, datetime.date, str]]
) -> list[SupervisionVisit]:
    """Plan visits of the semester: (counselor, day, focus) for each counselor to visit."""
    if semester.school_id != supervisor.school_id:
        raise ValidationError(_("The semester belongs to another school."))
    counselors = set(counselors_of(semester.school_id).values_list("pk", flat=True))
    visits = []
    for counselor, day, focus in plans:
        if counselor.pk not in counselors:
            raise ValidationError(_("Only BK teachers of the school are visited."))
        if not semester.start_date <= day <= semester.end_date:
            raise ValidationError(_("Choose a day within the semester."))
        visit = SupervisionVisit(
            school_id=semester.school_id,
            semester=semester,
            counselor=counselor,
            supervisor=supervisor,
            focus=focus,
            planned_on=day,
        )
        visit.full_clean()
        visits.append(visit)
    created = SupervisionVisit.objects.bulk_create(visits)
    school_data_changed(school_id=semester.school_id)
    return created


def checklist_for(visit: SupervisionVisit) -> list[ChecklistItem]:
    """The items a visit is scored on: the items it was scored on already (even if deactivated
    since), or else the active items of its focus."""
    scored = list(
        ChecklistItem.objects.filter(scores__visit=visit).order_by("position", "pk").distinct()
    )
    if scored:
        return scored
    return list(ChecklistItem.objects.filter(focus=visit.focus, is_active=True))


def _advance(visit: SupervisionVisit, version: int, allowed: tuple[str, ...], **values) -> None:
    """Update the visit if it is still at `version` and in one of the allowed stages."""
    updated = SupervisionVisit.objects.filter(
        pk=visit.pk, version=version, stage__in=allowed
    ).update(**values, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        current = SupervisionVisit.objects.get(pk=visit.pk)
        if current.version != version:
            raise StaleEdit(current)
        raise ValidationError(_("The visit is not at a stage where this can be recorded."))
    school_data_changed(school_id=visit.school_id)
    visit.refresh_from_db()


@transaction.atomic
def visit_observe(
    *,
    visit: SupervisionVisit,
    version: int,
    observed_on: datetime.date,
    observation_notes: str,
    scores: dict[int, int],
) -> SupervisionVisit:
    """Record the observation and the checklist scores (1–4). Can be corrected until the
    feedback is given."""
    items = {item.pk for item in checklist_for(visit)}
    if set(scores) != items:
        raise ValidationError(_("Score every item of the checklist."))
    if any(score not in (1, 2, 3, 4) for score in scores.values()):
        raise ValidationError(_("Every score is from 1 to 4."))
    if observed_on > timezone.localdate():
        raise ValidationError({"observed_on": _("The observation date cannot be in the future.")})
    _advance(
        visit,
        version,
        (Stage.PLANNED, Stage.OBSERVED),
        stage=Stage.OBSERVED,
        observed_on=observed_on,
        observation_notes=observation_notes.strip(),
    )
    visit.scores.all().delete()
    SupervisionScore.objects.bulk_create(
        SupervisionScore(visit=visit, item_id=item_id, score=score)
        for item_id, score in sorted(scores.items())
    )
    return visit


@transaction.atomic
def visit_give_feedback(
    *,
    visit: SupervisionVisit,
    version: int,
    strengths: str,
    recommendations: str,
    feedback_on: datetime.date,
) -> SupervisionVisit:
    if visit.observed_on and feedback_on < visit.observed_on:
        raise ValidationError(
            {"feedback_on": _("The feedback cannot come before the observation.")}
        )
    _advance(
        visit,
        version,
        (Stage.OBSERVED, Stage.FEEDBACK_GIVEN),
        stage=Stage.FEEDBACK_GIVEN,
        strengths=strengths.strip(),
        recommendations=recommendations.strip(),
        feedback_on=feedback_on,
    )
    return visit


@transaction.atomic
def visit_follow_up(
    *,
    visit: SupervisionVisit,
    version: int,
    supervisor: User,
    follow_up: str,
    followed_up_on: datetime.date,
    action: str = "",
    action_due_on: datetime.date | None = None,
    coaching_meeting: Meeting | None = None,
) -> SupervisionVisit:
    """Close the visit with its follow-up, linked to a new action item for the counselor (for
    the principal and the counselor only, like the visit), a coaching meeting the counselor is
    invited to, or both.

    Training: when staff has training events, add a `training` argument here, a
    `follow_up_training` foreign key on SupervisionVisit and a field on VisitFollowUpForm;
    "at least one link" below then counts it too.
    """
    if (
        coaching_meeting is not None
        and not coaching_meetings_for(visit).filter(pk=coaching_meeting.pk).exists()
    ):
        raise ValidationError(
            {"follow_up_meeting": _("Choose a coaching meeting the BK teacher is invited to.")}
        )
    if not action and coaching_meeting is None:
        raise ValidationError(_("Link the follow-up to an action item or a coaching meeting."))
    item = visit.follow_up_action_item
    if action:
        item = action_item_add(
            created_by=supervisor,
            description=action,
            assignee=visit.counselor,
            due_on=action_due_on,
            is_confidential=True,
        )
    _advance(
        visit,
        version,
        (Stage.FEEDBACK_GIVEN, Stage.FOLLOWED_UP),
        stage=Stage.FOLLOWED_UP,
        follow_up=follow_up.strip(),
        followed_up_on=followed_up_on,
        follow_up_action_item=item,
        follow_up_meeting=coaching_meeting,
    )
    return visit


def coaching_meetings_for(visit: SupervisionVisit) -> QuerySet[Meeting]:
    """Coaching meetings of the school the visited counselor is invited to, not cancelled."""
    return Meeting.objects.filter(
        school_id=visit.school_id,
        kind=Meeting.Kind.COACHING,
        cancelled_at__isnull=True,
        invitations__person_id=visit.counselor_id,
    ).order_by("-starts_at")


def visits_for_list(visits: QuerySet[SupervisionVisit]) -> QuerySet[SupervisionVisit]:
    """Visits with their counselor and semester, and the average of their scores."""
    return (
        visits.select_related("counselor", "semester__academic_year")
        .annotate(average=Avg("scores__score"), scored=Count("scores"))
        .order_by("planned_on", "counselor__full_name", "pk")
    )
