"""Meetings and what comes of them: the services that schedule, change and cancel meetings,
record attendance and minutes, action items and performance evaluations, and the personal
calendar feed. Each service runs in one transaction and holds the rules; the e-mails go out
after it commits.
"""

import datetime
import hashlib
import secrets
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from counseling.cases import counselors_of
from staff.access import Permission, can
from staff.caching import school_data_changed
from staff.models import Competency, DisseminationReport, Role, User
from staff.services import StaleEdit
from supervision import notifications
from supervision.models import (
    ActionItem,
    CalendarFeed,
    Meeting,
    MeetingInvitation,
    PerformanceEvaluation,
)
from supervision.scheduling import MAX_OCCURRENCES, Repeat, occurrences

# What an invitation may name instead of people: everyone holding the role at the school.
INVITABLE_ROLES = (
    Role.PRINCIPAL,
    Role.VICE_PRINCIPAL,
    Role.COUNSELOR,
    Role.HOMEROOM_TEACHER,
    Role.SUBJECT_TEACHER,
    Role.ADMIN_STAFF,
)
MEETING_FIELDS = ("kind", "title", "agenda", "starts_at", "ends_at", "place")
LONGEST_MEETING = datetime.timedelta(hours=12)


def members_of(school_id: int) -> QuerySet[User]:
    """Active people of the school, by name: whom a meeting may invite or an item assign."""
    return User.objects.filter(school_id=school_id, is_active=True).order_by(
        "full_name", "username"
    )


def invitees_for(*, school_id: int, people: Iterable[User], roles: Iterable[str]) -> list[User]:
    """The people chosen and everyone holding one of the roles, each once, by name."""
    chosen = {person.pk: person for person in people}
    roles = [role for role in roles if role in INVITABLE_ROLES]
    if roles:
        for person in members_of(school_id).filter(role_assignments__role__in=roles).distinct():
            chosen.setdefault(person.pk, person)
    return sorted(chosen.values(), key=lambda person: (person.full_name, person.pk))


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    if ends_at - starts_at > LONGEST_MEETING:
        raise ValidationError({"ends_at": _("A meeting lasts at most 12 hours.")})


def _check_invitees(school_id: int, invitees: list[User]) -> None:
    allowed = set(
        members_of(school_id).filter(pk__in=[p.pk for p in invitees]).values_list("pk", flat=True)
    )
    if any(person.pk not in allowed for person in invitees):
        raise ValidationError({"people": _("Invite only active people of your own school.")})


