"""The roster: classes, the student list, a student's page, the import, and the forms that
create and edit one class or one student."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from counseling import book, cases, importing, roster, selectors
from counseling.access import (
    classrooms_managed_by,
    personal_book_access,
    roster_required,
    students_managed_by,
    students_visible_to,
)
from counseling.forms import ClassroomForm, StudentEditForm, StudentFilterForm, StudentForm
from counseling.models import Classroom, Student
from staff.access import Permission, can, permission_required
from staff.models import School
from staff.services import StaleEdit
from staff.web import (
    add_form_errors,
    edit_differences,
    paginate,
    pk_param,
    query_without_page,
    with_value,
)

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
    """The classes of the current academic year, or of the next one (`?year=`) once it exists."""
    years = roster.roster_years(request.user.school)
    year = years[0] if years else None
    chosen = pk_param(request, "year")
    if chosen is not None:
        year = next((candidate for candidate in years if candidate.pk == chosen), None)
        if year is None:
            raise Http404
    classrooms = (
        selectors.classrooms_of_year(request.user, year) if year else Classroom.objects.none()
    )
    manages = can(request.user, Permission.MANAGE_ROSTER)
    context = {
        "year": year,
        "years": years,
        "classrooms": classrooms,
        # Classes and the new school year's promotion are for the administrative staff.
        "may_manage": manages,
        "may_promote": manages,
    }
    return render(request, "counseling/class_list.html", context)


@permission_required(Permission.MANAGE_ROSTER)
@require_http_methods(["GET", "POST"])
def class_create(request: HttpRequest) -> HttpResponse:
    school = request.user.school
    years = roster.roster_years(school)
    if not years:
        messages.error(request, _("No academic year is marked as current yet."))
        return redirect("counseling:class_list")
    if request.method == "POST":
        form = ClassroomForm(request.POST, school=school, years=years)
        if form.is_valid():
            data = form.cleaned_data
            try:
                classroom = roster.classroom_create(school=school, **data)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Class %(name)s of %(year)s was created.")
                    % {"name": classroom.name, "year": classroom.academic_year.name},
                )
                return _to_class_list(classroom)
    else:
        year = next((y for y in years if y.pk == pk_param(request, "year")), years[0])
        form = ClassroomForm(school=school, years=years, initial={"academic_year": year})
    return render(request, "counseling/classroom_form.html", {"form": form})


@permission_required(Permission.MANAGE_ROSTER)
@require_http_methods(["GET", "POST"])
def class_edit(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = get_object_or_404(
        classrooms_managed_by(request.user).select_related("academic_year", "school"), pk=pk
    )
    school = classroom.school
    if request.method == "POST":
        form = ClassroomForm(request.POST, instance=classroom, school=school, years=[])
        if form.is_valid():
            try:
                roster.classroom_update(classroom=classroom, **form.cleaned_data)
            except ValidationError as error:
                add_form_errors(form, error)
                classroom.refresh_from_db()  # the page's title shows the saved name
            else:
                messages.success(request, _("Class %(name)s was saved.") % {"name": classroom.name})
                return _to_class_list(classroom)
    else:
        form = ClassroomForm(instance=classroom, school=school, years=[])
    return render(request, "counseling/classroom_form.html", {"form": form, "classroom": classroom})


def _to_class_list(classroom: Classroom) -> HttpResponse:
    url = reverse("counseling:class_list")
    if not classroom.academic_year.is_current:
        url += f"?year={classroom.academic_year_id}"
    return redirect(url)


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
        {
            "form": form,
            "page": page,
            "query_string": query_without_page(request),
            "may_manage": can(request.user, Permission.MANAGE_ROSTER),
        },
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
            "may_edit": can(request.user, Permission.MANAGE_ROSTER),
            **cases.student_timeline_context(request.user, student),
        },
    )


@permission_required(Permission.MANAGE_ROSTER)
@require_http_methods(["GET", "POST"])
def student_create(request: HttpRequest) -> HttpResponse:
    school = request.user.school
    if request.method == "POST":
        form = StudentForm(request.POST, school=school)
        if form.is_valid():
            try:
                student = roster.student_create(school=school, **form.cleaned_data)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, _("%(name)s was added.") % {"name": student.full_name})
                return redirect("counseling:student_detail", pk=student.pk)
    else:
        initial = {}
        classroom_pk = pk_param(request, "classroom")
        if classroom_pk is not None:
            initial["classroom"] = classroom_pk
        form = StudentForm(school=school, initial=initial)
    return render(request, "counseling/student_form.html", {"form": form})


@permission_required(Permission.MANAGE_ROSTER)
@require_http_methods(["GET", "POST"])
def student_edit(request: HttpRequest, pk: int) -> HttpResponse:
    student = get_object_or_404(
        students_managed_by(request.user).select_related("school", "classroom__academic_year"),
        pk=pk,
    )
    current, differences = None, []
    if request.method == "POST":
        form = StudentEditForm(request.POST, instance=student, school=student.school)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                roster.student_update(student=student, version=version, **data)
            except StaleEdit as stale:
                current = stale.current
                differences = edit_differences(form, current, roster.STUDENT_FIELDS)
                messages.error(
                    request,
                    _(
                        "Someone else saved this student while you were editing. Nothing of "
                        "yours was saved. Their version is shown below; your changes are still "
                        "in the form — compare, then save again."
                    ),
                )
                # Saving again is a decision taken knowing the other edit.
                form = StudentEditForm(
                    with_value(request.POST, "version", current.version),
                    instance=current,
                    school=student.school,
                )
                form.is_valid()
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, _("%(name)s was saved.") % {"name": student.full_name})
                return redirect("counseling:student_detail", pk=student.pk)
    else:
        form = StudentEditForm(
            instance=student, school=student.school, initial={"version": student.version}
        )
    return render(
        request,
        "counseling/student_form.html",
        {"form": form, "student": student, "current": current, "differences": differences},
    )
