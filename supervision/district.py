"""A district's data: ``seed_demo --schools N --years Y``.

The demo's first school (its demo accounts included) and N−1 more shaped like it — 27 classes,
900 students, three BK teachers, a principal, a vice principal, homeroom and subject teachers,
administrative staff — each with Y school years of history ending in the current one, at the
density of a real school: personal books, cases, about 1,700 sessions a semester,
collaboration, referrals, meetings with attendance and action items, limited evaluations,
supervision visits, the BK room, appraisals, training and MGBK. The second demo school is
loaded as by the plain demo, and stays apart.

Each school is built in memory and written in one transaction with a few bulk inserts
(``staff.bulk``), then released, so memory stays flat however many schools.
A school that exists already (by NPSN) is skipped whole: running the command again adds
nothing, and a run that was interrupted completes the schools it had not written.
"""

import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.apps import apps as django_apps
from django.db import models, reset_queries, transaction
from django.utils import timezone, translation

from counseling.demo import seed_second_school
from counseling.district import (
    build_counseling_records,
    build_personal_books,
    build_roster,
    share_elapsed,
)
from counseling.models import (
    Case,
    Classroom,
    Collaboration,
    CounselingSession,
    InboundReferral,
    OutboundReferral,
    PersonalBook,
    PersonalBookSection,
    Student,
)
from staff.bulk import analyze, insert
from staff.caching import school_data_changed
from staff.demo import FIRST_SCHOOL, SECOND_SCHOOL, seed_accounts, seed_school
from staff.demo_competency import seed_second_school_competency
from staff.district import (
    MAX_SCHOOLS,
    DistrictSchool,
    FrameworkShape,
    NamePool,
    NipRegister,
    PeopleBuilder,
    SchoolPlan,
    build_appraisals,
    build_calendar,
    build_training,
    district_schools,
    school_seed,
)
from staff.framework_data import load_shipped_framework
from staff.models import (
    AcademicYear,
    Appraisal,
    CompetencyResult,
    DisseminationReport,
    IndicatorScore,
    RoleAssignment,
    School,
    Semester,
    TrainingEvent,
    TrainingParticipation,
    User,
)
from supervision.demo import SupervisionDemo, supervision_history
from supervision.models import (
    ActionItem,
    FacilityAssessment,
    FacilityCondition,
    FacilityRequest,
    Meeting,
    MeetingInvitation,
    PerformanceEvaluation,
    SupervisionScore,
    SupervisionVisit,
)

MAX_YEARS = 10
DEFAULT_SEED = 2026


@dataclass
class DistrictReport:
    """What a run made: the schools written and skipped, rows added per kind, the time."""

    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


# --- Supervision records of one school ------------------------------------------------------


