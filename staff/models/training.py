"""Professional development: training events and MGBK meetings, who was sent and who attended,
certificates, and the dissemination report each delegate owes colleagues."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from staff.uploads import random_document_path

# A delegate shares what was learnt within this many days of the event's last day.
DISSEMINATION_DAYS = 14


class TrainingEvent(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        DIKLAT = "diklat", _("Training course (diklat)")
        BIMTEK = "bimtek", _("Technical guidance (bimtek)")
        SEMINAR = "seminar", _("Seminar")
        WEBINAR = "webinar", _("Webinar")
        MGBK = "mgbk", _("MGBK meeting")

    school = models.ForeignKey(
        "staff.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="training_events",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    organizer = models.CharField(
        _("organizer"),
        max_length=200,
        help_text=_("For example: MGBK SMP Kabupaten, Dinas Pendidikan."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    hours = models.PositiveSmallIntegerField(_("hours (JP)"))
    seats = models.PositiveSmallIntegerField(
        _("seats for the school"),
        null=True,
        blank=True,
        help_text=_("Leave empty when every BK teacher may take part."),
    )
    competencies = models.ManyToManyField(
        "staff.Competency",
        verbose_name=_("targeted competencies"),
        related_name="training_events",
        blank=True,
    )
    description = models.TextField(_("description"), blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Bumped by every save through the services, so that two editors cannot overwrite each other.
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="training_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(hours__gte=1), name="training_hours_positive"),
            models.CheckConstraint(
                condition=Q(seats__isnull=True) | Q(seats__gte=1), name="training_seats_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "-starts_on"], name="training_school_date_idx"),
            models.Index(fields=["school", "kind", "-starts_on"], name="training_school_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_mgbk(self) -> bool:
        return self.kind == self.Kind.MGBK

    @property
    def dissemination_due(self) -> datetime.date:
        return self.ends_on + datetime.timedelta(days=DISSEMINATION_DAYS)


def certificate_path(instance: "TrainingParticipation", filename: str) -> str:
    return random_document_path("certificates", instance.school_id, filename)


def materials_path(instance: "DisseminationReport", filename: str) -> str:
    return random_document_path("dissemination", instance.school_id, filename)


class TrainingParticipation(models.Model):
    """A counselor sent to an event (delegated by the principal), and whether they attended.

    A delegation withdrawn before the event keeps its row, marked withdrawn; delegating the same
    person again takes the row up again.
    """

    class Attendance(models.TextChoices):
        UNRECORDED = "unrecorded", _("Not recorded yet")
        PRESENT = "present", _("Present")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    school = models.ForeignKey(
        "staff.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="training_participations",
    )
    event = models.ForeignKey(
        TrainingEvent,
        verbose_name=_("event"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("BK teacher"),
        on_delete=models.PROTECT,
        related_name="training_participations",
    )
    delegated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    delegated_at = models.DateTimeField(_("delegated at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.UNRECORDED
    )
    certificate = models.FileField(
        _("certificate"),
        upload_to=certificate_path,
        blank=True,
        help_text=_("PDF, JPG or PNG, at most 5 MB."),
    )
    certificate_uploaded_at = models.DateTimeField(
        _("certificate uploaded at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("training participation")
        verbose_name_plural = _("training participations")
        ordering = ["event", "counselor__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "counselor"], name="training_participation_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["counselor", "event"], name="participation_counselor_idx"),
            models.Index(fields=["school", "attendance"], name="participation_school_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.counselor}: {self.event}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def may_hold_certificate(self) -> bool:
        """A certificate proves attendance: not for a delegate marked absent or excused."""
        return self.attendance not in (self.Attendance.ABSENT, self.Attendance.EXCUSED)


class DisseminationReport(models.Model):
    """What a delegate shared with colleagues after an event. The meeting where it was shared
    names the report from its side (supervision), DESIGN.md: a link between apps is stored on
    the higher side."""

    school = models.ForeignKey(
        "staff.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="dissemination_reports",
    )
    participation = models.OneToOneField(
        TrainingParticipation,
        verbose_name=_("delegation"),
        on_delete=models.PROTECT,
        related_name="dissemination_report",
    )
    summary = models.TextField(
        _("summary"), help_text=_("What was learnt, and what colleagues can use in their work.")
    )
    materials = models.TextField(
        _("materials"),
        blank=True,
        help_text=_("What was handed over: modules, slides, links."),
    )
    materials_file = models.FileField(
        _("materials file"),
        upload_to=materials_path,
        blank=True,
        help_text=_("PDF, JPG or PNG, at most 5 MB."),
    )
    shared_on = models.DateField(
        _("shared on"), null=True, blank=True, help_text=_("When you shared it with colleagues.")
    )
    # Bumped by every save through the services, so that two editors cannot overwrite each other.
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("dissemination report")
        verbose_name_plural = _("dissemination reports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["school", "-created_at"], name="dissemination_school_idx"),
        ]

    def __str__(self) -> str:
        return str(self.participation)
