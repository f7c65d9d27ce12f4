"""Cases, counseling sessions and collaboration: lists, pages and the forms that write them."""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counseling import cases as services
from counseling.access import (
    cases_handled_by,
    is_case_handler,
    is_history,
    may_edit_session,
    may_read_notes,
    may_read_session_content,
    outbound_referrals_visible_to,
    sessions_visible_to,
    students_visible_to,
    with_session_content_flag,
)
from counseling.forms import (
    CaseEditForm,
    CaseFilterForm,
    CaseForm,
    CaseTransitionForm,
    CollaborationFilterForm,
    CollaborationForm,
    SessionEditForm,
    SessionForm,
)
from counseling.models import Case, CounselingSession, Student
from staff.access import Permission, can, permission_required
from staff.models import AccessLogEntry
from staff.services import access_log_record, client_address
from staff.web import (
    add_form_errors,
    edit_differences,
    paginate,
    pk_param,
    query_without_page,
    with_value,
)

CASES_PER_PAGE = 50
COLLABORATION_PER_PAGE = 50
CASE_EDIT_FIELDS = ("field", "category", "source", "counselor", "co_handlers", "summary")
SESSION_EDIT_FIELDS = (
    "starts_at",
    "duration_minutes",
    "strategy",
    "component",
    "field",
    "classroom",
    "students",
    "other_participants",
    "summary",
    "confidential_notes",
    "follow_up_plan",
    "next_appointment",
)


def _log_notes_read(request: HttpRequest, sessions: Iterable[CounselingSession]) -> None:
    """One access-log row for every session whose confidential notes the page shows."""
    shown = [session for session in sessions if session.confidential_notes]
    if len(shown) == 1:
        access_log_record(
            request=request, action=AccessLogEntry.Action.VIEW_SESSION_NOTES, obj=shown[0]
        )
    elif shown:
        # The same rows access_log_record writes, in one INSERT for a page of many notes.
        user = request.user
        address = client_address(request)
        AccessLogEntry.objects.bulk_create(
            [
                AccessLogEntry(
                    user=user,
                    school_id=user.school_id,
                    action=AccessLogEntry.Action.VIEW_SESSION_NOTES,
                    object_type=session._meta.label_lower,
                    object_id=str(session.pk),
                    client_address=address,
                )
                for session in shown
            ]
        )


# Cases


@permission_required(Permission.VIEW_CASES)
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None, user=request.user)
    if not form.is_bound:
        cases = services.cases_for_list(request.user)
    elif form.is_valid():
        cases = services.cases_for_list(request.user, **form.filters())
    else:
        cases = Case.objects.none()
    page = paginate(request, cases, CASES_PER_PAGE)
    return render(
        request,
        "counseling/case_list.html",
        {
            "form": form,
            "page": page,
            "query_string": query_without_page(request),
            "may_handle": can(request.user, Permission.HANDLE_CASES),
        },
    )


@permission_required(Permission.VIEW_CASES)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(services.case_for_page(request.user), pk=pk)
    return _render_case_detail(request, case)


def _render_case_detail(
    request: HttpRequest, case: Case, transition_form: CaseTransitionForm | None = None
) -> HttpResponse:
    handler = is_case_handler(request.user, case)
    sessions = list(with_session_content_flag(request.user, services.case_sessions(case)))
    if handler:
        # Every session of the case is the case's: its handlers may read all their notes.
        _log_notes_read(request, sessions)
    context: dict[str, Any] = {
        "case": case,
        "sessions": sessions,
        "notes_readable": handler,
        "is_handler": handler,
        "case_is_history": is_history(case),
        "may_open_student": can(request.user, Permission.VIEW_ROSTER),
        "collaborations": services.case_collaborations(case),
        "outbound_referrals": outbound_referrals_visible_to(request.user)
        .filter(case=case)
        .order_by("-referred_on", "-pk"),
        "next_statuses": [
            (status, Case.Status(status).label) for status in case.manual_next_statuses()
        ]
        if handler and not case.is_archived
        else [],
        # "Referred out" is reached by recording the referral, with the parent's consent.
        "may_refer_out": handler
        and not case.is_archived
        and case.can_move_to(Case.Status.REFERRED_OUT),
        "transition_form": transition_form,
        "outcome_statuses": (Case.Status.RESOLVED, Case.Status.CLOSED),
    }
    return render(request, "counseling/case_detail.html", context)