class DistrictSupervision(SupervisionDemo):
    """The demo's supervision story, its records collected and dated when they happened, then
    written with bulk inserts (each kind after the rows it refers to)."""

    def __init__(self, school: School, seed: str, now: datetime):
        super().__init__(school, seed, now)
        self.meetings: list[Meeting] = []
        self.invitations: list[MeetingInvitation] = []
        self.evaluations: list[PerformanceEvaluation] = []
        self.items: list[ActionItem] = []
        self.visits: list[SupervisionVisit] = []
        self.scores: list[SupervisionScore] = []
        self.assessments: list[FacilityAssessment] = []
        self.conditions: list[FacilityCondition] = []
        self.requests: list[FacilityRequest] = []

    def keep_meeting(self, meeting: Meeting, invitations: list[MeetingInvitation]) -> None:
        meeting.uid = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        meeting.created_at = meeting.starts_at - timedelta(days=7)
        meeting.updated_at = meeting.minutes_recorded_at or meeting.created_at
        # Recording the minutes is a change of the meeting (supervision.meetings).
        meeting.version = 1 if meeting.has_minutes else 0
        for invitation in invitations:
            invitation.created_at = meeting.created_at
        self.meetings.append(meeting)
        self.invitations += invitations

    def keep_item(self, item: ActionItem) -> None:
        made = item.meeting.ends_at if item.meeting else self.at(item.due_on - timedelta(35), 12)
        item.created_at = made
        item.updated_at = item.completed_at or made
        item.version = 1 if item.completed_at else 0
        self.items.append(item)

    def keep_evaluation(self, evaluation: PerformanceEvaluation) -> None:
        evaluation.created_at = evaluation.updated_at = evaluation.meeting.minutes_recorded_at
        self.evaluations.append(evaluation)

    def keep_visit(self, visit: SupervisionVisit, scores: list[SupervisionScore]) -> None:
        steps = [visit.observed_on, visit.feedback_on, visit.followed_up_on]
        done = [day for day in steps if day is not None]
        visit.created_at = self.at(visit.semester.start_date + timedelta(days=14), 9)
        visit.updated_at = self.at(done[-1], 12) if done else visit.created_at
        # Each stage reached is one change through the services (supervision.visits).
        visit.version = len(done)
        self.visits.append(visit)
        self.scores += scores

    def keep_assessment(
        self, assessment: FacilityAssessment, conditions: list[FacilityCondition]
    ) -> None:
        self.assessments.append(assessment)
        self.conditions += conditions

    def write(self) -> None:
        insert(Meeting, self.meetings)
        insert(MeetingInvitation, self.invitations)
        insert(PerformanceEvaluation, self.evaluations)
        insert(ActionItem, self.items)
        insert(SupervisionVisit, self.visits)
        insert(SupervisionScore, self.scores)
        insert(FacilityAssessment, self.assessments)
        insert(FacilityCondition, self.conditions)
        insert(FacilityRequest, self.requests)

    # What a district school has besides the demo's story.

    def request(self, *, principal: User, counselors: list[User], semester: Semester) -> None:
        """A counselor's request for the BK room: decided within days and, when approved,
        fulfilled a month later; one filed lately still waits."""
        rng, now = self.rng, self.now
        created = self.at(semester.start_date + timedelta(days=rng.randint(10, 120)), 10)
        if created >= now:
            created = now - timedelta(days=rng.randint(1, 5))
        age = now - created
        Status = FacilityRequest.Status
        status = Status.SUBMITTED
        if age >= timedelta(days=7):
            status = rng.choice([Status.APPROVED, Status.REJECTED, Status.FULFILLED])
        if status == Status.APPROVED and age > timedelta(days=60):
            status = Status.FULFILLED
        decided = status != Status.SUBMITTED
        self.requests.append(
            FacilityRequest(
                school=self.school,
                what=rng.choice(_REQUESTS),
                reason="Dibutuhkan agar layanan BK memenuhi standar sarana prasarana.",
                requested_by=rng.choice(counselors),
                status=status,
                decided_by=principal if decided else None,
                decided_at=created + timedelta(days=3) if decided else None,
                decision_reason="Anggaran tahun ini sudah terpakai; diajukan lagi tahun depan."
                if status == Status.REJECTED
                else "",
                fulfilled_at=created + timedelta(days=30) if status == Status.FULFILLED else None,
                created_at=created,
            )
        )


_REQUESTS = [
    "Lemari arsip berkunci dua pintu",
    "Pencetak untuk ruang BK",
    "Peredam suara ruang konseling",
    "Papan informasi karier ukuran besar",
    "Kursi tamu untuk ruang konsultasi orang tua",
    "Tirai jendela ruang konseling individual",
]


def district_facility_growth(index: int, count: int, items: int) -> int:
    """A district school's BK room gets from three items meeting the standard to all but one
    over the years of its history."""
    return min(items, 3 + round(max(items - 4, 0) * index / max(count - 1, 1)))


