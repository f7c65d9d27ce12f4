"""Factories for every model the tests build; one place, shared by all apps' tests."""

import datetime
from datetime import date

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from counseling.models import (
    BKField,
    Case,
    Classroom,
    Collaboration,
    CounselingSession,
    InboundReferral,
    PersonalBook,
    Student,
)
from staff.appraisals import appraisal_finalise, appraisal_save, appraisal_start
from staff.demo_competency import indicator_scores_for
from staff.models import (
    AcademicYear,
    Appraisal,
    Competency,
    DisseminationReport,
    RoleAssignment,
    School,
    Semester,
    TrainingEvent,
    TrainingParticipation,
    User,
)

TEST_PASSWORD = "uji-sandi-2026"  # noqa: S105


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ["npsn"]

    name = factory.Sequence(lambda n: f"SMP Negeri {n + 1} Contoh")
    npsn = factory.Sequence(lambda n: f"{30000000 + n:08d}")
    level = School.Level.SMP
    regency = "Kabupaten Contoh"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Pengguna Uji {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    school = factory.SubFactory(SchoolFactory)
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for role in extracted:
                RoleAssignment.objects.get_or_create(user=self, role=role)


class AcademicYearFactory(DjangoModelFactory):
    class Meta:
        model = AcademicYear

    school = factory.SubFactory(SchoolFactory)
    name = "2026/2027"
    start_date = date(2026, 7, 1)
    end_date = date(2027, 6, 30)
    is_current = True


class SemesterFactory(DjangoModelFactory):
    class Meta:
        model = Semester

    academic_year = factory.SubFactory(AcademicYearFactory)
    number = Semester.Number.ODD
    start_date = date(2026, 7, 1)
    end_date = date(2026, 12, 31)
    is_current = True


class ClassroomFactory(DjangoModelFactory):
    class Meta:
        model = Classroom

    school = factory.SubFactory(SchoolFactory)
    academic_year = factory.SubFactory(
        AcademicYearFactory, school=factory.SelfAttribute("..school")
    )
    grade = 7
    name = factory.Sequence(lambda n: f"VII-{n}")


class StudentFactory(DjangoModelFactory):
    class Meta:
        model = Student

    school = factory.SubFactory(SchoolFactory)
    nisn = factory.Sequence(lambda n: f"{n:010d}")
    full_name = factory.Sequence(lambda n: f"Siswa Uji {n}")
    sex = Student.Sex.FEMALE
    classroom = factory.SubFactory(ClassroomFactory, school=factory.SelfAttribute("..school"))


class InboundReferralFactory(DjangoModelFactory):
    """A teacher's referral to BK, waiting for a decision; pass student and referred_by."""

    class Meta:
        model = InboundReferral

    student = factory.SubFactory(StudentFactory)
    school = factory.SelfAttribute("student.school")
    referred_by = factory.SubFactory(UserFactory, school=factory.SelfAttribute("..school"))
    reason = "Sering melamun di kelas dan nilai menurun dua bulan terakhir."


class CaseFactory(DjangoModelFactory):
    """An open case; pass student and counselor (a counselor of the student's school)."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    student = factory.SubFactory(StudentFactory)
    school = factory.SelfAttribute("student.school")
    counselor = factory.SubFactory(UserFactory, school=factory.SelfAttribute("..school"))
    created_by = factory.SelfAttribute("counselor")
    field = BKField.LEARNING
    category = Case.Category.MOTIVATION
    source = Case.Source.SELF
    status = Case.Status.IN_PROGRESS
    summary = "Nilai ulangan turun dan sering tidak mengerjakan tugas."
    opened_on = date(2026, 9, 1)

    @factory.post_generation
    def co_handlers(self, create, extracted, **kwargs):
        if create and extracted:
            self.co_handlers.set(extracted)


class CounselingSessionFactory(DjangoModelFactory):
    """An individual session led by `counselor`; within `case` it is about the case's student."""

    class Meta:
        model = CounselingSession
        skip_postgeneration_save = True

    counselor = factory.SubFactory(UserFactory)
    school = factory.SelfAttribute("counselor.school")
    case = None
    starts_at = factory.LazyFunction(
        lambda: datetime.datetime(
            2026, 9, 2, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
        )
    )
    duration_minutes = 45
    strategy = CounselingSession.Strategy.INDIVIDUAL
    component = CounselingSession.Component.RESPONSIVE
    field = BKField.LEARNING
    summary = "Siswa menceritakan kesulitan membagi waktu belajar."

    @factory.post_generation
    def students(self, create, extracted, **kwargs):
        if not create:
            return
        if extracted:
            self.students.set(extracted)
        elif self.case_id is not None:
            self.students.set([self.case.student])


class PersonalBookFactory(DjangoModelFactory):
    """A personal book at a given completeness (no sections)."""

    class Meta:
        model = PersonalBook

    student = factory.SubFactory(StudentFactory)
    school = factory.SelfAttribute("student.school")
    completeness = 0


class CollaborationFactory(DjangoModelFactory):
    """A counselor's contact with a parent; pass counselor (and student or case if wanted)."""

    class Meta:
        model = Collaboration

    counselor = factory.SubFactory(UserFactory)
    school = factory.SelfAttribute("counselor.school")
    partner_type = Collaboration.Partner.PARENT
    partner_name = "Ibu Sri (ibu kandung)"
    method = Collaboration.Method.PHONE
    student = None
    case = None
    happened_on = date(2026, 9, 3)
    topic = "Jadwal belajar di rumah"
    agreement = "Orang tua mendampingi belajar setiap malam pukul 19.00."


# --- Supervision: meetings and action items ------------------------------------------------------


class MeetingFactory(DjangoModelFactory):
    """A coordination meeting of an hour; pass organizer (and invite people with
    MeetingInvitationFactory or the `invitees` list)."""

    class Meta:
        model = "supervision.Meeting"
        skip_postgeneration_save = True

    organizer = factory.SubFactory(UserFactory)
    school = factory.SelfAttribute("organizer.school")
    kind = "coordination"
    title = factory.Sequence(lambda n: f"Rapat koordinasi {n + 1}")
    agenda = "1. Program layanan BK\n2. Lain-lain"
    starts_at = factory.LazyFunction(
        lambda: datetime.datetime(
            2026, 10, 14, 13, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
        )
    )
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(hours=1))
    place = "Ruang rapat guru"

    @factory.post_generation
    def invitees(self, create, extracted, **kwargs):
        """The organizer is always invited, as the scheduling service does."""
        if not create:
            return
        from supervision.models import MeetingInvitation

        people = {self.organizer_id, *(person.pk for person in extracted or ())}
        MeetingInvitation.objects.bulk_create(
            MeetingInvitation(meeting=self, person_id=pk) for pk in sorted(people)
        )


