"""District data of the staff app (``seed_demo --schools N --years Y``): schools shaped like the
demo's first school, their people and calendar, the BK teachers' competency appraisals and their
professional development.

Everything is built in memory a school at a time and written with :func:`staff.bulk.insert`;
``supervision.district`` drives the whole district. Deterministic: a school's records depend
only on its position in the district, the seed and today's date.
"""

import copy
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from faker import Faker

from staff import scoring
from staff.bulk import insert
from staff.demo import DEMO_PASSWORD, FIRST_SCHOOL, school_year_start, semester_dates
from staff.demo_competency import (
    COUNSELOR_COMMENTS,
    PRINCIPAL_NOTES,
    REPORT_SUMMARIES,
    TRAININGS,
    UPCOMING,
    competency_scores_for_total,
    indicator_scores_for,
    mgbk_meeting,
    training_event,
)
from staff.models import (
    AcademicYear,
    Appraisal,
    Competency,
    CompetencyFramework,
    CompetencyResult,
    DisseminationReport,
    IndicatorScore,
    Role,
    RoleAssignment,
    School,
    Semester,
    TrainingEvent,
    TrainingParticipation,
    User,
)
from staff.services import semester_make_current

# The kecamatan of Kabupaten Pamekasan, where the demo's schools are.
DISTRICTS = [
    "Pamekasan",
    "Tlanakan",
    "Pademawu",
    "Galis",
    "Larangan",
    "Proppo",
    "Palengaan",
    "Pegantenan",
    "Kadur",
    "Pakong",
    "Waru",
    "Batumarmar",
    "Pasean",
]
# NPSNs of the district's schools after the first: 2053xxxx, apart from the demo's 20526xxx.
NPSN_BASE = 20530000
MAX_SCHOOLS = 500


@dataclass(frozen=True)
class DistrictSchool:
    """One school of the district: position 0 is the demo's first school."""

    position: int
    npsn: str
    name: str
    address: str
    regency: str = "Kabupaten Pamekasan"
    level: str = School.Level.SMP

    @property
    def is_demo(self) -> bool:
        return self.position == 0

    def username(self, base: str) -> str:
        """kepsek-20530001: the accounts of a school other than the demo's first."""
        return f"{base}-{self.npsn}"


def district_schools(count: int) -> list[DistrictSchool]:
    """The demo's first school, then SMP Negeri 1 Tlanakan, SMP Negeri 1 Pademawu, …"""
    schools = [
        DistrictSchool(0, FIRST_SCHOOL["npsn"], FIRST_SCHOOL["name"], FIRST_SCHOOL["address"])
    ]
    for position in range(1, count):
        place = DISTRICTS[position % len(DISTRICTS)]
        number = position // len(DISTRICTS) + 1
        schools.append(
            DistrictSchool(
                position,
                f"{NPSN_BASE + position:08d}",
                f"SMP Negeri {number} {place}",
                f"Jl. Raya {place} No. {position + 2}, {place}",
            )
        )
    return schools


# --- Names -----------------------------------------------------------------------------------


