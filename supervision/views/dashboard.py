"""The principal's dashboard, the period report (a page and a PDF), and the counts of personal
books and students per BK teacher and class that both link to.

All of them read supervision.figures, so that the dashboard and the report of one semester
show the same numbers. Only the principal of the school may open them (Permission.
VIEW_DASHBOARD): nothing on them is confidential, and nothing names a student. Their reads go
to the read replica when there is one (staff.replica.reporting_reads).
"""

import datetime
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from counseling import pdf
from counseling.models import Case, Collaboration
from counseling.selectors import (
    BOOK_COMPLETE_ENOUGH,
    COUNSELOR_RATIO,
    MULTI_SESSION,
    active_student_count,
    books_by_class,
)
from staff.access import Permission, permission_required
from staff.models import AccessLogEntry
from staff.replica import reporting_reads
from staff.scoring import COMPETENCY_SCORE_BOUNDS, COMPETENCY_SCORE_MAX
from staff.services import access_log_record
from staff.web import pk_param
from supervision import report
from supervision.charts import PALETTE, chart, series
from supervision.figures import (
    Figures,
    Period,
    caseloads,
    counselor_names,
    default_semester,
    period_figures,
    school_semesters,
    semester_period,
    year_period,
)
from supervision.models import Meeting, SupervisionVisit

ONE_DAY = datetime.timedelta(days=1)


def _url(name: str, *args, **params) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return reverse(name, args=args) + (f"?{query}" if query else "")


def _iso(day: datetime.date) -> str:
    return day.isoformat()


# --- The lists behind the numbers ------------------------------------------------------------


class Links:
    """The address of the list behind each number of a period, filtered as it was counted.
    Lists that show one semester at a time (the calendar, the visits) are linked for a
    semester only."""

    def __init__(self, period: Period, today: datetime.date):
        self.period = period
        self.today = today
        self.semester = None if period.is_year else period.last_semester

    def meetings(self, kind: str = "") -> str | None:
        if self.semester is None:
            return None
        return _url(
            "supervision:calendar",
            view="semester",
            day=_iso(self.semester.start),
            all="1",
            kind=kind,
            held="1",
        )

    def visits(self, stage: str = "") -> str | None:
        if self.semester is None:
            return None
        return _url("supervision:visit_list", semester=self.semester.pk, stage=stage)

    def training_summary(self, since: datetime.date, until: datetime.date) -> str:
        return _url("staff:training_summary", date_from=_iso(since), date_to=_iso(until))

    def trainings(self) -> str:
        return _url(
            "staff:training_list",
            kind="training",
            date_from=_iso(self.period.start),
            date_to=_iso(self.period.end),
        )

    def cases(self, **params) -> str:
        return _url(
            "counseling:case_list",
            status=params.pop("status", "all"),
            archived="on",
            opened_from=_iso(self.period.start),
            opened_to=_iso(self.period.end),
            **params,
        )

    def collaboration(self, partner: str = "", month: datetime.date | None = None) -> str:
        since, until = self.period.start, self.period.until(self.today)
        if month is not None:
            since = max(since, month)
            next_month = (month + datetime.timedelta(days=32)).replace(day=1)
            until = min(until, next_month - ONE_DAY)
        return _url(
            "counseling:collaboration_list",
            partner_type=partner,
            date_from=_iso(since),
            date_to=_iso(until),
        )

    @property
    def all_collaboration(self) -> str:
        return self.collaboration()

    @property
    def all_cases(self) -> str:
        return self.cases()

    @property
    def multi_session_cases(self) -> str:
        return self.cases(sessions=MULTI_SESSION)

    @property
    def overdue_items(self) -> str:
        """Overdue today while the period runs; at the start of the day after it once over."""
        on = None if self.period.is_running(self.today) else self.period.end + ONE_DAY
        return _url(
            "supervision:my_action_items",
            status="overdue",
            everyone="1",
            on=_iso(on) if on else "",
        )

    @property
    def appraisals(self) -> str | None:
        if self.semester is None:
            return None
        return _url("supervision:appraisal_list", semester=self.semester.pk)