class ActionItemFactory(DjangoModelFactory):
    """An open action item of a meeting; pass meeting and assignee."""

    class Meta:
        model = "supervision.ActionItem"

    meeting = factory.SubFactory(MeetingFactory)
    school = factory.SelfAttribute("meeting.school")
    assignee = factory.SelfAttribute("meeting.organizer")
    created_by = factory.SelfAttribute("meeting.organizer")
    description = factory.Sequence(lambda n: f"Menyusun rekap kehadiran {n + 1}")
    due_on = date(2026, 10, 28)


# --- Competency appraisals and professional development (issue 4) ---------------------------


def framework_competencies(numbers):
    """Competencies of the active framework (shipped by migration) by their numbers."""
    return list(Competency.objects.filter(framework__is_active=True, number__in=list(numbers)))


def appraisal_with_scores(
    *,
    counselor,
    assessor,
    semester,
    kind=Appraisal.Kind.PRINCIPAL,
    competency_scores=None,
    default_score=3,
    finalise=True,
):
    """An appraisal through the services: each competency given the wanted score (1–4; by
    competency number, `default_score` for the rest), finalised unless told otherwise."""
    competency_scores = competency_scores or {}
    appraisal = appraisal_start(
        assessor=assessor, counselor=counselor, semester=semester, kind=kind
    )
    scores = {}
    for competency in Competency.objects.filter(framework=appraisal.framework).prefetch_related(
        "indicators"
    ):
        indicators = sorted(competency.indicators.all(), key=lambda i: i.number)
        wanted = competency_scores.get(competency.number, default_score)
        for indicator, value in zip(
            indicators, indicator_scores_for(wanted, len(indicators)), strict=True
        ):
            scores[indicator.pk] = value
    appraisal = appraisal_save(
        appraisal=appraisal, user=assessor, version=appraisal.version, scores=scores, notes=""
    )
    if finalise:
        appraisal = appraisal_finalise(
            appraisal=appraisal, user=assessor, version=appraisal.version
        )
    return appraisal


