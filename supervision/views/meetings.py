"""Meetings: scheduling with the conflict warning, the meeting page, changing and cancelling,
attendance and minutes, action items, and the performance evaluations of a limited meeting."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from staff.access import Permission, can, permission_required
from staff.services import StaleEdit
from staff.web import add_form_errors, form_differences
from supervision import meetings as services
from supervision import selectors
from supervision.access import (
    action_items_managed_by,
    action_items_visible_to,
    may_change_item_status,
    may_evaluate,
    meetings_managed_by,
    meetings_visible_to,
)
from supervision.dates import day_from_query
from supervision.forms import (
    ActionItemEditForm,
    ActionItemForm,
    ActionItemStatusForm,
    EvaluationForm,
    MeetingCancelForm,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
)
from supervision.ical import calendar_bytes, meeting_event, meeting_link
from supervision.models import ActionItem, Meeting, PerformanceEvaluation
from supervision.scheduling import find_conflicts, occurrences

# Lazy: a module-level constant must be translated per request, not at import.
STALE_MESSAGE = gettext_lazy(
    "Someone else saved this while you were editing it. Nothing of yours was saved. The "
    "form now shows what is saved; your text is above it — compare, then save again."
)
SAVE_ANYWAY = "save_anyway"


def _typed(form) -> list[tuple[str, str]]:
    """What the person typed in the text fields of a form refused as stale, to show beside
    the saved version so that nothing has to be retyped blindly."""
    return [
        (form.fields[name].label, value)
        for name, value in form.cleaned_data.items()
        if name in form.fields and isinstance(value, str) and value.strip()
    ]


# The fields of a meeting compared when two edits meet, in the form's order.
MEETING_COMPARED = ["kind", "title", "day", "start_time", "end_time", "place", "agenda", "people"]


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Scheduling and changing


def _conflicts_for(form: MeetingForm, school_id: int, organizer, ignore=()) -> tuple[list, list]:
    """The invitees a valid form names, and their conflicts at the meeting's times."""
    data = form.cleaned_data
    invitees = services.invitees_for(
        school_id=school_id, people=[organizer, *data["people"]], roles=data["roles"]
    )
    windows = occurrences(
        data["starts_at"], data["ends_at"], data.get("repeat") or "none", data["count"]
    )
    conflicts = find_conflicts(
        school_id=school_id, people=invitees, windows=windows, ignore_meetings=ignore
    )
    return invitees, conflicts


@permission_required(Permission.SCHEDULE_MEETINGS)
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    conflicts: list = []
    if request.method == "POST":
        form = MeetingForm(request.POST, school_id=user.school_id, organizer=user)
        if form.is_valid():
            data = form.cleaned_data
            invitees, conflicts = _conflicts_for(form, user.school_id, user)
            if not conflicts or request.POST.get(SAVE_ANYWAY) == "1":
                try:
                    with transaction.atomic():
                        meetings = services.meeting_schedule(
                            organizer=user,
                            kind=data["kind"],
                            title=data["title"],
                            agenda=data["agenda"],
                            starts_at=data["starts_at"],
                            ends_at=data["ends_at"],
                            place=data["place"],
                            invitees=invitees,
                            repeat=data["repeat"],
                            count=data["count"],
                        )
                except ValidationError as error:
                    add_form_errors(form, error)
                else:
                    if len(meetings) > 1:
                        messages.success(
                            request,
                            _("%(count)d meetings were scheduled; the invitees were e-mailed.")
                            % {"count": len(meetings)},
                        )
                    else:
                        messages.success(
                            request, _("The meeting was scheduled; the invitees were e-mailed.")
                        )
                    return redirect("supervision:meeting_detail", pk=meetings[0].pk)
    else:
        form = MeetingForm(
            school_id=user.school_id,
            organizer=user,
            initial={"day": timezone.localdate(), "place": _("BK room")},
        )
    return render(
        request,
        "supervision/meeting_form.html",
        {"form": form, "conflicts": conflicts, "save_anyway": SAVE_ANYWAY},
    )


