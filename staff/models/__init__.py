from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

npsn_validator = RegexValidator(r"^\d{8}$", _("An NPSN has exactly 8 digits."))
nip_validator = RegexValidator(
    r"^\d{18}$", _("The NIP must be exactly 18 digits, for example 198001012005011001.")
)

NIP_TAKEN = _("Another account already has this NIP.")


class School(models.Model):
    class Level(models.TextChoices):
        SMP = "SMP", _("SMP (junior high school)")
        SMA = "SMA", _("SMA (senior high school)")
        SMK = "SMK", _("SMK (vocational high school)")

    name = models.CharField(_("name"), max_length=200)
    npsn = models.CharField(
        _("NPSN"),
        max_length=8,
        unique=True,
        validators=[npsn_validator],
        help_text=_("National school number, 8 digits."),
    )
    level = models.CharField(_("level"), max_length=3, choices=Level.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    regency = models.CharField(_("regency or city"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PRINCIPAL = "principal", _("Principal")
    VICE_PRINCIPAL = "vice_principal", _("Vice principal for student affairs")
    COUNSELOR = "counselor", _("BK teacher")
    HOMEROOM_TEACHER = "homeroom_teacher", _("Homeroom teacher")
    SUBJECT_TEACHER = "subject_teacher", _("Subject teacher")
    ADMIN_STAFF = "admin_staff", _("Administrative staff")
    DISTRICT_SUPERVISOR = "district_supervisor", _("District school supervisor")


class User(AbstractUser):
    """A person who signs in. Everyone but the deployment's operators belongs to one school."""

    # Django's split first/last name does not fit Indonesian names; one full name instead.
    first_name = None
    last_name = None
    full_name = models.CharField(_("full name"), max_length=150)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[nip_validator],
        help_text=_("Civil-servant number, 18 digits (spaces are left out); leave empty if none."),
    )
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when someone else chose the password; cleared when the user changes it."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Raised by each edit of the account page, so that two clerks do not overwrite each other.
    version = models.PositiveIntegerField(_("version"), default=0)

    objects = UserManager()

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False) | Q(is_superuser=True),
                name="user_school_required_unless_operator",
            ),
            models.UniqueConstraint(
                fields=["nip"],
                condition=~Q(nip=""),
                name="user_nip_unique_when_set",
                violation_error_message=NIP_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        """The name a person goes by: the first word of the full name that is not a title or an
        abbreviation ("Drs. H. Ahmad Fauzi, M.Pd." → "Ahmad")."""
        for word in self.full_name.replace(",", " ").split():
            if not word.endswith(".") and word.lower() not in {"h", "hj"}:
                return word
        return self.full_name or self.username


class RoleAssignment(models.Model):
    """One role held by one user; a person may hold several."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique"),
        ]
        indexes = [models.Index(fields=["role", "user"], name="role_assignment_role_idx")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class AcademicYear(models.Model):
    """A school year, July to June, e.g. "2026/2027"."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="academic_years"
    )
    name = models.CharField(_("name"), max_length=9, help_text=_('For example "2026/2027".'))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")
        ordering = ["school", "-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="academic_year_unique_name"),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(is_current=True),
                name="academic_year_one_current_per_school",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="academic_year_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The year must end after it starts.")})


class Semester(models.Model):
    class Number(models.IntegerChoices):
        ODD = 1, _("Odd (Ganjil)")
        EVEN = 2, _("Even (Genap)")

    academic_year = models.ForeignKey(
        AcademicYear,
        verbose_name=_("academic year"),
        on_delete=models.CASCADE,
        related_name="semesters",
    )
    # Repeats academic_year.school so that "one current semester per school" is a constraint.
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="semesters",
        editable=False,
    )
    number = models.PositiveSmallIntegerField(_("semester"), choices=Number.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    is_current = models.BooleanField(_("current"), default=False)
    # Raised by every change of the dates, so that two clerks editing them at once are told.
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("semester")
        verbose_name_plural = _("semesters")
        ordering = ["school", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "number"], name="semester_unique_per_year"
            ),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(is_current=True),
                name="semester_one_current_per_school",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="semester_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.academic_year.name} {self.get_number_display()}"

    def save(self, *args, **kwargs) -> None:
        self.school_id = self.academic_year.school_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The semester must end after it starts.")})


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log is append-only.")

    def delete(self):
        raise PermissionError("The access log is append-only.")


