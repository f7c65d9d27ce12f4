"""Forms of the supervision pages: the competency appraisal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from staff.models import Appraisal, Indicator, Semester, User
from staff.scoring import INDICATOR_SCORES

NOT_SCORED = ""


def indicator_field_name(indicator_id: int) -> str:
    return f"indicator_{indicator_id}"


class AppraisalForm(forms.ModelForm):
    """The score of every indicator (0, 1 or 2; a draft may leave some unscored) and the
    assessor's notes. The version the form was opened at comes back hidden."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Appraisal
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, indicators: list[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        choices = [(NOT_SCORED, "–"), *((str(value), str(value)) for value in INDICATOR_SCORES)]
        for indicator in indicators:
            self.fields[indicator_field_name(indicator.pk)] = forms.TypedChoiceField(
                label=indicator.text,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Score the indicator 0, 1 or 2.")},
            )
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version

    def scores(self) -> dict[int, int | None]:
        """The submitted score of each indicator, by indicator id."""
        return {
            indicator.pk: self.cleaned_data.get(indicator_field_name(indicator.pk))
            for indicator in self.indicators
        }


class AppraisalStartForm(forms.Form):
    """Whom and which semester: from the buttons of the appraisal list."""

    counselor = forms.ModelChoiceField(queryset=User.objects.none())
    semester = forms.ModelChoiceField(queryset=Semester.objects.none())

    def __init__(self, *args, counselors, semesters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = counselors
        self.fields["semester"].queryset = semesters


class FinaliseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AcknowledgeForm(forms.ModelForm):
    class Meta:
        model = Appraisal
        fields = ["counselor_comment"]
        labels = {"counselor_comment": _("Your comment (optional)")}
        widgets = {"counselor_comment": forms.Textarea(attrs={"rows": 3})}
