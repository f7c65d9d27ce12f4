"""Downloads of the school's data as CSV or XLSX: the student roster, session statistics,
training participation and appraisal summaries, and the page that lists what the person may
download. Each export is permitted by its own permission (staff.access) and reads its rows
through the access querysets, so that it holds exactly what its reader may see; every download
is written to the access log, with the export and the period it covers.
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from counseling.forms import StudentFilterForm
from counseling.selectors import students_for_list
from staff.access import Permission, can, permission_required
from staff.models import AccessLogEntry, Semester
from staff.selectors import current_semester
from staff.services import access_log_record
from supervision import exports
from supervision.forms import ExportForm

# What the exports page offers, in its order: who may, where, what, and whether a semester is
# chosen.
_EXPORTS = [
    (
        Permission.EXPORT_STUDENTS,
        "supervision:export_students",
        gettext_lazy("Student roster"),
        gettext_lazy(
            "The active students you may see: NISN, NIS, name, sex, place and date of birth, "
            "class and status. Nothing of the personal books. To choose other students, filter "
            "the student list and download from there."
        ),
        False,
    ),
    (
        Permission.EXPORT_SESSION_STATISTICS,
        "supervision:export_sessions",
        gettext_lazy("Session statistics"),
        gettext_lazy(
            "Sessions counted per month, BK teacher, strategy, service component and BK field, "
            "with the students reached and the minutes. Never notes, summaries or names."
        ),
        True,
    ),
    (
        Permission.EXPORT_TRAINING,
        "supervision:export_training",
        gettext_lazy("Training participation"),
        gettext_lazy(
            "Each delegation to a training event or MGBK meeting of the semester: the event, "
            "its hours (JP), the BK teacher, the attendance and the dissemination report. "
            "Certificates are not exported."
        ),
        True,
    ),
    (
        Permission.EXPORT_APPRAISALS,
        "supervision:export_appraisals",
        gettext_lazy("Appraisal summaries"),
        gettext_lazy(
            "The finalised competency appraisals you may see: final score, category and the "
            "score of each competency, per semester."
        ),
        True,
    ),
]


def _download(request: HttpRequest, table: exports.Table, *, name: str, fmt: str, period: str):
    """Log the download, then send the table as a file. The log is written first: the rows
    are read while the file is sent."""
    access_log_record(
        request=request,
        action=AccessLogEntry.Action.EXPORT,
        object_type=f"export.{name}.{fmt}",
        object_id=period,
    )
    if fmt == ExportForm.XLSX:
        return FileResponse(
            exports.xlsx_file(table),
            as_attachment=True,
            filename=table.filename(period, "xlsx"),
            content_type=exports.XLSX_CONTENT_TYPE,
        )
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in exports.csv_lines(table)),
        content_type=exports.CSV_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{table.filename(period, "csv")}"'
    return response


def _period_form(request: HttpRequest, *, all_semesters: bool = False) -> ExportForm | None:
    """The request's format and semester, or None (with a message) when they are not valid."""
    form = ExportForm(request.GET, school_id=request.user.school_id, all_semesters=all_semesters)
    if form.is_valid():
        return form
    messages.error(request, _("That export does not exist. Choose a semester and a file below."))
    return None


def _chosen_semester(request: HttpRequest, form: ExportForm | None) -> Semester | None:
    """The semester asked for, or the current one; None (with a message) if there is none."""
    if form is None:
        return None
    semester = form.cleaned_data["semester"] or current_semester(request.user.school)
    if semester is None:
        messages.error(request, _("Your school has no current semester yet."))
    return semester


@permission_required(Permission.VIEW_EXPORTS)
def export_list(request: HttpRequest) -> HttpResponse:
    """What the person may download, each with its semester and file format."""
    user = request.user
    semester = current_semester(user.school)
    initial = {"semester": semester, "format": ExportForm.CSV}
    offered = []
    for permission, url_name, title, text, periodic in _EXPORTS:
        if not can(user, permission):
            continue
        form = None
        if periodic:
            form = ExportForm(
                initial=initial,
                school_id=user.school_id,
                all_semesters=url_name == "supervision:export_appraisals",
                auto_id=f"id_{url_name.split(':')[1]}_%s",
            )
        offered.append({"url": reverse(url_name), "title": title, "text": text, "form": form})
    return render(request, "supervision/export_list.html", {"exports": offered})


@permission_required(Permission.EXPORT_STUDENTS)
def export_students(request: HttpRequest) -> HttpResponse:
    """The students of the list as filtered (by default the active ones), roster fields only."""
    filters = StudentFilterForm(request.GET, user=request.user)
    fmt = ExportForm(request.GET, school_id=request.user.school_id)
    if not (filters.is_valid() and fmt.is_valid()):
        messages.error(request, _("Some filters are not valid; correct them to download the list."))
        return redirect(reverse("counseling:student_list") + "?" + request.GET.urlencode())
    students = students_for_list(request.user, **filters.filters())
    return _download(
        request,
        exports.student_roster(students),
        name="students",
        fmt=fmt.cleaned_data["format"],
        period=timezone.localdate().isoformat(),
    )


def _semester_download(
    request: HttpRequest, name: str, build: Callable[[Semester], exports.Table]
) -> HttpResponse:
    """An export of one semester: the one asked for, or the current one."""
    form = _period_form(request)
    semester = _chosen_semester(request, form)
    if semester is None:
        return redirect("supervision:export_list")
    return _download(
        request,
        build(semester),
        name=name,
        fmt=form.cleaned_data["format"],
        period=exports.period_code(semester),
    )


@permission_required(Permission.EXPORT_SESSION_STATISTICS)
def export_sessions(request: HttpRequest) -> HttpResponse:
    return _semester_download(
        request,
        "session_statistics",
        lambda semester: exports.session_statistics(request.user, semester),
    )


@permission_required(Permission.EXPORT_TRAINING)
def export_training(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return _semester_download(
        request,
        "training",
        lambda semester: exports.training_participation(request.user, semester, today=today),
    )


@permission_required(Permission.EXPORT_APPRAISALS)
def export_appraisals(request: HttpRequest) -> HttpResponse:
    """Of the semester asked for (none: all semesters); the current one when not asked."""
    form = _period_form(request, all_semesters=True)
    if form is None:
        return redirect("supervision:export_list")
    if "semester" in request.GET:
        semester = form.cleaned_data["semester"]
    else:
        semester = current_semester(request.user.school)
    return _download(
        request,
        exports.appraisal_summaries(request.user, semester),
        name="appraisals",
        fmt=form.cleaned_data["format"],
        period=exports.period_code(semester),
    )