class TrainingEventFactory(DjangoModelFactory):
    """A one-day bimtek with one seat; `competencies=[numbers]` names what it targets."""

    class Meta:
        model = TrainingEvent
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    kind = TrainingEvent.Kind.BIMTEK
    title = factory.Sequence(lambda n: f"Bimtek Layanan BK {n + 1}")
    organizer = "MGBK SMP Kabupaten Contoh"
    place = "Aula Dinas Pendidikan"
    starts_on = date(2026, 9, 10)
    ends_on = factory.SelfAttribute("starts_on")
    hours = 8
    seats = 1
    created_by = factory.SubFactory(UserFactory, school=factory.SelfAttribute("..school"))

    @factory.post_generation
    def competencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.competencies.set(framework_competencies(extracted))


class TrainingParticipationFactory(DjangoModelFactory):
    """A counselor delegated to an event; pass event and counselor."""

    class Meta:
        model = TrainingParticipation

    event = factory.SubFactory(TrainingEventFactory)
    school = factory.SelfAttribute("event.school")
    counselor = factory.SubFactory(UserFactory, school=factory.SelfAttribute("..school"))
    delegated_by = factory.SelfAttribute("event.created_by")
    delegated_at = factory.LazyFunction(timezone.now)
    attendance = TrainingParticipation.Attendance.UNRECORDED


class DisseminationReportFactory(DjangoModelFactory):
    class Meta:
        model = DisseminationReport

    participation = factory.SubFactory(TrainingParticipationFactory)
    school = factory.SelfAttribute("participation.school")
    summary = "Teknik konseling kelompok dengan permainan peran; contoh skenario terlampir."
    materials = "Modul bimtek (PDF) di grup MGBK."


def past_semester(school, start_year: int, number: int = Semester.Number.ODD) -> Semester:
    """A semester of an earlier school year (starting July `start_year`), not current."""
    year, _ = AcademicYear.objects.get_or_create(
        school=school,
        name=f"{start_year}/{start_year + 1}",
        defaults={
            "start_date": date(start_year, 7, 1),
            "end_date": date(start_year + 1, 6, 30),
            "is_current": False,
        },
    )
    if number == Semester.Number.ODD:
        start, end = date(start_year, 7, 1), date(start_year, 12, 31)
    else:
        start, end = date(start_year + 1, 1, 1), date(start_year + 1, 6, 30)
    return SemesterFactory(
        academic_year=year, number=number, start_date=start, end_date=end, is_current=False
    )


# --- The principal's dashboard and the period report (issue 6, part A) ------------------------


class SupervisionVisitFactory(DjangoModelFactory):
    """A planned visit of the principal to a counselor; pass semester, counselor and
    supervisor (and a stage further on if wanted)."""

    class Meta:
        model = "supervision.SupervisionVisit"

    semester = factory.SubFactory(SemesterFactory)
    school = factory.SelfAttribute("semester.school")
    counselor = factory.SubFactory(UserFactory, school=factory.SelfAttribute("..school"))
    supervisor = factory.SubFactory(UserFactory, school=factory.SelfAttribute("..school"))
    focus = "administration"
    planned_on = factory.SelfAttribute("semester.start_date")
