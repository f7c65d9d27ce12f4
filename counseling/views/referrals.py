"""Referrals: teachers refer students to BK and follow the status; counselors triage them; a
case's handlers refer it to an outside service with the parent's consent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counseling import referrals as services
from counseling.access import (
    cases_a_referral_may_join,
    cases_handled_by,
    may_decide_referrals,
    outbound_referrals_handled_by,
)
from counseling.forms import (
    InboundReferralForm,
    OutboundReferralForm,
    ReferralAcceptForm,
    ReferralAttachForm,
    ReferralDeclineForm,
)
from counseling.models import Case, InboundReferral
from staff.access import Permission, can, permission_required
from staff.models import AccessLogEntry
from staff.services import access_log_record
from staff.web import add_form_errors, paginate, query_without_page

REFERRALS_PER_PAGE = 50


# A teacher refers a student and follows the status.


@permission_required(Permission.REFER_STUDENT)
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = InboundReferralForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                referral = services.referral_create(
                    referred_by=request.user,
                    student=form.cleaned_data["student"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Your referral of %(name)s was sent to BK. You can follow its status "
                        "under My referrals."
                    )
                    % {"name": referral.student.full_name},
                )
                return redirect("counseling:my_referrals")
    else:
        form = InboundReferralForm(user=request.user, initial=_initial_student(request))
    return render(request, "counseling/referral_form.html", {"form": form})


def _initial_student(request: HttpRequest) -> dict:
    """?student=<pk> preselects the student (when the user may refer them at all)."""
    student = request.GET.get("student", "")
    return {"student": int(student)} if student.isdigit() else {}


@permission_required(Permission.REFER_STUDENT)
def my_referrals(request: HttpRequest) -> HttpResponse:
    page = paginate(request, services.my_referrals(request.user), REFERRALS_PER_PAGE)
    return render(request, "counseling/referral_mine.html", {"page": page})


# Counselors triage; the principal and the vice principal follow.


@permission_required(Permission.VIEW_REFERRALS)
def referral_inbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in InboundReferral.Status.values:
        status = ""
    referrals = services.referrals_for_inbox(request.user, status=status or None)
    page = paginate(request, referrals, REFERRALS_PER_PAGE)
    return render(
        request,
        "counseling/referral_inbox.html",
        {
            "page": page,
            "status": status,
            "statuses": InboundReferral.Status.choices,
            "query_string": query_without_page(request),
            "may_refer": _may_refer(request),
        },
    )


def _may_refer(request: HttpRequest) -> bool:
    return can(request.user, Permission.REFER_STUDENT)


def _referral_or_404(request: HttpRequest, pk: int) -> InboundReferral:
    referral = services.referral_for_detail(request.user, pk)
    if referral is None:
        raise Http404
    return referral


@permission_required(Permission.VIEW_REFERRALS)
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral_or_404(request, pk)
    return _render_detail(request, referral)


def _render_detail(
    request: HttpRequest,
    referral: InboundReferral,
    *,
    accept_form: ReferralAcceptForm | None = None,
    decline_form: ReferralDeclineForm | None = None,
    open_case: Case | None = None,
    status: int = 200,
) -> HttpResponse:
    may_decide = (
        may_decide_referrals(request.user) and referral.status == InboundReferral.Status.SUBMITTED
    )
    context = {
        "referral": referral,
        "may_decide": may_decide,
        "open_case": open_case,
        # Instead of a second case: the open one, when it holds no referral yet.
        "may_attach": open_case is not None
        and cases_a_referral_may_join(request.user, referral).filter(pk=open_case.pk).exists(),
    }
    if may_decide:
        context["accept_form"] = accept_form or ReferralAcceptForm(
            referral=referral, user=request.user
        )
        context["decline_form"] = decline_form or ReferralDeclineForm()
        context["source"] = Case.Source(services.referral_source(referral)).label
    return render(request, "counseling/referral_detail.html", context, status=status)


@permission_required(Permission.DECIDE_REFERRALS)
@require_POST
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral_or_404(request, pk)
    form = ReferralAcceptForm(request.POST, referral=referral, user=request.user)
    if not form.is_valid():
        return _render_detail(request, referral, accept_form=form)
    try:
        case = services.referral_accept(
            referral=referral,
            accepted_by=request.user,
            counselor=form.cleaned_data["counselor"],
            field=form.cleaned_data["field"],
            category=form.cleaned_data["category"],
            summary=form.cleaned_data["summary"],
        )
    except (services.ReferralAlreadyDecided, IntegrityError):
        return _already_decided(request, referral)
    except ValidationError as exc:
        add_form_errors(form, exc)
        return _render_detail(
            request, referral, accept_form=form, open_case=getattr(exc, "case", None)
        )
    messages.success(
        request,
        _("The referral of %(name)s was taken up as a case.") % {"name": referral.student},
    )
    return redirect(reverse("counseling:case_detail", args=[case.pk]))


@permission_required(Permission.DECIDE_REFERRALS)
@require_POST
def referral_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the referral up into the student's open case (offered when accepting it as a new
    case was refused because of that case)."""
    referral = _referral_or_404(request, pk)
    form = ReferralAttachForm(request.POST, referral=referral, user=request.user)
    if not form.is_valid():
        messages.error(
            request,
            _(
                "The referral can be attached only to an open case of %(name)s that has no "
                "referral yet. Nothing was changed."
            )
            % {"name": referral.student.full_name},
        )
        return redirect("counseling:referral_detail", pk=referral.pk)
    try:
        case = services.referral_attach(
            referral=referral, case=form.cleaned_data["case"], attached_by=request.user
        )
    except services.ReferralAlreadyDecided:
        return _already_decided(request, referral)
    except services.CaseCannotTakeReferral as exc:
        messages.error(request, exc.messages[0])
        return redirect("counseling:referral_detail", pk=referral.pk)
    messages.success(
        request,
        _("The referral of %(name)s was taken up in the open case.")
        % {"name": referral.student.full_name},
    )
    return redirect("counseling:case_detail", pk=case.pk)


