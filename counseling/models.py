from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models import AcademicYear, School
from staff.uploads import random_document_path

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
    # Raised by every write, so that an edit opened before another save is refused.
    version = models.PositiveIntegerField(_("version"), default=0)
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
            # The student list's search by school number.
            models.Index(fields=["school", "nis"], name="student_school_nis_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name


class BKField(models.TextChoices):
    """The four fields of guidance and counseling (bidang layanan BK)."""

    PERSONAL = "personal", _("Personal (pribadi)")
    SOCIAL = "social", _("Social (sosial)")
    LEARNING = "learning", _("Learning (belajar)")
    CAREER = "career", _("Career (karier)")


class PersonalBook(models.Model):
    """A student's personal book (buku pribadi); its content lives in sections."""

    student = models.OneToOneField(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="personal_book"
    )
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="personal_books"
    )
    # Share of the book's fields filled in, 0–100; kept up to date by the section service so
    # that lists and dashboards need no per-book work.
    completeness = models.PositiveSmallIntegerField(_("completeness (%)"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("personal book")
        verbose_name_plural = _("personal books")
        indexes = [
            models.Index(fields=["school", "completeness"], name="book_school_completeness_idx")
        ]

    def __str__(self) -> str:
        return str(self.student)


class PersonalBookSection(models.Model):
    """One section of a personal book, edited as a whole; `version` refuses lost updates."""

    class Key(models.TextChoices):
        IDENTITY = "identity", _("Identity")
        FAMILY = "family", _("Family")
        RESIDENCE = "residence", _("Residence and transport")
        HEALTH = "health", _("Health")
        EDUCATION = "education", _("Education history")
        TALENTS = "talents", _("Talents and interests")
        ACHIEVEMENTS = "achievements", _("Achievements")
        ASPIRATIONS = "aspirations", _("Aspirations")
        NOTES = "notes", _("Notes")

    book = models.ForeignKey(
        PersonalBook,
        verbose_name=_("personal book"),
        on_delete=models.PROTECT,
        related_name="sections",
    )
    key = models.CharField(_("section"), max_length=20, choices=Key.choices)
    data = models.JSONField(_("content"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("personal book section")
        verbose_name_plural = _("personal book sections")
        constraints = [
            models.UniqueConstraint(fields=["book", "key"], name="book_section_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.book}: {self.get_key_display()}"


class InboundReferral(models.Model):
    """A teacher refers a student to BK; a counselor accepts it as a case or declines it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for BK")
        ACCEPTED = "accepted", _("Taken up by BK")
        DECLINED = "declined", _("Not taken up")

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="inbound_referrals"
    )
    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="inbound_referrals",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.PROTECT,
        related_name="referrals_made",
    )
    reason = models.TextField(_("what was observed"))
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
    decline_reason = models.TextField(_("why not taken up"), blank=True)
    created_at = models.DateTimeField(_("referred at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("referral to BK")
        verbose_name_plural = _("referrals to BK")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["school", "status", "-created_at"], name="inref_school_status_idx"
            ),
            models.Index(fields=["referred_by", "-created_at"], name="inref_referrer_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.student} ({self.get_status_display()})"


class Case(models.Model):
    """A student's problem handled by BK over one or more sessions. Archived, never deleted."""

    class Category(models.TextChoices):
        ATTENDANCE = "attendance", _("Attendance and lateness")
        DISCIPLINE = "discipline", _("Discipline")
        LEARNING_DIFFICULTY = "learning_difficulty", _("Learning difficulty")
        MOTIVATION = "motivation", _("Motivation")
        FAMILY = "family", _("Family")
        PEERS = "peers", _("Peer relations")
        BULLYING = "bullying", _("Bullying")
        EMOTIONAL = "emotional", _("Emotional wellbeing")
        HEALTH = "health", _("Health")
        CAREER_CHOICE = "career_choice", _("Further study and career choice")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        SELF = "self", _("The student")
        HOMEROOM_TEACHER = "homeroom_teacher", _("Homeroom teacher")
        SUBJECT_TEACHER = "subject_teacher", _("Subject teacher")
        PARENT = "parent", _("Parent or guardian")
        COUNSELOR = "counselor", _("BK teacher")
        DISCIPLINE = "discipline", _("Discipline team")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        REFERRED_OUT = "referred_out", _("Referred out")
        CLOSED = "closed", _("Closed")

    # Where a case may go next from each status; anything else is refused.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.NEW: (Status.IN_PROGRESS,),
        Status.IN_PROGRESS: (Status.RESOLVED, Status.REFERRED_OUT),
        Status.RESOLVED: (Status.CLOSED, Status.IN_PROGRESS),
        Status.REFERRED_OUT: (Status.CLOSED, Status.IN_PROGRESS),
        Status.CLOSED: (),
    }
    # Reached only by recording an outbound referral with the parent's consent
    # (counseling.referrals.outbound_referral_create), never by a plain status change.
    REFERRAL_ONLY_STATUSES = (Status.REFERRED_OUT,)
    OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.RESOLVED, Status.REFERRED_OUT)
    # A case in one of these holds its student's problem of its category: another case of the
    # same category waits until it is resolved or closed.
    STILL_OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.REFERRED_OUT)

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="cases"
    )
    student = models.ForeignKey(
        Student, verbose_name=_("student"), on_delete=models.PROTECT, related_name="cases"
    )
    field = models.CharField(_("BK field"), max_length=10, choices=BKField.choices)
    category = models.CharField(_("problem category"), max_length=20, choices=Category.choices)
    source = models.CharField(_("came from"), max_length=20, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible BK teacher"),
        on_delete=models.PROTECT,
        related_name="cases_responsible",
    )
    co_handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-handlers"),
        related_name="cases_co_handled",
        blank=True,
    )
    referral = models.OneToOneField(
        InboundReferral,
        verbose_name=_("from referral"),
        on_delete=models.PROTECT,
        related_name="case",
        null=True,
        blank=True,
    )
    summary = models.TextField(_("summary"))
    outcome = models.TextField(_("outcome"), blank=True)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    # Bumped by every save through the services, so that two editors cannot overwrite each other.
    version = models.PositiveIntegerField(_("version"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["school", "status", "-opened_on"], name="case_school_status_idx"),
            # The case list of every status, newest first, a page at a time.
            models.Index(fields=["school", "-opened_on", "-id"], name="case_school_opened_idx"),
            models.Index(fields=["counselor", "status"], name="case_counselor_status_idx"),
            models.Index(fields=["student", "-opened_on"], name="case_student_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.student} — {self.get_category_display()}"

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, ())

    def manual_next_statuses(self) -> list[str]:
        """The statuses the status form may move the case to: "referred out" is left to the
        referral form, which records the parent's consent."""
        return [
            status
            for status in self.TRANSITIONS.get(self.status, ())
            if status not in self.REFERRAL_ONLY_STATUSES
        ]


class CounselingSession(models.Model):
    """One BK service (layanan): individual or group counseling, classical guidance, a home
    visit… Its confidential notes are for the case's handlers only."""

    class Strategy(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual counseling")
        GROUP_COUNSELING = "group_counseling", _("Group counseling")
        CLASSICAL_GUIDANCE = "classical_guidance", _("Classical guidance")
        GROUP_GUIDANCE = "group_guidance", _("Group guidance")
        CONSULTATION = "consultation", _("Consultation")
        HOME_VISIT = "home_visit", _("Home visit")
        CASE_CONFERENCE = "case_conference", _("Case conference")
        REFERRAL = "referral", _("Referral")

    class Component(models.TextChoices):
        BASIC = "basic", _("Basic services (layanan dasar)")
        INDIVIDUAL_PLANNING = (
            "individual_planning",
            _("Specialisation and individual planning (peminatan dan perencanaan individual)"),
        )
        RESPONSIVE = "responsive", _("Responsive services (layanan responsif)")
        SYSTEM_SUPPORT = "system_support", _("System support (dukungan sistem)")

    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="counseling_sessions",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="sessions",
        null=True,
        blank=True,
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("BK teacher"),
        on_delete=models.PROTECT,
        related_name="counseling_sessions",
    )
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    strategy = models.CharField(_("strategy"), max_length=20, choices=Strategy.choices)
    component = models.CharField(_("service component"), max_length=20, choices=Component.choices)
    field = models.CharField(_("BK field"), max_length=10, choices=BKField.choices)
    students = models.ManyToManyField(
        Student, verbose_name=_("students"), related_name="counseling_sessions", blank=True
    )
    classroom = models.ForeignKey(
        Classroom,
        verbose_name=_("class"),
        on_delete=models.PROTECT,
        related_name="counseling_sessions",
        null=True,
        blank=True,
        help_text=_("For classical guidance: the whole class."),
    )
    other_participants = models.CharField(
        _("who else took part"),
        max_length=300,
        blank=True,
        help_text=_("For example: the homeroom teacher, the mother."),
    )
    summary = models.TextField(_("summary"))
    confidential_notes = models.TextField(
        _("confidential notes"),
        blank=True,
        help_text=_("Only the case's BK teachers can read these."),
    )
    follow_up_plan = models.TextField(_("follow-up plan"), blank=True)
    next_appointment = models.DateTimeField(_("next appointment"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("counseling session")
        verbose_name_plural = _("counseling sessions")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["school", "-starts_at"], name="session_school_time_idx"),
            models.Index(fields=["counselor", "-starts_at"], name="session_counselor_time_idx"),
            models.Index(fields=["case", "starts_at"], name="session_case_time_idx"),
            models.Index(fields=["counselor", "next_appointment"], name="session_next_appt_idx"),
            # The counselor's home: the school's appointments of the week (led by the counselor
            # or in a case they handle). Only sessions that set one.
            models.Index(
                fields=["school", "next_appointment"],
                condition=Q(next_appointment__isnull=False),
                name="session_school_next_appt_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_strategy_display()} {self.starts_at:%Y-%m-%d}"


class Collaboration(models.Model):
    """A counselor's work with a teacher, a parent or an outside party about a student."""

    class Partner(models.TextChoices):
        SUBJECT_TEACHER = "subject_teacher", _("Subject teacher")
        HOMEROOM_TEACHER = "homeroom_teacher", _("Homeroom teacher")
        PARENT = "parent", _("Parent or guardian")
        OUTSIDE = "outside", _("Outside party")

    class Method(models.TextChoices):
        FACE_TO_FACE = "face_to_face", _("Face to face")
        PHONE = "phone", _("Phone")
        MESSAGE = "message", _("Message")
        HOME_VISIT = "home_visit", _("Home visit")
        LETTER = "letter", _("Letter")

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="collaborations"
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("BK teacher"),
        on_delete=models.PROTECT,
        related_name="collaborations",
    )
    partner_type = models.CharField(_("worked with"), max_length=20, choices=Partner.choices)
    partner_name = models.CharField(_("partner's name"), max_length=150)
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="collaborations",
        null=True,
        blank=True,
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="collaborations",
        null=True,
        blank=True,
    )
    happened_on = models.DateField(_("date"))
    topic = models.CharField(_("about"), max_length=300)
    agreement = models.TextField(_("what was agreed"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaboration")
        ordering = ["-happened_on", "-id"]
        indexes = [
            models.Index(fields=["school", "-happened_on"], name="collab_school_date_idx"),
            models.Index(fields=["counselor", "-happened_on"], name="collab_counselor_date_idx"),
            models.Index(fields=["student", "-happened_on"], name="collab_student_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_partner_type_display()}: {self.partner_name}"


def consent_form_path(instance: "OutboundReferral", filename: str) -> str:
    # Never the uploaded name: it may carry the child's name.
    return random_document_path("consent", instance.school_id, filename)


class OutboundReferral(models.Model):
    """A case referred to an outside service (alih tangan kasus), with the parent's consent."""

    class Service(models.TextChoices):
        PSYCHOLOGIST = "psychologist", _("Psychologist")
        CLINIC = "clinic", _("Community health centre or clinic")
        HOSPITAL = "hospital", _("Hospital")
        POLICE = "police", _("Police")
        SOCIAL_SERVICE = "social_service", _("Social service")
        OTHER = "other", _("Other")

    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="outbound_referrals",
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="outbound_referrals"
    )
    service = models.CharField(_("referred to"), max_length=20, choices=Service.choices)
    institution = models.CharField(_("institution"), max_length=200)
    reason = models.TextField(_("reason"))
    referred_on = models.DateField(_("referred on"))
    consent_given_by = models.CharField(_("consent given by"), max_length=150)
    consent_relation = models.CharField(
        _("relation to the student"), max_length=50, help_text=_("For example: father, mother.")
    )
    consent_date = models.DateField(_("consent date"))
    consent_form = models.FileField(
        _("signed consent form"),
        upload_to=consent_form_path,
        blank=True,
        help_text=_("PDF, JPG or PNG, at most 5 MB."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("referral out")
        verbose_name_plural = _("referrals out")
        ordering = ["-referred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.case} → {self.institution}"