class NamePool:
    """Indonesian names and places drawn once from Faker, then picked with a school's own
    random generator (see `using`), so that a school's names depend on its seed only, not on
    how many were drawn before it. Offers the few Faker methods the demo's books call."""

    def __init__(self, seed: int, size: int = 400):
        fake = Faker("id_ID")
        fake.seed_instance(seed)
        self.male_first = [fake.first_name_male() for _ in range(size)]
        self.female_first = [fake.first_name_female() for _ in range(size)]
        self.male_last = [fake.last_name_male() for _ in range(size)]
        self.female_last = [fake.last_name_female() for _ in range(size)]
        self.cities = [fake.city_name() for _ in range(size // 4)]
        self.streets = [fake.street_address() for _ in range(size)]
        self.rng = random.Random(seed)

    def using(self, rng: random.Random) -> "NamePool":
        """This pool picking with `rng` (the lists are shared)."""
        pool = copy.copy(self)
        pool.rng = rng
        return pool

    def first_name_male(self) -> str:
        return self.rng.choice(self.male_first)

    def first_name_female(self) -> str:
        return self.rng.choice(self.female_first)

    def last_name_male(self) -> str:
        return self.rng.choice(self.male_last)

    def last_name_female(self) -> str:
        return self.rng.choice(self.female_last)

    def city_name(self) -> str:
        return self.rng.choice(self.cities)

    def street_address(self) -> str:
        return self.rng.choice(self.streets)

    def full_name(self, *, female: bool) -> str:
        if female:
            return f"{self.first_name_female()} {self.last_name_female()}"
        return f"{self.first_name_male()} {self.last_name_male()}"


class NipRegister:
    """NIPs (18 digits: birth date, appointment month, sex, number) unique in the database."""

    def __init__(self):
        self.taken = set(User.objects.exclude(nip="").values_list("nip", flat=True))

    def new(self, rng: random.Random, *, female: bool) -> str:
        while True:
            born = date(rng.randint(1966, 1992), rng.randint(1, 12), rng.randint(1, 28))
            appointed = (born.year + rng.randint(24, 30), rng.randint(1, 12))
            sex = 2 if female else 1
            nip = f"{born:%Y%m%d}{appointed[0]}{appointed[1]:02d}{sex}{rng.randint(1, 999):03d}"
            if nip not in self.taken:
                self.taken.add(nip)
                return nip


# --- Calendar --------------------------------------------------------------------------------


def build_calendar(school: School, *, years: int, today: date) -> list[Semester]:
    """`years` academic years (two semesters each) ending with the current one; today's
    semester is the current one. Returns the semesters, oldest first."""
    current_start = school_year_start(today)
    semesters, current = [], None
    for start_year in range(current_start - years + 1, current_start + 1):
        year = AcademicYear.objects.create(
            school=school,
            name=f"{start_year}/{start_year + 1}",
            start_date=date(start_year, 7, 1),
            end_date=date(start_year + 1, 6, 30),
        )
        for number in Semester.Number.values:
            start, end = semester_dates(start_year, number)
            semester = Semester.objects.create(
                academic_year=year, number=number, start_date=start, end_date=end
            )
            semesters.append(semester)
            if start <= today <= end:
                current = semester
    semester_make_current(semester=current)
    for semester in semesters:
        semester.is_current = semester.pk == current.pk
        semester.academic_year.is_current = semester.academic_year_id == current.academic_year_id
    return semesters


# --- People ----------------------------------------------------------------------------------


@dataclass
class SchoolPeople:
    principal: User
    vice_principal: User
    counselors: list[User]
    homeroom_teachers: list[User]
    subject_teachers: list[User]
    admin_staff: User

    @property
    def teachers(self) -> list[User]:
        return [*self.homeroom_teachers, *self.subject_teachers]


@dataclass(frozen=True)
class _Post:
    """A post of a district school: its role, how many hold it, their usernames (with the
    school's NPSN after them), academic titles, and the share who are civil servants (NIP)."""

    key: str
    role: str
    count: int
    username: str
    titles: tuple[str, ...]
    nip_share: float


TEACHER_TITLES = ("S.Pd.", "S.Pd.", "S.Pd.", "M.Pd.", "S.Si.", "S.Ag.", "S.Psi.")
STAFF = [
    _Post("principal", Role.PRINCIPAL, 1, "kepsek", ("M.Pd.", "M.M."), 1.0),
    _Post("vice_principal", Role.VICE_PRINCIPAL, 1, "wakasek", ("S.Pd.", "M.Pd."), 1.0),
    _Post("counselors", Role.COUNSELOR, 3, "gurubk{number}", ("S.Pd.", "S.Psi.", "M.Pd."), 0.8),
    _Post(
        "homeroom_teacher", Role.HOMEROOM_TEACHER, 27, "walikelas{number:02d}", TEACHER_TITLES, 0.6
    ),
    _Post("subject_teacher", Role.SUBJECT_TEACHER, 4, "gurumapel{number}", TEACHER_TITLES, 0.5),
    _Post("admin_staff", Role.ADMIN_STAFF, 1, "tu", (), 0.0),
]


@dataclass
class _Account:
    username: str
    full_name: str
    role: str
    nip: str = ""


@dataclass
class PeopleBuilder:
    """The staff of a district school, all signing in with the demo password: one Argon2 hash
    made once serves every account (hashing is slow on purpose)."""

    names: NamePool
    nips: NipRegister
    password_hash: str = field(default_factory=lambda: make_password(DEMO_PASSWORD))

    def build(
        self, school: School, spec: DistrictSchool, rng: random.Random, given: dict | None = None
    ) -> SchoolPeople:
        """The school's people (see STAFF); `given` holds the first school's demo accounts by
        role, who keep their place and are joined by the teachers the demo lacks."""
        given = given or {}
        names = self.names.using(rng)
        accounts: list[_Account] = []
        people: dict[str, list] = {}
        for post in STAFF:
            found = given.get(post.key, [])
            people[post.key] = found = found if isinstance(found, list) else [found]
            for number in range(len(found) + 1, post.count + 1):
                female = rng.random() < 0.55
                title = rng.choice(post.titles) if post.titles else ""
                nip = self.nips.new(rng, female=female) if rng.random() < post.nip_share else ""
                account = _Account(
                    username=spec.username(post.username.format(number=number)),
                    full_name=names.full_name(female=female) + (f", {title}" if title else ""),
                    role=post.role,
                    nip=nip,
                )
                accounts.append(account)
                found.append(account)
        users = insert(
            User,
            [
                User(
                    username=account.username,
                    full_name=account.full_name,
                    nip=account.nip,
                    email=f"{account.username}@demo.ruangbk.id",
                    school=school,
                    password=self.password_hash,
                )
                for account in accounts
            ],
        )
        insert(
            RoleAssignment,
            [
                RoleAssignment(user=user, role=account.role)
                for user, account in zip(users, accounts, strict=True)
            ],
        )
        made = {id(account): user for account, user in zip(accounts, users, strict=True)}
        people = {
            key: [made.get(id(value), value) for value in values] for key, values in people.items()
        }
        return SchoolPeople(
            principal=people["principal"][0],
            vice_principal=people["vice_principal"][0],
            counselors=people["counselors"],
            homeroom_teachers=people["homeroom_teacher"],
            subject_teachers=people["subject_teacher"],
            admin_staff=people["admin_staff"][0],
        )


@dataclass
class SchoolPlan:
    """What every builder of a district school's records works from."""

    school: School
    spec: DistrictSchool
    people: SchoolPeople
    semesters: list[Semester]
    now: datetime
    seed: int
    scale: float = 1.0

    @property
    def today(self) -> date:
        return timezone.localtime(self.now).date()

    @property
    def current(self) -> Semester:
        return next(semester for semester in self.semesters if semester.is_current)

    @property
    def begun(self) -> list[Semester]:
        """The semesters that have begun by today (the current one last)."""
        return [semester for semester in self.semesters if semester.start_date <= self.today]

    @property
    def past(self) -> list[Semester]:
        return [semester for semester in self.semesters if semester.end_date < self.today]

    def rng(self, part: str) -> random.Random:
        return random.Random(self.seed_of(part))

    def seed_of(self, part: str) -> str:
        return school_seed(self.seed, self.spec.position, part)


def school_seed(seed: int, position: int, part: str) -> str:
    """The seed of one part of a school's records: they depend only on the district's seed and
    the school's position in the district, not on which other schools exist."""
    return f"{seed}:{position}:{part}"


# --- Times -----------------------------------------------------------------------------------


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment of a day in the school's time zone (Asia/Jakarta)."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def weekday(day: date) -> date:
    """Saturday and Sunday move to the Monday after."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


# --- Competency appraisals -------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkShape:
    """The active framework's competencies (by number) and their indicators' ids in order."""

    framework_id: int
    competency_ids: dict[int, int]
    indicator_ids: dict[int, list[int]]

    @classmethod
    def active(cls) -> "FrameworkShape":
        framework = CompetencyFramework.objects.get(is_active=True)
        competencies = Competency.objects.filter(framework=framework).prefetch_related("indicators")
        return cls(
            framework_id=framework.pk,
            competency_ids={c.number: c.pk for c in competencies},
            indicator_ids={
                c.number: [i.pk for i in sorted(c.indicators.all(), key=lambda i: i.number)]
                for c in competencies
            },
        )


@dataclass
class _AppraisalRows:
    appraisals: list[Appraisal] = field(default_factory=list)
    scores: list[tuple[Appraisal, int, int]] = field(default_factory=list)
    results: list[tuple[Appraisal, int, scoring.CompetencyResult]] = field(default_factory=list)

    def add(self, appraisal: Appraisal, shape: FrameworkShape, competency_scores: dict) -> None:
        """A finalised appraisal whose indicators give the wanted competency scores; its
        results computed by staff.scoring, as appraisal_finalise stores them."""
        by_competency = {}
        for number, indicator_ids in shape.indicator_ids.items():
            values = indicator_scores_for(competency_scores[number], len(indicator_ids))
            by_competency[number] = values
            self.scores += [
                (appraisal, indicator_id, value)
                for indicator_id, value in zip(indicator_ids, values, strict=True)
            ]
        result = scoring.appraise(by_competency)
        appraisal.total_score = result.total
        appraisal.final_score = result.final_score_shown
        appraisal.category = result.category
        self.results += [
            (appraisal, shape.competency_ids[line.key], line) for line in result.competencies
        ]
        self.appraisals.append(appraisal)

    def write(self) -> None:
        insert(Appraisal, self.appraisals)
        insert(
            IndicatorScore,
            [
                IndicatorScore(appraisal_id=appraisal.pk, indicator_id=indicator_id, score=value)
                for appraisal, indicator_id, value in self.scores
            ],
        )
        insert(
            CompetencyResult,
            [
                CompetencyResult(
                    appraisal_id=appraisal.pk,
                    competency_id=competency_id,
                    indicator_total=line.indicator_total,
                    percentage=scoring.two_decimals(line.percentage),
                    score=line.score,
                )
                for appraisal, competency_id, line in self.results
            ],
        )


def build_appraisals(plan: SchoolPlan, shape: FrameworkShape) -> None:
    """Every past semester: each BK teacher's self-appraisal (finalised) and the principal's
    (finalised and acknowledged), scores rising over the years from a different start for each
    teacher; this semester the first teacher has appraised themselves already."""
    school, people, today, rng = plan.school, plan.people, plan.today, plan.rng("appraisals")
    rows = _AppraisalRows()
    past, current = plan.past, plan.current
    numbers = sorted(shape.indicator_ids)

    def appraisal(counselor, semester, kind, assessor, finalised: datetime, **values):
        """Finalised through the services: started, saved, finalised (version 2)."""
        return Appraisal(
            school=school,
            counselor=counselor,
            semester=semester,
            kind=kind,
            assessor=assessor,
            framework_id=shape.framework_id,
            status=Appraisal.Status.FINALISED,
            finalised_at=finalised,
            version=2,
            created_at=finalised - timedelta(days=12),
            updated_at=finalised,
            **values,
        )

    for counselor in people.counselors:
        weakness = rng.sample(numbers, len(numbers))
        total = rng.randint(34, 48)
        for semester in past:
            total = min(66, total + rng.choice([0, 1, 2, 2, 3, 4]))
            own = min(68, total + rng.randint(0, 4))
            finalised = at(semester.end_date - timedelta(days=24), 10)
            rows.add(
                appraisal(counselor, semester, Appraisal.Kind.SELF, counselor, finalised),
                shape,
                competency_scores_for_total(own, weakness),
            )
            finalised = at(semester.end_date - timedelta(days=14), 10)
            acknowledged = finalised + timedelta(days=3, hours=3)
            principals = appraisal(
                counselor,
                semester,
                Appraisal.Kind.PRINCIPAL,
                people.principal,
                finalised,
                notes=rng.choice(PRINCIPAL_NOTES),
                counselor_comment=rng.choice(COUNSELOR_COMMENTS),
                acknowledged_at=acknowledged,
            )
            # … and acknowledged by the counselor.
            principals.status, principals.version = Appraisal.Status.ACKNOWLEDGED, 3
            principals.updated_at = acknowledged
            rows.add(principals, shape, competency_scores_for_total(total, weakness))
    first = people.counselors[0]
    rows.add(
        appraisal(
            first,
            current,
            Appraisal.Kind.SELF,
            first,
            at(max(current.start_date, today - timedelta(days=5)), 10),
        ),
        shape,
        competency_scores_for_total(min(68, 50 + rng.randint(0, 10)), numbers),
    )
    rows.write()


# --- Training, MGBK, delegations and dissemination -------------------------------------------


def _second_saturday(month: date) -> date:
    day = month + timedelta(days=7)
    return day + timedelta(days=(5 - day.weekday()) % 7)


@dataclass
class _TrainingRows:
    school: School
    rng: random.Random
    events: list[TrainingEvent] = field(default_factory=list)
    targets: list[tuple[TrainingEvent, int]] = field(default_factory=list)
    participations: list[TrainingParticipation] = field(default_factory=list)
    reports: list[DisseminationReport] = field(default_factory=list)

    def add_event(self, event: TrainingEvent) -> TrainingEvent:
        """The event, recorded three weeks before it starts."""
        event.created_at = event.updated_at = at(event.starts_on - timedelta(days=21), 9)
        self.events.append(event)
        return event

    def participation(self, event, counselor, by, attendance) -> TrainingParticipation:
        delegated = at(event.starts_on - timedelta(days=10), 8)
        participation = TrainingParticipation(
            school=self.school,
            event=event,
            counselor=counselor,
            delegated_by=by,
            delegated_at=delegated,
            attendance=attendance,
            created_at=delegated,
            updated_at=delegated,
        )
        self.participations.append(participation)
        return participation

    def report(self, participation: TrainingParticipation, written: date) -> None:
        self.reports.append(
            DisseminationReport(
                school=self.school,
                participation=participation,
                summary=self.rng.choice(REPORT_SUMMARIES),
                materials="Modul dan salindia pelatihan di folder bersama BK.",
                shared_on=written,
                created_at=at(written, 14),
                updated_at=at(written, 14),
            )
        )

    def write(self) -> None:
        insert(TrainingEvent, self.events)
        insert(
            TrainingEvent.competencies.through,
            [
                TrainingEvent.competencies.through(trainingevent_id=event.pk, competency_id=pk)
                for event, pk in self.targets
            ],
        )
        for participation in self.participations:
            participation.event_id = participation.event.pk
        insert(TrainingParticipation, self.participations)
        for report in self.reports:
            report.participation_id = report.participation.pk
        insert(DisseminationReport, self.reports)


def build_training(plan: SchoolPlan, shape: FrameworkShape) -> None:
    """Monthly MGBK meetings with attendance rising over the years; two trainings a semester
    with delegates in rotation (fewest hours first) and their dissemination reports, a few
    late; lately one report overdue, one training just over and a diklat to come."""
    people, today, rng = plan.people, plan.today, plan.rng("training")
    semesters = plan.semesters
    rows = _TrainingRows(school=plan.school, rng=rng)
    principal, counselors = people.principal, people.counselors
    Attendance = TrainingParticipation.Attendance
    count = len(semesters)
    for index, semester in enumerate(semesters):
        if semester.start_date > today:
            continue
        presence = 0.55 + 0.4 * index / max(count - 1, 1)
        month = semester.start_date
        while month <= semester.end_date:
            day = _second_saturday(month)
            month = (month + timedelta(days=32)).replace(day=1)
            if day > today + timedelta(days=31):
                break
            event = rows.add_event(mgbk_meeting(plan.school, people.vice_principal, day))
            for counselor in counselors:
                attendance = Attendance.UNRECORDED
                if day <= today:
                    draw = rng.random()
                    attendance = (
                        Attendance.PRESENT
                        if draw < presence
                        else Attendance.EXCUSED
                        if draw < presence + (1 - presence) * 0.6
                        else Attendance.ABSENT
                    )
                rows.participation(event, counselor, people.vice_principal, attendance)

    hours = dict.fromkeys((c.pk for c in counselors), 0)

    def training(spec, starts: date) -> tuple[TrainingEvent, list[TrainingParticipation]]:
        event = rows.add_event(training_event(plan.school, principal, spec, starts))
        rows.targets += [(event, shape.competency_ids[number]) for number in spec.targets]
        chosen = sorted(counselors, key=lambda c: (hours[c.pk], rng.random()))
        delegated = []
        for counselor in chosen[: spec.seats or len(chosen)]:
            hours[counselor.pk] += spec.hours
            attended = Attendance.PRESENT if starts <= today else Attendance.UNRECORDED
            delegated.append(rows.participation(event, counselor, principal, attended))
        return event, delegated

    specs = iter(TRAININGS * (len(semesters) // 4 + 2))
    for semester in plan.past:
        for offset in (40, 110):
            starts = _weekday_on_or_after(semester.start_date + timedelta(days=offset), 1)
            event, delegated = training(next(specs), starts)
            for participation in delegated:
                late = rng.random() < 0.15
                rows.report(
                    participation,
                    event.ends_on
                    + timedelta(days=rng.randint(17, 25) if late else rng.randint(3, 12)),
                )
    overdue, delegated = training(next(specs), today - timedelta(days=40))
    for number, participation in enumerate(delegated):
        if number > 0:
            rows.report(participation, overdue.ends_on + timedelta(days=6))
    training(next(specs), today - timedelta(days=7))
    upcoming = training_event(
        plan.school, principal, UPCOMING, _weekday_on_or_after(today + timedelta(days=21), 1)
    )
    rows.add_event(upcoming)
    rows.targets += [(upcoming, shape.competency_ids[n]) for n in UPCOMING.targets]
    rows.write()


def _weekday_on_or_after(day: date, weekday_number: int) -> date:
    return day + timedelta(days=(weekday_number - day.weekday()) % 7)