@transaction.atomic
def meeting_schedule(
    *,
    organizer: User,
    kind: str,
    title: str,
    agenda: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    invitees: Iterable[User],
    repeat: str = Repeat.NONE,
    count: int = 1,
) -> list[Meeting]:
    """Schedule a meeting, or each occurrence of a repeating one, with the organizer among the
    invitees; the others get an invitation by e-mail. Returns the meetings by date."""
    if not can(organizer, Permission.SCHEDULE_MEETINGS):
        raise ValidationError(_("Only the principal and the vice principal schedule meetings."))
    _check_times(starts_at, ends_at)
    if repeat != Repeat.NONE and not 2 <= count <= MAX_OCCURRENCES:
        raise ValidationError(
            {
                "count": _("A repeating meeting takes place from 2 to %(max)d times.")
                % {"max": MAX_OCCURRENCES}
            }
        )
    school_id = organizer.school_id
    invitees = {person.pk: person for person in invitees}
    invitees[organizer.pk] = organizer
    _check_invitees(school_id, list(invitees.values()))
    windows = occurrences(starts_at, ends_at, repeat, count)
    series = uuid.uuid4() if len(windows) > 1 else None
    meetings = []
    for start, end in windows:
        meeting = Meeting(
            school_id=school_id,
            kind=kind,
            title=title,
            agenda=agenda,
            starts_at=start,
            ends_at=end,
            place=place,
            organizer=organizer,
            series=series,
        )
        meeting.full_clean()
        meeting.save()
        meetings.append(meeting)
    MeetingInvitation.objects.bulk_create(
        MeetingInvitation(meeting=meeting, person_id=person_id)
        for meeting in meetings
        for person_id in invitees
    )
    notifications.notify_on_commit(
        meetings=meetings,
        person_ids=[pk for pk in invitees if pk != organizer.pk],
        notice=notifications.INVITE,
    )
    return meetings


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    version: int,
    editor: User,
    kind: str,
    title: str,
    agenda: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    invitees: Iterable[User],
) -> Meeting:
    """Save a change made on the form opened at `version`; StaleEdit if somebody saved in
    between. The people still invited are told of the change, those taken off that they are no
    longer invited, those added get an invitation."""
    if meeting.is_cancelled:
        raise ValidationError(_("A cancelled meeting can no longer be changed."))
    _check_times(starts_at, ends_at)
    invitees = {person.pk: person for person in invitees}
    invitees[meeting.organizer_id] = meeting.organizer
    _check_invitees(meeting.school_id, list(invitees.values()))
    values = {
        "kind": kind,
        "title": title,
        "agenda": agenda,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": place,
    }
    changed = any(getattr(meeting, name) != value for name, value in values.items())
    updated = Meeting.objects.filter(
        pk=meeting.pk, version=version, cancelled_at__isnull=True
    ).update(**values, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise StaleEdit(meeting_for_page(Meeting.objects.all()).get(pk=meeting.pk))
    school_data_changed(school_id=meeting.school_id)
    meeting.refresh_from_db()
    before = set(meeting.invitations.values_list("person_id", flat=True))
    after = set(invitees)
    meeting.invitations.filter(person_id__in=before - after).delete()
    MeetingInvitation.objects.bulk_create(
        MeetingInvitation(meeting=meeting, person_id=person_id)
        for person_id in sorted(after - before)
    )
    organizer = {meeting.organizer_id, editor.pk}
    notifications.notify_on_commit(
        meetings=[meeting], person_ids=(after - before) - organizer, notice=notifications.INVITE
    )
    notifications.notify_on_commit(
        meetings=[meeting], person_ids=(before - after) - organizer, notice=notifications.UNINVITE
    )
    if changed:
        notifications.notify_on_commit(
            meetings=[meeting],
            person_ids=(before & after) - organizer,
            notice=notifications.UPDATE,
        )
    return meeting


@transaction.atomic
def meeting_cancel(
    *, meeting: Meeting, reason: str, editor: User, following: bool = False
) -> list[Meeting]:
    """Cancel the meeting (and, if asked, the later occurrences of its series that are not
    cancelled and have no minutes); every invitee is told. Returns what was cancelled."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_cancelled:
        raise ValidationError(_("This meeting was cancelled already."))
    if locked.has_minutes:
        raise ValidationError(_("A meeting with minutes took place; it cannot be cancelled."))
    targets = [locked]
    if following and locked.series is not None:
        targets += list(
            Meeting.objects.select_for_update()
            .filter(
                series=locked.series,
                starts_at__gt=locked.starts_at,
                cancelled_at__isnull=True,
                minutes_recorded_at__isnull=True,
            )
            .order_by("starts_at")
        )
    now = timezone.now()
    for target in targets:
        target.cancelled_at = now
        target.cancel_reason = reason.strip()
        target.version += 1
        target.save(update_fields=["cancelled_at", "cancel_reason", "version", "updated_at"])
    person_ids = set(
        MeetingInvitation.objects.filter(meeting__in=targets).values_list("person_id", flat=True)
    ) - {locked.organizer_id, editor.pk}
    notifications.notify_on_commit(
        meetings=targets, person_ids=person_ids, notice=notifications.CANCEL
    )
    return targets


@transaction.atomic
def meeting_record_minutes(
    *,
    meeting: Meeting,
    version: int,
    attendance: dict[int, str],
    minutes: str,
    decisions: str,
    dissemination_reports: Iterable[DisseminationReport] = (),
) -> Meeting:
    """Record who came, the minutes and the decisions, once the meeting has begun, and which
    dissemination reports were presented (a report not yet marked as shared is shared on the
    meeting's day)."""
    if meeting.is_cancelled:
        raise ValidationError(_("A cancelled meeting has no minutes."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Minutes are recorded once the meeting has begun."))
    valid = set(MeetingInvitation.Attendance.values)
    if any(value not in valid for value in attendance.values()):
        raise ValidationError(_("Mark every invitee present, excused or absent."))
    now = timezone.now()
    updated = Meeting.objects.filter(pk=meeting.pk, version=version).update(
        minutes=minutes,
        decisions=decisions,
        minutes_recorded_at=meeting.minutes_recorded_at or now,
        version=F("version") + 1,
        updated_at=now,
    )
    if not updated:
        raise StaleEdit(meeting_for_page(Meeting.objects.all()).get(pk=meeting.pk))
    school_data_changed(school_id=meeting.school_id)
    invitations = list(meeting.invitations.all())
    for invitation in invitations:
        invitation.attendance = attendance.get(invitation.person_id, invitation.attendance)
    MeetingInvitation.objects.bulk_update(invitations, ["attendance"])
    reports = list(dissemination_reports)
    if any(report.school_id != meeting.school_id for report in reports):
        raise ValidationError({"dissemination_reports": _("Choose reports of your own school.")})
    meeting.dissemination_reports.set(reports)
    DisseminationReport.objects.filter(
        pk__in=[report.pk for report in reports], shared_on__isnull=True
    ).update(
        shared_on=timezone.localtime(meeting.starts_at).date(),
        version=F("version") + 1,
        updated_at=now,
    )
    school_data_changed(school_id=meeting.school_id)
    meeting.refresh_from_db()
    return meeting


def reports_to_present(meeting: Meeting) -> QuerySet[DisseminationReport]:
    """Reports a meeting's minutes may name: the school's reports of the year before the
    meeting, and those it names already."""
    year_before = timezone.localtime(meeting.starts_at).date() - datetime.timedelta(days=366)
    return (
        DisseminationReport.objects.filter(school_id=meeting.school_id)
        .filter(
            Q(participation__event__ends_on__gte=year_before) | Q(presented_at_meetings=meeting)
        )
        .select_related("participation__event", "participation__counselor")
        .distinct()
        .order_by("-participation__event__ends_on", "pk")
    )


# --- Action items ---------------------------------------------------------------------------


def _check_assignee(school_id: int, assignee: User) -> None:
    if not members_of(school_id).filter(pk=assignee.pk).exists():
        raise ValidationError({"assignee": _("Choose an active person of your own school.")})


@transaction.atomic
def _check_due_on(meeting: Meeting | None, due_on: datetime.date | None) -> None:
    """An action item of a meeting falls due on the meeting's day or later."""
    if meeting is None or due_on is None:
        return
    held_on = timezone.localtime(meeting.starts_at).date()
    if due_on < held_on:
        raise ValidationError(
            {
                "due_on": _("The due date cannot be before the meeting (%(day)s).")
                % {"day": formats.date_format(held_on, "SHORT_DATE_FORMAT")}
            }
        )


def action_item_add(
    *,
    created_by: User,
    description: str,
    assignee: User,
    due_on: datetime.date,
    meeting: Meeting | None = None,
    evaluation: PerformanceEvaluation | None = None,
    is_confidential: bool = False,
    competency: Competency | None = None,
) -> ActionItem:
    """An action item from a meeting, or an agreed action of an evaluation (assigned to the
    evaluated counselor and, like the evaluation, for the principal and that counselor only)."""
    school_id = created_by.school_id
    if evaluation is not None:
        meeting = evaluation.meeting
        assignee = evaluation.counselor
        is_confidential = True
    if meeting is not None and meeting.school_id != school_id:
        raise ValidationError(_("The meeting belongs to another school."))
    _check_assignee(school_id, assignee)
    _check_due_on(meeting, due_on)
    item = ActionItem(
        school_id=school_id,
        meeting=meeting,
        evaluation=evaluation,
        description=description.strip(),
        assignee=assignee,
        due_on=due_on,
        is_confidential=is_confidential,
        competency=competency,
        created_by=created_by,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def action_item_update(
    *,
    item: ActionItem,
    version: int,
    description: str,
    assignee: User,
    due_on: datetime.date,
    competency: Competency | None = None,
) -> ActionItem:
    if item.evaluation_id is not None and assignee.pk != item.assignee_id:
        raise ValidationError(
            {"assignee": _("An agreed action of an evaluation stays with its BK teacher.")}
        )
    _check_assignee(item.school_id, assignee)
    # An older item keeps its date; a new date must fit. (A model form may have set the new
    # date on `item` already: compare with the saved one.)
    if due_on != ActionItem.objects.values_list("due_on", flat=True).get(pk=item.pk):
        _check_due_on(item.meeting, due_on)
    updated = ActionItem.objects.filter(pk=item.pk, version=version).update(
        description=description.strip(),
        assignee=assignee,
        due_on=due_on,
        competency=competency,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise StaleEdit(ActionItem.objects.select_related("assignee").get(pk=item.pk))
    school_data_changed(school_id=item.school_id)
    item.refresh_from_db()
    return item


@transaction.atomic
def action_item_set_status(*, item: ActionItem, status: str) -> ActionItem:
    """Mark an item done, dropped, or open again."""
    if status not in ActionItem.Status.values:
        raise ValidationError(_("That status does not exist."))
    locked = ActionItem.objects.select_for_update().get(pk=item.pk)
    if locked.status != status:
        locked.status = status
        locked.completed_at = timezone.now() if status == ActionItem.Status.DONE else None
        locked.version += 1
        locked.save(update_fields=["status", "completed_at", "version", "updated_at"])
    return locked


# --- Performance evaluations ------------------------------------------------------------------


def counselors_to_evaluate(meeting: Meeting) -> QuerySet[User]:
    """The school's counselors invited to a limited evaluation meeting."""
    return counselors_of(meeting.school_id).filter(meeting_invitations__meeting=meeting)


@transaction.atomic
def evaluation_save(
    *,
    meeting: Meeting,
    counselor: User,
    evaluator: User,
    went_well: str,
    to_improve: str,
    version: int | None = None,
) -> PerformanceEvaluation:
    """Write (version None) or change a counselor's evaluation in a limited evaluation meeting."""
    if meeting.kind != Meeting.Kind.LIMITED_EVALUATION:
        raise ValidationError(_("Performance is evaluated in a limited evaluation meeting."))
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting was cancelled."))
    if not counselors_to_evaluate(meeting).filter(pk=counselor.pk).exists():
        raise ValidationError(_("Only the BK teachers invited to the meeting are evaluated."))
    existing = PerformanceEvaluation.objects.filter(meeting=meeting, counselor=counselor).first()
    if existing is None:
        if version is not None:
            raise ValidationError(_("The evaluation was not found; open it again."))
        evaluation = PerformanceEvaluation(
            school_id=meeting.school_id,
            meeting=meeting,
            counselor=counselor,
            evaluator=evaluator,
            went_well=went_well.strip(),
            to_improve=to_improve.strip(),
        )
        evaluation.full_clean()
        evaluation.save()
        return evaluation
    if version is None:
        raise StaleEdit(existing)
    updated = PerformanceEvaluation.objects.filter(pk=existing.pk, version=version).update(
        went_well=went_well.strip(),
        to_improve=to_improve.strip(),
        evaluator=evaluator,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise StaleEdit(PerformanceEvaluation.objects.get(pk=existing.pk))
    school_data_changed(school_id=existing.school_id)
    existing.refresh_from_db()
    return existing


# --- The personal calendar feed -----------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_issue(*, user: User) -> str:
    """A new secret feed token for the user, replacing any earlier one (whose address stops
    working). Only its hash is kept; the token is returned to be shown once."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": _token_hash(token), "issued_at": timezone.now()}
    )
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> bool:
    deleted, _details = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_feed_owner(token: str) -> User | None:
    """Whose feed the token opens: an active member of a school, or nobody."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.filter(
            token_hash=_token_hash(token), user__is_active=True, user__school__isnull=False
        )
        .select_related("user")
        .first()
    )
    return feed.user if feed is not None else None


# --- Reads ------------------------------------------------------------------------------------


def meeting_for_page(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.select_related("organizer")
