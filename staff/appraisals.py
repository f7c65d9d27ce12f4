"""Competency appraisals of BK teachers: the services that write them and the selectors that
read them.

Writes go through the functions named ``appraisal_<action>``; each runs in one transaction and
holds the rules (who appraises whom, only drafts change, the optimistic version check). The
arithmetic is staff.scoring's. A finalised appraisal stores its results (per competency and in
total), so that profiles and dashboards read them with aggregate queries and recompute nothing.
Reads start from staff.access.appraisals_visible_to.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Avg,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from staff import scoring
from staff.access import (
    appraisals_visible_to,
    has_role,
    may_acknowledge_appraisal,
    may_edit_appraisal,
)
from staff.caching import school_data_changed
from staff.models import (
    Appraisal,
    Competency,
    CompetencyArea,
    CompetencyFramework,
    CompetencyResult,
    Indicator,
    IndicatorScore,
    Role,
    Semester,
    User,
)
from staff.selectors import counselors_of

FINALISED_STATUSES = (Appraisal.Status.FINALISED, Appraisal.Status.ACKNOWLEDGED)


class AppraisalLocked(Exception):
    """The appraisal is no longer a draft; nothing was written."""

    def __init__(self, current: Appraisal):
        super().__init__("appraisal finalised")
        self.current = current


class StaleAppraisal(Exception):
    """Somebody saved the draft after the form was opened; nothing was written."""

    def __init__(self, current: Appraisal):
        super().__init__("stale appraisal")
        self.current = current


class AppraisalExists(Exception):
    """The counselor already has an appraisal of this kind for the semester."""

    def __init__(self, existing: Appraisal):
        super().__init__("appraisal exists")
        self.existing = existing


# --- Framework versions ----------------------------------------------------------------------


@transaction.atomic
def framework_copy(*, framework: CompetencyFramework) -> CompetencyFramework:
    """A new, inactive version with the same areas, competencies (same numbers) and indicators,
    for an administrator to edit before activating it."""
    latest = CompetencyFramework.objects.select_for_update().order_by("-version").first()
    copy = CompetencyFramework.objects.create(
        name=framework.name,
        version=latest.version + 1,
        notes=_("Copied from version %(version)s.") % {"version": framework.version},
    )
    for area in framework.areas.order_by("letter"):
        new_area = CompetencyArea.objects.create(framework=copy, letter=area.letter, name=area.name)
        for competency in area.competencies.order_by("number"):
            new_competency = Competency.objects.create(
                area=new_area, number=competency.number, title=competency.title
            )
            Indicator.objects.bulk_create(
                Indicator(competency=new_competency, number=indicator.number, text=indicator.text)
                for indicator in competency.indicators.order_by("number")
            )
    return copy


@transaction.atomic
def framework_activate(*, framework: CompetencyFramework) -> CompetencyFramework:
    """New appraisals are scored on this version from now on; the ones begun keep theirs."""
    if not Competency.objects.filter(framework=framework, indicators__isnull=False).exists():
        raise ValidationError(_("A framework without indicators cannot be activated."))
    CompetencyFramework.objects.exclude(pk=framework.pk).filter(is_active=True).update(
        is_active=False, updated_at=timezone.now()
    )
    CompetencyFramework.objects.filter(pk=framework.pk).update(
        is_active=True, updated_at=timezone.now()
    )
    framework.refresh_from_db()
    return framework


# --- The framework as a tree -------------------------------------------------------------------


def active_framework() -> CompetencyFramework | None:
    return CompetencyFramework.objects.filter(is_active=True).first()


@dataclass
class CompetencyNode:
    competency: Competency
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class AreaNode:
    area: CompetencyArea
    competencies: list[CompetencyNode] = field(default_factory=list)


def framework_tree(framework_id: int) -> list[AreaNode]:
    """The framework's areas, competencies and indicators in order, read in one query."""
    indicators = (
        Indicator.objects.filter(competency__framework_id=framework_id)
        .select_related("competency__area")
        .order_by("competency__area__letter", "competency__number", "number")
    )
    areas = []
    for area, in_area in groupby(indicators, key=lambda indicator: indicator.competency.area):
        node = AreaNode(area)
        for competency, in_competency in groupby(in_area, key=lambda i: i.competency):
            node.competencies.append(CompetencyNode(competency, list(in_competency)))
        areas.append(node)
    return areas