@permission_required(Permission.HANDLE_CASES)
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest, pk: int) -> HttpResponse:
    student = get_object_or_404(students_visible_to(request.user), pk=pk)
    if student.status != Student.Status.ACTIVE:
        messages.error(request, _("A case can be opened only for an active student."))
        return redirect("counseling:student_detail", pk=student.pk)
    school_id = request.user.school_id
    open_case = None
    if request.method == "POST":
        form = CaseForm(request.POST, school_id=school_id)
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.case_open(
                    student=student,
                    counselor=data["counselor"],
                    co_handlers=data["co_handlers"],
                    field=data["field"],
                    category=data["category"],
                    source=data["source"],
                    summary=data["summary"],
                    opened_by=request.user,
                )
            except ValidationError as error:
                add_form_errors(form, error)
                open_case = getattr(error, "case", None)
            else:
                messages.success(request, _("The case was opened."))
                return redirect("counseling:case_detail", pk=case.pk)
    else:
        form = CaseForm(school_id=school_id, initial={"counselor": request.user})
    return render(
        request,
        "counseling/case_form.html",
        {"form": form, "student": student, "open_case": open_case},
    )


def _handled_case(request: HttpRequest, pk: int) -> Case:
    """A case the user handles, or 404: readers who do not handle it cannot change it."""
    return get_object_or_404(
        cases_handled_by(request.user).select_related("student", "counselor"), pk=pk
    )


@permission_required(Permission.HANDLE_CASES)
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _handled_case(request, pk)
    if case.is_archived:
        messages.error(request, _("An archived case can no longer be changed."))
        return redirect("counseling:case_detail", pk=case.pk)
    current, differences, open_case = None, [], None
    if request.method == "POST":
        form = CaseEditForm(request.POST, instance=case, school_id=case.school_id)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.case_update(
                    case=case,
                    version=data["version"],
                    counselor=data["counselor"],
                    co_handlers=data["co_handlers"],
                    field=data["field"],
                    category=data["category"],
                    source=data["source"],
                    summary=data["summary"],
                )
            except services.StaleEdit as stale:
                current = stale.current
                differences = edit_differences(form, current, CASE_EDIT_FIELDS)
                messages.error(
                    request,
                    _(
                        "Someone else saved this case while you were editing it. Nothing of "
                        "yours was saved. Their version is shown below; your changes are still "
                        "in the form — compare, then save again."
                    ),
                )
                # Saving again is a decision taken knowing the other edit.
                form = CaseEditForm(
                    with_value(request.POST, "version", current.version),
                    instance=current,
                    school_id=case.school_id,
                )
                form.is_valid()
            except ValidationError as error:
                add_form_errors(form, error)
                open_case = getattr(error, "case", None)
            else:
                messages.success(request, _("The case was saved."))
                return redirect("counseling:case_detail", pk=case.pk)
    else:
        form = CaseEditForm(
            instance=case, school_id=case.school_id, initial={"version": case.version}
        )
    return render(
        request,
        "counseling/case_form.html",
        {
            "form": form,
            "case": case,
            "current": current,
            "differences": differences,
            "open_case": open_case,
        },
    )


