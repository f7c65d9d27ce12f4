"""Academic supervision of BK teachers: the principal plans a semester's visits and takes each
through planned → observed → feedback given → followed up.

Each stage's service checks the visit's version (two open forms cannot overwrite each other)
and the stage it comes from.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from counseling.cases import counselors_of
from staff.caching import school_data_changed
from staff.models import Semester, TrainingEvent, User
from staff.services import StaleEdit
from supervision import notifications
from supervision.meetings import action_item_add
from supervision.models import (
    ChecklistItem,
    Meeting,
    SupervisionScore,
    SupervisionVisit,
    VisitChange,
)

Stage = SupervisionVisit.Stage

NO_FOLLOW_UP_LINK = gettext_lazy(
    "Link the follow-up to an action item, a coaching meeting or a training."
)


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
        _check_plan_day(semester, day)
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
    notifications.notify_visits_on_commit(visits=created, notice=notifications.VISIT_PLANNED)
    return created


def _check_plan_day(semester: Semester, day: datetime.date) -> None:
    if not semester.start_date <= day <= semester.end_date:
        raise ValidationError({"planned_on": _("Choose a day within the semester.")})


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
        pk=visit.pk, version=version, stage__in=allowed, cancelled_at__isnull=True
    ).update(**values, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        current = SupervisionVisit.objects.get(pk=visit.pk)
        if current.version != version:
            raise StaleEdit(current)
        raise ValidationError(_("The visit is not at a stage where this can be recorded."))
    school_data_changed(school_id=visit.school_id)
    visit.refresh_from_db()


@transaction.atomic
def visit_reschedule(
    *, visit: SupervisionVisit, version: int, planned_on: datetime.date, reason: str, by: User
) -> SupervisionVisit:
    """Move a visit still planned to another day of its semester; the BK teacher is told."""
    _check_plan_day(visit.semester, planned_on)
    if planned_on == visit.planned_on:
        raise ValidationError({"planned_on": _("Choose a day other than the one planned.")})
    previous = visit.planned_on
    _advance(visit, version, (Stage.PLANNED,), planned_on=planned_on)
    VisitChange.objects.create(
        visit=visit,
        kind=VisitChange.Kind.RESCHEDULED,
        previous_date=previous,
        new_date=planned_on,
        reason=reason.strip(),
        changed_by=by,
    )
    notifications.notify_visits_on_commit(visits=[visit], notice=notifications.VISIT_RESCHEDULED)
    return visit


@transaction.atomic
def visit_cancel(
    *, visit: SupervisionVisit, version: int, reason: str, by: User
) -> SupervisionVisit:
    """Cancel a visit still planned, with the reason; it stays on record, marked cancelled, and
    the BK teacher is told."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the visit is cancelled.")})
    _advance(visit, version, (Stage.PLANNED,), cancelled_at=timezone.now(), cancel_reason=reason)
    VisitChange.objects.create(
        visit=visit,
        kind=VisitChange.Kind.CANCELLED,
        previous_date=visit.planned_on,
        reason=reason,
        changed_by=by,
    )
    notifications.notify_visits_on_commit(visits=[visit], notice=notifications.VISIT_CANCELLED)
    return visit


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
    training: TrainingEvent | None = None,
) -> SupervisionVisit:
    """Close the visit with its follow-up, linked to a new action item for the counselor (for
    the principal and the counselor only, like the visit), a coaching meeting the counselor is
    invited to, a training the school takes part in, or several of them."""
    if (
        coaching_meeting is not None
        and not coaching_meetings_for(visit).filter(pk=coaching_meeting.pk).exists()
    ):
        raise ValidationError(
            {"follow_up_meeting": _("Choose a coaching meeting the BK teacher is invited to.")}
        )
    if training is not None and not trainings_for(visit).filter(pk=training.pk).exists():
        raise ValidationError(
            {"follow_up_training": _("Choose a training of your school that is not over yet.")}
        )
    if not action and coaching_meeting is None and training is None:
        raise ValidationError(NO_FOLLOW_UP_LINK)
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
        follow_up_training=training,
    )
    return visit


def trainings_for(visit: SupervisionVisit) -> QuerySet[TrainingEvent]:
    """Trainings a visit may lead to: the school's events, not cancelled, that end on or after
    the visit was planned (and the one already chosen)."""
    events = TrainingEvent.objects.filter(school_id=visit.school_id, is_cancelled=False)
    condition = Q(ends_on__gte=visit.planned_on)
    if visit.follow_up_training_id is not None:
        condition |= Q(pk=visit.follow_up_training_id)
    return events.filter(condition).order_by("starts_on", "pk")


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