@permission_required(Permission.SCHEDULE_MEETINGS)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(services.meeting_for_page(meetings_managed_by(request.user)), pk=pk)
    if meeting.is_cancelled:
        messages.error(request, _("A cancelled meeting can no longer be changed."))
        return redirect("supervision:meeting_detail", pk=meeting.pk)
    conflicts: list = []
    if request.method == "POST":
        form = MeetingEditForm(
            request.POST, school_id=meeting.school_id, organizer=meeting.organizer, meeting=meeting
        )
        if form.is_valid():
            data = form.cleaned_data
            invitees, conflicts = _conflicts_for(
                form, meeting.school_id, meeting.organizer, ignore=[meeting.pk]
            )
            if not conflicts or request.POST.get(SAVE_ANYWAY) == "1":
                try:
                    services.meeting_update(
                        meeting=meeting,
                        version=data["version"],
                        editor=request.user,
                        kind=data["kind"],
                        title=data["title"],
                        agenda=data["agenda"],
                        starts_at=data["starts_at"],
                        ends_at=data["ends_at"],
                        place=data["place"],
                        invitees=invitees,
                    )
                except StaleEdit as stale:
                    messages.error(request, STALE_MESSAGE)
                    saved = MeetingEditForm(
                        school_id=meeting.school_id,
                        organizer=meeting.organizer,
                        meeting=stale.current,
                    )
                    return render(
                        request,
                        "supervision/meeting_form.html",
                        {
                            "form": saved,
                            "meeting": meeting,
                            "differences": form_differences(form, saved, MEETING_COMPARED),
                            "stale": True,
                        },
                    )
                except ValidationError as error:
                    add_form_errors(form, error)
                else:
                    messages.success(
                        request, _("The meeting was saved; the invitees were told of the change.")
                    )
                    return redirect("supervision:meeting_detail", pk=meeting.pk)
    else:
        form = MeetingEditForm(
            school_id=meeting.school_id, organizer=meeting.organizer, meeting=meeting
        )
    return render(
        request,
        "supervision/meeting_form.html",
        {"form": form, "meeting": meeting, "conflicts": conflicts, "save_anyway": SAVE_ANYWAY},
    )


