from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models import AcademicYear, School

nisn_validator = RegexValidator(r"^\d{10}$", _("A NISN has exactly 10 digits."))


class Classroom(models.Model):
    """A class group (rombel) of one academic year, e.g. "VIII-B"."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="classrooms"
    )
    academic_year = models.ForeignKey(
        AcademicYear,
        verbose_name=_("academic year"),
        on_delete=models.PROTECT,
        related_name="classrooms",
    )
    grade = models.PositiveSmallIntegerField(_("grade"))
    name = models.CharField(_("name"), max_length=30, help_text=_('For example "VIII-B".'))
    homeroom_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("homeroom teacher"),
        on_delete=models.PROTECT,
        related_name="homeroom_classes",
        null=True,
        blank=True,
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible BK teacher"),
        on_delete=models.PROTECT,
        related_name="counseled_classes",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["grade", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "name"], name="classroom_unique_name_per_year"
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=7) & Q(grade__lte=12), name="classroom_grade_7_to_12"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.academic_year_id
            and self.school_id
            and self.academic_year.school_id != self.school_id
        ):
            raise ValidationError({"academic_year": _("The year belongs to another school.")})


class Student(models.Model):
    class Sex(models.TextChoices):
        MALE = "L", _("Male")
        FEMALE = "P", _("Female")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        MOVED = "moved", _("Moved to another school")
        GRADUATED = "graduated", _("Graduated")

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="students"
    )
    # Text, never a number: NISNs often start with zeros.
    nisn = models.CharField(
        _("NISN"),
        max_length=10,
        unique=True,
        validators=[nisn_validator],
        help_text=_("National student number, 10 digits."),
    )
    nis = models.CharField(_("NIS"), max_length=20, blank=True, help_text=_("School number."))
    full_name = models.CharField(_("full name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("place of birth"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    classroom = models.ForeignKey(
        Classroom,
        verbose_name=_("class"),
        on_delete=models.PROTECT,
        related_name="students",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["full_name"]
        indexes = [
            models.Index(
                fields=["school", "status", "full_name"], name="student_school_status_idx"
            ),
            models.Index(fields=["classroom", "full_name"], name="student_classroom_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name
