"""The BK room: the state of each item of the standard, compliance and its history, and the
requests counselors file and the principal decides."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from staff.access import Permission, can, permission_required
from staff.web import add_form_errors
from supervision import facilities as services
from supervision import selectors
from supervision.access import facility_requests_decided_by, facility_requests_visible_to
from supervision.forms import FacilityDecisionForm, FacilityRecordForm, FacilityRequestForm
from supervision.models import FacilityCondition, FacilityItem, FacilityRequest

REQUESTS_SHOWN = 50


def _current_conditions(assessment) -> dict[int, FacilityCondition]:
    if assessment is None:
        return {}
    return {c.item_id: c for c in assessment.conditions.all()}


@permission_required(Permission.VIEW_FACILITIES)
def facility_overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    school = user.school
    latest = selectors.facility_compliance(school)
    conditions = _current_conditions(latest)
    items = list(FacilityItem.objects.filter(is_active=True))
    rows = [(item, conditions.get(item.pk)) for item in items]
    trend = selectors.facility_compliance_trend(school)
    requests = list(
        facility_requests_visible_to(user)
        .select_related("requested_by", "item", "decided_by")
        .order_by("-created_at", "-pk")[:REQUESTS_SHOWN]
    )
    return render(
        request,
        "supervision/facility_overview.html",
        {
            "latest": latest,
            "rows": rows,
            "trend": trend,
            "by_semester": selectors.facility_compliance_by_semester(school),
            "requests": requests,
            "may_record": can(user, Permission.RECORD_FACILITIES),
            "may_request": can(user, Permission.REQUEST_FACILITIES),
            "may_decide": can(user, Permission.DECIDE_FACILITY_REQUESTS),
        },
    )


@permission_required(Permission.RECORD_FACILITIES)
@require_http_methods(["GET", "POST"])
def facility_record(request: HttpRequest) -> HttpResponse:
    school = request.user.school
    latest = selectors.facility_compliance(school)
    current = {item_id: (c.state, c.note) for item_id, c in _current_conditions(latest).items()}
    items = list(FacilityItem.objects.filter(is_active=True))
    form = FacilityRecordForm(
        request.POST or None,
        items=items,
        current=current,
        initial={"based_on": latest.pk if latest else 0},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.facilities_record(
                school=school,
                recorded_by=request.user,
                based_on=form.cleaned_data["based_on"],
                conditions=form.conditions(),
                note=form.cleaned_data["note"],
            )
        except services.NewerAssessment:
            messages.error(
                request,
                _(
                    "Someone else recorded the BK room while you were filling this in. Nothing "
                    "of yours was saved. Their record is shown below; check it and save again."
                ),
            )
            return redirect("supervision:facility_record")
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request,
                _("The state of the BK room was recorded: %(percent)d%% meets the standard.")
                % {"percent": assessment.compliance},
            )
            return redirect("supervision:facility_overview")
    return render(request, "supervision/facility_record.html", {"form": form, "latest": latest})


@permission_required(Permission.REQUEST_FACILITIES)
@require_http_methods(["GET", "POST"])
def facility_request_create(request: HttpRequest) -> HttpResponse:
    form = FacilityRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.facility_request_file(requested_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("Your request was sent to the principal."))
            return redirect("supervision:facility_overview")
    return render(request, "supervision/facility_request_form.html", {"form": form})


def _request_page(request, facility_request, form=None) -> HttpResponse:
    may_decide = can(request.user, Permission.DECIDE_FACILITY_REQUESTS)
    return render(
        request,
        "supervision/facility_request_detail.html",
        {
            "facility_request": facility_request,
            "may_decide": may_decide
            and facility_request.status == FacilityRequest.Status.SUBMITTED,
            "may_fulfil": may_decide and facility_request.status == FacilityRequest.Status.APPROVED,
            "form": form or FacilityDecisionForm(),
        },
    )


@permission_required(Permission.VIEW_FACILITIES)
def facility_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    facility_request = get_object_or_404(
        facility_requests_visible_to(request.user).select_related(
            "requested_by", "decided_by", "item"
        ),
        pk=pk,
    )
    return _request_page(request, facility_request)


@permission_required(Permission.DECIDE_FACILITY_REQUESTS)
def facility_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    facility_request = get_object_or_404(
        facility_requests_decided_by(request.user).select_related("requested_by", "item"), pk=pk
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = FacilityDecisionForm(request.POST)
    if not form.is_valid():
        return _request_page(request, facility_request, form)
    approve = form.cleaned_data["decision"] == FacilityDecisionForm.APPROVE
    try:
        decided = services.facility_request_decide(
            request=facility_request,
            decided_by=request.user,
            approve=approve,
            reason=form.cleaned_data["reason"],
        )
    except services.TransitionRefused:
        messages.error(request, _("This request was decided already. Nothing was changed."))
    except ValidationError as error:
        add_form_errors(form, error)
        return _request_page(request, facility_request, form)
    else:
        messages.success(
            request,
            _("The request was approved.") if approve else _("The request was rejected."),
        )
        facility_request = decided
    return redirect("supervision:facility_request_detail", pk=facility_request.pk)


@permission_required(Permission.DECIDE_FACILITY_REQUESTS)
def facility_request_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    facility_request = get_object_or_404(facility_requests_decided_by(request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.facility_request_fulfil(request=facility_request)
    except services.TransitionRefused:
        messages.error(request, _("Only an approved request can be marked fulfilled."))
    else:
        messages.success(request, _("The request was marked fulfilled."))
    return redirect("supervision:facility_request_detail", pk=facility_request.pk)
