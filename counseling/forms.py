"""Forms of the counseling app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from counseling.access import classrooms_visible_to
from counseling.models import Classroom, Student
from staff.models import Role, User


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
