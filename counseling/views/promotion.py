"""The new school year: create the next academic year, preview the promotion, apply it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from counseling import promotion as service
from counseling.forms import PromotionForm, YearMakeCurrentForm
from staff.access import Permission, permission_required
from staff.models import AcademicYear, AccessLogEntry, School
from staff.selectors import current_academic_year
from staff.services import access_log_record


@permission_required(Permission.MANAGE_ROSTER)
@require_http_methods(["GET", "POST"])
def promotion(request: HttpRequest) -> HttpResponse:
    """GET and "preview" show where every class and student goes and save nothing; "apply"
    promotes everyone in one transaction; "create_year" adds the next academic year."""
    school = request.user.school
    source_year = current_academic_year(school)
    if source_year is None:
        return render(request, "counseling/promotion.html", {"source_year": None})
    target_year = service.next_academic_year(source_year)
    action = request.POST.get("action") if request.method == "POST" else None

    if action == "create_year":
        return _create_year(request, source_year)
    if target_year is None:
        return render(
            request,
            "counseling/promotion.html",
            {
                "source_year": source_year,
                "target_year": None,
                "proposal": service.next_year_proposal(source_year),
            },
        )

    if action == "make_current":
        return _make_current(request, school, source_year, target_year)
    form = PromotionForm(
        request.POST if action in ("preview", "apply") else None,
        candidates=service.promotion_candidates(school=school, year=source_year),
        source_year=source_year.pk,
        target_year=target_year,
        applying=action == "apply",
    )
    repeaters: set[int] = set()
    if form.is_bound and form.is_valid():
        repeaters = {student.pk for student in form.cleaned_data["repeaters"]}
        if action == "apply":
            return _apply(request, school, source_year, target_year, form, repeaters)
    plan = service.promotion_plan(
        school=school, source_year=source_year, target_year=target_year, repeaters=repeaters
    )
    return _render_plan(request, source_year, target_year, form, plan, repeaters)


def _render_plan(
    request: HttpRequest,
    source_year: AcademicYear,
    target_year: AcademicYear,
    form: PromotionForm,
    plan: service.PromotionPlan,
    repeaters: set[int],
    current_form: YearMakeCurrentForm | None = None,
) -> HttpResponse:
    if current_form is None and not plan.student_count:
        # Nothing left to promote: what remains is making the new year current.
        current_form = YearMakeCurrentForm(year=target_year)
    return render(
        request,
        "counseling/promotion.html",
        {
            "source_year": source_year,
            "target_year": target_year,
            "form": form,
            "plan": plan,
            "repeaters": repeaters,
            "previewed": form.is_bound,
            "starts_early": form.starts_early,
            "current_form": current_form,
        },
    )


def _make_current(
    request: HttpRequest, school: School, source_year: AcademicYear, target_year: AcademicYear
) -> HttpResponse:
    """Make the next year current once its students are promoted (the promotion may have
    left that for later); before the promotion, that would strand the students."""
    if service.promotion_candidates(school=school, year=source_year).exists():
        messages.error(
            request,
            _(
                "The classes of %(year)s still have active students. Apply the promotion "
                "first; it can make the new year current at the same time."
            )
            % {"year": source_year.name},
        )
        return redirect("counseling:promotion")
    current_form = YearMakeCurrentForm(request.POST, year=target_year)
    if not current_form.is_valid():
        form = PromotionForm(
            candidates=service.promotion_candidates(school=school, year=source_year),
            source_year=source_year.pk,
            target_year=target_year,
        )
        plan = service.promotion_plan(
            school=school, source_year=source_year, target_year=target_year
        )
        return _render_plan(request, source_year, target_year, form, plan, set(), current_form)
    try:
        semester = service.academic_year_make_current(year=target_year)
    except service.PromotionRefused as exc:
        messages.error(request, str(exc))
        return redirect("counseling:promotion")
    _log_made_current(request, semester)
    messages.success(
        request, _("%(year)s is now the current academic year.") % {"year": target_year.name}
    )
    return redirect("counseling:class_list")


def _create_year(request: HttpRequest, source_year: AcademicYear) -> HttpResponse:
    try:
        year = service.academic_year_create_next(current=source_year)
    except service.PromotionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Academic year %(year)s was created with its two semesters.") % {"year": year.name},
        )
    return redirect("counseling:promotion")


def _apply(
    request: HttpRequest,
    school: School,
    source_year: AcademicYear,
    target_year: AcademicYear,
    form: PromotionForm,
    repeaters: set[int],
) -> HttpResponse:
    try:
        result = service.promotion_apply(
            school=school,
            source_year=source_year,
            target_year=target_year,
            repeaters=repeaters,
            make_current=form.cleaned_data["make_current"],
        )
    except service.PromotionRefused as exc:
        messages.error(request, str(exc))
        return redirect("counseling:promotion")
    messages.success(
        request,
        _(
            "Promotion to %(year)s applied: %(promoted)s students moved up, %(graduated)s "
            "graduated, %(repeating)s repeating; %(classes)s classes created."
        )
        % {
            "year": target_year.name,
            "promoted": result.promoted,
            "graduated": result.graduated,
            "repeating": result.repeating,
            "classes": result.classes_created,
        },
    )
    if form.cleaned_data["make_current"]:
        _log_made_current(request, service.first_semester(target_year))
        messages.info(
            request, _("%(year)s is now the current academic year.") % {"year": target_year.name}
        )
    return redirect("counseling:class_list")


def _log_made_current(request: HttpRequest, semester) -> None:
    """Who made the new year's first semester current, and when: the same entry as a switch
    on the school calendar page, so the principal reads every change of semester in one log."""
    access_log_record(
        request=request, action=AccessLogEntry.Action.MAKE_SEMESTER_CURRENT, obj=semester
    )
