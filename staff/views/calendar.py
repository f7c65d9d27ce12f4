"""The school calendar: the academic years and their semesters, and switching the current
semester within the current year (staff.calendar holds the rules)."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from staff import calendar, services
from staff.access import Permission, can, permission_required, semesters_managed_by
from staff.forms import SemesterDatesForm, SemesterSwitchForm
from staff.models import AccessLogEntry, Semester
from staff.web import reopen_after_stale_edit


@permission_required(Permission.VIEW_SCHOOL_CALENDAR)
def school_calendar(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/school_calendar.html",
        {
            "years": calendar.mark_editable(list(calendar.academic_years_of(request.user.school))),
            "may_switch": can(request.user, Permission.MANAGE_SCHOOL_CALENDAR),
            "semester_due": calendar.semester_due(request.user),
        },
    )


@permission_required(Permission.MANAGE_SCHOOL_CALENDAR)
@require_http_methods(["GET", "POST"])
def semester_make_current(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST makes the semester current and logs who did it."""
    semester = _semester(request, pk)
    warning = calendar.switch_warning(semester)
    # Bound on every POST: without a warning the form has no field, and the POST no data.
    form = SemesterSwitchForm(request.POST if request.method == "POST" else None, warning=warning)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                calendar.semester_switch(semester=semester)
                services.access_log_record(
                    request=request,
                    action=AccessLogEntry.Action.MAKE_SEMESTER_CURRENT,
                    obj=semester,
                )
        except calendar.SemesterSwitchRefused as exc:
            messages.error(request, str(exc))
            return redirect("staff:school_calendar")
        messages.success(
            request, _("%(semester)s is now the current semester.") % {"semester": semester}
        )
        return redirect("staff:school_calendar")
    return render(
        request,
        "staff/semester_make_current.html",
        {"semester": semester, "form": form, "refusal": calendar.switch_refusal(semester)},
    )


def _semester(request: HttpRequest, pk: int) -> Semester:
    """A semester this user may manage (of the own school), else 404."""
    return get_object_or_404(
        semesters_managed_by(request.user).select_related("academic_year"), pk=pk
    )


@permission_required(Permission.MANAGE_SCHOOL_CALENDAR)
@require_http_methods(["GET", "POST"])
def semester_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The dates of a semester of the current or the next year; earlier years are history."""
    semester = _semester(request, pk)
    if not calendar.dates_editable(semester):
        raise Http404
    form = SemesterDatesForm(request.POST or None, semester=semester)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                calendar.semester_dates_update(
                    semester=semester,
                    start=form.cleaned_data["start_date"],
                    end=form.cleaned_data["end_date"],
                    version=form.cleaned_data["version"] or 0,
                )
                services.access_log_record(
                    request=request,
                    action=AccessLogEntry.Action.CHANGE_SEMESTER_DATES,
                    obj=semester,
                )
        except services.StaleEdit:
            return reopen_after_stale_edit(
                request,
                _(
                    "Somebody else changed this semester while you were editing it. Nothing was "
                    "saved; here it is as it is now."
                ),
                "staff:semester_edit",
                pk=semester.pk,
            )
        except calendar.SemesterSwitchRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The dates of %(semester)s were saved.") % {"semester": semester}
            )
            return redirect("staff:school_calendar")
    return render(request, "staff/semester_form.html", {"semester": semester, "form": form})
