"""Training events and MGBK meetings: the school's list, recording an event, who is delegated
(the app proposes, the principal decides), attendance, certificates, and the dissemination
reports delegates owe colleagues.

Every member of the school's staff reads the events and the reports; the principal and the
vice principal record events and attendance; the principal delegates; a delegate uploads the
own certificate (read by the delegate and the principal) and writes the own report.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from staff import training
from staff.access import (
    Permission,
    can,
    may_read_certificate,
    participations_of,
    permission_required,
)
from staff.forms import (
    AttendanceForm,
    CertificateForm,
    DateRangeFilterForm,
    DelegationForm,
    DisseminationReportForm,
    TrainingEventForm,
    TrainingListFilterForm,
)
from staff.models import AccessLogEntry, TrainingEvent, TrainingParticipation, User
from staff.services import access_log_record
from staff.uploads import document_content_type
from staff.web import (
    add_form_errors,
    paginate,
    query_without_page,
    reopen_after_stale_edit,
    require_post_for,
)

EVENTS_PER_PAGE = 30


def _post(request: HttpRequest):
    """The POST a form is bound to, even an empty one (so that it says what is missing);
    None for a GET."""
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest):
    return request.FILES if request.method == "POST" else None


def _event_or_404(request: HttpRequest, pk: int) -> TrainingEvent:
    return get_object_or_404(training.event_for_page(request.user), pk=pk)


@permission_required(Permission.VIEW_TRAINING)
def training_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = TrainingListFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "kind": data["kind"],
            "when": data["when"],
            "since": data["date_from"],
            "until": data["date_to"],
        }
    events = training.events_for_list(request.user, today=today, **filters)
    if form.is_bound and not form.is_valid():
        events = events.none()
    return render(
        request,
        "staff/training_list.html",
        {
            "form": form,
            "page": paginate(request, events, EVENTS_PER_PAGE),
            "query_string": query_without_page(request),
            "may_manage": can(request.user, Permission.MANAGE_TRAINING),
            "own": training.participant_rows(
                request.user, training.own_participations(request.user, today=today), today=today
            ),
            "today": today,
        },
    )


@permission_required(Permission.VIEW_TRAINING)
def training_summary(request: HttpRequest) -> HttpResponse:
    """Per counselor: training hours, delegations and MGBK attendance over twelve months to
    today, or between two days."""
    today = timezone.localdate()
    form = DateRangeFilterForm(request.GET or None)
    since = until = None
    if form.is_bound and form.is_valid():
        since, until = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    last_day = until or today
    return render(
        request,
        "staff/training_summary.html",
        {
            "form": form,
            "rows": training.training_summary(
                request.user.school_id, today=today, since=since, until=until
            ),
            "since": since or last_day - training.TRAINING_WINDOW,
            "today": last_day,
            "bookings_included": until is None,
        },
    )


@permission_required(Permission.MANAGE_TRAINING)
@require_http_methods(["GET", "POST"])
def training_create(request: HttpRequest) -> HttpResponse:
    form = TrainingEventForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            event = training.training_event_create(
                school=request.user.school,
                created_by=request.user,
                competencies=form.cleaned_data["competencies"],
                **form.event_values(),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("%(title)s was recorded.") % {"title": event.title})
            return redirect("staff:training_detail", pk=event.pk)
    return render(
        request, "staff/training_form.html", {"form": form, "title": _("New training event")}
    )


@permission_required(Permission.VIEW_TRAINING)
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    today = timezone.localdate()
    rows = training.participant_rows(
        request.user, training.event_participations(event), today=today
    )
    standing = [row for row in rows if not row.participation.is_withdrawn]
    may_manage = can(request.user, Permission.MANAGE_TRAINING)
    may_delegate = can(request.user, Permission.DELEGATE_TRAINING)
    return render(
        request,
        "staff/training_detail.html",
        {
            "event": event,
            "rows": rows,
            "standing_count": len(standing),
            "seats_left": None if event.seats is None else max(0, event.seats - len(standing)),
            "may_manage": may_manage and not event.is_cancelled,
            "may_cancel": may_manage and not event.is_cancelled and event.ends_on >= today,
            "may_delegate": may_delegate and not event.is_cancelled,
            "may_withdraw": may_delegate and not event.is_cancelled and event.starts_on > today,
            "may_record_attendance": may_manage
            and not event.is_cancelled
            and event.starts_on <= today
            and standing,
            "own": next((row for row in standing if row.is_own), None),
            "today": today,
        },
    )


@permission_required(Permission.MANAGE_TRAINING)
@require_http_methods(["GET", "POST"])
def training_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    if event.is_cancelled:
        messages.error(request, _("The event is cancelled; it can no longer be changed."))
        return redirect("staff:training_detail", pk=event.pk)
    form = TrainingEventForm(_post(request), instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            training.training_event_update(
                event=event,
                user=request.user,
                version=form.cleaned_data["version"] or 0,
                competencies=form.cleaned_data["competencies"],
                **form.event_values(),
            )
        except training.StaleEdit:
            return reopen_after_stale_edit(
                request,
                _(
                    "Somebody else changed this event while you were editing it. Nothing was "
                    "saved; here it is as it is now."
                ),
                "staff:training_edit",
                pk=event.pk,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("%(title)s was saved.") % {"title": event.title})
            return redirect("staff:training_detail", pk=event.pk)
    return render(
        request,
        "staff/training_form.html",
        {"form": form, "event": event, "title": _("Edit %(title)s") % {"title": event.title}},
    )


@permission_required(Permission.MANAGE_TRAINING)
@require_post_for(_event_or_404)
def training_cancel(request: HttpRequest, event: TrainingEvent) -> HttpResponse:
    try:
        training.training_event_cancel(event=event, user=request.user, today=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(title)s was marked cancelled.") % {"title": event.title})
    return redirect("staff:training_detail", pk=event.pk)


@permission_required(Permission.DELEGATE_TRAINING)
@require_http_methods(["GET", "POST"])
def training_delegation(request: HttpRequest, pk: int) -> HttpResponse:
    """The app's proposal of who goes, each with its reasons; the principal confirms."""
    event = _event_or_404(request, pk)
    if event.is_cancelled:
        messages.error(request, _("The event is cancelled."))
        return redirect("staff:training_detail", pk=event.pk)
    proposal = training.delegation_proposal(event, today=timezone.localdate())
    candidates = User.objects.filter(pk__in=[p.counselor.pk for p in proposal.proposals])
    form = DelegationForm(
        _post(request),
        counselors=candidates,
        initial={"counselors": [p.counselor.pk for p in proposal.proposals if p.proposed]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            delegated = training.delegation_confirm(
                event=event,
                counselors=form.cleaned_data["counselors"],
                by=request.user,
                event_url=request.build_absolute_uri(
                    reverse("staff:training_detail", args=[event.pk])
                ),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            notified = sum(1 for participation in delegated if participation.counselor.email)
            messages.success(
                request,
                ngettext(
                    "%(count)s BK teacher delegated; %(notified)s told by e-mail.",
                    "%(count)s BK teachers delegated; %(notified)s told by e-mail.",
                    len(delegated),
                )
                % {"count": len(delegated), "notified": notified},
            )
            return redirect("staff:training_detail", pk=event.pk)
    chosen = {str(value) for value in (form["counselors"].value() or [])}
    return render(
        request,
        "staff/training_delegation.html",
        {
            "event": event,
            "proposal": proposal,
            "form": form,
            "rows": [
                (p, p.reasons(targets=bool(proposal.targets)), str(p.counselor.pk) in chosen)
                for p in proposal.proposals
            ],
        },
    )


@permission_required(Permission.MANAGE_TRAINING)
@require_http_methods(["GET", "POST"])
def training_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    participations = list(
        event.participations.filter(withdrawn_at__isnull=True)
        .select_related("counselor")
        .order_by("counselor__full_name", "pk")
    )
    form = AttendanceForm(_post(request), participations=participations)
    if request.method == "POST" and form.is_valid():
        try:
            training.attendance_record(
                event=event,
                by=request.user,
                attendance=form.attendance(),
                today=timezone.localdate(),
            )
        except training.StaleEdit:
            return reopen_after_stale_edit(
                request,
                _(
                    "Somebody else recorded the attendance meanwhile. Nothing was saved; here "
                    "it is as it is now."
                ),
                "staff:training_attendance",
                pk=event.pk,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("The attendance was saved."))
            return redirect("staff:training_detail", pk=event.pk)
    return render(request, "staff/training_attendance.html", {"event": event, "form": form})


def _participation_or_404(request: HttpRequest, pk: int) -> TrainingParticipation:
    return get_object_or_404(training.participation_for_page(request.user), pk=pk)


@permission_required(Permission.DELEGATE_TRAINING)
@require_post_for(_participation_or_404)
def participation_withdraw(
    request: HttpRequest, participation: TrainingParticipation
) -> HttpResponse:
    try:
        training.participation_withdraw(
            participation=participation, by=request.user, today=timezone.localdate()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The delegation of %(name)s was withdrawn.")
            % {"name": participation.counselor.full_name},
        )
    return redirect("staff:training_detail", pk=participation.event_id)


def _own_participation(request: HttpRequest, pk: int) -> TrainingParticipation:
    """One of the user's own standing delegations, else 404."""
    return get_object_or_404(
        participations_of(request.user)
        .filter(withdrawn_at__isnull=True)
        .select_related("event", "counselor"),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_upload(request: HttpRequest, pk: int) -> HttpResponse:
    participation = _own_participation(request, pk)
    if not participation.may_hold_certificate:
        messages.error(request, training.NO_CERTIFICATE_WHEN_ABSENT)
        return redirect("staff:training_detail", pk=participation.event_id)
    form = CertificateForm(_post(request), _files(request))
    if request.method == "POST" and form.is_valid():
        try:
            training.certificate_upload(
                participation=participation,
                by=request.user,
                upload=form.cleaned_data["certificate"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Your certificate was uploaded."))
            return redirect("staff:training_detail", pk=participation.event_id)
    return render(
        request,
        "staff/certificate_form.html",
        {"form": form, "participation": participation, "event": participation.event},
    )


@login_required
def certificate_download(request: HttpRequest, pk: int) -> FileResponse:
    """The certificate, for its owner and the principal; every download goes to the access
    log. The file is never reachable through MEDIA_URL."""
    participation = _participation_or_404(request, pk)
    if not participation.certificate or not may_read_certificate(request.user, participation):
        raise Http404
    return _document_response(request, participation, participation.certificate, "certificate")


def _document_response(request: HttpRequest, obj, stored, stem: str) -> FileResponse:
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    access_log_record(request=request, action=AccessLogEntry.Action.EXPORT, obj=obj)
    extension = stored.name.rsplit(".", 1)[-1].lower()
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{stem}-{obj.pk}.{extension}",
        content_type=document_content_type(stored.name),
    )


@login_required
@require_http_methods(["GET", "POST"])
def dissemination_write(request: HttpRequest, pk: int) -> HttpResponse:
    """The delegate writes the report (or edits it) for colleagues."""
    participation = _own_participation(request, pk)
    if not training.owes_dissemination(participation):
        raise Http404
    report = getattr(participation, "dissemination_report", None)
    form = DisseminationReportForm(_post(request), _files(request), instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            saved = training.dissemination_report_save(
                participation=participation,
                by=request.user,
                version=form.cleaned_data["version"] if report is not None else None,
                summary=form.cleaned_data["summary"],
                materials=form.cleaned_data["materials"],
                shared_on=form.cleaned_data["shared_on"],
                # Only a new upload; otherwise the stored file stays.
                materials_file=form.cleaned_data["materials_file"]
                if "materials_file" in request.FILES
                else None,
                today=timezone.localdate(),
            )
        except training.StaleEdit:
            return reopen_after_stale_edit(
                request,
                _(
                    "Your report was saved from another window meanwhile. Nothing was saved "
                    "here; this is the report as it is now."
                ),
                "staff:dissemination_write",
                pk=participation.pk,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Your dissemination report was saved."))
            return redirect("staff:dissemination_detail", pk=saved.pk)
    return render(
        request,
        "staff/dissemination_form.html",
        {
            "form": form,
            "participation": participation,
            "event": participation.event,
            "report": report,
        },
    )


@permission_required(Permission.VIEW_TRAINING)
def dissemination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(training.report_for_page(request.user), pk=pk)
    event = report.participation.event
    return render(
        request,
        "staff/dissemination_detail.html",
        {
            "report": report,
            "event": event,
            "late": timezone.localtime(report.created_at).date() > event.dissemination_due,
            "is_author": report.participation.counselor_id == request.user.pk,
            "shared_at": training.dissemination_shared_at(report),
        },
    )


@permission_required(Permission.VIEW_TRAINING)
def dissemination_materials(request: HttpRequest, pk: int) -> FileResponse:
    report = get_object_or_404(training.report_for_page(request.user), pk=pk)
    if not report.materials_file:
        raise Http404
    return _document_response(request, report, report.materials_file, "materials")
