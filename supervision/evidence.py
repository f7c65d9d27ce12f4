"""The evidence beside each competency of an appraisal: what is already logged for the
counselor in the semester, gathered from the apps that hold it.

Each *source* is a function (viewer, counselor, semester) → rows keyed by competency number
(1–17, the same in every framework version). Adding a kind of evidence is adding one source
to EVIDENCE_SOURCES. Sources count and link; none shows a confidential note or a student's
name, and a link appears only where the viewer may follow it.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from counseling.models import Case, Collaboration, CounselingSession
from staff.access import Permission, can
from staff.models import Semester, TrainingEvent, TrainingParticipation, User
from staff.training import NOT_ATTENDED, RECORDED
from supervision.access import action_items_visible_to, visits_visible_to
from supervision.models import SupervisionVisit

Strategy = CounselingSession.Strategy
Partner = Collaboration.Partner


@dataclass(frozen=True)
class Evidence:
    label: str
    value: str
    url: str = ""


EvidenceRows = Iterator[tuple[int, Evidence]]
EvidenceSource = Callable[[User, User, Semester], EvidenceRows]

# Which competencies (by number, Permendiknas 27/2008) each kind of work speaks for.
# 8 internal collaboration, 10 collaboration with other professions, 12 the theory and practice
# of BK services, 14 carrying out the programme, 16 professional ethics (referral), 9 the BK
# professional organisation (MGBK).
STRATEGY_COMPETENCIES: dict[str, tuple[int, ...]] = {
    Strategy.INDIVIDUAL: (12, 14),
    Strategy.GROUP_COUNSELING: (12, 14),
    Strategy.CLASSICAL_GUIDANCE: (12, 14),
    Strategy.GROUP_GUIDANCE: (12, 14),
    Strategy.CONSULTATION: (8, 14),
    Strategy.HOME_VISIT: (8, 14),
    Strategy.CASE_CONFERENCE: (8, 10),
    Strategy.REFERRAL: (10, 16),
}
PARTNER_COMPETENCIES: dict[str, tuple[int, ...]] = {
    Partner.SUBJECT_TEACHER: (8, 14),
    Partner.HOMEROOM_TEACHER: (8, 14),
    Partner.PARENT: (8, 14),
    Partner.OUTSIDE: (10,),
}
# What a supervision visit looked at: 13 designing the BK programme, 12/14 the practice and the
# carrying out of services, 11 assessment to understand the counselee, 15 evaluating the
# process and results, 7 high-quality performance (orderly administration).
FOCUS_COMPETENCIES: dict[str, tuple[int, ...]] = {
    SupervisionVisit.Focus.PROGRAMME_PLAN: (13,),
    SupervisionVisit.Focus.CLASSICAL_GUIDANCE: (12, 14),
    SupervisionVisit.Focus.INDIVIDUAL_RECORDS: (11, 15),
    SupervisionVisit.Focus.PERSONAL_BOOKS: (11,),
    SupervisionVisit.Focus.ADMINISTRATION: (7, 15),
}
CASES_FOLLOWED_UP_COMPETENCIES = (14, 15)
MGBK_COMPETENCIES = (9,)
# Training that names no competency still speaks for professional development.
TRAINING_DEFAULT_COMPETENCIES = (16,)


def _semester_moments(semester: Semester) -> tuple[datetime.datetime, datetime.datetime]:
    """The semester as local datetimes, its last day included."""
    start = timezone.make_aware(datetime.datetime.combine(semester.start_date, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(semester.end_date + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def _url(name: str, **query) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def _case_list_url(viewer: User, counselor: User) -> str:
    if not can(viewer, Permission.VIEW_CASES):
        return ""
    if viewer.pk == counselor.pk:
        return _url("counseling:case_list", status="all", mine="on")
    return _url("counseling:case_list", status="all", counselor=counselor.pk)


def _grouped(counts: Iterable[tuple[str, int]], mapping: dict[str, tuple[int, ...]]):
    """(label key, count) rows regrouped per competency number, in the mapping's order."""
    found = dict(counts)
    per_competency: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for key, numbers in mapping.items():
        if found.get(key):
            for number in numbers:
                per_competency[number].append((key, found[key]))
    return per_competency


