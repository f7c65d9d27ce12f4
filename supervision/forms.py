"""Forms of the supervision app: meetings, visits, the BK room and the competency appraisal."""

import datetime

from django import forms
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from staff.models import (
    Appraisal,
    Competency,
    DisseminationReport,
    Indicator,
    Role,
    Semester,
    TrainingEvent,
    User,
)
from staff.scoring import INDICATOR_SCORES
from supervision.dates import validate_plausible_day
from supervision.meetings import INVITABLE_ROLES, members_of
from supervision.models import (
    ActionItem,
    ChecklistItem,
    FacilityItem,
    FacilityRequest,
    Meeting,
    MeetingInvitation,
    PerformanceEvaluation,
    SupervisionVisit,
)
from supervision.models.facilities import FacilityState
from supervision.scheduling import MAX_OCCURRENCES, Repeat
from supervision.visits import NO_FOLLOW_UP_LINK


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PlausibleDates:
    """Every date field of the form refuses a year the records cannot hold (see
    supervision.dates): a clear message instead of an overflow further on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.validators.append(validate_plausible_day)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.username


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.username


# --- Meetings ---------------------------------------------------------------------------------


class MeetingForm(PlausibleDates, forms.ModelForm):
    """Scheduling or changing a meeting: a day with a start and an end time, and the people
    invited by name or by role."""

    day = forms.DateField(label=_("Date"), widget=_date_input())
    start_time = forms.TimeField(label=_("Starts at"), widget=_time_input())
    end_time = forms.TimeField(label=_("Ends at"), widget=_time_input())
    roles = forms.MultipleChoiceField(
        label=_("Invite whole roles"),
        choices=[(role, Role(role).label) for role in INVITABLE_ROLES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For example every BK teacher: all who hold the role now are invited."),
    )
    people = PeopleChoiceField(
        label=_("Invite people"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several. You are invited yourself."),
    )
    repeat = forms.ChoiceField(label=_("Recurrence"), choices=Repeat.choices, initial=Repeat.NONE)
    count = forms.IntegerField(
        label=_("Number of meetings"),
        min_value=2,
        max_value=MAX_OCCURRENCES,
        required=False,
        help_text=_("For a repeating meeting: how many times it takes place, this one included."),
    )

    class Meta:
        model = Meeting
        fields = ["kind", "title", "agenda", "place"]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, school_id: int, organizer: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizer = organizer
        self.fields["people"].queryset = members_of(school_id).exclude(pk=organizer.pk)
        order = ["kind", "title", "day", "start_time", "end_time", "place", "agenda"]
        order += ["roles", "people", "repeat", "count"]
        self.order_fields(order)

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            cleaned["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, start))
            cleaned["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, end))
            if end <= start:
                self.add_error("end_time", _("The meeting must end after it starts."))
        if (
            "people" in cleaned
            and "roles" in cleaned
            and not (cleaned["people"] or cleaned["roles"])
        ):
            self.add_error("people", _("Invite at least one person or one role."))
        repeat = cleaned.get("repeat")
        if "repeat" in self.fields and repeat and repeat != Repeat.NONE:
            if not cleaned.get("count") and "count" not in self.errors:
                self.add_error("count", _("Say how many times the meeting takes place."))
        else:
            cleaned["count"] = 1
        return cleaned


class MeetingEditForm(MeetingForm):
    """Changing one meeting (one occurrence of a series): no repetition, and the version."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        local_start = timezone.localtime(meeting.starts_at)
        kwargs.setdefault(
            "initial",
            {
                "day": local_start.date(),
                "start_time": local_start.time(),
                "end_time": timezone.localtime(meeting.ends_at).time(),
                "people": [
                    pk
                    for pk in meeting.invitations.values_list("person_id", flat=True)
                    if pk != meeting.organizer_id
                ],
                "version": meeting.version,
            },
        )
        super().__init__(*args, instance=meeting, **kwargs)
        del self.fields["repeat"]
        del self.fields["count"]


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=300,
        help_text=_("The invitees read this in the cancellation e-mail."),
    )
    following = forms.BooleanField(
        label=_("Also cancel the later meetings of this series"), required=False
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the meeting is cancelled."))
        return reason


class ReportChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: DisseminationReport) -> str:
        return f"{obj.participation.event.title} — {obj.participation.counselor.full_name}"