class AccessLogEntry(models.Model):
    """Who read or exported which sensitive record, when and from where. Append-only.

    Holds no record content: only the kind of object and its id.
    """

    class Action(models.TextChoices):
        VIEW_SESSION_NOTES = "view_session_notes", _("read confidential session notes")
        VIEW_PERSONAL_BOOK = "view_personal_book", _("read a personal book")
        EXPORT = "export", _("exported data")
        CREATE_ACCOUNT = "create_account", _("created an account")
        CHANGE_ACCOUNT = "change_account", _("changed an account")
        SET_TEMPORARY_PASSWORD = "set_temporary_password", _("set a temporary password")
        MAKE_SEMESTER_CURRENT = "make_semester_current", _("made a semester current")
        CHANGE_SEMESTER_DATES = "change_semester_dates", _("changed a semester's dates")

    class ObjectType(models.TextChoices):
        """Every kind of record the log may name, with what the principal reads. A record
        logged as `obj` is named by its model's label ("counseling.personalbook")."""

        SESSION = "counseling.counselingsession", _("Counseling session")
        PERSONAL_BOOK = "counseling.personalbook", _("Personal book")
        OUTBOUND_REFERRAL = "counseling.outboundreferral", _("Referral consent form")
        ACCOUNT = "staff.user", _("User account")
        SEMESTER = "staff.semester", _("Semester")
        APPRAISAL = "staff.appraisal", _("Competency appraisal (PDF)")
        CERTIFICATE = "staff.trainingparticipation", _("Training certificate")
        DISSEMINATION = "staff.disseminationreport", _("Dissemination materials")
        PERIOD_REPORT = "supervision.period_report", _("Period report (PDF)")
        # Downloads from the exports page: "export.<table>.<format>".
        EXPORT_STUDENTS_CSV = "export.students.csv", _("Student roster (CSV)")
        EXPORT_STUDENTS_XLSX = "export.students.xlsx", _("Student roster (Excel)")
        EXPORT_SESSIONS_CSV = "export.session_statistics.csv", _("Session statistics (CSV)")
        EXPORT_SESSIONS_XLSX = "export.session_statistics.xlsx", _("Session statistics (Excel)")
        EXPORT_TRAINING_CSV = "export.training.csv", _("Training participation (CSV)")
        EXPORT_TRAINING_XLSX = "export.training.xlsx", _("Training participation (Excel)")
        EXPORT_APPRAISALS_CSV = "export.appraisals.csv", _("Appraisal summaries (CSV)")
        EXPORT_APPRAISALS_XLSX = "export.appraisals.xlsx", _("Appraisal summaries (Excel)")

    user = models.ForeignKey(
        User, verbose_name=_("who"), on_delete=models.PROTECT, related_name="access_log_entries"
    )
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="access_log_entries",
        null=True,
        blank=True,
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=60, choices=ObjectType.choices)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    client_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["school", "-created_at"], name="access_log_school_time_idx"),
            models.Index(fields=["user", "-created_at"], name="access_log_user_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")


# The competency framework, appraisals and professional development live in their own modules.
from staff.models.competency import (  # noqa: E402
    Appraisal,
    Competency,
    CompetencyArea,
    CompetencyFramework,
    CompetencyResult,
    Indicator,
    IndicatorScore,
)
from staff.models.training import (  # noqa: E402
    DISSEMINATION_DAYS,
    DisseminationReport,
    TrainingEvent,
    TrainingParticipation,
)

__all__ = [
    "DISSEMINATION_DAYS",
    "AcademicYear",
    "AccessLogEntry",
    "Appraisal",
    "Competency",
    "CompetencyArea",
    "CompetencyFramework",
    "CompetencyResult",
    "DisseminationReport",
    "Indicator",
    "IndicatorScore",
    "Role",
    "RoleAssignment",
    "School",
    "Semester",
    "TrainingEvent",
    "TrainingParticipation",
    "User",
]