def build_supervision(plan: SchoolPlan) -> None:
    """The demo's supervision story over every semester up to now (monthly coordination
    meetings with attendance, minutes and action items; coaching; a limited evaluation meeting
    evaluating each BK teacher; a supervision visit of each, scored higher as the years go by;
    the BK room recorded, closer to the standard each time), with a case conference and a
    request for the BK room in most semesters."""
    people = plan.people
    story = DistrictSupervision(plan.school, plan.seed_of("supervision"), plan.now)
    rng = story.rng
    today = story.today
    principal, vice, counselors = people.principal, people.vice_principal, people.counselors
    teachers = rng.sample(people.homeroom_teachers, 4) + people.subject_teachers[:2]

    def each_semester(semester: Semester, index: int) -> None:
        day = story.weekday(semester.start_date + timedelta(days=rng.randint(30, 150)))
        if day < today:
            story.case_conference(
                organizer=vice,
                invitees=[principal, rng.choice(counselors), rng.choice(teachers)],
                day=day,
                present_share=0.9,
            )
        if share_elapsed(semester, today) > 0.5 or index % 2:
            story.request(principal=principal, counselors=counselors, semester=semester)

    supervision_history(
        story,
        semesters=plan.begun,
        principal=principal,
        vice_principal=vice,
        counselors=counselors,
        teachers=[*teachers, people.admin_staff],
        facility_growth=district_facility_growth,
        each_semester=each_semester,
    )
    story.write()


# --- The district --------------------------------------------------------------------------


# Every model the district writes, in the order the report lists them.
COUNTED_MODELS: list[type[models.Model]] = [
    School,
    User,
    AcademicYear,
    Semester,
    Classroom,
    Student,
    PersonalBook,
    PersonalBookSection,
    Case,
    CounselingSession,
    CounselingSession.students.through,
    Collaboration,
    InboundReferral,
    OutboundReferral,
    Meeting,
    MeetingInvitation,
    ActionItem,
    PerformanceEvaluation,
    SupervisionVisit,
    SupervisionScore,
    FacilityAssessment,
    FacilityRequest,
    Appraisal,
    IndicatorScore,
    CompetencyResult,
    TrainingEvent,
    TrainingParticipation,
    DisseminationReport,
]


# … and the rest of what it writes: their statistics are refreshed at the end.
WRITTEN_MODELS = [
    *COUNTED_MODELS,
    RoleAssignment,
    Case.co_handlers.through,
    FacilityCondition,
    TrainingEvent.competencies.through,
]


def holds_district() -> bool:
    """Whether the demo's first school was loaded as part of a district: its staff have the
    district's usernames (walikelas02-20526101), the plain demo's do not."""
    return User.objects.filter(
        school__npsn=FIRST_SCHOOL["npsn"], username__endswith=f"-{FIRST_SCHOOL['npsn']}"
    ).exists()


def model_label(model: type[models.Model]) -> str:
    """How the report names a kind of record: "counseling sessions", or for the links of a
    many-to-many field "counseling session students"."""
    meta = model._meta
    with translation.override("en"):
        if meta.auto_created:
            return f"{meta.auto_created._meta.verbose_name} {meta.model_name.split('_')[-1]}"
        return str(meta.verbose_name_plural)