class MinutesForm(forms.ModelForm):
    """Attendance of every invitee, the minutes and the decisions, and the dissemination
    reports delegates presented at the meeting."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Meeting
        fields = ["minutes", "decisions", "dissemination_reports"]
        field_classes = {"dissemination_reports": ReportChoiceField}
        widgets = {
            "minutes": forms.Textarea(attrs={"rows": 8}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
            "dissemination_reports": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "minutes": _("What was discussed, item by item of the agenda."),
            "decisions": _("What was decided. Action items are added on the meeting's page."),
            "dissemination_reports": _(
                "What delegates shared with colleagues at this meeting after a training."
            ),
        }

    def __init__(
        self,
        *args,
        invitations: list[MeetingInvitation],
        reports: QuerySet[DisseminationReport],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["dissemination_reports"].queryset = reports
        self.invitations = invitations
        self.fields["minutes"].required = True
        for invitation in invitations:
            self.fields[self.attendance_field(invitation)] = forms.ChoiceField(
                label=invitation.person.full_name,
                choices=MeetingInvitation.Attendance.choices,
                initial=invitation.attendance or MeetingInvitation.Attendance.PRESENT,
                widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
                error_messages={"required": _("Mark this person present, excused or absent.")},
            )
        self.order_fields([self.attendance_field(i) for i in invitations])

    @staticmethod
    def attendance_field(invitation: MeetingInvitation) -> str:
        return f"attendance_{invitation.person_id}"

    def attendance(self) -> dict[int, str]:
        return {
            invitation.person_id: self.cleaned_data[self.attendance_field(invitation)]
            for invitation in self.invitations
        }


class ActionItemForm(PlausibleDates, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["description", "assignee", "due_on", "competency"]
        field_classes = {"assignee": PersonChoiceField}
        widgets = {"due_on": _date_input()}
        help_texts = {"competency": _("Optional: the BK competency this action strengthens.")}

    def __init__(self, *args, school_id: int, with_assignee: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # The competencies of the framework in use, and the one already chosen (which may be of
        # an older version).
        chosen = self.instance.competency_id if self.instance.pk else None
        self.fields["competency"].queryset = Competency.objects.filter(
            Q(framework__is_active=True) | Q(pk=chosen)
        ).order_by("number")
        if with_assignee:
            self.fields["assignee"].queryset = members_of(school_id)
        else:
            del self.fields["assignee"]

    def clean_description(self) -> str:
        description = self.cleaned_data["description"].strip()
        if not description:
            raise forms.ValidationError(_("Say what is to be done."))
        return description


class ActionItemEditForm(ActionItemForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionItem.Status.choices)


class EvaluationForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    class Meta:
        model = PerformanceEvaluation
        fields = ["went_well", "to_improve"]
        widgets = {
            "went_well": forms.Textarea(attrs={"rows": 5}),
            "to_improve": forms.Textarea(attrs={"rows": 5}),
        }


# --- Supervision visits -----------------------------------------------------------------------


class VisitPlanForm(forms.Form):
    """A semester's visits: a date and a focus for each counselor (a counselor left without a
    date is not visited this time)."""

    def __init__(self, *args, counselors: list[User], semester, **kwargs):
        super().__init__(*args, **kwargs)
        self.counselors = counselors
        self.semester = semester
        for counselor in counselors:
            self.fields[f"date_{counselor.pk}"] = forms.DateField(
                label=counselor.full_name, required=False, widget=_date_input()
            )
            self.fields[f"focus_{counselor.pk}"] = forms.ChoiceField(
                label=_("Focus"), choices=SupervisionVisit.Focus.choices
            )

    def rows(self):
        return [
            (counselor, self[f"date_{counselor.pk}"], self[f"focus_{counselor.pk}"])
            for counselor in self.counselors
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        chosen = False
        for counselor in self.counselors:
            day = cleaned.get(f"date_{counselor.pk}")
            if day is None:
                continue
            chosen = True
            if not self.semester.start_date <= day <= self.semester.end_date:
                self.add_error(f"date_{counselor.pk}", _("Choose a day within the semester."))
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Give a date to at least one BK teacher."))
        return cleaned

    def plans(self) -> list[tuple[User, datetime.date, str]]:
        return [
            (
                counselor,
                self.cleaned_data[f"date_{counselor.pk}"],
                self.cleaned_data[f"focus_{counselor.pk}"],
            )
            for counselor in self.counselors
            if self.cleaned_data.get(f"date_{counselor.pk}")
        ]


class VisitRescheduleForm(PlausibleDates, forms.Form):
    """Another day of the semester for a visit still planned."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    planned_on = forms.DateField(label=_("New date"), widget=_date_input())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Optional; the BK teacher reads it in the e-mail."),
    )

    def __init__(self, *args, visit: SupervisionVisit, **kwargs):
        super().__init__(*args, **kwargs)
        self.visit = visit

    def clean_planned_on(self) -> datetime.date:
        day = self.cleaned_data["planned_on"]
        semester = self.visit.semester
        if not semester.start_date <= day <= semester.end_date:
            raise forms.ValidationError(
                _("Choose a day within the semester (%(first)s – %(last)s).")
                % {
                    "first": formats.date_format(semester.start_date, "SHORT_DATE_FORMAT"),
                    "last": formats.date_format(semester.end_date, "SHORT_DATE_FORMAT"),
                }
            )
        if day == self.visit.planned_on:
            raise forms.ValidationError(_("Choose a day other than the one planned."))
        return day


class VisitCancelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=300,
        help_text=_("The BK teacher reads this; the visit stays on record, marked cancelled."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the visit is cancelled."))
        return reason


SCORE_CHOICES = [
    (1, _("1 — not yet")),
    (2, _("2 — partly")),
    (3, _("3 — good")),
    (4, _("4 — very good")),
]


class VisitObservationForm(PlausibleDates, forms.ModelForm):
    """The observation: the date, notes and a score 1–4 for each checklist item."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = SupervisionVisit
        fields = ["observed_on", "observation_notes"]
        widgets = {
            "observed_on": _date_input(),
            "observation_notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, items: list[ChecklistItem], scores: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.fields["observed_on"].required = True
        for item in items:
            self.fields[f"score_{item.pk}"] = forms.TypedChoiceField(
                label=item.text,
                choices=SCORE_CHOICES,
                coerce=int,
                initial=scores.get(item.pk),
                widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
                error_messages={"required": _("Score this item from 1 to 4.")},
            )

    def clean_observed_on(self) -> datetime.date:
        observed_on = self.cleaned_data["observed_on"]
        if observed_on > timezone.localdate():
            raise forms.ValidationError(_("The observation date cannot be in the future."))
        return observed_on

    def scores(self) -> dict[int, int]:
        return {item.pk: self.cleaned_data[f"score_{item.pk}"] for item in self.items}


class VisitFeedbackForm(PlausibleDates, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = SupervisionVisit
        fields = ["strengths", "recommendations", "feedback_on"]
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 4}),
            "recommendations": forms.Textarea(attrs={"rows": 4}),
            "feedback_on": _date_input(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].required = True

    def clean_feedback_on(self) -> datetime.date:
        feedback_on = self.cleaned_data["feedback_on"]
        if feedback_on > timezone.localdate():
            raise forms.ValidationError(_("The feedback date cannot be in the future."))
        return feedback_on


class CoachingMeetingField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        return f"{timezone.localtime(obj.starts_at):%d-%m-%Y %H:%M} — {obj.title}"


class TrainingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TrainingEvent) -> str:
        return f"{obj.starts_on:%d-%m-%Y} — {obj.title} ({obj.get_kind_display()})"


class VisitFollowUpForm(PlausibleDates, forms.ModelForm):
    """How the recommendations are followed up: an action item for the counselor, a coaching
    meeting, a training, or several of them."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    action = forms.CharField(
        label=_("Action item for the BK teacher"),
        max_length=300,
        required=False,
        help_text=_("What the BK teacher agreed to do; it appears among their action items."),
    )
    action_due_on = forms.DateField(label=_("Due date"), required=False, widget=_date_input())

    class Meta:
        model = SupervisionVisit
        fields = ["follow_up", "follow_up_meeting", "follow_up_training", "followed_up_on"]
        field_classes = {
            "follow_up_meeting": CoachingMeetingField,
            "follow_up_training": TrainingChoiceField,
        }
        widgets = {
            "follow_up": forms.Textarea(attrs={"rows": 4}),
            "followed_up_on": _date_input(),
        }
        help_texts = {
            "follow_up_meeting": _("A coaching meeting the BK teacher is invited to."),
            "follow_up_training": _(
                "A training of the school the BK teacher is to take part in; the delegation "
                "itself is decided on the training's page."
            ),
        }

    def __init__(self, *args, coaching_meetings, trainings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up"].required = True
        self.fields["followed_up_on"].required = True
        self.fields["follow_up_meeting"].queryset = coaching_meetings
        self.fields["follow_up_training"].queryset = trainings
        self.order_fields(
            ["follow_up", "action", "action_due_on", "follow_up_meeting", "follow_up_training"]
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        action, due = cleaned.get("action", "").strip(), cleaned.get("action_due_on")
        cleaned["action"] = action
        if action and due is None:
            self.add_error("action_due_on", _("Give the action item a due date."))
        if due is not None and not action:
            self.add_error("action", _("Say what is to be done by that date."))
        self._check_dates(cleaned.get("followed_up_on"), due)
        linked = cleaned.get("follow_up_meeting") or cleaned.get("follow_up_training")
        if not action and not linked and not self.errors:
            raise forms.ValidationError(NO_FOLLOW_UP_LINK)
        return cleaned

    def _check_dates(self, followed_up_on: datetime.date | None, due: datetime.date | None):
        """The follow-up comes after the feedback and not later than today; its action item
        falls due after it."""
        if followed_up_on is None:
            return
        feedback_on = self.instance.feedback_on
        if feedback_on and followed_up_on < feedback_on:
            self.add_error(
                "followed_up_on",
                _("The follow-up cannot come before the feedback (%(day)s).")
                % {"day": formats.date_format(feedback_on, "SHORT_DATE_FORMAT")},
            )
        elif followed_up_on > timezone.localdate():
            self.add_error("followed_up_on", _("The follow-up date cannot be in the future."))
        if due is not None and due < followed_up_on:
            self.add_error("action_due_on", _("The due date cannot be before the follow-up date."))


# --- Facilities -------------------------------------------------------------------------------


class FacilityRecordForm(forms.Form):
    """The state of every item of the standard, prefilled with the latest record. `based_on`
    is the latest record when the form was opened: a newer one refuses the save."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, items: list[FacilityItem], current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            state, note = current.get(item.pk, ("", ""))
            self.fields[f"state_{item.pk}"] = forms.ChoiceField(
                label=item.name,
                choices=FacilityState.choices,
                initial=state or None,
                widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
                error_messages={"required": _("Choose the state of this item.")},
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("Note"), max_length=300, required=False, initial=note
            )
        self.order_fields(["based_on"])

    def rows(self):
        return [(item, self[f"state_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def conditions(self) -> dict[int, tuple[str, str]]:
        return {
            item.pk: (
                self.cleaned_data[f"state_{item.pk}"],
                self.cleaned_data[f"note_{item.pk}"].strip(),
            )
            for item in self.items
        }


class FacilityItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: FacilityItem) -> str:
        return obj.name


class FacilityRequestForm(forms.ModelForm):
    class Meta:
        model = FacilityRequest
        fields = ["item", "what", "reason"]
        field_classes = {"item": FacilityItemChoiceField}
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = FacilityItem.objects.filter(is_active=True)
        self.fields["item"].empty_label = _("Not an item of the standard")

    def clean_what(self) -> str:
        return self.cleaned_data["what"].strip()


class FacilityDecisionForm(forms.Form):
    APPROVE = "approve"
    REJECT = "reject"

    decision = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to reject a request; the BK teacher reads it."),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["reason"] = cleaned.get("reason", "").strip()
        if cleaned.get("decision") == self.REJECT and not cleaned["reason"]:
            self.add_error("reason", _("Say why the request is rejected."))
        return cleaned


# --- Competency appraisal -----------------------------------------------------------------

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


# --- Exports ------------------------------------------------------------------------------------


class SemesterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Semester) -> str:
        return str(obj)


class ExportForm(forms.Form):
    """What to download: the file format and, for the exports of a period, the semester (the
    current one unless chosen; all of them where `all_semesters` allows)."""

    CSV = "csv"
    XLSX = "xlsx"

    format = forms.ChoiceField(
        label=_("File"),
        choices=[(CSV, _("CSV (for any spreadsheet)")), (XLSX, _("Excel workbook (XLSX)"))],
        required=False,
    )
    semester = SemesterChoiceField(
        label=_("Semester"), queryset=Semester.objects.none(), required=False
    )

    def __init__(self, *args, school_id: int, all_semesters: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["semester"]
        field.queryset = (
            Semester.objects.filter(school_id=school_id)
            .select_related("academic_year")
            .order_by("-start_date")
        )
        field.empty_label = _("All semesters") if all_semesters else None

    def clean_format(self) -> str:
        return self.cleaned_data["format"] or self.CSV