@permission_required(Permission.HANDLE_CASES)
@require_POST
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    case = _handled_case(request, pk)
    form = CaseTransitionForm(request.POST)
    if not form.is_valid():
        if "status" in form.errors:
            messages.error(request, _("That status does not exist."))
            return redirect("counseling:case_detail", pk=case.pk)
        case = get_object_or_404(services.case_for_page(request.user), pk=pk)
        return _render_case_detail(request, case, transition_form=form)
    status = form.cleaned_data["status"]
    outcome = form.cleaned_data["outcome"]
    try:
        case = services.case_transition(
            case=case,
            status=status,
            outcome=outcome if status in (Case.Status.RESOLVED, Case.Status.CLOSED) else None,
        )
    except services.TransitionRefused:
        case.refresh_from_db()
        if status in Case.REFERRAL_ONLY_STATUSES:
            messages.error(
                request,
                _(
                    "A case is referred out by recording the referral with the parent's "
                    "consent (Refer out). Nothing was changed."
                ),
            )
            return redirect("counseling:case_detail", pk=case.pk)
        messages.error(
            request,
            _("A case that is “%(current)s” cannot become “%(wanted)s”. Nothing was changed.")
            % {"current": case.get_status_display(), "wanted": Case.Status(status).label},
        )
    except services.OpenCaseExists as refused:
        messages.error(
            request,
            _(
                "This case cannot be taken up again: the student has another open case of "
                "its category. Continue that one. Nothing was changed."
            ),
        )
        return redirect("counseling:case_detail", pk=refused.case.pk)
    except ValidationError as error:
        add_form_errors(form, error)
        case = get_object_or_404(services.case_for_page(request.user), pk=pk)
        return _render_case_detail(request, case, transition_form=form)
    else:
        messages.success(
            request,
            _("The case is now “%(status)s”.") % {"status": case.get_status_display()},
        )
    return redirect("counseling:case_detail", pk=case.pk)


@permission_required(Permission.HANDLE_CASES)
@require_POST
def case_archive(request: HttpRequest, pk: int) -> HttpResponse:
    case = _handled_case(request, pk)
    try:
        services.case_archive(case=case)
    except ValidationError:
        messages.error(request, _("Only a closed case can be archived."))
    else:
        messages.success(
            request, _("The case was archived. It stays readable; it is never deleted.")
        )
    return redirect("counseling:case_detail", pk=case.pk)


# Sessions


@permission_required(Permission.HANDLE_CASES)
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    case_pk = pk_param(request, "case")
    student_pk = pk_param(request, "student")
    case = None
    if case_pk is not None:
        case = _handled_case(request, case_pk)
        if is_history(case):
            messages.error(request, _("This case is closed; no more sessions can be logged."))
            return redirect("counseling:case_detail", pk=case.pk)
    if request.method == "POST":
        form = SessionForm(request.POST, user=request.user, case=case)
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = services.session_log(
                    counselor=request.user,
                    case=data["case"],
                    starts_at=data["starts_at"],
                    duration_minutes=data["duration_minutes"],
                    strategy=data["strategy"],
                    component=data["component"],
                    field=data["field"],
                    students=data["students"],
                    classroom=data["classroom"],
                    other_participants=data["other_participants"],
                    summary=data["summary"],
                    confidential_notes=data["confidential_notes"],
                    follow_up_plan=data["follow_up_plan"],
                    next_appointment=data["next_appointment"],
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, _("The session was logged."))
                return redirect("counseling:session_detail", pk=session.pk)
    else:
        initial: dict[str, Any] = {
            "starts_at": timezone.localtime().replace(second=0, microsecond=0),
            "duration_minutes": 45,
        }
        if case is not None:
            initial.update(
                case=case,
                field=case.field,
                students=[case.student_id],
                component=CounselingSession.Component.RESPONSIVE,
            )
        elif student_pk is not None:
            student = get_object_or_404(students_visible_to(request.user), pk=student_pk)
            initial["students"] = [student.pk]
        form = SessionForm(user=request.user, case=case, initial=initial)
    return render(request, "counseling/session_form.html", {"form": form, "case": case})


@permission_required(Permission.VIEW_CASES)
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        sessions_visible_to(request.user).select_related("counselor", "case__student", "classroom"),
        pk=pk,
    )
    content_readable = may_read_session_content(request.user, session)
    notes_readable = content_readable and may_read_notes(request.user, session)
    students = []
    if content_readable:
        students = list(session.students.select_related("classroom").order_by("full_name"))
    if notes_readable:
        _log_notes_read(request, [session])
    return render(
        request,
        "counseling/session_detail.html",
        {
            "session": session,
            "content_readable": content_readable,
            "notes_readable": notes_readable,
            "students": students,
            "may_edit": may_edit_session(request.user, session),
            "case_is_history": is_history(session.case),
        },
    )


