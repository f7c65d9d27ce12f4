from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from staff.models import Role, User

# Roles a school's administrative staff may hand out; district roles belong to the operators.
SCHOOL_ROLES = [choice for choice in Role.choices if choice[0] != Role.DISTRICT_SUPERVISOR]


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Roles"))
        kwargs.setdefault("choices", SCHOOL_ROLES)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class AccountCreateForm(forms.ModelForm):
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


class AccountForm(forms.ModelForm):
    roles = RolesField()

    class Meta:
        model = User
        fields = ["full_name", "nip", "email", "is_active"]
        labels = {"is_active": _("Active (may sign in)")}

    def __init__(self, *args, editor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor
        self.fields["full_name"].required = True
        kept_roles = list(self.instance.role_assignments.values_list("role", flat=True))
        self.fields["roles"].initial = kept_roles

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


class TemporaryPasswordForm(SetPasswordForm):
    """Set by administrative staff; the person must change it at the next sign-in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Temporary password")
        self.fields["new_password2"].label = _("Temporary password again")


class AccessLogFilterForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Everyone"),
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(school=school).order_by("full_name")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned
