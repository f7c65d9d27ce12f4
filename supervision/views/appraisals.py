"""Competency appraisals of BK teachers: the list, the scoring form with the evidence beside
each competency, finalising and acknowledging, the print view and PDF, the self-appraisal
beside the principal's, and the counselor's competency profile.

Whom a user may see is decided in staff.access (appraisals_visible_to,
competency_profiles_visible_to): the principal every appraisal of the school, a counselor the
own, nobody else any; whatever else answers 404.
"""

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counseling import pdf
from staff import appraisals as services
from staff import scoring
from staff.access import (
    Permission,
    competency_profiles_visible_to,
    has_role,
    may_acknowledge_appraisal,
    may_edit_appraisal,
    permission_required,
)
from staff.models import AccessLogEntry, Appraisal, Role, Semester
from staff.selectors import current_semester
from staff.services import access_log_record
from staff.web import require_post_for
from supervision.charts import PALETTE, chart, series
from supervision.evidence import appraisal_evidence
from supervision.forms import (
    AcknowledgeForm,
    AppraisalForm,
    AppraisalStartForm,
    FinaliseForm,
    indicator_field_name,
)


def _appraisal_or_404(request: HttpRequest, pk: int) -> Appraisal:
    return get_object_or_404(services.appraisals_for_page(request.user), pk=pk)


def _semesters(request: HttpRequest):
    """The school's semesters that have begun: a semester is appraised from its start on."""
    return Semester.objects.filter(
        school_id=request.user.school_id, start_date__lte=timezone.localdate()
    )


def _scoring_rules() -> dict:
    """The arithmetic's bounds for the form's live subtotals (static/js/appraisal-form.js);
    staff.scoring stays the rule, the server's figures the record."""
    return {
        "indicatorMax": scoring.INDICATOR_MAX,
        "scoreMax": scoring.COMPETENCY_SCORE_MAX,
        "scoreBounds": [[float(bound), score] for bound, score in scoring.COMPETENCY_SCORE_BOUNDS],
        "categoryBounds": [
            [float(bound), str(scoring.Category(name).label)]
            for bound, name in scoring.CATEGORY_BOUNDS
        ],
        "lowestCategory": str(scoring.Category.POOR.label),
    }


# The list


@permission_required(Permission.VIEW_APPRAISALS)
def appraisal_list(request: HttpRequest) -> HttpResponse:
    """The principal: every counselor's appraisals of a semester. A counselor: the own."""
    user = request.user
    semesters = list(_semesters(request).select_related("academic_year").order_by("-start_date"))
    chosen = request.GET.get("semester", "")
    semester = next((s for s in semesters if str(s.pk) == chosen), None)
    if semester is None:
        semester = next((s for s in semesters if s.is_current), semesters[0] if semesters else None)
    context: dict[str, Any] = {"semesters": semesters, "semester": semester}
    if semester is not None:
        context["export_query"] = urlencode({"semester": semester.pk})
    if has_role(user, Role.PRINCIPAL) and semester is not None:
        by_kind = services.appraisals_of_semester(user, semester)
        context["rows"] = [
            (
                counselor,
                by_kind.get((counselor.pk, Appraisal.Kind.PRINCIPAL)),
                by_kind.get((counselor.pk, Appraisal.Kind.SELF)),
            )
            for counselor in services.appraisable_counselors(user)
        ]
    if has_role(user, Role.COUNSELOR):
        own = list(services.own_appraisals(user))
        context["own"] = own
        context["may_self_appraise"] = semester is not None and not any(
            a.semester_id == semester.pk and a.kind == Appraisal.Kind.SELF for a in own
        )
    return render(request, "supervision/appraisal_list.html", context)


@permission_required(Permission.VIEW_APPRAISALS)
@require_POST
def appraisal_start(request: HttpRequest) -> HttpResponse:
    """Start (or open, if it exists) the principal's appraisal of a counselor, or the user's
    self-appraisal, for a semester."""
    user = request.user
    form = AppraisalStartForm(
        request.POST,
        counselors=services.appraisable_counselors(user),
        semesters=_semesters(request),
    )
    if not form.is_valid():
        messages.error(request, _("Choose a BK teacher and a semester of your school."))
        return redirect("supervision:appraisal_list")
    counselor = form.cleaned_data["counselor"]
    kind = Appraisal.Kind.SELF if counselor.pk == user.pk else Appraisal.Kind.PRINCIPAL
    try:
        appraisal = services.appraisal_start(
            assessor=user, counselor=counselor, semester=form.cleaned_data["semester"], kind=kind
        )
    except services.AppraisalExists as exc:
        messages.info(request, _("This appraisal exists already; here it is."))
        return redirect("supervision:appraisal_detail", pk=exc.existing.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("supervision:appraisal_list")
    messages.success(
        request,
        _("The appraisal of %(name)s for %(semester)s was started as a draft.")
        % {"name": counselor.full_name, "semester": appraisal.semester},
    )
    return redirect("supervision:appraisal_edit", pk=appraisal.pk)


# Scoring


def _form_context(request: HttpRequest, appraisal: Appraisal, form: AppraisalForm, tree, scores):
    return {
        "appraisal": appraisal,
        "form": form,
        "sheet": services.appraisal_sheet(appraisal, scores, tree=tree),
        "evidence": appraisal_evidence(request.user, appraisal.counselor, appraisal.semester),
        "scoring_rules": _scoring_rules(),
    }


@permission_required(Permission.VIEW_APPRAISALS)
@require_http_methods(["GET", "POST"])
def appraisal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _appraisal_or_404(request, pk)
    if not may_edit_appraisal(request.user, appraisal):
        if not appraisal.is_draft:
            messages.info(request, _("A finalised appraisal cannot be changed."))
            return redirect("supervision:appraisal_detail", pk=appraisal.pk)
        raise Http404
    tree = services.framework_tree(appraisal.framework_id)
    indicators = services.tree_indicators(tree)
    if request.method == "GET":
        saved = services.saved_scores(appraisal)
        form = AppraisalForm(
            instance=appraisal,
            indicators=indicators,
            initial={
                indicator_field_name(key): "" if value is None else str(value)
                for key, value in saved.items()
            },
        )
        context = _form_context(request, appraisal, form, tree, saved)
        return render(request, "supervision/appraisal_form.html", context)

    form = AppraisalForm(request.POST, instance=appraisal, indicators=indicators)
    if not form.is_valid():
        context = _form_context(request, appraisal, form, tree, form.scores())
        return render(request, "supervision/appraisal_form.html", context)
    submitted = form.scores()
    try:
        saved = services.appraisal_save(
            appraisal=appraisal,
            user=request.user,
            version=form.cleaned_data["version"],
            scores=submitted,
            notes=form.cleaned_data["notes"],
        )
    except services.AppraisalLocked:
        messages.error(request, _("The appraisal was finalised meanwhile; nothing was changed."))
        return redirect("supervision:appraisal_detail", pk=appraisal.pk)
    except services.StaleAppraisal as exc:
        return _render_conflict(request, exc.current, form, submitted, tree)
    if "finalise" not in request.POST:
        messages.success(request, _("The draft was saved."))
        return redirect("supervision:appraisal_edit", pk=appraisal.pk)
    return _finalise(request, saved, saved.version)


def _render_conflict(request, current: Appraisal, form: AppraisalForm, submitted: dict, tree):
    """Somebody saved the draft since this form was opened: nothing was written. The form
    keeps what this person entered, now against the saved version, with the differences."""
    theirs = services.saved_scores(current)
    differences = [
        (indicator, theirs.get(indicator.pk), submitted.get(indicator.pk))
        for indicator in form.indicators
        if theirs.get(indicator.pk) != submitted.get(indicator.pk)
    ]
    data = request.POST.copy()
    data["version"] = str(current.version)
    rebound = AppraisalForm(data, instance=current, indicators=form.indicators)
    rebound.is_valid()
    messages.error(
        request,
        _(
            "Somebody saved this appraisal after you opened it, so nothing was saved. Your "
            "scores are kept below; the differences are listed. Save again to keep yours."
        ),
    )
    context = _form_context(request, current, rebound, tree, submitted)
    context.update(differences=differences, conflict=True)
    return render(request, "supervision/appraisal_form.html", context, status=409)


def _finalise(request: HttpRequest, appraisal: Appraisal, version: int) -> HttpResponse:
    try:
        finalised = services.appraisal_finalise(
            appraisal=appraisal, user=request.user, version=version
        )
    except services.AppraisalLocked:
        messages.error(request, _("The appraisal was finalised meanwhile; nothing was changed."))
        return redirect("supervision:appraisal_detail", pk=appraisal.pk)
    except services.StaleAppraisal:
        messages.error(request, _("Somebody saved this appraisal meanwhile; check it again."))
        return redirect("supervision:appraisal_edit", pk=appraisal.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("supervision:appraisal_edit", pk=appraisal.pk)
    messages.success(
        request,
        _("The appraisal was finalised: %(score)s, %(category)s.")
        % {"score": finalised.final_score, "category": finalised.get_category_display()},
    )
    return redirect("supervision:appraisal_detail", pk=finalised.pk)


@permission_required(Permission.VIEW_APPRAISALS)
@require_post_for(_appraisal_or_404)
def appraisal_finalise(request: HttpRequest, appraisal: Appraisal) -> HttpResponse:
    if not may_edit_appraisal(request.user, appraisal):
        if not appraisal.is_draft:
            messages.info(request, _("The appraisal is finalised already."))
            return redirect("supervision:appraisal_detail", pk=appraisal.pk)
        raise Http404
    form = FinaliseForm(request.POST)
    if not form.is_valid():
        return redirect("supervision:appraisal_detail", pk=appraisal.pk)
    return _finalise(request, appraisal, form.cleaned_data["version"])


# Reading


@permission_required(Permission.VIEW_APPRAISALS)
@require_GET
def appraisal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _appraisal_or_404(request, pk)
    user = request.user
    context = {
        "appraisal": appraisal,
        "sheet": services.appraisal_sheet(appraisal),
        "evidence": appraisal_evidence(user, appraisal.counselor, appraisal.semester),
        "may_edit": may_edit_appraisal(user, appraisal),
        "may_acknowledge": may_acknowledge_appraisal(user, appraisal),
        "counterpart": services.appraisal_counterpart(user, appraisal),
    }
    if context["may_edit"]:
        context["finalise_form"] = FinaliseForm(initial={"version": appraisal.version})
    if context["may_acknowledge"]:
        context["acknowledge_form"] = AcknowledgeForm(instance=appraisal)
    return render(request, "supervision/appraisal_detail.html", context)


@permission_required(Permission.VIEW_APPRAISALS)
@require_post_for(_appraisal_or_404)
def appraisal_acknowledge(request: HttpRequest, appraisal: Appraisal) -> HttpResponse:
    if not may_acknowledge_appraisal(request.user, appraisal):
        if appraisal.counselor_id == request.user.pk:
            messages.info(request, _("There is nothing to acknowledge here."))
            return redirect("supervision:appraisal_detail", pk=appraisal.pk)
        raise Http404
    form = AcknowledgeForm(request.POST, instance=appraisal)
    if not form.is_valid():
        return redirect("supervision:appraisal_detail", pk=appraisal.pk)
    try:
        services.appraisal_acknowledge(
            appraisal=appraisal,
            user=request.user,
            comment=form.cleaned_data["counselor_comment"],
        )
    except (services.AppraisalLocked, ValidationError):
        messages.info(request, _("The appraisal was acknowledged already."))
    else:
        messages.success(request, _("You acknowledged the appraisal."))
    return redirect("supervision:appraisal_detail", pk=appraisal.pk)


def _print_context(request: HttpRequest, appraisal: Appraisal) -> dict[str, Any]:
    return {
        "appraisal": appraisal,
        "sheet": services.appraisal_sheet(appraisal),
        "evidence": appraisal_evidence(request.user, appraisal.counselor, appraisal.semester),
        "printed_at": timezone.localtime(),
        "printed_by": request.user,
    }


@permission_required(Permission.VIEW_APPRAISALS)
@require_GET
def appraisal_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The appraisal laid out for A4 paper; the browser prints it (static/css/print.css)."""
    appraisal = _appraisal_or_404(request, pk)
    return render(request, "supervision/appraisal_print.html", _print_context(request, appraisal))


@permission_required(Permission.VIEW_APPRAISALS)
@require_GET
def appraisal_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The print view as a PDF file, written to the access log as an export. Without
    WeasyPrint's system libraries: a page that says what to install (503), never an error."""
    appraisal = _appraisal_or_404(request, pk)
    weasyprint = pdf.load_weasyprint()
    if weasyprint is None:
        return pdf.unavailable_response(
            request,
            print_url=reverse("supervision:appraisal_print", args=[appraisal.pk]),
            back_url=reverse("supervision:appraisal_detail", args=[appraisal.pk]),
            back_label=_("Back to the appraisal"),
        )
    access_log_record(request=request, action=AccessLogEntry.Action.EXPORT, obj=appraisal)
    filename = f"pk-guru-bk-{appraisal.counselor.username}-{appraisal.semester_id}-{appraisal.kind}"
    return pdf.pdf_response(
        weasyprint,
        request,
        "supervision/appraisal_print.html",
        _print_context(request, appraisal),
        f"{filename}.pdf",
    )


@permission_required(Permission.VIEW_APPRAISALS)
@require_GET
def appraisal_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """The self-appraisal and the principal's appraisal of one semester, side by side."""
    appraisal = _appraisal_or_404(request, pk)
    counterpart = services.appraisal_counterpart(request.user, appraisal)
    pair = {appraisal.kind: appraisal}
    if counterpart is not None:
        pair[counterpart.kind] = counterpart
    principal = pair.get(Appraisal.Kind.PRINCIPAL)
    own = pair.get(Appraisal.Kind.SELF)
    principal_sheet = services.appraisal_sheet(principal) if principal else None
    self_sheet = services.appraisal_sheet(own) if own else None
    return render(
        request,
        "supervision/appraisal_compare.html",
        {
            "appraisal": appraisal,
            "principal": principal,
            "self_appraisal": own,
            "principal_sheet": principal_sheet,
            "self_sheet": self_sheet,
            "rows": _comparison_rows(principal_sheet, self_sheet),
        },
    )


def _comparison_rows(principal_sheet, self_sheet) -> list[dict]:
    def by_number(sheet) -> dict:
        if sheet is None:
            return {}
        return {line.competency.number: line for line in sheet.competencies}

    principal, own = by_number(principal_sheet), by_number(self_sheet)
    rows = []
    for number in sorted(principal.keys() | own.keys()):
        theirs, mine = principal.get(number), own.get(number)
        principal_score = theirs.result.score if theirs and theirs.result else None
        self_score = mine.result.score if mine and mine.result else None
        rows.append(
            {
                "competency": (theirs or mine).competency,
                "principal": theirs,
                "self": mine,
                "difference": self_score - principal_score
                if principal_score is not None and self_score is not None
                else None,
            }
        )
    return rows


# The competency profile


@permission_required(Permission.VIEW_APPRAISALS)
def competency_overview(request: HttpRequest) -> HttpResponse:
    """The principal: each counselor's latest final score and its change. A counselor goes
    straight to the own profile."""
    user = request.user
    if not has_role(user, Role.PRINCIPAL):
        return redirect("supervision:competency_profile", pk=user.pk)
    latest: dict[int, list[Appraisal]] = {}
    for appraisal in services.final_scores_of_school(user.school_id).filter(
        kind=Appraisal.Kind.PRINCIPAL
    ):
        latest.setdefault(appraisal.counselor_id, []).append(appraisal)
    rows = []
    for counselor in competency_profiles_visible_to(user).order_by("full_name", "username"):
        history = latest.get(counselor.pk, [])
        last = history[-1] if history else None
        before = history[-2] if len(history) > 1 else None
        change: Decimal | None = None
        if last is not None and before is not None:
            change = last.final_score - before.final_score
        rows.append({"counselor": counselor, "latest": last, "previous": before, "change": change})
    return render(
        request,
        "supervision/competency_overview.html",
        {"rows": rows, "semester": current_semester(user.school)},
    )


@permission_required(Permission.VIEW_APPRAISALS)
def competency_profile(request: HttpRequest, pk: int) -> HttpResponse:
    counselor = get_object_or_404(competency_profiles_visible_to(request.user), pk=pk)
    profile = services.competency_profile(request.user, counselor)
    data = profile.chart_data()
    return render(
        request,
        "supervision/competency_profile.html",
        {
            "profile": profile,
            "counselor": counselor,
            "chart": chart(
                "line",
                data["labels"],
                [
                    series(_("Principal's appraisal"), data["principal"], PALETTE[0]),
                    series(_("Self-appraisal"), data["self"], PALETTE[1], dashed=True),
                ],
                y_title=_("Final score"),
                y_max=100,
            ),
            "is_own": counselor.pk == request.user.pk,
            "appraisals_url": reverse("supervision:appraisal_list"),
        },
    )