def _figure_rows(figures: Figures, links: Links) -> dict:
    """The numbers a page shows as lists of (label, value, address), in the models' order."""
    efforts, outcomes = figures.efforts, figures.outcomes
    return {
        "meetings": [
            (Meeting.Kind(kind).label, efforts.meetings[kind], links.meetings(kind))
            for kind in Meeting.Kind.values
        ],
        "visits": [
            (SupervisionVisit.Stage(stage).label, count, links.visits(stage))
            for stage, count in efforts.visits.items()
        ],
        "mgbk_summary": links.training_summary(efforts.mgbk_since, efforts.mgbk_until),
        "window_summary": links.training_summary(efforts.window_since, efforts.window_until),
        "case_statuses": [
            (Case.Status(status).label, count, links.cases(status=status))
            for status, count in outcomes.cases.by_status.items()
        ],
        "collaboration": [
            {
                "label": Collaboration.Partner(partner).label,
                "total": outcomes.collaboration_totals[partner],
                "url": links.collaboration(partner),
                "months": [
                    (count, links.collaboration(partner, month))
                    for month, count in zip(outcomes.months, counts, strict=True)
                ],
            }
            for partner, counts in outcomes.collaboration.items()
        ],
        "month_totals": [
            (sum(counts), links.collaboration(month=month))
            for month, counts in zip(
                outcomes.months, zip(*outcomes.collaboration.values(), strict=True), strict=True
            )
        ],
    }


def _by_semester(history, label: str, color: str, axis: str) -> dict:
    """A line of values out of 100 over the semesters, oldest first."""
    return chart(
        "line",
        [semester.label for semester, _value in history],
        [series(label, [value for _semester, value in history], color)],
        y_title=axis,
        y_max=100,
    )


def _charts(figures: Figures) -> dict:
    """The configuration of each chart (static/js/charts.js), with the labels translated."""
    competency, efforts = figures.competency, figures.efforts
    factors, outcomes = figures.factors, figures.outcomes
    return {
        "competency": _by_semester(
            competency.history, _("Average final score"), PALETTE[0], _("Final score")
        ),
        "training": chart(
            "bar",
            [row.name for row in efforts.counselors],
            [
                series(_("Training hours (JP)"), [r.hours for r in efforts.counselors], PALETTE[0]),
                series(_("Delegations"), [r.delegations for r in efforts.counselors], PALETTE[1]),
            ],
        ),
        "compliance": _by_semester(
            factors.compliance_history, _("Compliance (%)"), PALETTE[2], _("Compliance (%)")
        ),
        "collaboration": chart(
            "bar",
            [formats.date_format(month, "M Y") for month in outcomes.months],
            [
                series(Collaboration.Partner(partner).label, counts, PALETTE[position])
                for position, (partner, counts) in enumerate(outcomes.collaboration.items())
            ],
            stacked=True,
            y_title=_("Entries"),
        ),
    }


def _heat_legend() -> list[tuple[int, str]]:
    """What each competency score means, for the heatmap's legend."""
    bounds = [int(bound) for bound, _score in COMPETENCY_SCORE_BOUNDS]
    legend = [(1, _("up to %(high)s%% of the indicator points") % {"high": bounds[0]})]
    for score, (low, high) in enumerate(zip(bounds, bounds[1:], strict=False), start=2):
        legend.append((score, _("over %(low)s%% up to %(high)s%%") % {"low": low, "high": high}))
    legend.append((COMPETENCY_SCORE_MAX, _("over %(low)s%%") % {"low": bounds[-1]}))
    return legend


# --- Pages -------------------------------------------------------------------------------------


def _figures_context(request: HttpRequest, period: Period, semesters, today) -> dict:
    figures = period_figures(request.user.school, period, semesters, today=today)
    links = Links(period, today)
    return {
        "period": period,
        "figures": figures,
        "links": links,
        "rows": _figure_rows(figures, links),
        "heat_legend": _heat_legend(),
        "multi_session": MULTI_SESSION,
        "evenness": report.evenness_explained(),
        "today": today,
    }


@permission_required(Permission.VIEW_DASHBOARD)
@reporting_reads()
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """One semester of the school (the current one unless another is chosen): competency,
    the principal's efforts, the factors and the outcomes, every number a link to its list."""
    today = timezone.localdate()
    semesters = school_semesters(request.user.school_id, today=today)
    chosen = pk_param(request, "semester")
    if chosen is None:
        current = default_semester(semesters)
        chosen = current.pk if current else None
    period = semester_period(semesters, chosen) if chosen is not None else None
    if chosen is not None and period is None:
        raise Http404
    context = {"semesters": list(reversed(semesters)), "period": period}
    if period is not None:
        context.update(_figures_context(request, period, semesters, today))
        context["charts"] = _charts(context["figures"])
    return render(request, "supervision/dashboard.html", context)