# --- The score sheet: an appraisal's scores with their subtotals ------------------------------


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    score: int | None


@dataclass(frozen=True)
class CompetencyLine:
    competency: Competency
    lines: list[IndicatorLine]
    # None until every indicator of the competency is scored.
    result: scoring.CompetencyResult | None

    @property
    def scored(self) -> int:
        return sum(1 for line in self.lines if line.score is not None)

    @property
    def total(self) -> int:
        return sum(line.score for line in self.lines if line.score is not None)

    @property
    def maximum(self) -> int:
        return len(self.lines) * scoring.INDICATOR_MAX

    @property
    def percentage(self) -> Decimal | None:
        return scoring.two_decimals(self.result.percentage) if self.result else None


@dataclass(frozen=True)
class AreaLine:
    area: CompetencyArea
    competencies: list[CompetencyLine]

    @property
    def score_total(self) -> int:
        return sum(line.result.score for line in self.competencies if line.result)

    @property
    def score_maximum(self) -> int:
        return len(self.competencies) * scoring.COMPETENCY_SCORE_MAX

    @property
    def is_complete(self) -> bool:
        return all(line.result for line in self.competencies)


@dataclass(frozen=True)
class Sheet:
    areas: list[AreaLine]
    # None until every indicator is scored.
    result: scoring.AppraisalResult | None

    @property
    def competencies(self) -> list[CompetencyLine]:
        return [line for area in self.areas for line in area.competencies]

    @property
    def indicator_count(self) -> int:
        return sum(len(line.lines) for line in self.competencies)

    @property
    def scored(self) -> int:
        return sum(line.scored for line in self.competencies)

    @property
    def score_maximum(self) -> int:
        return len(self.competencies) * scoring.COMPETENCY_SCORE_MAX

    @property
    def unscored(self) -> int:
        return self.indicator_count - self.scored

    @property
    def category_label(self) -> str:
        return scoring.Category(self.result.category).label if self.result else ""


def saved_scores(appraisal: Appraisal) -> dict[int, int | None]:
    """The appraisal's scores by indicator id (None: not scored yet)."""
    return dict(appraisal.scores.values_list("indicator_id", "score"))


def tree_indicators(tree: list[AreaNode]) -> list[Indicator]:
    return [i for area in tree for node in area.competencies for i in node.indicators]


def appraisal_sheet(
    appraisal: Appraisal,
    scores: Mapping[int, int | None] | None = None,
    *,
    tree: list[AreaNode] | None = None,
) -> Sheet:
    """The appraisal's framework with each indicator's score and the subtotals, computed by
    staff.scoring. `scores` (by indicator id) shows a form's values instead of the saved ones;
    `tree` saves reading the framework again."""
    if scores is None:
        scores = saved_scores(appraisal)
    if tree is None:
        tree = framework_tree(appraisal.framework_id)
    areas = []
    for area_node in tree:
        lines = []
        for node in area_node.competencies:
            indicator_lines = [IndicatorLine(i, scores.get(i.pk)) for i in node.indicators]
            values = [line.score for line in indicator_lines]
            result = None
            if values and None not in values:
                result = scoring.competency_result(node.competency.number, values)
            lines.append(CompetencyLine(node.competency, indicator_lines, result))
        areas.append(AreaLine(area_node.area, lines))
    sheet_result = None
    competency_lines = [line for area in areas for line in area.competencies]
    if competency_lines and all(line.result for line in competency_lines):
        sheet_result = scoring.appraise(
            {line.competency.number: [i.score for i in line.lines] for line in competency_lines}
        )
    return Sheet(areas, sheet_result)


