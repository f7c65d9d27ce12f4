"""Forms of the counseling app."""

import datetime

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from counseling.access import (
    cases_a_referral_may_join,
    cases_taking_records_from,
    classrooms_visible_to,
    referable_students,
    students_visible_to,
)
from counseling.cases import (
    CASE_STATUS_ALL,
    CASE_STATUS_OPEN,
    check_session_times,
    counselors_of,
    session_participants,
)
from counseling.importing import nisn_problem
from counseling.models import (
    BKField,
    Case,
    Classroom,
    Collaboration,
    CounselingSession,
    InboundReferral,
    OutboundReferral,
    Student,
)
from counseling.promotion import starts_far_ahead
from counseling.referrals import consent_form_check
from counseling.roster import (
    STUDENT_FIELDS,
    grade_choices,
    homeroom_teachers_of,
    validate_birth_date,
)
from counseling.selectors import MULTI_SESSION
from staff.forms import DateInput, DateRangeFilterForm
from staff.models import AcademicYear, Role, School, User


def searchable(widget: forms.Select, *, placeholder=None) -> forms.Select:
    """Mark a select of many options (the school's students) for static/js/searchable-select.js,
    which lets one type to find an option; without JavaScript it stays a plain select."""
    widget.attrs.update(
        {
            "data-searchable": "",
            "data-placeholder": placeholder or _("Type a name or a class to search"),
            "data-no-results": _("Nothing matches; check the spelling."),
        }
    )
    return widget


class ClassroomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Classroom) -> str:
        if obj.academic_year.is_current:
            return obj.name
        return f"{obj.name} ({obj.academic_year.name})"


