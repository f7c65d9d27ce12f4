from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.calendar import semester_dates_problems
from staff.models import (
    NIP_TAKEN,
    Competency,
    DisseminationReport,
    Role,
    Semester,
    TrainingEvent,
    TrainingParticipation,
    User,
    nip_validator,
)
from staff.training import KIND_TRAINING, WHEN_PAST, WHEN_UPCOMING
from staff.uploads import document_check, materials_check

# Roles a school's administrative staff may hand out; district roles belong to the operators.
SCHOOL_ROLES = [choice for choice in Role.choices if choice[0] != Role.DISTRICT_SUPERVISOR]


class SignInForm(AuthenticationForm):
    """Django's sign-in form in the words of a school's staff."""

    error_messages = {
        "invalid_login": _(
            "The username or password is not right. Check both and try again; capital and "
            "small letters count."
        ),
        "inactive": _("This account is switched off. Ask your school's administrative staff."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")


class PlainPasswordFieldsMixin:
    """The two new-password fields of Django's forms with one short rule in place of the
    validators' list, and a plain message when they differ."""

    def _plain_password_fields(self, first_label, second_label) -> None:
        self.fields["new_password1"].label = first_label
        self.fields["new_password1"].help_text = _(
            "At least 10 characters, not only digits, not a common password and not like the "
            "name or username."
        )
        self.fields["new_password2"].label = second_label
        self.fields["new_password2"].help_text = ""


class OwnPasswordChangeForm(PlainPasswordFieldsMixin, PasswordChangeForm):
    """Django's form for choosing one's own password, in plain words."""

    error_messages = {
        "password_incorrect": _("Your current password is not right. Type it again."),
        "password_mismatch": _("The two new passwords differ. Type the same one twice."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        self._plain_password_fields(_("New password"), _("New password again"))


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Roles"))
        kwargs.setdefault("choices", SCHOOL_ROLES)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class NipField(forms.CharField):
    """The NIP as people write it, often in groups ("19800101 200501 1 001"): the spaces are
    dropped, and one plain message stands for every way of getting it wrong."""

    def __init__(self, *, max_length=None, **kwargs):
        # The length is part of the 18-digit check; a separate length message would repeat it.
        super().__init__(validators=[nip_validator], **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # Room for the spaces; the stored value is the 18 digits.
        attrs.update({"maxlength": "24", "inputmode": "numeric", "autocomplete": "off"})
        return attrs

    def to_python(self, value):
        return "".join(super().to_python(value).split())


class NipFormMixin:
    def clean_nip(self) -> str:
        # Said at the field; the model's constraint would say it above the form.
        nip = self.cleaned_data["nip"]
        if nip and User.objects.filter(nip=nip).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(NIP_TAKEN)
        return nip


class AccountCreateForm(NipFormMixin, forms.ModelForm):
    roles = RolesField(help_text=_("A person may hold several roles."))
    password1 = forms.CharField(
        label=_("Temporary password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. The person must choose a new one at first sign-in."),
    )
    password2 = forms.CharField(
        label=_("Temporary password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "nip", "email"]
        field_classes = {"nip": NipField}
        help_texts = {"username": _("Letters, digits and @ . + - _ only; used to sign in.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken. Choose another."))
        return username

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(
                username=cleaned.get("username", ""), full_name=cleaned.get("full_name", "")
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class AccountForm(NipFormMixin, forms.ModelForm):
    roles = RolesField()
    # The account's version when the form was opened (see services.user_update).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = User
        fields = ["full_name", "nip", "email", "is_active"]
        field_classes = {"nip": NipField}
        labels = {"is_active": _("Active (may sign in)")}
        help_texts = {
            "is_active": _(
                "Untick when the person leaves the school: they can no longer sign in, and "
                "the account and its records stay."
            )
        }

    def __init__(self, *args, editor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor
        self.fields["full_name"].required = True
        kept_roles = list(self.instance.role_assignments.values_list("role", flat=True))
        self.fields["roles"].initial = kept_roles
        self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk == self.editor.pk:
            # Nobody locks themselves out of the account pages by accident.
            if not cleaned.get("is_active", True):
                self.add_error("is_active", _("You cannot deactivate your own account."))
            if Role.ADMIN_STAFF not in cleaned.get("roles", []):
                self.add_error(
                    "roles", _("You cannot remove the administrative staff role from yourself.")
                )
        return cleaned


class TemporaryPasswordForm(PlainPasswordFieldsMixin, SetPasswordForm):
    """Set by administrative staff; the person must change it at the next sign-in."""

    error_messages = {"password_mismatch": _("The two passwords differ.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._plain_password_fields(_("Temporary password"), _("Temporary password again"))


class DateInput(forms.DateInput):
    """The browser's date picker; the value in ISO form, whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateRangeFilterForm(forms.Form):
    """Two optional days bounding a list, both included, read from the query string."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned


class AccessLogFilterForm(DateRangeFilterForm):
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Everyone"),
    )

    field_order = ["person", "date_from", "date_to"]

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(school=school).order_by("full_name")


class TrainingListFilterForm(DateRangeFilterForm):
    """The training list's filters: the kind (or every kind but MGBK meetings), past or
    coming, and the days the events begin between."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[
            ("", _("All dates")),
            (WHEN_UPCOMING, _("Upcoming and running")),
            (WHEN_PAST, _("Past")),
        ],
    )

    field_order = ["kind", "when", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", _("All kinds")),
            (KIND_TRAINING, _("All training (MGBK meetings aside)")),
            *TrainingEvent.Kind.choices,
        ]
        self.fields["date_from"].label = _("Beginning from")
        self.fields["date_to"].label = _("Beginning until")


DOCUMENT_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
MATERIALS_ACCEPT = DOCUMENT_ACCEPT + ",.docx,.pptx,.xlsx"
MAX_TRAINING_HOURS = 500


def checked_upload(upload, *, stem: str, check=document_check):
    """A new upload checked by its content (staff.uploads); a file already stored as it is."""
    if upload and hasattr(upload, "content_type"):
        return check(upload, stem=stem)
    return upload


class CompetencyChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Competency) -> str:
        return f"{obj.number}. {obj.title}"


class TrainingEventForm(forms.ModelForm):
    competencies = CompetencyChoiceField(
        label=_("Targeted competencies"),
        queryset=Competency.objects.none(),
        required=False,
        help_text=_("The competencies the event strengthens (Permendiknas 27/2008)."),
    )
    # The model counts whole JP.
    hours = forms.IntegerField(
        label=_("Length in JP (jam pelajaran)"),
        min_value=1,
        max_value=MAX_TRAINING_HOURS,
        help_text=_("One JP of training is 45 minutes; give the whole JP the certificate states."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = TrainingEvent
        fields = [
            "kind",
            "title",
            "organizer",
            "place",
            "starts_on",
            "ends_on",
            "hours",
            "seats",
            "competencies",
            "description",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The active framework's competencies, and any an older version gave the event.
        chosen = Q(pk__in=self.instance.competencies.all()) if self.instance.pk else Q(pk__in=[])
        self.fields["competencies"].queryset = (
            Competency.objects.filter(Q(framework__is_active=True) | chosen)
            .select_related("framework")
            .order_by("-framework__is_active", "number")
        )
        self.fields["seats"].widget.attrs.update({"min": 1})
        self.fields["kind"].choices = [("", _("Choose the kind")), *TrainingEvent.Kind.choices]
        # One message for every way of giving something else than whole JP in the range.
        hours_error = _("Give the length as a whole number of JP from 1 to %(max)s, e.g. 8.") % {
            "max": MAX_TRAINING_HOURS
        }
        self.fields["hours"].error_messages.update(
            dict.fromkeys(("required", "invalid", "min_value", "max_value"), hours_error)
        )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_seats(self) -> int | None:
        seats = self.cleaned_data["seats"]
        if seats is not None and seats < 1:
            raise forms.ValidationError(_("At least one seat, or leave it empty for no limit."))
        return seats

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day cannot come before the first day."))
        return cleaned

    def event_values(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self.Meta.fields if name != "competencies"
        }


class DelegationForm(forms.Form):
    counselors = forms.ModelMultipleChoiceField(
        label=_("BK teachers to delegate"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one BK teacher to delegate."),
            "invalid_choice": _("A BK teacher chosen can no longer be delegated. Check again."),
        },
    )

    def __init__(self, *args, counselors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counselors"].queryset = counselors


class AttendanceForm(forms.Form):
    """One choice per standing participant: present, excused, absent (or not recorded yet)."""

    def __init__(self, *args, participations, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for participation in participations:
            name = f"attendance_{participation.pk}"
            self.fields[name] = forms.ChoiceField(
                label=participation.counselor.full_name,
                choices=TrainingParticipation.Attendance.choices,
                initial=participation.attendance,
            )
            # What the form showed comes back, so that a change made meanwhile is noticed.
            self.fields[f"shown_{participation.pk}"] = forms.ChoiceField(
                choices=TrainingParticipation.Attendance.choices,
                initial=participation.attendance,
                widget=forms.HiddenInput,
            )
            self.rows.append((participation, name))

    def attendance(self) -> dict[int, tuple[str, str]]:
        """By participation id: (the value shown, the value chosen)."""
        return {
            participation.pk: (
                self.cleaned_data[f"shown_{participation.pk}"],
                self.cleaned_data[name],
            )
            for participation, name in self.rows
        }

    def bound_rows(self):
        return [(participation, self[name]) for participation, name in self.rows]


class CertificateForm(forms.ModelForm):
    class Meta:
        model = TrainingParticipation
        fields = ["certificate"]
        widgets = {"certificate": forms.FileInput(attrs={"accept": DOCUMENT_ACCEPT})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].required = True

    def clean_certificate(self):
        return checked_upload(self.cleaned_data.get("certificate"), stem="certificate")


class DisseminationReportForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = DisseminationReport
        fields = ["summary", "materials", "materials_file", "shared_on"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "materials": forms.Textarea(attrs={"rows": 3}),
            "materials_file": forms.FileInput(attrs={"accept": MATERIALS_ACCEPT}),
            "shared_on": DateInput(),
        }
        help_texts = {
            "materials_file": _("PDF, Word, PowerPoint, Excel, JPG or PNG, at most 10 MB."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_materials_file(self):
        return checked_upload(
            self.cleaned_data.get("materials_file"), stem="materials", check=materials_check
        )


class SemesterSwitchForm(forms.Form):
    """Making a semester current; a semester far ahead or already over must be confirmed
    (staff.calendar.switch_warning says why). The box exists only then."""

    confirm = forms.BooleanField(
        label=_("Yes, make this semester current anyway"),
        required=False,
    )

    def __init__(self, *args, warning: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.warning = warning
        if not warning:
            del self.fields["confirm"]

    def clean(self):
        cleaned = super().clean()
        if self.warning and not cleaned.get("confirm"):
            self.add_error(
                "confirm",
                _("Tick the box to make this semester current anyway, or leave it for now."),
            )
        return cleaned


class SemesterDatesForm(forms.Form):
    """The first and last day of a semester (staff.calendar holds the rules)."""

    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    # The semester's version when the form was opened (see calendar.semester_dates_update).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, semester: Semester, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "start_date": semester.start_date,
                "end_date": semester.end_date,
                "version": semester.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.semester = semester

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end:
            for field, message in semester_dates_problems(
                self.semester, start=start, end=end
            ).items():
                self.add_error(None if field == "__all__" else field, message)
        return cleaned