@permission_required(Permission.DECIDE_REFERRALS)
@require_POST
def referral_decline(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral_or_404(request, pk)
    form = ReferralDeclineForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, referral, decline_form=form)
    try:
        services.referral_decline(
            referral=referral,
            declined_by=request.user,
            reason=form.cleaned_data["decline_reason"],
        )
    except services.ReferralAlreadyDecided:
        return _already_decided(request, referral)
    messages.success(
        request,
        _("The referral of %(name)s was marked as not taken up.") % {"name": referral.student},
    )
    return redirect("counseling:referral_detail", pk=referral.pk)


def _already_decided(request: HttpRequest, referral: InboundReferral) -> HttpResponse:
    messages.error(
        request,
        _("Another BK teacher decided on this referral already. Nothing was changed."),
    )
    return redirect("counseling:referral_detail", pk=referral.pk)


# A case's handlers refer it to an outside service.


@login_required
@require_http_methods(["GET", "POST"])
def outbound_referral_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_object_or_404(
        cases_handled_by(request.user).select_related("student__classroom"), pk=case_pk
    )
    if case.status == Case.Status.CLOSED or case.is_archived:
        messages.error(request, _("The case is closed; reopen it before referring it out."))
        return redirect("counseling:case_detail", pk=case.pk)
    if request.method == "POST":
        form = OutboundReferralForm(request.POST, request.FILES, case=case)
        if form.is_valid():
            try:
                referral = services.outbound_referral_create(
                    case=case, created_by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The referral to %(institution)s was recorded.")
                    % {"institution": referral.institution},
                )
                if referral.case.status != Case.Status.REFERRED_OUT:
                    messages.info(
                        request,
                        _(
                            'The case stays "%(status)s": only a case in progress can be '
                            "marked as referred out."
                        )
                        % {"status": referral.case.get_status_display()},
                    )
                return redirect("counseling:case_detail", pk=case.pk)
    else:
        form = OutboundReferralForm(case=case)
    return render(request, "counseling/referral_out_form.html", {"form": form, "case": case})


@login_required
def outbound_referral_consent(request: HttpRequest, pk: int) -> FileResponse:
    """The signed consent form, as a download for the case's handlers; every download is
    written to the access log. The file is never reachable through MEDIA_URL."""
    referral = get_object_or_404(outbound_referrals_handled_by(request.user), pk=pk)
    if not referral.consent_form:
        raise Http404
    try:
        handle = referral.consent_form.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    access_log_record(request=request, action=AccessLogEntry.Action.EXPORT, obj=referral)
    extension = referral.consent_form.name.rsplit(".", 1)[-1].lower()
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_("consent-form-%(number)s.%(extension)s")
        % {"number": referral.pk, "extension": extension},
        content_type=services.consent_form_content_type(referral.consent_form.name),
    )
