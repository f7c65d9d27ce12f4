"""Professional development: training events and MGBK meetings, who is sent when seats are few,
attendance, certificates, and the dissemination report each delegate owes colleagues.

Services (``<entity>_<action>``) write, each in one transaction, and hold the rules; selectors
read through staff.access. The figures per counselor (training hours over twelve months,
delegations, MGBK attendance rate, overdue reports) are selectors of their own, so that the
principal's dashboard and the period report read them the same way.

What counts:
- A *delegation* is a counselor sent to an event that is not an MGBK meeting (the routine
  forum every BK teacher attends), not withdrawn, of an event not cancelled.
- *Training hours* are the hours (JP) of those delegations not marked absent or excused, of
  events from twelve months back on — events still to come included, so that a counselor
  already booked is not proposed again before going.
- A delegate who was not absent or excused owes a *dissemination report* within
  DISSEMINATION_DAYS of the event's last day; after that day it is overdue.
- The *MGBK attendance rate* is present / (present + excused + absent) over the MGBK meetings
  whose attendance was recorded.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from staff.access import (
    Permission,
    can,
    dissemination_reports_visible_to,
    has_role,
    may_read_certificate,
    participations_of,
    participations_visible_to,
    training_events_visible_to,
)
from staff.caching import school_data_changed
from staff.models import (
    DISSEMINATION_DAYS,
    Appraisal,
    CompetencyResult,
    DisseminationReport,
    Role,
    School,
    Semester,
    TrainingEvent,
    TrainingParticipation,
    User,
)
from staff.selectors import counselors_of
from staff.services import StaleEdit
from staff.uploads import document_check, materials_check

TRAINING_WINDOW = datetime.timedelta(days=365)
NO_CERTIFICATE_WHEN_ABSENT = gettext_lazy(
    "You were marked absent or excused at this event, so no certificate is uploaded for it. "
    "If that is a mistake, ask whoever records the attendance to correct it."
)
NOT_ATTENDED = (TrainingParticipation.Attendance.ABSENT, TrainingParticipation.Attendance.EXCUSED)
RECORDED = (
    TrainingParticipation.Attendance.PRESENT,
    TrainingParticipation.Attendance.EXCUSED,
    TrainingParticipation.Attendance.ABSENT,
)
FINALISED = (Appraisal.Status.FINALISED, Appraisal.Status.ACKNOWLEDGED)


def _school_id(school: School | int) -> int:
    return school if isinstance(school, int) else school.pk


# --- What counts ------------------------------------------------------------------------------


def _live(participations: QuerySet[TrainingParticipation]) -> QuerySet[TrainingParticipation]:
    """Participations that stand: not withdrawn, of an event not cancelled."""
    return participations.filter(withdrawn_at__isnull=True, event__is_cancelled=False)


def delegations_of_school(school: School | int) -> QuerySet[TrainingParticipation]:
    """Every standing delegation of the school to a training event (MGBK meetings aside)."""
    return _live(TrainingParticipation.objects.filter(school_id=_school_id(school))).exclude(
        event__kind=TrainingEvent.Kind.MGBK
    )


def dissemination_owed(school: School | int) -> QuerySet[TrainingParticipation]:
    """Delegations that owe a dissemination report (reported or not)."""
    return delegations_of_school(school).exclude(attendance__in=NOT_ATTENDED)


def dissemination_overdue(
    school: School | int, *, today: datetime.date, counselor: User | None = None
) -> QuerySet[TrainingParticipation]:
    """Owed reports not written by their due date (the event's last day + 14 days), oldest
    first, with the event and the delegate."""
    overdue = dissemination_owed(school).filter(
        event__ends_on__lt=today - datetime.timedelta(days=DISSEMINATION_DAYS),
        dissemination_report__isnull=True,
    )
    if counselor is not None:
        overdue = overdue.filter(counselor=counselor)
    return overdue.select_related("event", "counselor").order_by("event__ends_on", "pk")


def training_hours_by_counselor(
    school: School | int,
    *,
    since: datetime.date,
    until: datetime.date | None = None,
    exclude_event: TrainingEvent | None = None,
) -> dict[int, int]:
    """Hours (JP) of training per counselor id, of events ending on or after `since` (and
    starting on or before `until`, if given): delegations not marked absent or excused."""
    rows = dissemination_owed(school).filter(event__ends_on__gte=since)
    if until is not None:
        rows = rows.filter(event__starts_on__lte=until)
    if exclude_event is not None:
        rows = rows.exclude(event=exclude_event)
    totals = rows.order_by().values("counselor_id").annotate(hours=Sum("event__hours"))
    return {row["counselor_id"]: row["hours"] for row in totals}


def delegations_by_counselor(
    school: School | int, *, since: datetime.date, until: datetime.date
) -> dict[int, int]:
    """How many times each counselor id was delegated to an event starting in the period."""
    rows = (
        delegations_of_school(school)
        .filter(event__starts_on__gte=since, event__starts_on__lte=until)
        .order_by()
        .values("counselor_id")
        .annotate(count=Count("pk"))
    )
    return {row["counselor_id"]: row["count"] for row in rows}


@dataclass(frozen=True)
class MgbkRate:
    present: int
    recorded: int

    @property
    def percent(self) -> Decimal | None:
        if not self.recorded:
            return None
        return (Decimal(self.present) * 100 / Decimal(self.recorded)).quantize(Decimal("0.1"))


def mgbk_attendance_rates(
    school: School | int, *, since: datetime.date, until: datetime.date
) -> dict[int, MgbkRate]:
    """Per counselor id: MGBK meetings attended out of those whose attendance was recorded,
    for meetings starting in the period."""
    rows = (
        _live(TrainingParticipation.objects.filter(school_id=_school_id(school)))
        .filter(
            event__kind=TrainingEvent.Kind.MGBK,
            event__starts_on__gte=since,
            event__starts_on__lte=until,
            attendance__in=RECORDED,
        )
        .order_by()
        .values("counselor_id")
        .annotate(
            recorded=Count("pk"),
            present=Count("pk", filter=Q(attendance=TrainingParticipation.Attendance.PRESENT)),
        )
    )
    return {row["counselor_id"]: MgbkRate(row["present"], row["recorded"]) for row in rows}


@dataclass(frozen=True)
class CounselorTraining:
    counselor: User
    hours: int
    delegations: int
    last_delegated: datetime.date | None
    mgbk: MgbkRate | None
    overdue_reports: int


def training_summary(
    school: School | int,
    *,
    today: datetime.date,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[CounselorTraining]:
    """Every counselor of the school with the figures of twelve months to today (training
    hours counting the bookings still to come), or of the days from `since` to `until` (the
    twelve months before `until` when only that is given; events starting by `until`). Six
    queries whatever the history's length."""
    last_day = until or today
    since = since or last_day - TRAINING_WINDOW
    hours = training_hours_by_counselor(school, since=since, until=until)
    delegations = delegations_by_counselor(school, since=since, until=last_day)
    mgbk = mgbk_attendance_rates(school, since=since, until=last_day)
    last = last_delegation_by_counselor(school)
    overdue = dict(
        dissemination_overdue(school, today=today)
        .order_by()
        .values("counselor_id")
        .annotate(count=Count("pk"))
        .values_list("counselor_id", "count")
    )
    return [
        CounselorTraining(
            counselor=counselor,
            hours=hours.get(counselor.pk, 0),
            delegations=delegations.get(counselor.pk, 0),
            last_delegated=last.get(counselor.pk, (None, ""))[0],
            mgbk=mgbk.get(counselor.pk),
            overdue_reports=overdue.get(counselor.pk, 0),
        )
        for counselor in counselors_of(school)
    ]


def last_delegation_by_counselor(
    school: School | int, *, exclude_event: TrainingEvent | None = None
) -> dict[int, tuple[datetime.date, str]]:
    """Per counselor id: the first day and title of the latest event they were delegated to.
    One query; the database picks each person's latest, however long the history."""
    delegations = delegations_of_school(school)
    if exclude_event is not None:
        delegations = delegations.exclude(event=exclude_event)
    latest = delegations.filter(counselor_id=OuterRef("pk")).order_by(
        "-event__starts_on", "-event_id"
    )
    rows = (
        User.objects.filter(school_id=_school_id(school))
        .annotate(
            last_day=Subquery(latest.values("event__starts_on")[:1]),
            last_title=Subquery(latest.values("event__title")[:1]),
        )
        .filter(last_day__isnull=False)
        .values_list("pk", "last_day", "last_title")
    )
    return {counselor_id: (day, title) for counselor_id, day, title in rows}


@dataclass(frozen=True)
class TrainingSeats:
    """Training events (MGBK meetings aside) of a period and the seats they offered."""

    events: int
    seats: int  # of the events with a limit
    unlimited: int  # events every counselor could attend

    @property
    def limited_events(self) -> int:
        return self.events - self.unlimited

    @property
    def seats_per_event(self) -> Decimal | None:
        """Seats per event with a limit, one decimal."""
        if not self.limited_events:
            return None
        return (Decimal(self.seats) / Decimal(self.limited_events)).quantize(Decimal("0.1"))


def training_seats(
    school: School | int, *, since: datetime.date, until: datetime.date
) -> TrainingSeats:
    """The events not cancelled, MGBK meetings aside, starting in the period, and the seats
    they offered the school. One query."""
    totals = (
        TrainingEvent.objects.filter(
            school_id=_school_id(school),
            is_cancelled=False,
            starts_on__gte=since,
            starts_on__lte=until,
        )
        .exclude(kind=TrainingEvent.Kind.MGBK)
        .aggregate(
            event_count=Count("pk"),
            seat_total=Sum("seats"),
            unlimited_count=Count("pk", filter=Q(seats__isnull=True)),
        )
    )
    return TrainingSeats(
        totals["event_count"], totals["seat_total"] or 0, totals["unlimited_count"]
    )


# --- Who goes next: the delegation proposal ---------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """A counselor in the order the app proposes them, with the figures that decided it."""

    counselor: User
    hours: int
    last_delegated: datetime.date | None
    last_event: str
    # Average of the latest finalised principal's appraisal's scores (1–4) in the competencies
    # the event targets; None without such an appraisal or targets.
    weakness: Decimal | None
    targeted_scores: list[tuple[int, int]]
    proposed: bool

    def reasons(self, *, targets: bool) -> list[str]:
        reasons = [
            ngettext(
                "%(hours)s JP of training in the last 12 months (bookings included)",
                "%(hours)s JP of training in the last 12 months (bookings included)",
                self.hours,
            )
            % {"hours": self.hours}
        ]
        if self.last_delegated is None:
            reasons.append(_("Never delegated before"))
        else:
            reasons.append(
                _("Last delegated on %(date)s (%(event)s)")
                % {
                    "date": formats.date_format(self.last_delegated, "j F Y"),
                    "event": self.last_event,
                }
            )
        if not targets:
            reasons.append(_("The event targets no particular competency"))
        elif self.weakness is None:
            reasons.append(_("No finalised appraisal by the principal yet"))
        else:
            reasons.append(
                _("Average score %(score)s of 4 in the targeted competencies (%(detail)s)")
                % {
                    "score": formats.number_format(self.weakness, 2),
                    "detail": ", ".join(
                        _("no. %(number)s: %(score)s") % {"number": number, "score": score}
                        for number, score in self.targeted_scores
                    ),
                }
            )
        return reasons


@dataclass(frozen=True)
class DelegationProposal:
    event: TrainingEvent
    delegates: list[TrainingParticipation]
    seats_left: int | None  # None: no limit
    proposals: list[Proposal] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)

    @property
    def seats_are_few(self) -> bool:
        return self.seats_left is not None and self.seats_left < len(self.proposals)


