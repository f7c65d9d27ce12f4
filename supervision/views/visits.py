"""Academic supervision of BK teachers: the semester's visits, planning them, and each visit's
observation, feedback and follow-up."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from counseling.cases import counselors_of
from staff.access import Permission, can, permission_required
from staff.models import Semester
from staff.selectors import current_semester
from staff.services import StaleEdit
from staff.web import add_form_errors
from supervision import visits as services
from supervision.access import visits_managed_by, visits_visible_to
from supervision.forms import (
    VisitCancelForm,
    VisitFeedbackForm,
    VisitFollowUpForm,
    VisitObservationForm,
    VisitPlanForm,
    VisitRescheduleForm,
)
from supervision.models import SupervisionVisit

# Lazy: a module-level constant must be translated per request, not at import.
STALE_MESSAGE = gettext_lazy(
    "Someone else saved this visit while you were editing it. Nothing of yours was saved; "
    "the form shows what is saved now."
)


def _semester_of(request: HttpRequest) -> Semester | None:
    """The semester asked for in the query string, else the current one; the school's own."""
    semesters = Semester.objects.filter(school_id=request.user.school_id).select_related(
        "academic_year"
    )
    wanted = request.GET.get("semester", "")
    if wanted.isdigit():
        found = semesters.filter(pk=int(wanted)).first()
        if found is not None:
            return found
    return current_semester(request.user.school)


@permission_required(Permission.VIEW_VISITS)
def visit_list(request: HttpRequest) -> HttpResponse:
    semester = _semester_of(request)
    visits = visits_visible_to(request.user).filter(semester=semester)
    stage = request.GET.get("stage", "")
    if stage in SupervisionVisit.Stage.values:
        visits = visits.filter(stage=stage)
    else:
        stage = ""
    return render(
        request,
        "supervision/visit_list.html",
        {
            "semester": semester,
            "stage": stage,
            "stages": SupervisionVisit.Stage.choices,
            "semesters": Semester.objects.filter(school_id=request.user.school_id)
            .select_related("academic_year")
            .order_by("-start_date"),
            "visits": list(services.visits_for_list(visits)),
            "may_supervise": can(request.user, Permission.SUPERVISE_COUNSELORS),
        },
    )


@permission_required(Permission.SUPERVISE_COUNSELORS)
@require_http_methods(["GET", "POST"])
def visit_plan(request: HttpRequest) -> HttpResponse:
    semester = _semester_of(request)
    if semester is None:
        messages.error(request, _("The school has no current semester yet."))
        return redirect("supervision:visit_list")
    counselors = list(counselors_of(request.user.school_id))
    planned = (
        visits_managed_by(request.user)
        .filter(semester=semester)
        .select_related("counselor")
        .order_by("planned_on", "pk")
    )
    form = VisitPlanForm(request.POST or None, counselors=counselors, semester=semester)
    if request.method == "POST" and form.is_valid():
        try:
            visits = services.visits_plan(
                supervisor=request.user, semester=semester, plans=form.plans()
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("%(count)d visits were planned.") % {"count": len(visits)})
            return redirect(f"{reverse('supervision:visit_list')}?semester={semester.pk}")
    return render(
        request,
        "supervision/visit_plan.html",
        {"form": form, "semester": semester, "planned": planned},
    )


@permission_required(Permission.VIEW_VISITS)
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(
        visits_visible_to(request.user).select_related(
            "counselor",
            "supervisor",
            "semester__academic_year",
            "follow_up_action_item",
            "follow_up_meeting",
            "follow_up_training",
        ),
        pk=pk,
    )
    scores = list(visit.scores.select_related("item").order_by("item__position", "item__pk"))
    changes = list(visit.changes.select_related("changed_by"))
    return render(
        request,
        "supervision/visit_detail.html",
        {
            "visit": visit,
            "scores": scores,
            "changes": changes,
            "average": round(sum(s.score for s in scores) / len(scores), 2) if scores else None,
            "may_supervise": visits_managed_by(request.user).filter(pk=visit.pk).exists(),
            "Stage": SupervisionVisit.Stage,
        },
    )


def _managed_visit(request: HttpRequest, pk: int) -> SupervisionVisit:
    return get_object_or_404(
        visits_managed_by(request.user).select_related("counselor", "semester__academic_year"),
        pk=pk,
    )


def _stage_page(request, visit, form, template_title, stale=False) -> HttpResponse:
    return render(
        request,
        "supervision/visit_stage_form.html",
        {"form": form, "visit": visit, "title": template_title, "stale": stale},
    )


def _refuse_unless_planned(request: HttpRequest, visit: SupervisionVisit) -> HttpResponse | None:
    """A redirect with a message when the visit took place or was cancelled already."""
    if visit.may_change_plan:
        return None
    if visit.is_cancelled:
        messages.error(request, _("The visit was cancelled; it can no longer change."))
    else:
        messages.error(request, _("The visit took place; it can no longer be moved or cancelled."))
    return redirect("supervision:visit_detail", pk=visit.pk)


@permission_required(Permission.SUPERVISE_COUNSELORS)
@require_http_methods(["GET", "POST"])
def visit_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed_visit(request, pk)
    if refused := _refuse_unless_planned(request, visit):
        return refused
    initial = {"version": visit.version, "planned_on": visit.planned_on}
    form = VisitRescheduleForm(request.POST or None, visit=visit, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_reschedule(
                visit=visit,
                version=data["version"],
                planned_on=data["planned_on"],
                reason=data["reason"],
                by=request.user,
            )
        except StaleEdit as stale:
            messages.error(request, STALE_MESSAGE)
            current = stale.current
            form = VisitRescheduleForm(
                visit=current,
                initial={"version": current.version, "planned_on": current.planned_on},
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The visit was moved; the BK teacher was told by e-mail."))
            return redirect("supervision:visit_detail", pk=visit.pk)
    return _stage_page(request, visit, form, _("Move the visit"))


@permission_required(Permission.SUPERVISE_COUNSELORS)
@require_http_methods(["GET", "POST"])
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed_visit(request, pk)
    if refused := _refuse_unless_planned(request, visit):
        return refused
    form = VisitCancelForm(request.POST or None, initial={"version": visit.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_cancel(
                visit=visit, version=data["version"], reason=data["reason"], by=request.user
            )
        except StaleEdit as stale:
            messages.error(request, STALE_MESSAGE)
            if refused := _refuse_unless_planned(request, stale.current):
                return refused
            form = VisitCancelForm(initial={"version": stale.current.version})
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request, _("The visit was cancelled; the BK teacher was told by e-mail.")
            )
            return redirect("supervision:visit_detail", pk=visit.pk)
    return _stage_page(request, visit, form, _("Cancel the visit"))


@permission_required(Permission.SUPERVISE_COUNSELORS)
@require_http_methods(["GET", "POST"])
def visit_observe(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed_visit(request, pk)
    items = services.checklist_for(visit)
    scores = dict(visit.scores.values_list("item_id", "score"))
    title = _("Observation")
    if visit.is_cancelled:
        messages.error(request, _("The visit was cancelled; it can no longer change."))
        return redirect("supervision:visit_detail", pk=visit.pk)
    if visit.stage not in (SupervisionVisit.Stage.PLANNED, SupervisionVisit.Stage.OBSERVED):
        messages.error(request, _("The feedback was given; the observation can no longer change."))
        return redirect("supervision:visit_detail", pk=visit.pk)
    initial = {"version": visit.version, "observed_on": visit.observed_on or timezone.localdate()}
    form = VisitObservationForm(
        request.POST or None, instance=visit, items=items, scores=scores, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_observe(
                visit=visit,
                version=data["version"],
                observed_on=data["observed_on"],
                observation_notes=data["observation_notes"],
                scores=form.scores(),
            )
        except StaleEdit as stale:
            messages.error(request, STALE_MESSAGE)
            current = stale.current
            form = VisitObservationForm(
                instance=current,
                items=items,
                scores=dict(current.scores.values_list("item_id", "score")),
                initial={"version": current.version},
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The observation was recorded."))
            return redirect("supervision:visit_detail", pk=visit.pk)
    return _stage_page(request, visit, form, title)


@permission_required(Permission.SUPERVISE_COUNSELORS)
@require_http_methods(["GET", "POST"])
def visit_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed_visit(request, pk)
    if visit.stage not in (SupervisionVisit.Stage.OBSERVED, SupervisionVisit.Stage.FEEDBACK_GIVEN):
        messages.error(request, _("Feedback follows the observation."))
        return redirect("supervision:visit_detail", pk=visit.pk)
    initial = {"version": visit.version, "feedback_on": visit.feedback_on or timezone.localdate()}
    form = VisitFeedbackForm(request.POST or None, instance=visit, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_give_feedback(
                visit=visit,
                version=data["version"],
                strengths=data["strengths"],
                recommendations=data["recommendations"],
                feedback_on=data["feedback_on"],
            )
        except StaleEdit as stale:
            messages.error(request, STALE_MESSAGE)
            form = VisitFeedbackForm(
                instance=stale.current, initial={"version": stale.current.version}
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The feedback was recorded."))
            return redirect("supervision:visit_detail", pk=visit.pk)
    return _stage_page(request, visit, form, _("Feedback"))


@permission_required(Permission.SUPERVISE_COUNSELORS)
@require_http_methods(["GET", "POST"])
def visit_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _managed_visit(request, pk)
    if visit.stage not in (
        SupervisionVisit.Stage.FEEDBACK_GIVEN,
        SupervisionVisit.Stage.FOLLOWED_UP,
    ):
        messages.error(request, _("The follow-up comes after the feedback."))
        return redirect("supervision:visit_detail", pk=visit.pk)
    coaching = services.coaching_meetings_for(visit)
    trainings = services.trainings_for(visit)
    initial = {
        "version": visit.version,
        "followed_up_on": visit.followed_up_on or timezone.localdate(),
    }
    form = VisitFollowUpForm(
        request.POST or None,
        instance=visit,
        coaching_meetings=coaching,
        trainings=trainings,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_follow_up(
                visit=visit,
                version=data["version"],
                supervisor=request.user,
                follow_up=data["follow_up"],
                followed_up_on=data["followed_up_on"],
                action=data["action"],
                action_due_on=data["action_due_on"],
                coaching_meeting=data["follow_up_meeting"],
                training=data["follow_up_training"],
            )
        except StaleEdit as stale:
            messages.error(request, STALE_MESSAGE)
            form = VisitFollowUpForm(
                instance=stale.current,
                coaching_meetings=coaching,
                trainings=trainings,
                initial={"version": stale.current.version},
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The follow-up was recorded."))
            return redirect("supervision:visit_detail", pk=visit.pk)
    return _stage_page(request, visit, form, _("Follow-up"))