class StudentFilterForm(forms.Form):
    """The student list's search and filters, read from the query string."""

    ALL_STATUSES = "all"

    q = forms.CharField(
        label=_("Name, NISN or NIS"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    classroom = ClassroomChoiceField(
        label=_("Class"),
        queryset=Classroom.objects.none(),
        required=False,
        empty_label=_("All classes"),
    )
    counselor = forms.ModelChoiceField(
        label=_("Responsible BK teacher"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All BK teachers"),
    )
    # Active first: it is the default when the list opens.
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[*Student.Status.choices, (ALL_STATUSES, _("All statuses"))],
        required=False,
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classroom"].queryset = (
            classrooms_visible_to(user)
            .select_related("academic_year")
            .order_by("-academic_year__start_date", "grade", "name")
        )
        self.fields["counselor"].queryset = User.objects.filter(
            school_id=user.school_id, role_assignments__role=Role.COUNSELOR
        ).order_by("full_name")

    def clean_status(self) -> str | None:
        status = self.cleaned_data["status"] or Student.Status.ACTIVE
        return None if status == self.ALL_STATUSES else status

    def filters(self) -> dict:
        """Keyword arguments for counseling.selectors.students_for_list."""
        return {
            "query": self.cleaned_data["q"],
            "classroom": self.cleaned_data["classroom"],
            "counselor": self.cleaned_data["counselor"],
            "status": self.cleaned_data["status"],
        }


# Referrals


class ReferableStudentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Student) -> str:
        if obj.classroom_id is None:
            return obj.full_name
        return f"{obj.classroom.name} — {obj.full_name}"


class InboundReferralForm(forms.ModelForm):
    """A teacher refers a student to BK, saying what they observed."""

    REASON_MIN_LENGTH = 10

    student = ReferableStudentField(
        label=_("Student"),
        queryset=Student.objects.none(),
        error_messages={"invalid_choice": _("Choose one of the students you may refer.")},
    )

    class Meta:
        model = InboundReferral
        fields = ["student", "reason"]
        labels = {"reason": _("What did you observe?")}
        help_texts = {
            "reason": _(
                "What you saw or heard, when, and how often. Describe behaviour rather than "
                "judging the student."
            )
        }
        widgets = {"reason": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["student"].queryset = (
            referable_students(user)
            .select_related("classroom")
            .order_by("classroom__grade", "classroom__name", "full_name", "pk")
        )
        searchable(self.fields["student"].widget)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < self.REASON_MIN_LENGTH:
            raise forms.ValidationError(
                _("Describe what you observed in at least %(count)d characters.")
                % {"count": self.REASON_MIN_LENGTH}
            )
        return reason

    def clean(self) -> dict:
        cleaned = super().clean()
        student = cleaned.get("student")
        if (
            student is not None
            and InboundReferral.objects.filter(
                referred_by=self.user, student=student, status=InboundReferral.Status.SUBMITTED
            ).exists()
        ):
            self.add_error(
                "student",
                _("You referred this student already and BK has not decided on it yet."),
            )
        return cleaned


class ReferralAcceptForm(forms.ModelForm):
    """What a counselor sets when taking a referral up as a case."""

    class Meta:
        model = Case
        fields = ["counselor", "field", "category", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, referral: InboundReferral, user: User, **kwargs):
        kwargs.setdefault("initial", {"counselor": user.pk, "summary": referral.reason})
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = counselors_of(referral.school_id)
        self.fields["counselor"].label_from_instance = lambda u: u.full_name or u.username


class ReferralAttachForm(forms.Form):
    """The open case of the referral's student that takes the referral up."""

    case = forms.ModelChoiceField(queryset=Case.objects.none())

    def __init__(self, *args, referral: InboundReferral, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases_a_referral_may_join(user, referral)


class ReferralDeclineForm(forms.ModelForm):
    """Why BK does not take a referral up; kept for BK, never shown to the referrer."""

    class Meta:
        model = InboundReferral
        fields = ["decline_reason"]
        widgets = {"decline_reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "decline_reason": _(
                'For BK\'s records. The teacher who referred the student only sees "not taken up".'
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decline_reason"].required = True
        self.fields["decline_reason"].error_messages["required"] = _(
            "Say why the referral is not taken up."
        )

    def clean_decline_reason(self) -> str:
        reason = self.cleaned_data["decline_reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the referral is not taken up."))
        return reason


class OutboundReferralForm(forms.ModelForm):
    """A case referred to an outside service, with the parent's consent."""

    class Meta:
        model = OutboundReferral
        fields = [
            "service",
            "institution",
            "reason",
            "referred_on",
            "consent_given_by",
            "consent_relation",
            "consent_date",
            "consent_form",
        ]
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 4}),
            "referred_on": DateInput(),
            "consent_date": DateInput(),
            "consent_form": forms.FileInput(
                attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
            ),
        }

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("initial", {"referred_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_referred_on(self) -> datetime.date:
        referred_on = self.cleaned_data["referred_on"]
        if referred_on > timezone.localdate():
            raise forms.ValidationError(
                _("The referral date cannot be in the future; record it once it is made.")
            )
        if referred_on < self.case.opened_on:
            raise forms.ValidationError(
                _("The referral date cannot be before the case was opened (%(date)s).")
                % {"date": date_format(self.case.opened_on)}
            )
        return referred_on

    def clean_consent_date(self) -> datetime.date:
        consent_date = self.cleaned_data["consent_date"]
        if consent_date > timezone.localdate():
            raise forms.ValidationError(_("The consent date cannot be in the future."))
        return consent_date

    def clean_consent_form(self):
        upload = self.cleaned_data.get("consent_form")
        # Only a new upload is checked; the form never edits a stored file.
        if upload and hasattr(upload, "content_type"):
            return consent_form_check(upload)
        return upload

    def clean(self) -> dict:
        cleaned = super().clean()
        referred_on, consent_date = cleaned.get("referred_on"), cleaned.get("consent_date")
        if referred_on and consent_date and consent_date > referred_on:
            self.add_error(
                "consent_date",
                _("The parent's consent must be given before the referral, or on the same day."),
            )
        return cleaned


# --- Cases, sessions and collaboration ------------------------------------------------------


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CounselorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.username


class CounselorsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.username


class StudentsChoiceField(forms.ModelMultipleChoiceField):
    """Students listed by class, then name: "VII-A · Ayu Lestari"."""

    def label_from_instance(self, obj: Student) -> str:
        if obj.classroom_id is None:
            return obj.full_name
        return f"{obj.classroom.name} · {obj.full_name}"


class StudentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Student) -> str:
        if obj.classroom_id is None:
            return obj.full_name
        return f"{obj.classroom.name} · {obj.full_name}"


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Case) -> str:
        return _("%(student)s — %(category)s (opened %(date)s)") % {
            "student": obj.student.full_name,
            "category": obj.get_category_display(),
            "date": date_format(obj.opened_on, "SHORT_DATE_FORMAT"),
        }