@permission_required(Permission.HANDLE_CASES)
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        sessions_visible_to(request.user).select_related("case__student", "counselor"), pk=pk
    )
    if not may_edit_session(request.user, session):
        if may_read_session_content(request.user, session) and is_history(session.case):
            # As an archived case's edit: the session is there to read, no longer to change.
            messages.error(request, services.SESSION_OF_CLOSED_CASE)
            return redirect("counseling:session_detail", pk=session.pk)
        raise Http404
    include_notes = may_read_notes(request.user, session)
    current, differences = None, []
    if request.method == "POST":
        form = SessionEditForm(
            request.POST, instance=session, user=request.user, include_notes=include_notes
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.session_update(
                    session=session,
                    edited_at=data["edited_at"],
                    starts_at=data["starts_at"],
                    duration_minutes=data["duration_minutes"],
                    strategy=data["strategy"],
                    component=data["component"],
                    field=data["field"],
                    students=data["students"],
                    classroom=data["classroom"],
                    other_participants=data["other_participants"],
                    summary=data["summary"],
                    follow_up_plan=data["follow_up_plan"],
                    next_appointment=data["next_appointment"],
                    confidential_notes=data.get("confidential_notes") if include_notes else None,
                )
            except services.StaleEdit as stale:
                current = stale.current
                differences = edit_differences(form, current, SESSION_EDIT_FIELDS)
                messages.error(
                    request,
                    _(
                        "Someone else saved this session while you were editing it. Nothing of "
                        "yours was saved. Their version is shown below; your changes are still "
                        "in the form — compare, then save again."
                    ),
                )
                form = SessionEditForm(
                    with_value(request.POST, "edited_at", current.updated_at.isoformat()),
                    instance=current,
                    user=request.user,
                    include_notes=include_notes,
                )
                form.is_valid()
                if include_notes:
                    _log_notes_read(request, [current])
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, _("The session was saved."))
                return redirect("counseling:session_detail", pk=session.pk)
    else:
        form = SessionEditForm(
            instance=session,
            user=request.user,
            include_notes=include_notes,
            initial={"edited_at": session.updated_at.isoformat()},
        )
        if include_notes:
            _log_notes_read(request, [session])
    return render(
        request,
        "counseling/session_form.html",
        {
            "form": form,
            "session": session,
            "case": session.case,
            "current": current,
            "differences": differences,
            "include_notes": include_notes,
        },
    )


# Collaboration


@permission_required(Permission.HANDLE_CASES)
@require_http_methods(["GET", "POST"])
def collaboration_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = CollaborationForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.collaboration_log(counselor=request.user, **data)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, _("The collaboration was logged."))
                if entry.case_id:
                    return redirect("counseling:case_detail", pk=entry.case_id)
                if entry.student_id:
                    return redirect("counseling:student_detail", pk=entry.student_id)
                return redirect("counseling:collaboration_list")
    else:
        initial: dict[str, Any] = {"happened_on": timezone.localdate()}
        case_pk = pk_param(request, "case")
        student_pk = pk_param(request, "student")
        if case_pk is not None:
            case = _handled_case(request, case_pk)
            if is_history(case):
                messages.error(
                    request, _("This case is closed; no more collaboration can be logged in it.")
                )
                return redirect("counseling:case_detail", pk=case.pk)
            initial.update(case=case.pk, student=case.student_id)
        elif student_pk is not None:
            initial["student"] = get_object_or_404(
                students_visible_to(request.user), pk=student_pk
            ).pk
        form = CollaborationForm(user=request.user, initial=initial)
    return render(request, "counseling/collaboration_form.html", {"form": form})


@permission_required(Permission.VIEW_CASES)
def collaboration_list(request: HttpRequest) -> HttpResponse:
    form = CollaborationFilterForm(request.GET or None, user=request.user)
    if not form.is_bound:
        entries = services.collaborations_for_list(request.user)
    elif form.is_valid():
        entries = services.collaborations_for_list(request.user, **form.cleaned_data)
    else:
        entries = services.collaborations_for_list(request.user).none()
    page = paginate(request, entries, COLLABORATION_PER_PAGE)
    return render(
        request,
        "counseling/collaboration_list.html",
        {
            "form": form,
            "page": page,
            "query_string": query_without_page(request),
            "may_handle": can(request.user, Permission.HANDLE_CASES),
        },
    )