def seed_district(
    *,
    schools: int,
    years: int,
    scale: float = 1.0,
    seed: int = DEFAULT_SEED,
    now: datetime | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> DistrictReport:
    """Load the district (see the module's docstring); `scale` thins the density (students
    per class, records per semester) for tests. Returns what was made."""
    if not 1 <= schools <= MAX_SCHOOLS:
        raise ValueError(f"A district has 1 to {MAX_SCHOOLS} schools.")
    if not 1 <= years <= MAX_YEARS:
        raise ValueError(f"A district has 1 to {MAX_YEARS} years of history.")
    if not 0 < scale <= 1:
        raise ValueError("The scale is more than 0 and at most 1.")
    started = time.monotonic()
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    before = {model: model.objects.count() for model in COUNTED_MODELS}
    report = DistrictReport()

    load_shipped_framework(django_apps)
    shape = FrameworkShape.active()
    names = NamePool(seed)
    people_builder = PeopleBuilder(names=names, nips=NipRegister())
    existing = set(School.objects.values_list("npsn", flat=True))

    # The second demo school's calendar first: the demo accounts are made with the first
    # school and need both; its records come after the district's schools.
    seed_school(SECOND_SCHOOL, today)
    for spec in district_schools(schools):
        if spec.npsn in existing:
            report.skipped.append(spec.name)
            progress(f"{spec.name}: exists, skipped")
            continue
        school_started = time.monotonic()
        school = _seed_school(
            spec,
            years=years,
            scale=scale,
            seed=seed,
            now=now,
            shape=shape,
            names=names,
            people_builder=people_builder,
        )
        report.written.append(school.name)
        progress(f"{school.name}: written in {time.monotonic() - school_started:.1f} s")
        # With DEBUG on, Django keeps the last 9,000 statements, and a bulk insert's are
        # large: kept, they would grow the loader by hundreds of megabytes.
        reset_queries()
    _seed_second_demo_school(today)
    analyze(WRITTEN_MODELS)
    report.added = {
        model_label(model): model.objects.count() - before[model] for model in COUNTED_MODELS
    }
    report.seconds = time.monotonic() - started
    return report


@transaction.atomic
def _seed_school(
    spec: DistrictSchool,
    *,
    years: int,
    scale: float,
    seed: int,
    now: datetime,
    shape: FrameworkShape,
    names: NamePool,
    people_builder: PeopleBuilder,
) -> School:
    """One school, whole, in one transaction."""
    today = timezone.localtime(now).date()
    school = School.objects.create(
        npsn=spec.npsn,
        name=spec.name,
        level=spec.level,
        address=spec.address,
        regency=spec.regency,
    )
    semesters = build_calendar(school, years=years, today=today)
    people = people_builder.build(
        school,
        spec,
        random.Random(school_seed(seed, spec.position, "people")),
        given=_demo_people(spec),
    )
    plan = SchoolPlan(school, spec, people, semesters, now=now, seed=seed, scale=scale)
    roster = build_roster(plan, names)
    build_personal_books(plan, roster, names)
    build_counseling_records(plan, roster)
    build_supervision(plan)
    build_appraisals(plan, shape)
    build_training(plan, shape)
    # Bulk inserts send no signal: the school's cached figures are renewed here.
    school_data_changed(school_id=school.pk)
    return school


def _demo_people(spec: DistrictSchool) -> dict | None:
    """The first school's demo accounts, made as the plain demo makes them."""
    if not spec.is_demo:
        return None
    users = _demo_accounts()
    return {
        "principal": users["kepsek"],
        "vice_principal": users["wakasek"],
        "counselors": [users["gurubk1"], users["gurubk2"], users["gurubk3"]],
        "homeroom_teacher": users["walikelas7a"],
        "subject_teacher": users["gurumapel1"],
        "admin_staff": users["tu"],
    }


def _demo_accounts() -> dict[str, User]:
    """Every demo account, each made unless it exists (both demo schools must exist)."""
    first = School.objects.get(npsn=FIRST_SCHOOL["npsn"])
    second = School.objects.get(npsn=SECOND_SCHOOL["npsn"])
    return seed_accounts({first.npsn: first, second.npsn: second})


@transaction.atomic
def _seed_second_demo_school(today: date) -> None:
    """The demo's second school, as the plain demo loads it: each step skips what exists."""
    second = School.objects.get(npsn=SECOND_SCHOOL["npsn"])
    users = _demo_accounts()
    seed_second_school(
        school=second,
        year=second.academic_years.get(is_current=True),
        counselor=users["gurubk4"],
    )
    seed_second_school_competency(users=users, second=second, today=today)