@permission_required(Permission.SCHEDULE_MEETINGS)
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(meetings_managed_by(request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = MeetingCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the meeting is cancelled."))
        return redirect("supervision:meeting_detail", pk=meeting.pk)
    try:
        cancelled = services.meeting_cancel(
            meeting=meeting,
            reason=form.cleaned_data["reason"],
            editor=request.user,
            following=form.cleaned_data["following"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(count)d meetings were cancelled; the invitees were e-mailed.")
            % {"count": len(cancelled)}
            if len(cancelled) > 1
            else _("The meeting was cancelled; the invitees were e-mailed."),
        )
    return redirect("supervision:meeting_detail", pk=meeting.pk)


# The meeting's page and its calendar file


@permission_required(Permission.USE_CALENDAR)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = get_object_or_404(services.meeting_for_page(meetings_visible_to(user)), pk=pk)
    manages = meetings_managed_by(user).filter(pk=meeting.pk).exists()
    invitations = selectors.meeting_invitations(meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "invitations": invitations,
        "action_items": selectors.meeting_action_items(user, meeting),
        "manages": manages,
        "may_record_minutes": manages
        and not meeting.is_cancelled
        and meeting.starts_at <= timezone.now(),
        "action_form": ActionItemForm(school_id=meeting.school_id, prefix="item")
        if manages and not meeting.is_cancelled
        else None,
        "cancel_form": MeetingCancelForm() if manages and not meeting.is_cancelled else None,
        "is_evaluation": meeting.kind == Meeting.Kind.LIMITED_EVALUATION,
        "presented_reports": selectors.meeting_reports(meeting),
    }
    if context["is_evaluation"]:
        evaluations = selectors.meeting_evaluations(user, meeting)
        context["evaluations"] = evaluations
        if may_evaluate(user):
            done = {evaluation.counselor_id for evaluation in evaluations}
            context["to_evaluate"] = [
                c for c in services.counselors_to_evaluate(meeting) if c.pk not in done
            ]
    return render(request, "supervision/meeting_detail.html", context)


@permission_required(Permission.USE_CALENDAR)
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(services.meeting_for_page(meetings_visible_to(request.user)), pk=pk)
    content = calendar_bytes([meeting_event(meeting, link=meeting_link(meeting))])
    name = slugify(meeting.title)[:40] or "rapat"
    return _calendar_response(content, f"{name}-{timezone.localtime(meeting.starts_at):%Y%m%d}.ics")


# After the meeting


@permission_required(Permission.SCHEDULE_MEETINGS)
@require_http_methods(["GET", "POST"])
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(services.meeting_for_page(meetings_managed_by(request.user)), pk=pk)
    if meeting.is_cancelled or meeting.starts_at > timezone.now():
        messages.error(request, _("Minutes are recorded once the meeting has begun."))
        return redirect("supervision:meeting_detail", pk=meeting.pk)
    invitations = selectors.meeting_invitations(meeting)
    reports = services.reports_to_present(meeting)
    differences = None
    if request.method == "POST":
        form = MinutesForm(request.POST, instance=meeting, invitations=invitations, reports=reports)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.meeting_record_minutes(
                    meeting=meeting,
                    version=data["version"],
                    attendance=form.attendance(),
                    minutes=data["minutes"],
                    decisions=data["decisions"],
                    dissemination_reports=data["dissemination_reports"],
                )
            except StaleEdit as stale:
                messages.error(request, STALE_MESSAGE)
                meeting = stale.current
                invitations = selectors.meeting_invitations(meeting)
                submitted = form
                form = MinutesForm(
                    instance=meeting,
                    invitations=invitations,
                    reports=reports,
                    initial={"version": meeting.version},
                )
                differences = form_differences(
                    submitted, form, [name for name in form.fields if name != "version"]
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, _("The attendance and the minutes were saved."))
                return redirect("supervision:meeting_detail", pk=meeting.pk)
    else:
        form = MinutesForm(
            instance=meeting,
            invitations=invitations,
            reports=reports,
            initial={"version": meeting.version},
        )
    return render(
        request,
        "supervision/meeting_minutes.html",
        {
            "form": form,
            "meeting": meeting,
            "invitations": invitations,
            "differences": differences,
        },
    )


@permission_required(Permission.SCHEDULE_MEETINGS)
def action_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = get_object_or_404(services.meeting_for_page(meetings_managed_by(user)), pk=pk)
    if meeting.is_cancelled:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ActionItemForm(request.POST, school_id=meeting.school_id, prefix="item")
    if form.is_valid():
        try:
            services.action_item_add(created_by=user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The action item was added."))
            return redirect("supervision:meeting_detail", pk=meeting.pk)
    return render(request, "supervision/action_item_form.html", {"form": form, "meeting": meeting})


# Action items


@permission_required(Permission.USE_CALENDAR)
def my_action_items(request: HttpRequest) -> HttpResponse:
    user = request.user
    status = request.GET.get("status", selectors.OPEN)
    if status not in (selectors.OPEN, selectors.OVERDUE, selectors.DONE, selectors.ALL):
        status = selectors.OPEN
    everyone = request.GET.get("everyone") == "1" and can(user, Permission.SCHEDULE_MEETINGS)
    # The overdue items as they stood on an earlier day (the dashboard of a past semester).
    overdue_on = _past_day(request.GET.get("on", "")) if status == selectors.OVERDUE else None
    items = list(
        selectors.action_items_for_list(
            user, status=status, everyone=everyone, overdue_on=overdue_on
        )
    )
    return render(
        request,
        "supervision/action_items.html",
        {
            "items": items,
            "status": status,
            "everyone": everyone,
            "overdue_on": overdue_on,
            "may_see_everyone": can(user, Permission.SCHEDULE_MEETINGS),
            "today": timezone.localdate(),
            "statuses": [
                (selectors.OPEN, _("To do")),
                (selectors.OVERDUE, _("Overdue")),
                (selectors.DONE, _("Done or dropped")),
                (selectors.ALL, _("All")),
            ],
        },
    )


def _past_day(value: str) -> datetime.date | None:
    """A day before today from the query string; None for anything else."""
    day = day_from_query(value)
    return day if day is not None and day < timezone.localdate() else None


def _back_to(item: ActionItem, fallback: str = "supervision:my_action_items") -> HttpResponse:
    if item.evaluation_id:
        return redirect("supervision:evaluation_detail", pk=item.evaluation_id)
    if item.meeting_id:
        return redirect("supervision:meeting_detail", pk=item.meeting_id)
    return redirect(fallback)


@permission_required(Permission.USE_CALENDAR)
def action_item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(action_items_visible_to(request.user), pk=pk)
    if not may_change_item_status(request.user, item):
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ActionItemStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That status does not exist."))
    else:
        item = services.action_item_set_status(item=item, status=form.cleaned_data["status"])
        messages.success(
            request,
            _("“%(item)s” is now %(status)s.")
            % {"item": item.description, "status": item.get_status_display().lower()},
        )
    if request.POST.get("next") == "list":
        return redirect("supervision:my_action_items")
    return _back_to(item)


@permission_required(Permission.USE_CALENDAR)
@require_http_methods(["GET", "POST"])
def action_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        action_items_managed_by(request.user).select_related("meeting", "assignee", "competency"),
        pk=pk,
    )
    with_assignee = item.evaluation_id is None
    yours = None
    if request.method == "POST":
        form = ActionItemEditForm(
            request.POST, instance=item, school_id=item.school_id, with_assignee=with_assignee
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.action_item_update(
                    item=item,
                    version=data["version"],
                    description=data["description"],
                    assignee=data.get("assignee", item.assignee),
                    due_on=data["due_on"],
                    competency=data["competency"],
                )
            except StaleEdit as stale:
                messages.error(request, STALE_MESSAGE)
                yours = _typed(form)
                form = ActionItemEditForm(
                    instance=stale.current,
                    school_id=item.school_id,
                    with_assignee=with_assignee,
                    initial={"version": stale.current.version},
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, _("The action item was saved."))
                return _back_to(item)
    else:
        form = ActionItemEditForm(
            instance=item,
            school_id=item.school_id,
            with_assignee=with_assignee,
            initial={"version": item.version},
        )
    return render(
        request,
        "supervision/action_item_form.html",
        {"form": form, "item": item, "meeting": item.meeting, "yours": yours},
    )


# Performance evaluations of a limited meeting


@permission_required(Permission.EVALUATE_COUNSELORS)
@require_http_methods(["GET", "POST"])
def evaluation_edit(request: HttpRequest, pk: int, counselor_pk: int) -> HttpResponse:
    """Write or change a counselor's evaluation (the principal only)."""
    user = request.user
    meeting = get_object_or_404(
        meetings_visible_to(user).filter(kind=Meeting.Kind.LIMITED_EVALUATION), pk=pk
    )
    counselor = get_object_or_404(services.counselors_to_evaluate(meeting), pk=counselor_pk)
    evaluation = PerformanceEvaluation.objects.filter(meeting=meeting, counselor=counselor).first()
    yours = None
    if request.method == "POST":
        form = EvaluationForm(request.POST, instance=evaluation)
        if form.is_valid():
            data = form.cleaned_data
            try:
                evaluation = services.evaluation_save(
                    meeting=meeting,
                    counselor=counselor,
                    evaluator=user,
                    went_well=data["went_well"],
                    to_improve=data["to_improve"],
                    version=data["version"],
                )
            except StaleEdit as stale:
                messages.error(request, STALE_MESSAGE)
                yours = _typed(form)
                form = EvaluationForm(
                    instance=stale.current, initial={"version": stale.current.version}
                )
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, _("The evaluation was saved."))
                return redirect("supervision:evaluation_detail", pk=evaluation.pk)
    else:
        form = EvaluationForm(
            instance=evaluation, initial={"version": evaluation.version if evaluation else None}
        )
    return render(
        request,
        "supervision/evaluation_form.html",
        {"form": form, "meeting": meeting, "counselor": counselor, "yours": yours},
    )


def _evaluation_page(request: HttpRequest, evaluation, action_form=None) -> HttpResponse:
    agreed = list(
        action_items_visible_to(request.user)
        .filter(evaluation=evaluation)
        .select_related("assignee", "competency")
        .order_by("due_on", "pk")
    )
    writer = may_evaluate(request.user)
    return render(
        request,
        "supervision/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "agreed_actions": agreed,
            "may_write": writer,
            "action_form": action_form
            or (
                ActionItemForm(school_id=evaluation.school_id, with_assignee=False)
                if writer
                else None
            ),
        },
    )


@permission_required(Permission.USE_CALENDAR)
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_object_or_404(selectors.evaluation_for_page(request.user), pk=pk)
    return _evaluation_page(request, evaluation)


@permission_required(Permission.EVALUATE_COUNSELORS)
def evaluation_action_create(request: HttpRequest, pk: int) -> HttpResponse:
    """An agreed action of the evaluation: an action item of the evaluated counselor."""
    evaluation = get_object_or_404(selectors.evaluation_for_page(request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ActionItemForm(request.POST, school_id=evaluation.school_id, with_assignee=False)
    if form.is_valid():
        try:
            services.action_item_add(
                created_by=request.user,
                evaluation=evaluation,
                assignee=evaluation.counselor,
                description=form.cleaned_data["description"],
                due_on=form.cleaned_data["due_on"],
                competency=form.cleaned_data["competency"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The agreed action was added to the BK teacher's items."))
            return redirect("supervision:evaluation_detail", pk=evaluation.pk)
    return _evaluation_page(request, evaluation, action_form=form)
