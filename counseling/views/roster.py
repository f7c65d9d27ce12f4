"""The roster: classes, the student list, a student's page and the import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from counseling import book, cases, importing, selectors
from counseling.access import personal_book_access, roster_required, students_visible_to
from counseling.forms import StudentFilterForm
from counseling.models import Classroom, Student
from staff.access import Permission, can, permission_required
from staff.models import School
from staff.selectors import current_academic_year
from staff.web import paginate, query_without_page

STUDENTS_PER_PAGE = 50


# Importing the roster from the Dapodik download.


@permission_required(Permission.MANAGE_ROSTER)
@require_http_methods(["GET", "POST"])
def student_import(request: HttpRequest) -> HttpResponse:
    """Upload → a preview of every row, nothing saved → "Save all" confirms the kept file."""
    school = request.user.school
    if request.method == "POST" and "token" in request.POST:
        return _student_import_confirm(request, school)
    preview = {}
    if request.method == "POST":
        form = importing.StudentImportForm(request.POST, request.FILES, school=school)
        if form.is_valid():
            preview = importing.preview_context(form.rows)
            if not preview["error_count"]:
                preview["token"] = importing.pending_import_store(
                    request.session, school=school, content=form.content
                )
    else:
        importing.pending_import_discard(request.session)
        form = importing.StudentImportForm(school=school)
    return render(request, "counseling/student_import.html", {"form": form, **preview})


def _student_import_confirm(request: HttpRequest, school: School) -> HttpResponse:
    content = importing.pending_import_take(
        request.session, school=school, token=request.POST["token"]
    )
    if content is None:
        messages.error(
            request,
            _(
                "This preview is no longer available: it was saved already, or another file "
                "was checked since. Upload the file again."
            ),
        )
        return redirect("counseling:student_import")
    # Checked again: the school's classes or students may have changed since the preview.
    try:
        rows = importing.read_roster(school=school, content=content)
    except importing.ImportFileError as exc:
        messages.error(request, str(exc))
        return redirect("counseling:student_import")
    preview = importing.preview_context(rows)
    if preview["error_count"]:
        messages.error(
            request, _("The school's data changed since the preview. Nothing was saved.")
        )
        form = importing.StudentImportForm(school=school)
        return render(request, "counseling/student_import.html", {"form": form, **preview})
    try:
        result = importing.students_import_apply(school=school, rows=rows, user=request.user)
    except IntegrityError:
        messages.error(
            request,
            _("Another change to the students got in the way. Nothing was saved; try again."),
        )
        return redirect("counseling:student_import")
    messages.success(
        request,
        _("Students imported: %(created)s new, %(updated)s updated.")
        % {"created": result.created, "updated": result.updated},
    )
    return redirect("counseling:student_list")


# Roster: classes, students and a student's page.


@roster_required
def class_list(request: HttpRequest) -> HttpResponse:
    year = current_academic_year(request.user.school)
    classrooms = (
        selectors.classrooms_of_year(request.user, year) if year else Classroom.objects.none()
    )
    context = {
        "year": year,
        "classrooms": classrooms,
        # The new school year's promotion is for the administrative staff.
        "may_promote": can(request.user, Permission.MANAGE_ROSTER),
    }
    return render(request, "counseling/class_list.html", context)


@roster_required
def student_list(request: HttpRequest) -> HttpResponse:
    form = StudentFilterForm(request.GET or None, user=request.user)
    if not form.is_bound:
        students = selectors.students_for_list(request.user)
    elif form.is_valid():
        students = selectors.students_for_list(request.user, **form.filters())
    else:
        # The form shows what is wrong; a list under half-understood filters would mislead.
        students = Student.objects.none()
    page = paginate(request, students, STUDENTS_PER_PAGE)
    return render(
        request,
        "counseling/student_list.html",
        {"form": form, "page": page, "query_string": query_without_page(request)},
    )


@login_required
def student_detail(request: HttpRequest, pk: int) -> HttpResponse:
    student = get_object_or_404(
        students_visible_to(request.user).select_related(
            "classroom__academic_year",
            "classroom__homeroom_teacher",
            "classroom__counselor",
            "personal_book",
        ),
        pk=pk,
    )
    book_card = book.book_card(student, personal_book_access(request.user, student))
    return render(
        request,
        "counseling/student_detail.html",
        {
            "student": student,
            "book_card": book_card,
            **cases.student_timeline_context(request.user, student),
        },
    )