@permission_required(Permission.VIEW_DASHBOARD)
@reporting_reads()
@require_GET
def book_overview(request: HttpRequest) -> HttpResponse:
    """Personal-book completeness and students per BK teacher and per class of the current
    year: counts and percentages, never a child's book."""
    school_id = request.user.school_id
    classes = books_by_class(school_id)
    return render(
        request,
        "supervision/book_overview.html",
        {
            "classes": classes,
            "caseloads": caseloads(classes, counselor_names(school_id)),
            "students": active_student_count(school_id),
            "ratio": COUNSELOR_RATIO,
            "book_threshold": BOOK_COMPLETE_ENOUGH,
        },
    )


# --- The period report -----------------------------------------------------------------------

SEMESTER_REPORT = "semester"
YEAR_REPORT = "year"


def _report_period(request: HttpRequest, kind: str, pk: int, today) -> tuple[Period, list]:
    """The school's semester or academic year (begun), or 404."""
    semesters = school_semesters(request.user.school_id, today=today)
    period = (
        semester_period(semesters, pk) if kind == SEMESTER_REPORT else year_period(semesters, pk)
    )
    if period is None:
        raise Http404
    return period, semesters


def _report_context(request: HttpRequest, kind: str, pk: int) -> dict:
    today = timezone.localdate()
    period, semesters = _report_period(request, kind, pk, today)
    context = _figures_context(request, period, semesters, today)
    figures = context["figures"]
    helped, hindered = report.factors_sentences(figures, period)
    context.update(
        school=request.user.school,
        principal=request.user,
        generated_at=timezone.localtime(),
        efforts_text=report.efforts_sentences(figures, period),
        helped_text=helped,
        hindered_text=hindered,
        competence_text=report.competence_sentences(figures, period),
        pdf_url=reverse(f"supervision:report_{kind}_pdf", args=[pk]),
        kind=kind,
    )
    return context


@permission_required(Permission.VIEW_DASHBOARD)
@reporting_reads()
@require_GET
def report_index(request: HttpRequest) -> HttpResponse:
    """The school's semesters and academic years that have begun, each with its report."""
    today = timezone.localdate()
    semesters = school_semesters(request.user.school_id, today=today)
    years: dict[int, dict] = {}
    for semester in reversed(semesters):
        years.setdefault(
            semester.year_pk, {"pk": semester.year_pk, "name": semester.year_name, "semesters": []}
        )["semesters"].append(semester)
    return render(request, "supervision/report_index.html", {"years": list(years.values())})


def _report_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return render(request, "supervision/report.html", _report_context(request, kind, pk))


def _report_pdf(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The report as a PDF file, written to the access log as an export. Without WeasyPrint's
    system libraries: a page that says what to install (503), never an error."""
    context = _report_context(request, kind, pk)
    page_url = reverse(f"supervision:report_{kind}", args=[pk])
    weasyprint = pdf.load_weasyprint()
    if weasyprint is None:
        return pdf.unavailable_response(
            request, print_url=page_url, back_url=page_url, back_label=_("Back to the report")
        )
    access_log_record(
        request=request,
        action=AccessLogEntry.Action.EXPORT,
        object_type="supervision.period_report",
        object_id=context["period"].key,
    )
    filename = f"laporan-bk-{context['period'].key}.pdf"
    return pdf.pdf_response(weasyprint, request, "supervision/report.html", context, filename)


@permission_required(Permission.VIEW_DASHBOARD)
@reporting_reads()
@require_GET
def report_semester(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_page(request, SEMESTER_REPORT, pk)


@permission_required(Permission.VIEW_DASHBOARD)
@reporting_reads()
@require_GET
def report_year(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_page(request, YEAR_REPORT, pk)


@permission_required(Permission.VIEW_DASHBOARD)
@reporting_reads()
@require_GET
def report_semester_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_pdf(request, SEMESTER_REPORT, pk)


@permission_required(Permission.VIEW_DASHBOARD)
@reporting_reads()
@require_GET
def report_year_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _report_pdf(request, YEAR_REPORT, pk)