def sessions_by_strategy(viewer: User, counselor: User, semester: Semester) -> EvidenceRows:
    start, end = _semester_moments(semester)
    counts = (
        CounselingSession.objects.filter(
            school_id=counselor.school_id,
            counselor=counselor,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .order_by()
        .values_list("strategy")
        .annotate(count=Count("pk"))
    )
    url = _case_list_url(viewer, counselor)
    for number, items in sorted(_grouped(counts, STRATEGY_COMPETENCIES).items()):
        yield (
            number,
            Evidence(
                _("Sessions"),
                ", ".join(f"{Strategy(key).label} {count}" for key, count in items),
                url,
            ),
        )


def cases_followed_up(viewer: User, counselor: User, semester: Semester) -> EvidenceRows:
    """Cases the counselor handled over two or more sessions within the semester."""
    start, end = _semester_moments(semester)
    count = (
        Case.objects.filter(school_id=counselor.school_id, counselor=counselor)
        .annotate(
            in_semester=Count(
                "sessions",
                filter=Q(sessions__starts_at__gte=start, sessions__starts_at__lt=end),
            )
        )
        .filter(in_semester__gte=2)
        .count()
    )
    if count:
        value = ngettext(
            "%(count)s case handled over two or more sessions",
            "%(count)s cases handled over two or more sessions",
            count,
        ) % {"count": count}
        url = _case_list_url(viewer, counselor)
        for number in CASES_FOLLOWED_UP_COMPETENCIES:
            yield number, Evidence(_("Cases followed up"), value, url)


def collaboration_by_partner(viewer: User, counselor: User, semester: Semester) -> EvidenceRows:
    counts = (
        Collaboration.objects.filter(
            school_id=counselor.school_id,
            counselor=counselor,
            happened_on__gte=semester.start_date,
            happened_on__lte=semester.end_date,
        )
        .order_by()
        .values_list("partner_type")
        .annotate(count=Count("pk"))
    )
    for number, items in sorted(_grouped(counts, PARTNER_COMPETENCIES).items()):
        url = ""
        if can(viewer, Permission.VIEW_CASES):
            query = {"counselor": counselor.pk}
            if len(items) == 1:
                query["partner_type"] = items[0][0]
            url = _url("counseling:collaboration_list", **query)
        yield (
            number,
            Evidence(
                _("Collaboration"),
                ", ".join(f"{Partner(key).label} {count}" for key, count in items),
                url,
            ),
        )


def _participations(counselor: User, semester: Semester):
    return TrainingParticipation.objects.filter(
        school_id=counselor.school_id,
        counselor=counselor,
        withdrawn_at__isnull=True,
        event__is_cancelled=False,
        event__starts_on__gte=semester.start_date,
        event__starts_on__lte=semester.end_date,
    )


def mgbk_attendance(viewer: User, counselor: User, semester: Semester) -> EvidenceRows:
    totals = (
        _participations(counselor, semester)
        .filter(event__kind=TrainingEvent.Kind.MGBK, attendance__in=RECORDED)
        .aggregate(
            recorded=Count("pk"),
            present=Count("pk", filter=Q(attendance=TrainingParticipation.Attendance.PRESENT)),
        )
    )
    if totals["recorded"]:
        value = _("present at %(present)s of %(recorded)s meetings") % totals
        url = _url("staff:training_list", kind=TrainingEvent.Kind.MGBK)
        for number in MGBK_COMPETENCIES:
            yield number, Evidence(_("MGBK attendance"), value, url)


def training_attended(viewer: User, counselor: User, semester: Semester) -> EvidenceRows:
    """Each training of the semester beside the competencies it targets."""
    participations = (
        _participations(counselor, semester)
        .exclude(event__kind=TrainingEvent.Kind.MGBK)
        .exclude(attendance__in=NOT_ATTENDED)
        .select_related("event")
        .prefetch_related("event__competencies")
        .order_by("event__starts_on", "pk")
    )
    for participation in participations:
        event = participation.event
        numbers = sorted({c.number for c in event.competencies.all()})
        value = _("%(title)s, %(hours)s JP") % {"title": event.title, "hours": event.hours}
        url = reverse("staff:training_detail", args=[event.pk])
        for number in numbers or TRAINING_DEFAULT_COMPETENCIES:
            yield number, Evidence(_("Training"), value, url)


def supervision_findings(viewer: User, counselor: User, semester: Semester) -> EvidenceRows:
    """The principal's supervision visits of the semester, once observed: their focus and the
    average checklist score, beside the competencies the focus speaks for. (Those who read an
    appraisal read its counselor's visits; a visit the viewer may not read is left out.)"""
    visits = (
        visits_visible_to(viewer)
        .filter(counselor=counselor, semester=semester)
        .exclude(stage=SupervisionVisit.Stage.PLANNED)
        .annotate(average=Avg("scores__score"))
        .order_by("observed_on", "pk")
    )
    for visit in visits:
        value = _("%(focus)s: average %(average)s of 4 (%(stage)s)") % {
            "focus": visit.get_focus_display(),
            "average": number_format(visit.average or 0, 2),
            "stage": visit.get_stage_display().lower(),
        }
        url = reverse("supervision:visit_detail", args=[visit.pk])
        for number in FOCUS_COMPETENCIES[visit.focus]:
            yield number, Evidence(_("Supervision visit"), value, url)


def actions_for_competency(viewer: User, counselor: User, semester: Semester) -> EvidenceRows:
    """Action items agreed with the counselor (in a meeting, an evaluation or a visit's
    follow-up) that name a competency and fall due within the semester."""
    items = (
        action_items_visible_to(viewer)
        .filter(
            assignee=counselor,
            competency__isnull=False,
            due_on__gte=semester.start_date,
            due_on__lte=semester.end_date,
        )
        .select_related("competency")
        .order_by("due_on", "pk")
    )
    url = reverse("supervision:my_action_items") if viewer.pk == counselor.pk else ""
    for item in items:
        value = _("%(what)s (%(status)s)") % {
            "what": item.description,
            "status": item.get_status_display().lower(),
        }
        yield item.competency.number, Evidence(_("Action item"), value, url)


EVIDENCE_SOURCES: list[EvidenceSource] = [
    sessions_by_strategy,
    cases_followed_up,
    collaboration_by_partner,
    mgbk_attendance,
    training_attended,
    supervision_findings,
    actions_for_competency,
]


def appraisal_evidence(
    viewer: User, counselor: User, semester: Semester
) -> dict[int, list[Evidence]]:
    """Every source's evidence for the counselor's semester, by competency number. One or two
    queries per source, whatever the amount of data."""
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for source in EVIDENCE_SOURCES:
        for number, row in source(viewer, counselor, semester):
            evidence[number].append(row)
    return dict(evidence)