def _weakness_by_counselor(
    counselor_ids: Iterable[int], numbers: list[int]
) -> dict[int, list[tuple[int, int]]]:
    """Per counselor id: (competency number, score) in the targeted competencies, from their
    latest finalised principal's appraisal."""
    if not numbers:
        return {}
    rows = (
        CompetencyResult.objects.filter(
            appraisal__counselor_id__in=list(counselor_ids),
            appraisal__kind=Appraisal.Kind.PRINCIPAL,
            appraisal__status__in=FINALISED,
            competency__number__in=numbers,
        )
        .order_by(
            "appraisal__counselor_id", "-appraisal__semester__start_date", "competency__number"
        )
        .values_list("appraisal__counselor_id", "appraisal_id", "competency__number", "score")
    )
    latest: dict[int, int] = {}
    scores: dict[int, list[tuple[int, int]]] = {}
    for counselor_id, appraisal_id, number, score in rows:
        if latest.setdefault(counselor_id, appraisal_id) == appraisal_id:
            scores.setdefault(counselor_id, []).append((number, score))
    return scores


def delegation_proposal(event: TrainingEvent, *, today: datetime.date) -> DelegationProposal:
    """The school's counselors not yet delegated to the event, in the order the app proposes
    them: fewest training hours in the last twelve months, then longest since last delegated
    (never first), then weakest in the targeted competencies (no appraisal last), then by name.
    The first as many as there are seats left are proposed. Six queries whatever the history."""
    delegates = list(
        event.participations.filter(withdrawn_at__isnull=True)
        .select_related("counselor")
        .order_by("counselor__full_name")
    )
    taken = {participation.counselor_id for participation in delegates}
    counselors = [c for c in counselors_of(event.school_id) if c.pk not in taken]
    targets = sorted(event.competencies.values_list("number", flat=True))
    hours = training_hours_by_counselor(
        event.school_id, since=today - TRAINING_WINDOW, exclude_event=event
    )
    last = last_delegation_by_counselor(event.school_id, exclude_event=event)
    weakness = _weakness_by_counselor((c.pk for c in counselors), targets)

    def average(counselor_id: int) -> Decimal | None:
        scores = weakness.get(counselor_id)
        if not scores:
            return None
        return Decimal(sum(score for _, score in scores)) / Decimal(len(scores))

    def order(counselor: User):
        last_day = last.get(counselor.pk, (datetime.date.min, ""))[0]
        weak = average(counselor.pk)
        return (
            hours.get(counselor.pk, 0),
            last_day,
            weak is None,
            weak or Decimal(0),
            counselor.full_name.casefold(),
            counselor.pk,
        )

    seats_left = None if event.seats is None else max(0, event.seats - len(delegates))
    proposals = []
    for rank, counselor in enumerate(sorted(counselors, key=order)):
        day, title = last.get(counselor.pk, (None, ""))
        proposals.append(
            Proposal(
                counselor=counselor,
                hours=hours.get(counselor.pk, 0),
                last_delegated=day,
                last_event=title,
                weakness=average(counselor.pk),
                targeted_scores=weakness.get(counselor.pk, []),
                proposed=seats_left is None or rank < seats_left,
            )
        )
    return DelegationProposal(event, delegates, seats_left, proposals, targets)