# --- Writes ------------------------------------------------------------------------------------


def appraisable_counselors(user: User) -> QuerySet[User]:
    """Whom the user may start an appraisal of: the principal every counselor of the school but
    themselves; a counselor only themselves (a self-appraisal)."""
    if getattr(user, "school_id", None) is None:
        return User.objects.none()
    if has_role(user, Role.PRINCIPAL):
        return counselors_of(user.school_id).exclude(pk=user.pk)
    if has_role(user, Role.COUNSELOR):
        return counselors_of(user.school_id).filter(pk=user.pk)
    return User.objects.none()


@transaction.atomic
def appraisal_start(*, assessor: User, counselor: User, semester: Semester, kind: str) -> Appraisal:
    """A draft appraisal of `counselor` for the semester on the active framework, every
    indicator still unscored. The principal appraises a counselor of the school; a counselor
    appraises themselves. AppraisalExists carries the appraisal already there."""
    if semester.school_id != assessor.school_id:
        raise ValidationError(_("Choose a semester of your own school."))
    if semester.start_date > timezone.localdate():
        raise ValidationError(_("This semester has not begun yet."))
    if kind == Appraisal.Kind.PRINCIPAL:
        allowed = has_role(assessor, Role.PRINCIPAL) and counselor.pk != assessor.pk
    elif kind == Appraisal.Kind.SELF:
        allowed = has_role(assessor, Role.COUNSELOR) and counselor.pk == assessor.pk
    else:
        allowed = False
    if not allowed or not counselors_of(assessor.school_id).filter(pk=counselor.pk).exists():
        raise ValidationError(_("You cannot appraise this person."))
    existing = Appraisal.objects.filter(counselor=counselor, semester=semester, kind=kind).first()
    if existing is not None:
        raise AppraisalExists(existing)
    framework = active_framework()
    if framework is None:
        raise ValidationError(
            _("No competency framework is active. Ask the operators to activate one.")
        )
    try:
        with transaction.atomic():
            appraisal = Appraisal.objects.create(
                school_id=assessor.school_id,
                counselor=counselor,
                semester=semester,
                kind=kind,
                assessor=assessor,
                framework=framework,
            )
    except IntegrityError:
        # Started by somebody else a moment ago.
        raise AppraisalExists(
            Appraisal.objects.get(counselor=counselor, semester=semester, kind=kind)
        ) from None
    IndicatorScore.objects.bulk_create(
        IndicatorScore(appraisal=appraisal, indicator_id=indicator_id)
        for indicator_id in Indicator.objects.filter(competency__framework=framework).values_list(
            "pk", flat=True
        )
    )
    return appraisal


