"""The BK room's facilities (sarana prasarana): the standard checklist, the school's
assessments of it over time, and the counselors' requests."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.models import School


class FacilityItem(models.Model):
    """One room or piece of equipment the standard asks for. Shipped as data, edited by
    administrators; an item no longer asked for is deactivated, never deleted."""

    class Category(models.TextChoices):
        ROOM = "room", _("Room")
        EQUIPMENT = "equipment", _("Equipment")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    name = models.CharField(_("name"), max_length=200)
    requirement = models.TextField(_("what the standard asks"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("facility standard item")
        verbose_name_plural = _("facility standard items")
        ordering = ["category", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class FacilityState(models.TextChoices):
    MEETS = "meets", _("Meets the standard")
    PARTLY = "partly", _("Partly")
    MISSING = "missing", _("Missing")


class FacilityAssessment(models.Model):
    """The state of every standard item at one moment, as someone recorded it. A new record
    keeps the previous ones: they are the compliance history."""

    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="facility_assessments",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # Share of the items assessed that meet the standard, 0–100; kept so that the history and
    # the dashboards need no per-item work.
    compliance = models.PositiveSmallIntegerField(_("compliance (%)"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("facility assessment")
        verbose_name_plural = _("facility assessments")
        ordering = ["-recorded_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "-recorded_at"], name="facility_assessment_time_idx")
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.recorded_at:%Y-%m-%d}: {self.compliance}%"


class FacilityCondition(models.Model):
    """One item's state in one assessment."""

    State = FacilityState

    assessment = models.ForeignKey(
        FacilityAssessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="conditions",
    )
    item = models.ForeignKey(
        FacilityItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="conditions"
    )
    state = models.CharField(_("state"), max_length=10, choices=FacilityState.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("facility condition")
        verbose_name_plural = _("facility conditions")
        ordering = ["item__category", "item__position", "item__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item"], name="facility_condition_unique_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.get_state_display()}"


class FacilityRequest(models.Model):
    """A counselor asks for something the BK room needs; the principal approves or rejects it
    (with a reason) and later marks it fulfilled."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        FULFILLED = "fulfilled", _("Fulfilled")

    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.SUBMITTED: (Status.APPROVED, Status.REJECTED),
        Status.APPROVED: (Status.FULFILLED,),
        Status.REJECTED: (),
        Status.FULFILLED: (),
    }

    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="facility_requests",
    )
    item = models.ForeignKey(
        FacilityItem,
        verbose_name=_("standard item"),
        on_delete=models.PROTECT,
        related_name="requests",
        null=True,
        blank=True,
        help_text=_("The item of the standard this is for, if any."),
    )
    what = models.CharField(_("what is needed"), max_length=200)
    reason = models.TextField(_("why"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="facility_requests",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("facility request")
        verbose_name_plural = _("facility requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["school", "status", "-created_at"], name="facility_request_status_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.what

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())
