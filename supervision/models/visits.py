"""Academic supervision of BK teachers (supervisi akademik BK): visits and their checklist."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models import School, Semester
from supervision.models.meetings import ActionItem, Meeting


class Focus(models.TextChoices):
    PROGRAMME_PLAN = "programme_plan", _("BK programme plan")
    CLASSICAL_GUIDANCE = "classical_guidance", _("Classical guidance")
    INDIVIDUAL_RECORDS = "individual_records", _("Individual counseling records")
    PERSONAL_BOOKS = "personal_books", _("Personal books")
    ADMINISTRATION = "administration", _("Administration")


class ChecklistItem(models.Model):
    """One point the supervisor scores 1–4 for a focus. Shipped as data and edited by
    administrators; an item no longer used is deactivated, so old scores keep their item."""

    focus = models.CharField(_("focus"), max_length=20, choices=Focus.choices)
    text = models.CharField(_("item"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("supervision checklist item")
        verbose_name_plural = _("supervision checklist items")
        ordering = ["focus", "position", "pk"]
        indexes = [
            models.Index(fields=["focus", "is_active", "position"], name="checklist_focus_idx")
        ]

    def __str__(self) -> str:
        return self.text


class SupervisionVisit(models.Model):
    """The principal's visit to one BK teacher in a semester: planned → observed → feedback
    given → followed up."""

    Focus = Focus

    class Stage(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OBSERVED = "observed", _("Observed")
        FEEDBACK_GIVEN = "feedback_given", _("Feedback given")
        FOLLOWED_UP = "followed_up", _("Followed up")

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="visits"
    )
    semester = models.ForeignKey(
        Semester, verbose_name=_("semester"), on_delete=models.PROTECT, related_name="visits"
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("BK teacher"),
        on_delete=models.PROTECT,
        related_name="supervision_visits",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        related_name="visits_supervised",
    )
    focus = models.CharField(_("focus"), max_length=20, choices=Focus.choices)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.PLANNED
    )
    planned_on = models.DateField(_("planned for"))
    observed_on = models.DateField(_("observed on"), null=True, blank=True)
    observation_notes = models.TextField(_("observation notes"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    feedback_on = models.DateField(_("feedback given on"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    follow_up_action_item = models.ForeignKey(
        ActionItem,
        verbose_name=_("follow-up action item"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    follow_up_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("follow-up coaching meeting"),
        on_delete=models.PROTECT,
        related_name="supervision_follow_ups",
        null=True,
        blank=True,
    )
    follow_up_training = models.ForeignKey(
        "staff.TrainingEvent",
        verbose_name=_("follow-up training"),
        on_delete=models.PROTECT,
        related_name="supervision_follow_ups",
        null=True,
        blank=True,
    )
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")
        ordering = ["planned_on", "pk"]
        indexes = [
            models.Index(fields=["school", "semester", "stage"], name="visit_school_semester_idx"),
            models.Index(fields=["counselor", "planned_on"], name="visit_counselor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.counselor} — {self.get_focus_display()} ({self.planned_on})"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def may_change_plan(self) -> bool:
        """Only a visit still planned (not observed yet, not cancelled) is moved or
        cancelled: one that took place is a record."""
        return self.stage == self.Stage.PLANNED and not self.is_cancelled


class VisitChange(models.Model):
    """A visit moved to another day or cancelled, as it happened: never changed or deleted,
    so that the visit's page tells its history."""

    class Kind(models.TextChoices):
        RESCHEDULED = "rescheduled", _("Rescheduled")
        CANCELLED = "cancelled", _("Cancelled")

    visit = models.ForeignKey(
        SupervisionVisit,
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        related_name="changes",
    )
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    previous_date = models.DateField(_("planned for before"))
    new_date = models.DateField(_("planned for after"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision visit change")
        verbose_name_plural = _("supervision visit changes")
        ordering = ["visit", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.get_kind_display()} ({self.previous_date})"


class SupervisionScore(models.Model):
    """The score, 1 to 4, one checklist item got in one visit."""

    visit = models.ForeignKey(
        SupervisionVisit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("supervision score")
        verbose_name_plural = _("supervision scores")
        ordering = ["item__position", "item__pk"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "item"], name="score_unique_item_per_visit"),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=4), name="score_from_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"
