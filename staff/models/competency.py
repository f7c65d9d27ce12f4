"""The BK competency framework (Permendiknas 27/2008) in versions, and the appraisals scored
on it.

A framework version holds 4 areas, the areas hold the competencies (numbered 1–17 across the
whole framework, the number staying the same from one version to the next), the competencies
hold their indicators. An appraisal keeps the version it was scored on; a version used by any
appraisal is never changed in place (staff.admin shows it read-only): an administrator copies
it into a new version instead.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from staff.scoring import INDICATOR_SCORES, Category


class CompetencyFramework(models.Model):
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"), unique=True)
    is_active = models.BooleanField(
        _("active"), default=False, help_text=_("New appraisals are scored on the active version.")
    )
    notes = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="competency_framework_one_active",
            ),
        ]

    def __str__(self) -> str:
        return _("%(name)s, version %(version)s") % {"name": self.name, "version": self.version}

    def is_in_use(self) -> bool:
        """Scored on by an appraisal: then it may no longer change."""
        return self.appraisals.exists()


class CompetencyArea(models.Model):
    """One of the four areas: A pedagogic, B personality, C social, D professional."""

    framework = models.ForeignKey(
        CompetencyFramework,
        verbose_name=_("framework"),
        on_delete=models.CASCADE,
        related_name="areas",
    )
    letter = models.CharField(_("letter"), max_length=1, help_text=_("A, B, C or D."))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("competency area")
        verbose_name_plural = _("competency areas")
        ordering = ["framework", "letter"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "letter"], name="competency_area_unique_letter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter}. {self.name}"


class Competency(models.Model):
    # Repeats area.framework so that "one number per framework" is a constraint.
    framework = models.ForeignKey(
        CompetencyFramework,
        verbose_name=_("framework"),
        on_delete=models.CASCADE,
        related_name="competencies",
        editable=False,
    )
    area = models.ForeignKey(
        CompetencyArea,
        verbose_name=_("area"),
        on_delete=models.CASCADE,
        related_name="competencies",
    )
    number = models.PositiveSmallIntegerField(
        _("number"),
        help_text=_("1 to 17; keep the number when copying, it links versions together."),
    )
    title = models.CharField(_("competency"), max_length=300)

    class Meta:
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="competency_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.framework_id = self.area.framework_id
        super().save(*args, **kwargs)


class Indicator(models.Model):
    """A sub-competency, scored 0, 1 or 2 in an appraisal."""

    competency = models.ForeignKey(
        Competency,
        verbose_name=_("competency"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("Within the competency."))
    text = models.CharField(_("indicator"), max_length=500)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["competency", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["competency", "number"], name="indicator_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def code(self) -> str:
        """ "4.2": the competency's number, then the indicator's."""
        return f"{self.competency.number}.{self.number}"


class Appraisal(models.Model):
    """A counselor's competency appraisal for a semester, by the principal or by the counselor
    (self-appraisal). Draft → finalised by the assessor → acknowledged by the counselor (a
    principal's appraisal). Once finalised it is never edited; its results are stored."""

    class Kind(models.TextChoices):
        PRINCIPAL = "principal", _("Principal's appraisal")
        SELF = "self", _("Self-appraisal")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINALISED = "finalised", _("Finalised")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    school = models.ForeignKey(
        "staff.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("BK teacher"),
        on_delete=models.PROTECT,
        related_name="appraisals_received",
    )
    semester = models.ForeignKey(
        "staff.Semester",
        verbose_name=_("semester"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="appraisals_given",
    )
    framework = models.ForeignKey(
        CompetencyFramework,
        verbose_name=_("framework"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_("Strengths, what to improve, and what was agreed for next semester."),
    )
    counselor_comment = models.TextField(_("BK teacher's comment"), blank=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    # The results, stored when the appraisal is finalised (staff.scoring computes them).
    total_score = models.PositiveSmallIntegerField(_("total score"), null=True, blank=True)
    final_score = models.DecimalField(
        _("final score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    category = models.CharField(_("category"), max_length=10, choices=Category.choices, blank=True)
    # Bumped by every save through the services, so that two editors cannot overwrite each other.
    version = models.PositiveIntegerField(_("version"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("competency appraisal")
        verbose_name_plural = _("competency appraisals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["counselor", "semester", "kind"],
                name="appraisal_one_per_kind_and_semester",
            ),
            models.CheckConstraint(
                condition=Q(kind="self", assessor=F("counselor"))
                | (Q(kind="principal") & ~Q(assessor=F("counselor"))),
                name="appraisal_assessor_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(
                    final_score__isnull=False, total_score__isnull=False, finalised_at__isnull=False
                ),
                name="appraisal_finalised_has_results",
            ),
            models.CheckConstraint(
                condition=Q(final_score__isnull=True) | Q(final_score__gte=0, final_score__lte=100),
                name="appraisal_final_score_0_to_100",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "semester", "kind"], name="appraisal_school_sem_idx"),
            models.Index(fields=["counselor", "kind", "status"], name="appraisal_counselor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.counselor} ({self.semester})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_self(self) -> bool:
        return self.kind == self.Kind.SELF


class IndicatorScore(models.Model):
    """An indicator's score in one appraisal; empty while the draft leaves it unscored."""

    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("appraisal"), on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(
        _("score"), choices=[(value, str(value)) for value in INDICATOR_SCORES], null=True
    )

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "indicator"], name="indicator_score_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=max(INDICATOR_SCORES)),
                name="indicator_score_0_to_2",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.score}"


class CompetencyResult(models.Model):
    """A competency's result in a finalised appraisal, stored so that profiles and dashboards
    read it with aggregate queries."""

    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("appraisal"), on_delete=models.CASCADE, related_name="results"
    )
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="results"
    )
    indicator_total = models.PositiveSmallIntegerField(_("indicator total"))
    percentage = models.DecimalField(_("percentage"), max_digits=5, decimal_places=2)
    score = models.PositiveSmallIntegerField(_("competency score"))

    class Meta:
        verbose_name = _("competency result")
        verbose_name_plural = _("competency results")
        ordering = ["appraisal", "competency__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "competency"], name="competency_result_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=4), name="competency_result_score_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency.number}: {self.score}"