# --- Events ------------------------------------------------------------------------------------


def _check_manager(user: User, school_id: int) -> None:
    if not can(user, Permission.MANAGE_TRAINING) or user.school_id != school_id:
        raise ValidationError(_("Only the principal and the vice principal record training."))


def _check_mgbk_seats(values: dict) -> None:
    if values.get("kind") == TrainingEvent.Kind.MGBK and values.get("seats") is not None:
        raise ValidationError(
            {"seats": _("Every BK teacher takes part in an MGBK meeting; leave the seats empty.")}
        )


@transaction.atomic
def training_event_create(
    *, school: School, created_by: User, competencies: Iterable, **values
) -> TrainingEvent:
    """Record an event. Every counselor of the school is expected at an MGBK meeting, so they
    are all listed as its participants at once."""
    _check_manager(created_by, school.pk)
    _check_mgbk_seats(values)
    event = TrainingEvent(school=school, created_by=created_by, **values)
    event.full_clean()
    event.save()
    event.competencies.set(competencies)
    if event.is_mgbk:
        now = timezone.now()
        TrainingParticipation.objects.bulk_create(
            TrainingParticipation(
                school=school,
                event=event,
                counselor=counselor,
                delegated_by=created_by,
                delegated_at=now,
            )
            for counselor in counselors_of(school)
        )
    return event