def _students_for_choice(user: User, keep=()) -> QuerySet[Student]:
    """Active students of the user's school (and any already chosen), by class and name."""
    return (
        students_visible_to(user)
        .filter(Q(status=Student.Status.ACTIVE) | Q(pk__in=keep))
        .select_related("classroom")
        .order_by("classroom__grade", "classroom__name", "full_name", "pk")
    )


class CaseFilterForm(forms.Form):
    """The case list's search and filters, read from the query string."""

    q = forms.CharField(
        label=_("Student's name"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (CASE_STATUS_OPEN, _("Open cases")),
            *Case.Status.choices,
            (CASE_STATUS_ALL, _("All statuses")),
        ],
        required=False,
    )
    field = forms.ChoiceField(
        label=_("BK field"), choices=[("", _("All fields")), *BKField.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("Problem category"),
        choices=[("", _("All categories")), *Case.Category.choices],
        required=False,
    )
    counselor = CounselorChoiceField(
        label=_("Responsible BK teacher"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All BK teachers"),
    )
    mine = forms.BooleanField(label=_("Only cases I handle"), required=False)
    archived = forms.BooleanField(label=_("Include archived cases"), required=False)
    opened_from = forms.DateField(label=_("Opened from"), required=False, widget=DateInput())
    opened_to = forms.DateField(label=_("Opened until"), required=False, widget=DateInput())
    sessions = forms.TypedChoiceField(
        label=_("Sessions"),
        choices=[
            ("", _("Any number")),
            ("0", _("None yet")),
            ("1", _("One session")),
            (str(MULTI_SESSION), _("Two or more sessions")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = counselors_of(user.school_id)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("opened_from"), cleaned.get("opened_to")
        if start and end and end < start:
            self.add_error("opened_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict:
        """Keyword arguments for counseling.cases.cases_for_list."""
        data = self.cleaned_data
        return {
            "query": data["q"].strip(),
            "status": data["status"] or CASE_STATUS_OPEN,
            "field": data["field"],
            "category": data["category"],
            "counselor": data["counselor"],
            "mine": data["mine"],
            "archived": data["archived"],
            "opened_from": data["opened_from"],
            "opened_to": data["opened_to"],
            "sessions": data["sessions"],
        }


class CaseForm(forms.ModelForm):
    """Opening a case: what it is about and who handles it."""

    class Meta:
        model = Case
        fields = ["field", "category", "source", "counselor", "co_handlers", "summary"]
        field_classes = {"counselor": CounselorChoiceField, "co_handlers": CounselorsChoiceField}
        widgets = {
            "co_handlers": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "co_handlers": _(
                "BK teachers who handle the case together with the responsible one; they can "
                "read and write its confidential notes."
            ),
            "summary": _("What the problem is, as far as it is known."),
        }

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        counselors = counselors_of(school_id)
        self.fields["counselor"].queryset = counselors
        self.fields["co_handlers"].queryset = counselors

    def clean(self) -> dict:
        cleaned = super().clean()
        counselor = cleaned.get("counselor")
        if counselor is not None and cleaned.get("co_handlers") is not None:
            # The responsible BK teacher is a handler already.
            cleaned["co_handlers"] = [c for c in cleaned["co_handlers"] if c.pk != counselor.pk]
        return cleaned


class CaseEditForm(CaseForm):
    """Editing a case; `version` is the one the form was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CaseTransitionForm(forms.Form):
    status = forms.ChoiceField(choices=Case.Status.choices, widget=forms.HiddenInput)
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What came of the case. Needed to close it."),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("status") == Case.Status.CLOSED and not cleaned.get("outcome", "").strip():
            self.add_error("outcome", _("Write the outcome before closing the case."))
        return cleaned


class SessionForm(forms.ModelForm):
    """Logging a session. The participants are checked against the strategy by
    counseling.cases.session_participants, the same rule the service applies."""

    class Meta:
        model = CounselingSession
        fields = [
            "case",
            "starts_at",
            "duration_minutes",
            "strategy",
            "component",
            "field",
            "classroom",
            "students",
            "other_participants",
            "summary",
            "confidential_notes",
            "follow_up_plan",
            "next_appointment",
        ]
        field_classes = {
            "case": CaseChoiceField,
            "classroom": ClassroomChoiceField,
            "students": StudentsChoiceField,
        }
        widgets = {
            "starts_at": _datetime_input(),
            "next_appointment": _datetime_input(),
            "students": searchable(forms.SelectMultiple(attrs={"size": 12})),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "confidential_notes": forms.Textarea(attrs={"rows": 4}),
            "follow_up_plan": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "case": _("Only cases you handle. Leave empty for a session outside a case."),
            "students": _(
                "Type a name or a class to find a student; choose several one after another "
                "(in the plain list, hold Ctrl, or Cmd on a Mac). Individual counseling: one "
                "student; group counseling and group guidance: two or more."
            ),
            "classroom": _(
                "For classical guidance only: every active student of the class is added."
            ),
        }

    def __init__(
        self,
        *args,
        user: User,
        case: Case | None = None,
        include_notes: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.user = user
        editing = self.instance.pk is not None
        if editing:
            # The case of a session stays; the form shows it in the heading.
            del self.fields["case"]
            self.case = self.instance.case
            keep_students = self.instance.students.values("pk")
        else:
            self.fields["case"].queryset = (
                cases_taking_records_from(user)
                .select_related("student")
                .order_by("student__full_name", "-opened_on")
            )
            self.case = case
            keep_students = ()
        if not include_notes:
            del self.fields["confidential_notes"]
        classrooms = classrooms_visible_to(user).filter(academic_year__is_current=True)
        if editing and self.instance.classroom_id:
            classrooms = classrooms_visible_to(user).filter(
                Q(academic_year__is_current=True) | Q(pk=self.instance.classroom_id)
            )
        self.fields["classroom"].queryset = classrooms.select_related("academic_year").order_by(
            "grade", "name"
        )
        self.fields["students"].queryset = _students_for_choice(user, keep_students)
        self.fields["students"].required = False
        self.fields["duration_minutes"].widget.attrs.update(min=1, max=600)

    def clean_duration_minutes(self) -> int:
        minutes = self.cleaned_data["duration_minutes"]
        if not 1 <= minutes <= 600:
            raise forms.ValidationError(_("Give the duration in minutes, from 1 to 600."))
        return minutes

    def clean(self) -> dict:
        cleaned = super().clean()
        case = cleaned.get("case", self.case) if "case" in self.fields else self.case
        strategy = cleaned.get("strategy")
        if strategy and "students" in cleaned and "classroom" in cleaned:
            try:
                cleaned["participants"] = session_participants(
                    school_id=self.user.school_id,
                    strategy=strategy,
                    students=cleaned["students"],
                    classroom=cleaned["classroom"],
                    case=case,
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
        try:
            check_session_times(
                school_id=self.user.school_id,
                starts_at=cleaned.get("starts_at"),
                next_appointment=cleaned.get("next_appointment"),
            )
        except forms.ValidationError as error:
            self.add_error(None, error)
        return cleaned


class SessionEditForm(SessionForm):
    """Editing a session; `edited_at` is its updated_at when the form was opened."""

    edited_at = forms.CharField(widget=forms.HiddenInput)

    def clean_edited_at(self):
        value = parse_datetime(self.cleaned_data["edited_at"])
        if value is None:
            raise forms.ValidationError(_("The form is damaged; open the session again."))
        return value


class CollaborationForm(forms.ModelForm):
    class Meta:
        model = Collaboration
        fields = [
            "partner_type",
            "partner_name",
            "method",
            "happened_on",
            "student",
            "case",
            "topic",
            "agreement",
        ]
        field_classes = {"student": StudentChoiceField, "case": CaseChoiceField}
        widgets = {
            "happened_on": _date_input(),
            "agreement": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "partner_name": _("For example: Ibu Sri (mother), Pak Budi (mathematics teacher)."),
            "student": _("Optional. For a case, its student is taken."),
            "case": _("Optional: the open case this was about. Only cases you handle."),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = _students_for_choice(user)
        searchable(self.fields["student"].widget)
        self.fields["case"].queryset = (
            cases_taking_records_from(user)
            .select_related("student")
            .order_by("student__full_name", "-opened_on")
        )

    def clean_happened_on(self):
        happened_on = self.cleaned_data["happened_on"]
        if happened_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return happened_on

    def clean(self) -> dict:
        cleaned = super().clean()
        student, case = cleaned.get("student"), cleaned.get("case")
        if student is not None and case is not None and case.student_id != student.pk:
            self.add_error(
                "student", _("The case is about another student; choose its student or none.")
            )
        return cleaned


class CollaborationFilterForm(DateRangeFilterForm):
    partner_type = forms.ChoiceField(
        label=_("Worked with"),
        choices=[("", _("Everyone")), *Collaboration.Partner.choices],
        required=False,
    )
    counselor = CounselorChoiceField(
        label=_("BK teacher"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All BK teachers"),
    )

    field_order = ["partner_type", "counselor", "date_from", "date_to"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = counselors_of(user.school_id)


class EarlyStartConfirmation(forms.Form):
    """Making an academic year current more than a month before it starts must be confirmed:
    every page then works in the new year. The box exists only for such a year."""

    confirm_early = forms.BooleanField(
        label=_("Yes, make it current now, although it has not started yet"), required=False
    )

    def __init__(self, *args, year: AcademicYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.starts_early = starts_far_ahead(year)
        if not self.starts_early:
            del self.fields["confirm_early"]

    def check_early_start(self, cleaned: dict, *, makes_current: bool) -> None:
        if self.starts_early and makes_current and not cleaned.get("confirm_early"):
            self.add_error(
                "confirm_early",
                _(
                    "%(year)s starts on %(date)s, more than a month from now. Tick the box to "
                    "make it current anyway, or leave it for now."
                )
                % {"year": self.year.name, "date": date_format(self.year.start_date)},
            )


class PromotionForm(EarlyStartConfirmation):
    """The students marked as repeating, and whether the new year becomes current; the two
    years the preview was made for come back hidden, so a change in between is noticed."""

    repeaters = forms.ModelMultipleChoiceField(
        label=_("Students who repeat the grade"),
        queryset=Student.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": _(
                "A student marked as repeating is not in this year's classes any more. "
                "Check the list again."
            ),
            "invalid_pk_value": _("The list of repeating students was not understood."),
        },
    )
    make_current = forms.BooleanField(
        label=_("Also make the new academic year current (its first semester becomes current)"),
        required=False,
    )
    source_year = forms.IntegerField(widget=forms.HiddenInput)
    target_year = forms.IntegerField(widget=forms.HiddenInput)

    field_order = ["repeaters", "make_current", "confirm_early"]

    def __init__(
        self,
        *args,
        candidates: QuerySet,
        source_year: int,
        target_year: AcademicYear,
        applying: bool = False,
        **kwargs,
    ):
        super().__init__(*args, year=target_year, **kwargs)
        # A preview saves nothing, so it needs no confirmation.
        self.applying = applying
        self.fields["repeaters"].queryset = candidates
        self.initial.setdefault("source_year", source_year)
        self.initial.setdefault("target_year", target_year.pk)
        self._years = (source_year, target_year.pk)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("source_year"), cleaned.get("target_year")) != self._years:
            raise forms.ValidationError(
                _("The academic years changed since this preview was made. Check it again.")
            )
        self.check_early_start(
            cleaned, makes_current=self.applying and bool(cleaned.get("make_current"))
        )
        return cleaned


class YearMakeCurrentForm(EarlyStartConfirmation):
    """After the promotion: make the new academic year current, if that was left for later."""

    def clean(self):
        cleaned = super().clean()
        self.check_early_start(cleaned, makes_current=True)
        return cleaned


# Keeping the roster by hand (counseling.roster checks the rules again when saving).


class AcademicYearChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AcademicYear) -> str:
        if obj.is_current:
            return _("%(year)s (current)") % {"year": obj.name}
        return _("%(year)s (next year)") % {"year": obj.name}


class ClassroomForm(forms.ModelForm):
    """A class of the current or the next academic year; the year is chosen only when the
    class is created."""

    academic_year = AcademicYearChoiceField(
        label=_("Academic year"), queryset=AcademicYear.objects.none(), empty_label=None
    )
    grade = forms.TypedChoiceField(label=_("Grade"), coerce=int, choices=())
    homeroom_teacher = CounselorChoiceField(
        label=_("Homeroom teacher"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Active staff of this school with the homeroom teacher role."),
        error_messages={"invalid_choice": _("Choose one of the school's homeroom teachers.")},
    )
    counselor = CounselorChoiceField(
        label=_("Responsible BK teacher"),
        queryset=User.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the school's BK teachers.")},
    )

    class Meta:
        model = Classroom
        fields = ["academic_year", "grade", "name", "homeroom_teacher", "counselor"]

    def __init__(self, *args, school: School, years: list[AcademicYear], **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        if self.instance.pk:
            del self.fields["academic_year"]
        else:
            self.fields["academic_year"].queryset = AcademicYear.objects.filter(
                pk__in=[year.pk for year in years]
            ).order_by("start_date")
        self.fields["grade"].choices = grade_choices(school)
        self.fields["grade"].error_messages["invalid_choice"] = _(
            "Choose a grade of this school's level."
        )
        self.fields["homeroom_teacher"].queryset = homeroom_teachers_of(school.pk)
        self.fields["counselor"].queryset = counselors_of(school.pk)

    def _post_clean(self):
        # The service checks the whole class (the name compared loosely, not only exactly).
        pass


class StudentForm(forms.ModelForm):
    """One student. The class is one of this year's classes, or the class the student is in
    already (a graduate keeps the last one)."""

    classroom = ClassroomChoiceField(
        label=_("Class"),
        queryset=Classroom.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose a class of the current academic year.")},
    )

    class Meta:
        model = Student
        fields = list(STUDENT_FIELDS)
        widgets = {"birth_date": _date_input()}

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        classes = Q(school=school, academic_year__is_current=True)
        if self.instance.classroom_id is not None:
            classes |= Q(pk=self.instance.classroom_id)
        self.fields["classroom"].queryset = (
            Classroom.objects.filter(classes)
            .select_related("academic_year")
            .order_by("-academic_year__start_date", "grade", "name")
        )
        self.fields["nisn"].validators = []
        self.fields["birth_date"].validators.append(validate_birth_date)
        self.fields["nisn"].widget.attrs.update(inputmode="numeric", autocomplete="off")

    def clean_nisn(self) -> str:
        nisn = self.cleaned_data["nisn"].replace(" ", "")
        if problem := nisn_problem(nisn):
            raise forms.ValidationError(problem)
        return nisn

    def _post_clean(self):
        # counseling.roster checks the student (NISN unique with a clear message, the class).
        pass


class StudentEditForm(StudentForm):
    """Editing a student; `version` is the one the form was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
