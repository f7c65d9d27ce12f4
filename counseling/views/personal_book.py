"""The student's personal book (buku pribadi): read it, edit one section at a time, print it on
A4 and download it as PDF. Counselors read and write all of it; the homeroom teacher of the
student's class reads the identity and the parents' names and phones; anyone else gets 404."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from counseling import book, pdf
from counseling.access import BookAccess, personal_book_access, students_visible_to
from counseling.models import PersonalBook, Student
from staff.models import AccessLogEntry
from staff.services import access_log_record


def _readable_book(request: HttpRequest, pk: int) -> tuple[Student, int]:
    """The student whose book the user may read, and how much of it; 404 otherwise."""
    student = get_object_or_404(
        students_visible_to(request.user).select_related(
            "school", "classroom__academic_year", "classroom__homeroom_teacher", "personal_book"
        ),
        pk=pk,
    )
    access = personal_book_access(request.user, student)
    if not book.may_read(access):
        raise Http404
    return student, access


def _log_read(request: HttpRequest, personal_book: PersonalBook) -> None:
    access_log_record(
        request=request, action=AccessLogEntry.Action.VIEW_PERSONAL_BOOK, obj=personal_book
    )


def _book_context(request: HttpRequest, student: Student, access: int) -> dict[str, Any]:
    """What the book page and the print view show; the read goes to the access log."""
    personal_book = book.personal_book_get_or_create(student=student)
    sections = book.book_sections(personal_book)
    _log_read(request, personal_book)
    return {
        "student": student,
        "book": personal_book,
        "sections": book.book_sections_for_reader(sections, access),
        "may_write": book.may_write(access),
        "is_partial": access < BookAccess.FULL,
    }


@login_required
@require_GET
def student_book(request: HttpRequest, pk: int) -> HttpResponse:
    student, access = _readable_book(request, pk)
    return render(request, "counseling/book_detail.html", _book_context(request, student, access))


@login_required
@require_http_methods(["GET", "POST"])
def book_section_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    student, access = _readable_book(request, pk)
    spec = book.section_spec(key)
    if spec is None or not book.may_write(access):
        raise Http404
    personal_book = book.personal_book_get_or_create(student=student)
    section = book.book_sections(personal_book)[key]
    form_class = book.section_form_class(key)
    conflict = None
    differences: list[dict[str, str]] = []
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            submitted = form.section_data()
            try:
                book.personal_book_section_save(
                    section=section,
                    data=submitted,
                    version=form.cleaned_data["version"],
                    user=request.user,
                )
            except book.SectionConflict as exc:
                # Nothing was saved. The form keeps what this person typed, now against the
                # version they have been shown, so that saving again is a deliberate choice.
                conflict = exc.current
                differences = book.section_differences(spec, conflict.data, submitted)
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form = form_class(data)
                form.is_valid()
            else:
                messages.success(
                    request,
                    _("The section %(section)s of %(student)s's personal book was saved.")
                    % {"section": spec.label, "student": student.full_name},
                )
                return redirect(
                    reverse("counseling:student_book", args=[student.pk]) + f"#section-{key}"
                )
    else:
        form = form_class(initial=book.section_initial(section))
    _log_read(request, personal_book)
    return render(
        request,
        "counseling/book_section_form.html",
        {
            "student": student,
            "book": personal_book,
            "spec": spec,
            "section": section,
            "form": form,
            "conflict": conflict,
            "differences": differences,
        },
    )


def _print_context(request: HttpRequest, student: Student, access: int) -> dict[str, Any]:
    return {
        **_book_context(request, student, access),
        "printed_at": timezone.localtime(),
        "printed_by": request.user,
    }


@login_required
@require_GET
def book_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The book laid out for A4 paper; the browser prints it (static/css/print.css)."""
    student, access = _readable_book(request, pk)
    return render(request, "counseling/book_print.html", _print_context(request, student, access))


@login_required
@require_GET
def book_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The print view as a PDF file. Without WeasyPrint's system libraries: a page that says
    what to install (503), never an error."""
    student, access = _readable_book(request, pk)
    weasyprint = pdf.load_weasyprint()
    if weasyprint is None:
        return pdf.unavailable_response(
            request,
            print_url=reverse("counseling:book_print", args=[student.pk]),
            back_url=reverse("counseling:student_book", args=[student.pk]),
            back_label=_("Back to the personal book"),
        )
    return pdf.pdf_response(
        weasyprint,
        request,
        "counseling/book_print.html",
        _print_context(request, student, access),
        f"buku-pribadi-{student.nisn}.pdf",
    )