@transaction.atomic
def training_event_update(
    *, event: TrainingEvent, user: User, version: int, competencies: Iterable, **values
) -> TrainingEvent:
    """Save an edit made on the form opened at `version`; StaleEdit if saved since."""
    _check_manager(user, event.school_id)
    _check_mgbk_seats(values)
    candidate = TrainingEvent(
        pk=event.pk, school_id=event.school_id, created_by_id=event.created_by_id, **values
    )
    candidate._state.adding = False  # the same row, edited: no "already exists"
    candidate.full_clean()
    if (
        values.get("seats") is not None
        and event.participations.filter(withdrawn_at__isnull=True).count() > values["seats"]
    ):
        raise ValidationError(
            {"seats": _("More BK teachers are delegated than this; withdraw some first.")}
        )
    updated = TrainingEvent.objects.filter(pk=event.pk, version=version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise StaleEdit(TrainingEvent.objects.get(pk=event.pk))
    school_data_changed(school_id=event.school_id)
    event.refresh_from_db()
    event.competencies.set(competencies)
    school_data_changed(school_id=event.school_id)
    return event


@transaction.atomic
def training_event_cancel(
    *, event: TrainingEvent, user: User, today: datetime.date
) -> TrainingEvent:
    """Mark the event cancelled; it stays on record, its delegations no longer count. An event
    that has taken place is not cancelled (edit it if it was recorded wrongly)."""
    _check_manager(user, event.school_id)
    if event.ends_on < today:
        raise ValidationError(_("The event is over; it can no longer be cancelled."))
    TrainingEvent.objects.filter(pk=event.pk).update(
        is_cancelled=True, version=F("version") + 1, updated_at=timezone.now()
    )
    school_data_changed(school_id=event.school_id)
    event.refresh_from_db()
    return event


# --- Delegation, attendance, certificates ------------------------------------------------------


@transaction.atomic
def delegation_confirm(
    *, event: TrainingEvent, counselors: Iterable[User], by: User, event_url: str
) -> list[TrainingParticipation]:
    """The principal sends these counselors; each is told by e-mail once the transaction is
    committed. Delegating more than the seats left is refused."""
    if not can(by, Permission.DELEGATE_TRAINING) or by.school_id != event.school_id:
        raise ValidationError(_("Only the principal decides who is delegated."))
    locked = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    if locked.is_cancelled:
        raise ValidationError(_("The event is cancelled."))
    counselors = list(counselors)
    allowed = set(counselors_of(locked.school_id).values_list("pk", flat=True))
    if any(counselor.pk not in allowed for counselor in counselors):
        raise ValidationError({"counselors": _("Choose BK teachers of your own school.")})
    existing = {p.counselor_id: p for p in TrainingParticipation.objects.filter(event=locked)}
    active = {pk for pk, p in existing.items() if p.withdrawn_at is None}
    new = [counselor for counselor in counselors if counselor.pk not in active]
    if not new:
        raise ValidationError({"counselors": _("Choose at least one BK teacher to delegate.")})
    if locked.seats is not None and len(active) + len(new) > locked.seats:
        left = max(0, locked.seats - len(active))
        raise ValidationError(
            {
                "counselors": ngettext(
                    "Only %(seats)s seat is left.", "Only %(seats)s seats are left.", left
                )
                % {"seats": left}
            }
        )
    now = timezone.now()
    delegated = []
    for counselor in new:
        participation = existing.get(counselor.pk)
        if participation is None:
            participation = TrainingParticipation.objects.create(
                school_id=locked.school_id,
                event=locked,
                counselor=counselor,
                delegated_by=by,
                delegated_at=now,
            )
        else:
            participation.withdrawn_at = None
            participation.delegated_by = by
            participation.delegated_at = now
            participation.attendance = TrainingParticipation.Attendance.UNRECORDED
            participation.save(
                update_fields=[
                    "withdrawn_at",
                    "delegated_by",
                    "delegated_at",
                    "attendance",
                    "updated_at",
                ]
            )
        delegated.append(participation)
    # Robust: a mail server that is down is logged; the delegation stands.
    transaction.on_commit(
        lambda: delegation_notify(event=locked, delegates=new, by=by, event_url=event_url),
        robust=True,
    )
    return delegated


def delegation_notify(
    *, event: TrainingEvent, delegates: Iterable[User], by: User, event_url: str
) -> int:
    """E-mail each delegate who has an address (in the school's language); how many were sent."""
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for delegate in delegates:
            if not delegate.email:
                continue
            values = {
                "name": delegate.full_name,
                "principal": by.full_name,
                "title": event.title,
                "kind": event.get_kind_display(),
                "organizer": event.organizer,
                "starts": formats.date_format(event.starts_on, "j F Y"),
                "ends": formats.date_format(event.ends_on, "j F Y"),
                "hours": event.hours,
                "place": event.place or "—",
                "due": formats.date_format(event.dissemination_due, "j F Y"),
                "url": event_url,
            }
            subject = _("You are delegated to %(title)s") % values
            if event.is_mgbk:
                closing = ""
            else:
                closing = (
                    _(
                        "Afterwards, share what you learnt with your colleagues: your "
                        "dissemination report is due on %(due)s."
                    )
                    % values
                )
            body = "\n\n".join(
                part
                for part in [
                    _("Dear %(name)s,") % values,
                    _(
                        "%(principal)s has delegated you to %(title)s (%(kind)s), organised "
                        "by %(organizer)s, from %(starts)s to %(ends)s, %(hours)s JP, at "
                        "%(place)s."
                    )
                    % values,
                    closing,
                    _("The details: %(url)s") % values,
                ]
                if part
            )
            send_mail(subject, body, None, [delegate.email])
            sent += 1
    return sent


@transaction.atomic
def participation_withdraw(
    *, participation: TrainingParticipation, by: User, today: datetime.date
) -> TrainingParticipation:
    """The principal takes a delegation back before the event begins; the row stays."""
    if not can(by, Permission.DELEGATE_TRAINING) or by.school_id != participation.school_id:
        raise ValidationError(_("Only the principal decides who is delegated."))
    locked = TrainingParticipation.objects.select_for_update().select_related("event")
    locked = locked.get(pk=participation.pk)
    if locked.withdrawn_at is not None:
        return locked
    if locked.event.starts_on <= today:
        raise ValidationError(_("The event has begun; record the attendance instead."))
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_at", "updated_at"])
    return locked


@transaction.atomic
def attendance_record(
    *,
    event: TrainingEvent,
    by: User,
    attendance: Mapping[int, tuple[str, str]],
    today: datetime.date,
) -> int:
    """Who attended: by participation id, (the value the form showed, the value chosen). A row
    somebody else changed since the form was opened is not overwritten: StaleEdit, nothing
    written. From the first day on; how many rows changed."""
    _check_manager(by, event.school_id)
    if event.starts_on > today:
        raise ValidationError(_("Record the attendance once the event has begun."))
    valid = TrainingParticipation.Attendance.values
    if any(shown not in valid or chosen not in valid for shown, chosen in attendance.values()):
        raise ValidationError(_("Choose an attendance for each BK teacher."))
    changed = []
    rows = TrainingParticipation.objects.select_for_update().filter(
        event=event, withdrawn_at__isnull=True
    )
    for participation in rows:
        if participation.pk not in attendance:
            continue
        shown, chosen = attendance[participation.pk]
        if participation.attendance == chosen:
            continue
        if participation.attendance != shown:
            raise StaleEdit(event)
        participation.attendance = chosen
        participation.updated_at = timezone.now()
        changed.append(participation)
    TrainingParticipation.objects.bulk_update(changed, ["attendance", "updated_at"])
    if changed:
        school_data_changed(school_id=event.school_id)
    return len(changed)


@transaction.atomic
def certificate_upload(
    *, participation: TrainingParticipation, by: User, upload: UploadedFile
) -> TrainingParticipation:
    """The delegate's certificate: a PDF, JPG or PNG of at most 5 MB (checked by content),
    stored under a random name. A new upload replaces the one shown."""
    if participation.counselor_id != by.pk or participation.withdrawn_at is not None:
        raise ValidationError(_("Only the delegate uploads the certificate."))
    if not participation.may_hold_certificate:
        raise ValidationError(NO_CERTIFICATE_WHEN_ABSENT)
    participation.certificate = document_check(upload, stem="certificate")
    participation.certificate_uploaded_at = timezone.now()
    # Saved last: the file is written to storage only once the checks are done.
    participation.save(update_fields=["certificate", "certificate_uploaded_at", "updated_at"])
    return participation


# --- Dissemination reports ---------------------------------------------------------------------


def owes_dissemination(participation: TrainingParticipation) -> bool:
    event = participation.event
    return (
        not event.is_mgbk
        and not event.is_cancelled
        and participation.withdrawn_at is None
        and participation.attendance not in NOT_ATTENDED
    )


@transaction.atomic
def dissemination_report_save(
    *,
    participation: TrainingParticipation,
    by: User,
    version: int | None,
    summary: str,
    materials: str,
    shared_on: datetime.date | None,
    materials_file: UploadedFile | None = None,
    today: datetime.date,
) -> DisseminationReport:
    """Write the delegate's report (version None) or save an edit of it made on the form opened
    at `version` (StaleEdit if saved since). From the event's last day on."""
    if participation.counselor_id != by.pk or not has_role(by, Role.COUNSELOR):
        raise ValidationError(_("Only the delegate writes the dissemination report."))
    if not owes_dissemination(participation):
        raise ValidationError(_("No dissemination report is owed for this event."))
    event = participation.event
    if event.ends_on > today:
        raise ValidationError(_("Write the report once the event is over."))
    if shared_on is not None and not event.starts_on <= shared_on <= today:
        raise ValidationError(
            {"shared_on": _("The date falls between the event's first day and today.")}
        )
    values = {"summary": summary.strip(), "materials": materials.strip(), "shared_on": shared_on}
    if materials_file:
        materials_file = materials_check(materials_file, stem="materials")
    if version is None:
        report = DisseminationReport(
            school_id=participation.school_id, participation=participation, **values
        )
        if materials_file:
            report.materials_file = materials_file
        report.full_clean(exclude=["participation"])
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise StaleEdit(DisseminationReport.objects.get(participation=participation)) from None
        return report
    report = DisseminationReport.objects.select_for_update().get(participation=participation)
    if report.version != version:
        raise StaleEdit(report)
    for name, value in values.items():
        setattr(report, name, value)
    if materials_file:
        report.materials_file = materials_file
    report.version += 1
    report.full_clean(exclude=["participation"])
    report.save()
    return report


# --- Reads for the pages -----------------------------------------------------------------------

WHEN_UPCOMING = "upcoming"
WHEN_PAST = "past"


# Every kind but the MGBK meetings: the trainings a school is offered seats at.
KIND_TRAINING = "training"


def events_for_list(
    user: User,
    *,
    today: datetime.date,
    kind: str = "",
    when: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[TrainingEvent]:
    """The school's events, newest first, each with its standing participants; `kind` may
    be KIND_TRAINING (all but MGBK meetings); `since` and `until` bound the first day."""
    events = training_events_visible_to(user)
    if kind == KIND_TRAINING:
        events = events.exclude(kind=TrainingEvent.Kind.MGBK)
    elif kind:
        events = events.filter(kind=kind)
    if when == WHEN_UPCOMING:
        events = events.filter(ends_on__gte=today)
    elif when == WHEN_PAST:
        events = events.filter(ends_on__lt=today)
    if since is not None:
        events = events.filter(starts_on__gte=since)
    if until is not None:
        events = events.filter(starts_on__lte=until)
    standing = TrainingParticipation.objects.filter(withdrawn_at__isnull=True)
    return events.prefetch_related(
        Prefetch(
            "participations",
            queryset=standing.select_related("counselor").order_by("counselor__full_name"),
            to_attr="standing_participations",
        )
    ).order_by("-starts_on", "-pk")


def event_for_page(user: User) -> QuerySet[TrainingEvent]:
    return (
        training_events_visible_to(user)
        .select_related("created_by")
        .prefetch_related("competencies")
    )


def event_participations(event: TrainingEvent) -> list[TrainingParticipation]:
    """The event's participants, standing ones first, with their reports."""
    return list(
        event.participations.select_related("counselor", "dissemination_report", "event").order_by(
            F("withdrawn_at").asc(nulls_first=True), "counselor__full_name", "pk"
        )
    )


def participation_for_page(user: User) -> QuerySet[TrainingParticipation]:
    return participations_visible_to(user).select_related("event", "counselor")


def report_for_page(user: User) -> QuerySet[DisseminationReport]:
    return dissemination_reports_visible_to(user).select_related(
        "participation__event", "participation__counselor"
    )


def dissemination_shared_at(report: DisseminationReport) -> list:
    """The meetings, not cancelled, where the report was presented. Meetings live in
    supervision, which names the report from its side (DESIGN.md: a link between apps is
    stored on the higher side), so staff reads them through the reverse relation."""
    return list(
        report.presented_at_meetings.filter(cancelled_at__isnull=True).order_by("starts_at", "pk")
    )


LATEST_OVERDUE_ON_HOME = 10


@dataclass(frozen=True)
class OverdueReports:
    """Overdue dissemination reports shown on the home page."""

    own: list[TrainingParticipation]
    school: list[TrainingParticipation]
    limit: int = LATEST_OVERDUE_ON_HOME


def overdue_reports_for_home(user: User, *, today: datetime.date) -> OverdueReports | None:
    """A delegate's own overdue reports; for the principal, the school's. None for anyone else
    (the home then shows no panel). One query per list, at most LATEST_OVERDUE_ON_HOME + 1
    rows each."""
    school_id = getattr(user, "school_id", None)
    if school_id is None:
        return None
    is_counselor = has_role(user, Role.COUNSELOR)
    is_principal = has_role(user, Role.PRINCIPAL)
    if not (is_counselor or is_principal):
        return None
    limit = LATEST_OVERDUE_ON_HOME + 1
    own = (
        list(dissemination_overdue(school_id, today=today, counselor=user)[:limit])
        if is_counselor
        else []
    )
    school = list(dissemination_overdue(school_id, today=today)[:limit]) if is_principal else []
    return OverdueReports(own=own, school=school)


@dataclass(frozen=True)
class ParticipantRow:
    """A participant of an event as its page shows them to this reader."""

    participation: TrainingParticipation
    owes_report: bool
    report_overdue: bool
    certificate_visible: bool
    is_own: bool


def participant_rows(
    user: User, participations: Iterable[TrainingParticipation], *, today: datetime.date
) -> list[ParticipantRow]:
    rows = []
    for participation in participations:
        owes = owes_dissemination(participation)
        reported = hasattr(participation, "dissemination_report")
        rows.append(
            ParticipantRow(
                participation=participation,
                owes_report=owes,
                report_overdue=owes
                and not reported
                and today > participation.event.dissemination_due,
                certificate_visible=bool(participation.certificate)
                and may_read_certificate(user, participation),
                is_own=participation.counselor_id == user.pk,
            )
        )
    return rows


def own_participations(user: User, *, today: datetime.date) -> list[TrainingParticipation]:
    """The counselor's standing delegations of the last twelve months and those to come, with
    their reports, newest first."""
    return list(
        _live(participations_of(user))
        .filter(event__ends_on__gte=today - TRAINING_WINDOW)
        .select_related("event", "dissemination_report")
        .order_by("-event__starts_on", "-pk")
    )


# --- The semester on the homes -----------------------------------------------------------------


def _in_semester(semester: Semester) -> Q:
    """Participations of the semester: to events held in it (in part), or whose dissemination
    report falls due in it."""
    return Q(event__starts_on__lte=semester.end_date, event__ends_on__gte=semester.start_date) | Q(
        event__ends_on__gte=semester.start_date - datetime.timedelta(days=DISSEMINATION_DAYS),
        event__ends_on__lte=semester.end_date - datetime.timedelta(days=DISSEMINATION_DAYS),
    )


@dataclass(frozen=True)
class ReportDue:
    """A dissemination report owed and not written yet."""

    participation: TrainingParticipation
    overdue: bool

    @property
    def due(self) -> datetime.date:
        return self.participation.event.dissemination_due


def _reports_due(
    participations: Iterable[TrainingParticipation], semester: Semester, today: datetime.date
) -> list[ReportDue]:
    """Of the participations, the reports falling due in the semester, owed from an event that
    is over and not written yet, by due date."""
    due = [
        ReportDue(participation, overdue=participation.event.dissemination_due < today)
        for participation in participations
        if owes_dissemination(participation)
        and not hasattr(participation, "dissemination_report")
        and participation.event.ends_on <= today
        and semester.start_date <= participation.event.dissemination_due <= semester.end_date
    ]
    return sorted(due, key=lambda item: (item.due, item.participation.pk))


@dataclass(frozen=True)
class OwnSemesterTraining:
    """A counselor's events of the semester with their hours, and the reports falling due."""

    participations: list[TrainingParticipation]
    reports_due: list[ReportDue]

    @property
    def training_hours(self) -> int:
        """Hours (JP) of training, as training_hours_by_counselor counts them."""
        return sum(
            p.event.hours
            for p in self.participations
            if not p.event.is_mgbk and p.attendance not in NOT_ATTENDED
        )

    @property
    def mgbk(self) -> MgbkRate:
        recorded = [p for p in self.participations if p.event.is_mgbk and p.attendance in RECORDED]
        present = sum(
            1 for p in recorded if p.attendance == TrainingParticipation.Attendance.PRESENT
        )
        return MgbkRate(present, len(recorded))

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.reports_due if item.overdue)


def own_semester_training(
    user: User, semester: Semester, *, today: datetime.date
) -> OwnSemesterTraining:
    """The user's standing delegations to events of the semester (training and MGBK), oldest
    first, and the own reports falling due in it. One query."""
    rows = list(
        _live(participations_of(user))
        .filter(_in_semester(semester))
        .select_related("event", "dissemination_report")
        .order_by("event__starts_on", "pk")
    )
    held = [
        p
        for p in rows
        if p.event.starts_on <= semester.end_date and p.event.ends_on >= semester.start_date
    ]
    return OwnSemesterTraining(held, _reports_due(rows, semester, today))


@dataclass(frozen=True)
class SchoolSemesterTraining:
    """What the school recorded of professional development in the semester."""

    trainings: int
    mgbk_meetings: int
    delegations: int
    reports_due: list[ReportDue]

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.reports_due if item.overdue)


def school_semester_training(
    school: School | int, semester: Semester, *, today: datetime.date
) -> SchoolSemesterTraining:
    """The school's training events and MGBK meetings held in the semester (not cancelled),
    the delegations to the former, and every delegate's report falling due in it. Two
    queries."""
    mgbk = Q(kind=TrainingEvent.Kind.MGBK)
    counts = TrainingEvent.objects.filter(
        school_id=_school_id(school),
        is_cancelled=False,
        starts_on__lte=semester.end_date,
        ends_on__gte=semester.start_date,
    ).aggregate(
        trainings=Count("pk", filter=~mgbk, distinct=True),
        mgbk_meetings=Count("pk", filter=mgbk, distinct=True),
        delegations=Count(
            "participations", filter=~mgbk & Q(participations__withdrawn_at__isnull=True)
        ),
    )
    owed = (
        dissemination_owed(school)
        .filter(_in_semester(semester), dissemination_report__isnull=True)
        .select_related("event", "counselor", "dissemination_report")
    )
    return SchoolSemesterTraining(
        trainings=counts["trainings"],
        mgbk_meetings=counts["mgbk_meetings"],
        delegations=counts["delegations"],
        reports_due=_reports_due(owed, semester, today),
    )