def _claim_draft(appraisal: Appraisal, version: int, user: User) -> None:
    """Move the draft to the next version if it is still the one the form showed; otherwise
    AppraisalLocked (finalised meanwhile) or StaleAppraisal (saved by somebody else)."""
    if not may_edit_appraisal(user, appraisal):
        raise ValidationError(_("You cannot change this appraisal."))
    updated = Appraisal.objects.filter(
        pk=appraisal.pk, version=version, status=Appraisal.Status.DRAFT
    ).update(version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        current = Appraisal.objects.get(pk=appraisal.pk)
        if current.status != Appraisal.Status.DRAFT:
            raise AppraisalLocked(current)
        raise StaleAppraisal(current)


@transaction.atomic
def appraisal_save(
    *,
    appraisal: Appraisal,
    user: User,
    version: int,
    scores: Mapping[int, int | None],
    notes: str,
) -> Appraisal:
    """Save the draft's scores (by indicator id; None leaves an indicator unscored) and notes,
    as edited on the form opened at `version`."""
    if any(
        value is not None and value not in scoring.INDICATOR_SCORES for value in scores.values()
    ):
        raise ValidationError(_("Each indicator scores 0, 1 or 2."))
    _claim_draft(appraisal, version, user)
    changed = []
    for row in IndicatorScore.objects.filter(appraisal=appraisal):
        if row.indicator_id in scores and scores[row.indicator_id] != row.score:
            row.score = scores[row.indicator_id]
            changed.append(row)
    IndicatorScore.objects.bulk_update(changed, ["score"])
    Appraisal.objects.filter(pk=appraisal.pk).update(notes=notes.strip())
    school_data_changed(school_id=appraisal.school_id)
    appraisal.refresh_from_db()
    return appraisal


@transaction.atomic
def appraisal_finalise(*, appraisal: Appraisal, user: User, version: int) -> Appraisal:
    """Close the draft: every indicator must be scored. Its results are computed once, here,
    and stored; from now on nobody edits it."""
    _claim_draft(appraisal, version, user)
    rows = list(
        IndicatorScore.objects.filter(appraisal=appraisal)
        .select_related("indicator__competency")
        .order_by("indicator__competency__number", "indicator__number")
    )
    unscored = sum(1 for row in rows if row.score is None)
    if unscored or not rows:
        raise ValidationError(
            ngettext(
                "%(count)s indicator is not scored yet. Score every indicator before finalising.",
                "%(count)s indicators are not scored yet. Score every indicator before finalising.",
                unscored,
            )
            % {"count": unscored}
        )
    by_competency: dict[Competency, list[int]] = {}
    for row in rows:
        by_competency.setdefault(row.indicator.competency, []).append(row.score)
    result = scoring.appraise(by_competency)
    CompetencyResult.objects.bulk_create(
        CompetencyResult(
            appraisal=appraisal,
            competency=line.key,
            indicator_total=line.indicator_total,
            percentage=scoring.two_decimals(line.percentage),
            score=line.score,
        )
        for line in result.competencies
    )
    Appraisal.objects.filter(pk=appraisal.pk).update(
        status=Appraisal.Status.FINALISED,
        finalised_at=timezone.now(),
        total_score=result.total,
        final_score=result.final_score_shown,
        category=result.category,
    )
    school_data_changed(school_id=appraisal.school_id)
    appraisal.refresh_from_db()
    return appraisal


@transaction.atomic
def appraisal_acknowledge(*, appraisal: Appraisal, user: User, comment: str) -> Appraisal:
    """The appraised counselor has read the principal's finalised appraisal; an optional
    comment of theirs goes with it."""
    if not may_acknowledge_appraisal(user, appraisal):
        raise ValidationError(
            _("Only the appraised BK teacher acknowledges a finalised appraisal.")
        )
    updated = Appraisal.objects.filter(pk=appraisal.pk, status=Appraisal.Status.FINALISED).update(
        status=Appraisal.Status.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
        counselor_comment=comment.strip(),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise AppraisalLocked(Appraisal.objects.get(pk=appraisal.pk))
    school_data_changed(school_id=appraisal.school_id)
    appraisal.refresh_from_db()
    return appraisal


# --- Reads ------------------------------------------------------------------------------------


def appraisals_for_page(user: User) -> QuerySet[Appraisal]:
    """Appraisals the user may see, with what their pages show about them."""
    return appraisals_visible_to(user).select_related(
        "school", "counselor", "assessor", "semester__academic_year", "framework"
    )


def appraisals_to_acknowledge(user: User) -> list[Appraisal]:
    """The principal's finalised appraisals of the user still waiting for the user's
    acknowledgement (for the home page; one query, none for anyone not a counselor)."""
    if getattr(user, "school_id", None) is None or not has_role(user, Role.COUNSELOR):
        return []
    return list(
        appraisals_visible_to(user)
        .filter(
            counselor=user,
            kind=Appraisal.Kind.PRINCIPAL,
            status=Appraisal.Status.FINALISED,
        )
        .select_related("semester__academic_year")
        .order_by("-semester__start_date")
    )


def appraisal_counterpart(user: User, appraisal: Appraisal) -> Appraisal | None:
    """The other kind of appraisal of the same counselor and semester (the self-appraisal of a
    principal's appraisal, and the other way round), if the user may see it."""
    other = (
        Appraisal.Kind.SELF
        if appraisal.kind == Appraisal.Kind.PRINCIPAL
        else Appraisal.Kind.PRINCIPAL
    )
    return (
        appraisals_for_page(user)
        .filter(counselor_id=appraisal.counselor_id, semester_id=appraisal.semester_id, kind=other)
        .first()
    )


def appraisals_of_semester(user: User, semester: Semester) -> dict[tuple[int, str], Appraisal]:
    """The semester's appraisals the user may see, by (counselor id, kind)."""
    return {
        (appraisal.counselor_id, appraisal.kind): appraisal
        for appraisal in appraisals_visible_to(user).filter(semester=semester)
    }


def own_appraisals(user: User) -> QuerySet[Appraisal]:
    """The user's own appraisals (as the appraised counselor) that they may see, newest first."""
    return (
        appraisals_visible_to(user)
        .filter(counselor=user)
        .select_related("semester__academic_year", "assessor")
        .order_by("-semester__start_date", "kind")
    )


def finalised_appraisals_of(user: User, counselor: User) -> QuerySet[Appraisal]:
    """The counselor's finalised appraisals the user may see, oldest semester first."""
    return (
        appraisals_visible_to(user)
        .filter(counselor=counselor, status__in=FINALISED_STATUSES)
        .select_related("semester__academic_year")
        .order_by("semester__start_date", "kind")
    )


def competency_results_of_school(school_id: int, semester: Semester) -> QuerySet[CompetencyResult]:
    """The stored competency scores of the principal's finalised appraisals of a semester:
    one row per counselor and competency (for dashboards: the heatmap)."""
    return (
        CompetencyResult.objects.filter(
            appraisal__school_id=school_id,
            appraisal__semester=semester,
            appraisal__kind=Appraisal.Kind.PRINCIPAL,
            appraisal__status__in=FINALISED_STATUSES,
        )
        .select_related("competency", "appraisal__counselor")
        .order_by("appraisal__counselor__full_name", "competency__number")
    )


def final_scores_of_school(school_id: int) -> QuerySet[Appraisal]:
    """Every finalised appraisal of the school with its stored final score and category, by
    semester (for dashboards and the period report)."""
    return (
        Appraisal.objects.filter(school_id=school_id, status__in=FINALISED_STATUSES)
        .select_related("counselor", "semester__academic_year")
        .order_by("semester__start_date", "counselor__full_name", "kind")
    )


# --- The principal's dashboard and the period report -----------------------------------------
# What a semester's competency figures rest on: for each counselor, the latest finalised
# principal's appraisal of that semester or an earlier one ("as of" the semester), so that a
# semester still under way shows what is known, and says from which semester it is.


def _latest_principal_appraisal(*, school_id: int, until: datetime.date) -> Subquery:
    """For a user (OuterRef "pk"): the id of their latest finalised principal's appraisal of
    a semester that began on or before `until`."""
    return Subquery(
        Appraisal.objects.filter(
            school_id=school_id,
            counselor_id=OuterRef("pk"),
            kind=Appraisal.Kind.PRINCIPAL,
            status__in=FINALISED_STATUSES,
            semester__start_date__lte=until,
        )
        .order_by("-semester__start_date", "-pk")
        .values("pk")[:1]
    )


def counselors_with_latest_appraisals(
    school_id: int,
    *,
    semester_id: int,
    as_of: datetime.date,
    previous_as_of: datetime.date | None,
) -> QuerySet[User]:
    """The school's active counselors, and whoever else has a finalised principal's appraisal
    of the semester, by name; each with `latest_id`, their latest appraisal of a semester
    begun by `as_of` (the semester's first day), and `previous_id`, the latest of a semester
    begun by `previous_as_of` (the semester before's; None without one). One query."""
    appraised = Appraisal.objects.filter(
        school_id=school_id,
        semester_id=semester_id,
        kind=Appraisal.Kind.PRINCIPAL,
        status__in=FINALISED_STATUSES,
    ).values("counselor_id")
    people = User.objects.filter(school_id=school_id).filter(
        Q(pk__in=counselors_of(school_id).values("pk")) | Q(pk__in=appraised)
    )
    previous_id = (
        _latest_principal_appraisal(school_id=school_id, until=previous_as_of)
        if previous_as_of is not None
        else Value(None, output_field=IntegerField())
    )
    return people.annotate(
        latest_id=_latest_principal_appraisal(school_id=school_id, until=as_of),
        previous_id=previous_id,
    ).order_by("full_name", "username")


def appraisal_summaries(appraisal_ids: Iterable[int]) -> dict[int, dict]:
    """Final score, category and semester of the given appraisals, by id. One query."""
    rows = Appraisal.objects.filter(pk__in=list(appraisal_ids)).values(
        "pk", "final_score", "category", "semester_id"
    )
    return {row["pk"]: row for row in rows}


def competency_scores_of(appraisal_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """The stored competency scores of the given appraisals: {appraisal id: {number: score}}.
    One query."""
    scores: dict[int, dict[int, int]] = {}
    for appraisal_id, number, score in CompetencyResult.objects.filter(
        appraisal_id__in=list(appraisal_ids)
    ).values_list("appraisal_id", "competency__number", "score"):
        scores.setdefault(appraisal_id, {})[number] = score
    return scores


def average_final_scores_by_semester(
    school_id: int, *, until: datetime.date
) -> dict[int, tuple[Decimal, int]]:
    """Per semester id (semesters begun on or before `until`): the average final score of the
    principal's finalised appraisals and how many there are. Averaged in the database."""
    rows = (
        Appraisal.objects.filter(
            school_id=school_id,
            kind=Appraisal.Kind.PRINCIPAL,
            status__in=FINALISED_STATUSES,
            semester__start_date__lte=until,
        )
        .order_by()
        .values("semester_id")
        .annotate(average=Avg("final_score"), count=Count("pk"))
    )
    return {
        row["semester_id"]: (scoring.two_decimals(Decimal(str(row["average"]))), row["count"])
        for row in rows
    }


# --- The competency profile of a counselor -----------------------------------------------------


@dataclass(frozen=True)
class ProfileRow:
    """One competency: its latest score (principal's appraisal), the score before, and the
    counselor's own latest view of it."""

    competency: Competency
    score: int | None
    percentage: Decimal | None
    previous_score: int | None
    self_score: int | None

    @property
    def change(self) -> int | None:
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score


@dataclass(frozen=True)
class HistoryEntry:
    semester: Semester
    principal: Appraisal | None
    self_appraisal: Appraisal | None


@dataclass(frozen=True)
class CompetencyProfile:
    counselor: User
    latest: Appraisal | None
    previous: Appraisal | None
    latest_self: Appraisal | None
    rows: list[ProfileRow]
    history: list[HistoryEntry]  # oldest semester first

    @property
    def final_score_change(self) -> Decimal | None:
        if self.latest is None or self.previous is None:
            return None
        return self.latest.final_score - self.previous.final_score

    @property
    def history_newest_first(self) -> list[HistoryEntry]:
        return list(reversed(self.history))

    def chart_data(self) -> dict:
        """The final scores over the semesters, for the chart (static/js/competency-chart.js)."""

        def score(appraisal: Appraisal | None) -> float | None:
            return float(appraisal.final_score) if appraisal is not None else None

        return {
            "labels": [str(entry.semester) for entry in self.history],
            "principal": [score(entry.principal) for entry in self.history],
            "self": [score(entry.self_appraisal) for entry in self.history],
        }


def competency_profile(user: User, counselor: User) -> CompetencyProfile:
    """The counselor's latest score per competency with the change since the previous
    appraisal, and the final score and category of every semester, from the stored results
    of the finalised appraisals the user may see. Two queries whatever the history's length."""
    appraisals = list(finalised_appraisals_of(user, counselor))
    principal = [a for a in appraisals if a.kind == Appraisal.Kind.PRINCIPAL]
    own = [a for a in appraisals if a.kind == Appraisal.Kind.SELF]
    latest = principal[-1] if principal else None
    previous = principal[-2] if len(principal) > 1 else None
    latest_self = own[-1] if own else None

    wanted = [a.pk for a in (latest, previous, latest_self) if a is not None]
    results: dict[int, dict[int, CompetencyResult]] = {pk: {} for pk in wanted}
    for result in (
        CompetencyResult.objects.filter(appraisal_id__in=wanted)
        .select_related("competency__area")
        .order_by("competency__number")
    ):
        results[result.appraisal_id][result.competency.number] = result

    def of(appraisal: Appraisal | None) -> dict[int, CompetencyResult]:
        return results[appraisal.pk] if appraisal is not None else {}

    base = of(latest) or of(latest_self)
    rows = []
    for number, result in base.items():
        current = of(latest).get(number)
        before = of(previous).get(number)
        mine = of(latest_self).get(number)
        rows.append(
            ProfileRow(
                competency=result.competency,
                score=current.score if current else None,
                percentage=current.percentage if current else None,
                previous_score=before.score if before else None,
                self_score=mine.score if mine else None,
            )
        )

    history: dict[int, HistoryEntry] = {}
    for appraisal in appraisals:
        entry = history.get(appraisal.semester_id) or HistoryEntry(appraisal.semester, None, None)
        if appraisal.kind == Appraisal.Kind.PRINCIPAL:
            entry = HistoryEntry(entry.semester, appraisal, entry.self_appraisal)
        else:
            entry = HistoryEntry(entry.semester, entry.principal, appraisal)
        history[appraisal.semester_id] = entry
    return CompetencyProfile(counselor, latest, previous, latest_self, rows, list(history.values()))


# --- The competency profile in brief, for the counselor's home ---------------------------------

WEAKEST_SHOWN = 3


@dataclass(frozen=True)
class WeakCompetency:
    number: int
    title: str
    score: int
    percentage: Decimal


@dataclass(frozen=True)
class CompetencyBrief:
    """The latest finalised appraisal by the principal: its semester, final score and
    category, the change since the one before, and the weakest competencies."""

    counselor_id: int
    semester: str
    final_score: Decimal
    category_label: str
    previous_score: Decimal | None
    weakest: list[WeakCompetency]

    @property
    def change(self) -> Decimal | None:
        if self.previous_score is None:
            return None
        return self.final_score - self.previous_score


def competency_brief(user: User) -> CompetencyBrief | None:
    """The user's own profile in brief, from the stored results of the principal's two latest
    finalised appraisals of them that they may see; None before the first. One query."""
    latest_two = (
        appraisals_visible_to(user)
        .filter(counselor=user, kind=Appraisal.Kind.PRINCIPAL, status__in=FINALISED_STATUSES)
        .order_by("-semester__start_date")
        .values("pk")[:2]
    )
    results = list(
        CompetencyResult.objects.filter(appraisal_id__in=latest_two)
        .select_related("appraisal__semester__academic_year", "competency")
        .order_by("-appraisal__semester__start_date", "competency__number")
    )
    if not results:
        return None
    latest = results[0].appraisal
    own = [result for result in results if result.appraisal_id == latest.pk]
    before = next((r.appraisal for r in results if r.appraisal_id != latest.pk), None)
    weakest = sorted(own, key=lambda r: (r.score, r.percentage, r.competency.number))
    return CompetencyBrief(
        counselor_id=latest.counselor_id,
        semester=str(latest.semester),
        final_score=latest.final_score,
        category_label=latest.get_category_display(),
        previous_score=before.final_score if before is not None else None,
        weakest=[
            WeakCompetency(r.competency.number, r.competency.title, r.score, r.percentage)
            for r in weakest[:WEAKEST_SHOWN]
        ],
    )
