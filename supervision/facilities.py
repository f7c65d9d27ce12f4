"""The BK room's facilities: recording the state of the standard's items (each record is kept
and makes the compliance history), and the counselors' requests that the principal decides."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import School, User
from supervision.models import (
    FacilityAssessment,
    FacilityCondition,
    FacilityItem,
    FacilityRequest,
)
from supervision.models.facilities import FacilityState


class NewerAssessment(Exception):
    """Somebody recorded the facilities after the form was opened; nothing was written."""


def compliance_of(states: list[str]) -> int:
    """The share of items that meet the standard, in whole percent."""
    if not states:
        return 0
    meets = sum(1 for state in states if state == FacilityState.MEETS)
    return round(meets * 100 / len(states))


def latest_assessment(school: School) -> FacilityAssessment | None:
    return FacilityAssessment.objects.filter(school=school).order_by("-recorded_at", "-pk").first()


@transaction.atomic
def facilities_record(
    *,
    school: School,
    recorded_by: User,
    based_on: int,
    conditions: dict[int, tuple[str, str]],
    note: str = "",
    recorded_at=None,
) -> FacilityAssessment:
    """Record the state of every active item of the standard. `based_on` is the latest record
    the person saw (0 for none): if another was made since, NewerAssessment."""
    # Serialise records of one school: the school row is the lock.
    School.objects.select_for_update().get(pk=school.pk)
    latest = latest_assessment(school)
    if (latest.pk if latest else 0) != based_on:
        raise NewerAssessment()
    items = set(FacilityItem.objects.filter(is_active=True).values_list("pk", flat=True))
    if set(conditions) != items:
        raise ValidationError(_("Record the state of every item of the standard."))
    if any(state not in FacilityState.values for state, _note in conditions.values()):
        raise ValidationError(_("That state does not exist."))
    assessment = FacilityAssessment.objects.create(
        school=school,
        recorded_by=recorded_by,
        recorded_at=recorded_at or timezone.now(),
        compliance=compliance_of([state for state, _note in conditions.values()]),
        note=note.strip(),
    )
    FacilityCondition.objects.bulk_create(
        FacilityCondition(assessment=assessment, item_id=item_id, state=state, note=item_note)
        for item_id, (state, item_note) in sorted(conditions.items())
    )
    return assessment


@transaction.atomic
def facility_request_file(
    *, requested_by: User, what: str, reason: str, item: FacilityItem | None = None
) -> FacilityRequest:
    request = FacilityRequest(
        school_id=requested_by.school_id,
        requested_by=requested_by,
        item=item,
        what=what.strip(),
        reason=reason.strip(),
    )
    request.full_clean()
    request.save()
    return request


class TransitionRefused(Exception):
    """The request is no longer where this decision could be taken (someone decided first)."""


def _move(request: FacilityRequest, status: str) -> FacilityRequest:
    locked = FacilityRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.can_move_to(status):
        raise TransitionRefused(status)
    return locked


@transaction.atomic
def facility_request_decide(
    *, request: FacilityRequest, decided_by: User, approve: bool, reason: str = ""
) -> FacilityRequest:
    """Approve a waiting request, or reject it with a reason the counselor reads."""
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the request is rejected.")})
    status = FacilityRequest.Status.APPROVED if approve else FacilityRequest.Status.REJECTED
    locked = _move(request, status)
    locked.status = status
    locked.decided_by = decided_by
    locked.decided_at = timezone.now()
    locked.decision_reason = reason
    locked.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"]
    )
    return locked


@transaction.atomic
def facility_request_fulfil(*, request: FacilityRequest) -> FacilityRequest:
    """An approved request was carried out."""
    locked = _move(request, FacilityRequest.Status.FULFILLED)
    locked.status = FacilityRequest.Status.FULFILLED
    locked.fulfilled_at = timezone.now()
    locked.save(update_fields=["status", "fulfilled_at", "updated_at"])
    return locked
