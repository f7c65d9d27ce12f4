"""Referrals: a teacher's referral of a student to BK (inbound) and a case's referral to an
outside service (outbound, alih tangan kasus) with the parent's consent.

Services (``<entity>_<action>``) write, each in one transaction; selectors read, always starting
from what counseling.access lets the user see. A referring teacher only ever learns the status
of an own referral: nothing here hands a teacher the case, the counselor's words or the reason a
referral was not taken up.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from counseling.access import (
    cases_a_referral_may_join,
    classrooms_visible_to,
    inbound_referral_details_visible_to,
    referable_students,
    referrals_made_by,
)
from counseling.cases import case_open
from counseling.models import Case, Classroom, InboundReferral, OutboundReferral, Student
from staff.access import Permission, can, has_role
from staff.models import Role, User
from staff.uploads import document_check, document_content_type

# --- Inbound: a teacher refers a student to BK --------------------------------------------------


class ReferralAlreadyDecided(Exception):
    """Another counselor accepted or declined the referral first; nothing was written."""

    def __init__(self, referral: InboundReferral):
        super().__init__("referral already decided")
        self.referral = referral


@transaction.atomic
def referral_create(*, referred_by: User, student: Student, reason: str) -> InboundReferral:
    """Record a teacher's referral of a student; it waits for a counselor's decision."""
    if not referable_students(referred_by).filter(pk=student.pk).exists():
        raise ValidationError({"student": _("You cannot refer this student.")})
    referral = InboundReferral(
        school_id=student.school_id, student=student, referred_by=referred_by, reason=reason
    )
    referral.full_clean()
    referral.save()
    return referral


def referral_source(referral: InboundReferral) -> str:
    """Where a case opened from the referral came from, by what the referrer is to the student:
    the homeroom teacher of the student's class, the vice principal (the discipline side of
    student affairs), or a teacher of the school."""
    referrer = referral.referred_by
    classroom = referral.student.classroom
    if (
        classroom is not None
        and classroom.homeroom_teacher_id == referrer.pk
        and classroom.academic_year.is_current
    ):
        return Case.Source.HOMEROOM_TEACHER
    if has_role(referrer, Role.VICE_PRINCIPAL):
        return Case.Source.DISCIPLINE
    if has_role(referrer, Role.HOMEROOM_TEACHER) and not has_role(referrer, Role.SUBJECT_TEACHER):
        return Case.Source.HOMEROOM_TEACHER
    return Case.Source.SUBJECT_TEACHER


def _lock_undecided(referral: InboundReferral) -> InboundReferral:
    """The referral, locked for this transaction, provided nobody decided it meanwhile."""
    locked = (
        # Only the referral's row: PostgreSQL cannot lock the nullable side of the joins.
        InboundReferral.objects.select_for_update(of=("self",))
        .select_related("student__classroom__academic_year", "referred_by")
        .get(pk=referral.pk)
    )
    if locked.status != InboundReferral.Status.SUBMITTED:
        raise ReferralAlreadyDecided(locked)
    # The one-to-one Case.referral guards this too; checking first gives a clear message.
    if Case.objects.filter(referral_id=locked.pk).exists():
        raise ReferralAlreadyDecided(locked)
    return locked


@transaction.atomic
def referral_accept(
    *,
    referral: InboundReferral,
    accepted_by: User,
    counselor: User,
    field: str,
    category: str,
    summary: str,
) -> Case:
    """Take the referral up as a new case; `counselor` becomes responsible for it.

    Two counselors accepting at once: the second waits for the first's lock, then finds the
    referral decided and gets ReferralAlreadyDecided (or, where the database cannot lock rows,
    an IntegrityError from the one-to-one link). Either way only one case exists.
    """
    locked = _lock_undecided(referral)
    try:
        case = case_open(
            student=locked.student,
            counselor=counselor,
            field=field,
            category=category,
            source=referral_source(locked),
            summary=summary,
            opened_by=accepted_by,
            referral=locked,
        )
    except ValidationError as exc:
        # The one-to-one link refused: a case was opened from this referral meanwhile.
        if "referral" in getattr(exc, "error_dict", {}):
            raise ReferralAlreadyDecided(locked) from exc
        raise
    _decide(locked, status=InboundReferral.Status.ACCEPTED, decided_by=accepted_by)
    return case


class CaseCannotTakeReferral(ValidationError):
    """The case is no longer one the referral may join (closed meanwhile, or given another
    referral first); nothing was written."""


@transaction.atomic
def referral_attach(*, referral: InboundReferral, case: Case, attached_by: User) -> Case:
    """Take the referral up into the student's open case instead of opening a second one: the
    referral is accepted and the case names it as where it came from. Only a case that
    cases_a_referral_may_join offers (open, of the same student, without a referral) takes it,
    as it stands once locked."""
    locked = _lock_undecided(referral)
    Case.objects.select_for_update().filter(pk=case.pk).first()
    target = cases_a_referral_may_join(attached_by, locked).filter(pk=case.pk).first()
    if target is None:
        raise CaseCannotTakeReferral(
            _(
                "This case can no longer take the referral: it was closed or given another "
                "referral meanwhile. Nothing was changed."
            )
        )
    target.referral = locked
    target.save(update_fields=["referral", "updated_at"])
    _decide(locked, status=InboundReferral.Status.ACCEPTED, decided_by=attached_by)
    return target


@transaction.atomic
def referral_decline(
    *, referral: InboundReferral, declined_by: User, reason: str
) -> InboundReferral:
    """Decide not to take the referral up, saying why (for BK's records, not for the teacher)."""
    if not reason.strip():
        raise ValidationError({"decline_reason": _("Say why the referral is not taken up.")})
    locked = _lock_undecided(referral)
    _decide(
        locked,
        status=InboundReferral.Status.DECLINED,
        decided_by=declined_by,
        decline_reason=reason.strip(),
    )
    return locked


def _decide(referral: InboundReferral, *, status: str, decided_by: User, **values) -> None:
    referral.status = status
    referral.decided_by = decided_by
    referral.decided_at = timezone.now()
    for name, value in values.items():
        setattr(referral, name, value)
    referral.save(
        update_fields=["status", "decided_by", "decided_at", "updated_at", *values.keys()]
    )


# --- Inbound: reads --------------------------------------------------------------------------


def referrals_for_inbox(user: User, *, status: str | None = None) -> QuerySet[InboundReferral]:
    """The school's referrals for triage: those waiting for BK first (oldest first, they have
    waited longest), then the decided ones, newest first."""
    # Prefetched, not joined: the order is computed, so a join would pair every referral of
    # the school with its student (reading the whole student table) before keeping a page.
    referrals = inbound_referral_details_visible_to(user).prefetch_related(
        Prefetch("student", queryset=Student.objects.select_related("classroom")),
        "referred_by",
        "decided_by",
    )
    if status:
        referrals = referrals.filter(status=status)
    waiting = Q(status=InboundReferral.Status.SUBMITTED)
    return referrals.annotate(
        decided=models.Case(
            models.When(waiting, then=models.Value(0)),
            default=models.Value(1),
            output_field=models.IntegerField(),
        ),
        waiting_since=models.Case(models.When(waiting, then=F("created_at")), default=None),
    ).order_by("decided", "waiting_since", "-created_at", "-pk")


def referral_for_detail(user: User, pk: int) -> InboundReferral | None:
    """One referral with what its page shows, or None when the user may not read it."""
    return (
        inbound_referral_details_visible_to(user)
        .select_related(
            "student__classroom__academic_year", "referred_by", "decided_by", "case__counselor"
        )
        .filter(pk=pk)
        .first()
    )


def my_referrals(user: User) -> QuerySet[InboundReferral]:
    """The user's own referrals, newest first. Only the student, the class, the date and the
    status are loaded: the referrer's pages have nothing else to show."""
    return (
        referrals_made_by(user)
        .select_related("student__classroom")
        .only("created_at", "status", "student__full_name", "student__classroom__name")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class TeacherHome:
    """The homeroom / subject teacher's home panel."""

    classes: list[Classroom] = field(default_factory=list)
    may_refer: bool = False
    referrals: list[InboundReferral] = field(default_factory=list)
    counts: list[StatusCount] = field(default_factory=list)

    @property
    def referral_total(self) -> int:
        return sum(item.count for item in self.counts)


LATEST_REFERRALS_ON_HOME = 10


def teacher_home(user: User) -> TeacherHome:
    """The class the user leads this year (with its active students counted), the latest own
    referrals with their status, and how many referrals are in each status."""
    classes: list[Classroom] = []
    if has_role(user, Role.HOMEROOM_TEACHER):
        classes = list(
            classrooms_visible_to(user)
            .filter(homeroom_teacher=user, academic_year__is_current=True)
            .annotate(
                active_students=Count("students", filter=Q(students__status=Student.Status.ACTIVE))
            )
            .order_by("grade", "name")
        )
    totals = referrals_made_by(user).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in InboundReferral.Status.values}
    )
    counts = [
        StatusCount(status=status, label=label, count=totals[status])
        for status, label in InboundReferral.Status.choices
    ]
    return TeacherHome(
        classes=classes,
        may_refer=can(user, Permission.REFER_STUDENT),
        referrals=list(my_referrals(user)[:LATEST_REFERRALS_ON_HOME]),
        counts=counts,
    )


