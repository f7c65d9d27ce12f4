"""Who may see which meetings, evaluations, action items, visits and facility records of the
supervision app: the one place it is decided. Default deny.

DESIGN.md's confidentiality table: meetings and minutes are read by the principal and the vice
principal (all of their school) and by the people invited to them; a performance evaluation
only by the principal and the counselor it is about; a supervision visit likewise. Views fetch
through these querysets, so a record outside them is a 404 by construction.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from staff.access import Permission, can, has_role
from staff.models import Role, User
from supervision.models import (
    ActionItem,
    FacilityAssessment,
    FacilityRequest,
    Meeting,
    MeetingInvitation,
    PerformanceEvaluation,
    SupervisionVisit,
)

MEETING_READERS_OF_ALL = (Role.PRINCIPAL, Role.VICE_PRINCIPAL)


def _school_id(user: User) -> int | None:
    return getattr(user, "school_id", None)


def _invited(user: User):
    return Exists(MeetingInvitation.objects.filter(meeting_id=OuterRef("pk"), person_id=user.pk))


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """Every meeting of the school for its principal and vice principal; the meetings they
    are invited to for everyone else of the school."""
    if _school_id(user) is None or not can(user, Permission.USE_CALENDAR):
        return Meeting.objects.none()
    meetings = Meeting.objects.filter(school_id=user.school_id)
    if has_role(user, *MEETING_READERS_OF_ALL):
        return meetings
    return meetings.filter(_invited(user))


def meetings_invited_to(user: User) -> QuerySet[Meeting]:
    """The user's own meetings: those they are invited to (the organizer always is)."""
    if _school_id(user) is None or not can(user, Permission.USE_CALENDAR):
        return Meeting.objects.none()
    return Meeting.objects.filter(school_id=user.school_id).filter(_invited(user))


def meetings_managed_by(user: User) -> QuerySet[Meeting]:
    """Meetings whose details, invitees, attendance, minutes and action items the user may
    change: any meeting of the school for those who schedule meetings (the principal and the
    vice principal stand in for each other)."""
    if _school_id(user) is None or not can(user, Permission.SCHEDULE_MEETINGS):
        return Meeting.objects.none()
    return Meeting.objects.filter(school_id=user.school_id)


def _principal_all_counselor_own(model, user: User) -> QuerySet:
    """Records about one counselor: all of the school for the principal, the own ones for a
    counselor, nothing for anyone else."""
    if _school_id(user) is None:
        return model.objects.none()
    records = model.objects.filter(school_id=user.school_id)
    if has_role(user, Role.PRINCIPAL):
        return records
    if has_role(user, Role.COUNSELOR):
        return records.filter(counselor=user)
    return model.objects.none()


def evaluations_visible_to(user: User) -> QuerySet[PerformanceEvaluation]:
    """The principal reads every evaluation of the school; a counselor the own ones."""
    return _principal_all_counselor_own(PerformanceEvaluation, user)


def may_evaluate(user: User) -> bool:
    return can(user, Permission.EVALUATE_COUNSELORS)


def action_items_visible_to(user: User) -> QuerySet[ActionItem]:
    """Action items follow what they came from: the principal sees all of the school; the vice
    principal all but the confidential ones (agreed in an evaluation or a supervision visit);
    anyone else the items assigned to them and those of meetings they were invited to."""
    if _school_id(user) is None or not can(user, Permission.USE_CALENDAR):
        return ActionItem.objects.none()
    items = ActionItem.objects.filter(school_id=user.school_id)
    if has_role(user, Role.PRINCIPAL):
        return items
    own = Q(assignee=user)
    if has_role(user, Role.VICE_PRINCIPAL):
        return items.filter(own | Q(is_confidential=False))
    of_own_meetings = Exists(
        MeetingInvitation.objects.filter(meeting_id=OuterRef("meeting_id"), person_id=user.pk)
    )
    return items.filter(own | Q(is_confidential=False) & of_own_meetings)


def action_items_managed_by(user: User) -> QuerySet[ActionItem]:
    """Items whose what, who and due date the user may change: the meeting items of the school
    for those who keep meetings; confidential items only for the principal."""
    if _school_id(user) is None:
        return ActionItem.objects.none()
    items = ActionItem.objects.filter(school_id=user.school_id)
    if has_role(user, Role.PRINCIPAL):
        return items
    if can(user, Permission.SCHEDULE_MEETINGS):
        return items.filter(is_confidential=False)
    return ActionItem.objects.none()


def may_change_item_status(user: User, item: ActionItem) -> bool:
    """The assignee marks an item done (or reopens it); so may whoever manages it."""
    if item.school_id != _school_id(user):
        return False
    if item.assignee_id == user.pk:
        return True
    return action_items_managed_by(user).filter(pk=item.pk).exists()


def visits_visible_to(user: User) -> QuerySet[SupervisionVisit]:
    """The principal sees every visit of the school; a counselor the own ones."""
    return _principal_all_counselor_own(SupervisionVisit, user)


def visits_managed_by(user: User) -> QuerySet[SupervisionVisit]:
    if _school_id(user) is None or not can(user, Permission.SUPERVISE_COUNSELORS):
        return SupervisionVisit.objects.none()
    return SupervisionVisit.objects.filter(school_id=user.school_id)


def facility_assessments_visible_to(user: User) -> QuerySet[FacilityAssessment]:
    if _school_id(user) is None or not can(user, Permission.VIEW_FACILITIES):
        return FacilityAssessment.objects.none()
    return FacilityAssessment.objects.filter(school_id=user.school_id)


def facility_requests_visible_to(user: User) -> QuerySet[FacilityRequest]:
    """The BK room's requests are the school's business: every reader of the facilities sees
    them all."""
    if _school_id(user) is None or not can(user, Permission.VIEW_FACILITIES):
        return FacilityRequest.objects.none()
    return FacilityRequest.objects.filter(school_id=user.school_id)


def facility_requests_decided_by(user: User) -> QuerySet[FacilityRequest]:
    if _school_id(user) is None or not can(user, Permission.DECIDE_FACILITY_REQUESTS):
        return FacilityRequest.objects.none()
    return FacilityRequest.objects.filter(school_id=user.school_id)
