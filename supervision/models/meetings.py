"""Meetings, their invitees and attendance, action items, the performance evaluations of a
limited meeting, and the personal calendar feeds."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.models import School


class Meeting(models.Model):
    """A meeting at a school. Never deleted: a meeting that will not take place is cancelled.

    Each occurrence of a repeating meeting is a meeting of its own, sharing a `series`.
    """

    class Kind(models.TextChoices):
        COORDINATION = "coordination", _("Coordination meeting")
        LIMITED_EVALUATION = "limited_evaluation", _("Limited evaluation meeting")
        COACHING = "coaching", _("Coaching")
        CASE_CONFERENCE = "case_conference", _("Case conference")
        OTHER = "other", _("Other meeting")

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="meetings_organized",
    )
    series = models.UUIDField(_("series"), null=True, blank=True, editable=False)
    # The iCalendar UID: invitations, downloads and feeds name the same event.
    uid = models.UUIDField(_("calendar id"), default=uuid.uuid4, unique=True, editable=False)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    minutes_recorded_at = models.DateTimeField(_("minutes recorded at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    # Delegates share what they learnt at a meeting (DESIGN.md: the meeting names the report).
    dissemination_reports = models.ManyToManyField(
        "staff.DisseminationReport",
        verbose_name=_("dissemination reports presented"),
        related_name="presented_at_meetings",
        blank=True,
    )
    # Bumped by every change, so that two editors cannot overwrite each other; it is also the
    # iCalendar SEQUENCE that tells calendar apps an invitation was updated.
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "starts_at"], name="meeting_school_start_idx"),
            models.Index(fields=["school", "kind", "starts_at"], name="meeting_school_kind_idx"),
            models.Index(fields=["series", "starts_at"], name="meeting_series_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:meeting_detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def has_minutes(self) -> bool:
        return self.minutes_recorded_at is not None

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class MeetingInvitation(models.Model):
    """One person invited to a meeting, and whether they came."""

    class Attendance(models.TextChoices):
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="meeting_invitations",
    )
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, blank=True
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="invitation_unique_person"),
        ]
        indexes = [models.Index(fields=["person", "meeting"], name="invitation_person_idx")]

    def __str__(self) -> str:
        return f"{self.person} → {self.meeting}"


class PerformanceEvaluation(models.Model):
    """A counselor's performance discussed in a limited evaluation meeting. Only the principal
    and that counselor read it; its agreed actions are action items."""

    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="performance_evaluations",
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="evaluations"
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("BK teacher"),
        on_delete=models.PROTECT,
        related_name="performance_evaluations",
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    went_well = models.TextField(_("what went well"))
    to_improve = models.TextField(_("what to improve"))
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("performance evaluation")
        verbose_name_plural = _("performance evaluations")
        ordering = ["meeting__starts_at", "counselor__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "counselor"], name="evaluation_unique_per_meeting"
            ),
        ]
        indexes = [
            models.Index(fields=["counselor", "meeting"], name="evaluation_counselor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.counselor} — {self.meeting}"


class ActionItem(models.Model):
    """Something a person agreed to do by a date: from a meeting, a performance evaluation
    or a supervision visit's follow-up."""

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="action_items"
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="action_items",
        null=True,
        blank=True,
    )
    evaluation = models.ForeignKey(
        PerformanceEvaluation,
        verbose_name=_("performance evaluation"),
        on_delete=models.PROTECT,
        related_name="agreed_actions",
        null=True,
        blank=True,
    )
    description = models.CharField(_("what"), max_length=300)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    due_on = models.DateField(_("due date"))
    # The competency the action is meant to strengthen, if any (by its number it is compared
    # across framework versions).
    competency = models.ForeignKey(
        "staff.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="action_items",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Agreed actions of a performance evaluation or a supervision visit: for the principal and
    # the assignee only, like the evaluation or visit they came from.
    is_confidential = models.BooleanField(_("principal and assignee only"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_on"], name="action_item_assignee_idx"),
            models.Index(fields=["school", "status", "due_on"], name="action_item_school_due_idx"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


class CalendarFeed(models.Model):
    """A person's private calendar feed. Only a hash of its secret token is kept: the address
    is shown once, when it is made, and can be revoked or renewed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