# --- Outbound: a case referred to an outside service -------------------------------------------


def consent_form_check(upload: UploadedFile) -> UploadedFile:
    """A PDF, JPG or PNG of at most 5 MB, judged by its content (staff.uploads), renamed to the
    detected kind so that it is stored (under a random name, see
    counseling.models.consent_form_path) with the right extension."""
    return document_check(upload, stem="consent")


def consent_form_content_type(name: str) -> str:
    return document_content_type(name)


@transaction.atomic
def outbound_referral_create(
    *,
    case: Case,
    created_by: User,
    service: str,
    institution: str,
    reason: str,
    referred_on: datetime.date,
    consent_given_by: str,
    consent_relation: str,
    consent_date: datetime.date,
    consent_form: UploadedFile | None = None,
) -> OutboundReferral:
    """Record the referral of a case to an outside service with the parent's consent, and move
    the case to "referred out" when its status allows that step (a case already referred out
    keeps its status; a closed or archived case takes no new referral)."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status == Case.Status.CLOSED or locked.is_archived:
        raise ValidationError(_("The case is closed; reopen it before referring it out."))
    if consent_form:
        consent_form = consent_form_check(consent_form)
    referral = OutboundReferral(
        school_id=locked.school_id,
        case=locked,
        service=service,
        institution=institution,
        reason=reason,
        referred_on=referred_on,
        consent_given_by=consent_given_by,
        consent_relation=consent_relation,
        consent_date=consent_date,
        created_by=created_by,
    )
    if consent_form:
        referral.consent_form = consent_form
    referral.full_clean()
    if locked.can_move_to(Case.Status.REFERRED_OUT):
        # Bumping the version makes any edit of the case opened before this one stale.
        Case.objects.filter(pk=locked.pk).update(
            status=Case.Status.REFERRED_OUT, version=F("version") + 1, updated_at=timezone.now()
        )
        locked.status = Case.Status.REFERRED_OUT
        locked.version += 1
    # Saved last: the file is written to storage only once the database work is done.
    referral.save()
    return referral
