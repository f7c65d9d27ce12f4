"""Demo data of the supervision app: four semesters of history and the current one.

Monthly coordination meetings with attendance, minutes and action items; a limited evaluation
meeting each semester with an evaluation of every counselor; coaching on keeping personal
books; a supervision visit of every counselor each semester, scored higher as time goes on;
a BK room that gets closer to the standard every semester, and requests for it. Skipped when
the school has meetings already, so a second run adds nothing.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from staff.models import School, Semester, User
from supervision.facilities import compliance_of
from supervision.models import (
    ActionItem,
    ChecklistItem,
    FacilityAssessment,
    FacilityCondition,
    FacilityItem,
    FacilityRequest,
    Meeting,
    MeetingInvitation,
    PerformanceEvaluation,
    SupervisionScore,
    SupervisionVisit,
)
from supervision.models.facilities import FacilityState

COORDINATION_TOPICS = [
    "Program layanan BK dan pembagian siswa asuh",
    "Tindak lanjut kasus kedisiplinan dan keterlambatan",
    "Persiapan asesmen kebutuhan siswa dan angket minat",
    "Kolaborasi wali kelas dalam pemantauan kehadiran",
    "Evaluasi layanan klasikal dan jadwal masuk kelas",
    "Persiapan penerimaan rapor dan pertemuan orang tua",
]
ACTIONS = [
    "Menyusun rekap keterlambatan per kelas",
    "Mengirim surat panggilan orang tua siswa yang sering absen",
    "Memperbarui jadwal layanan klasikal",
    "Menyiapkan angket kebutuhan siswa kelas VII",
    "Mengumpulkan data siswa berprestasi untuk pembinaan",
    "Mengoordinasikan jadwal home visit dengan wali kelas",
    "Melengkapi daftar hadir layanan bulan ini",
]
WENT_WELL = [
    "Layanan klasikal terlaksana sesuai jadwal dan siswa aktif.",
    "Kolaborasi dengan wali kelas berjalan baik dan tercatat.",
    "Kasus ditangani berkelanjutan lebih dari satu sesi.",
]
TO_IMPROVE = [
    "Kelengkapan buku pribadi siswa asuh masih di bawah target.",
    "Laporan bulanan sering terlambat dikumpulkan.",
    "Tindak lanjut konseling individual belum selalu dicatat.",
]
AGREED = [
    "Melengkapi buku pribadi siswa kelas asuh hingga 80%",
    "Mengumpulkan laporan bulanan paling lambat tanggal 5",
    "Mencatat rencana tindak lanjut di setiap sesi konseling",
]
STRENGTHS = "Guru BK menguasai materi, komunikatif dan dekat dengan siswa."
RECOMMENDATIONS = "Gunakan media yang lebih bervariasi dan lengkapi dokumentasi layanan."


class SupervisionDemo:
    """Builds a school's supervision records. Each record is handed to a `keep_…` method as
    soon as it is made: this class saves it at once; the district's loader collects them
    instead and writes them with bulk inserts."""

    def __init__(self, school: School, seed: int | str, now: datetime):
        self.school = school
        self.rng = random.Random(seed)
        self.now = now
        self.today = timezone.localtime(now).date()
        self.zone = timezone.get_current_timezone()
        self._checklist: dict[str, list[ChecklistItem]] | None = None
        self._facility_items: list[FacilityItem] | None = None

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)), self.zone)

    @staticmethod
    def weekday(day: date) -> date:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    # Keeping what was made.

    def keep_meeting(self, meeting: Meeting, invitations: list[MeetingInvitation]) -> None:
        meeting.save()
        MeetingInvitation.objects.bulk_create(invitations)

    def keep_item(self, item: ActionItem) -> None:
        item.save()

    def keep_evaluation(self, evaluation: PerformanceEvaluation) -> None:
        evaluation.save()

    def keep_visit(self, visit: SupervisionVisit, scores: list[SupervisionScore]) -> None:
        visit.save()
        SupervisionScore.objects.bulk_create(scores)

    def keep_assessment(
        self, assessment: FacilityAssessment, conditions: list[FacilityCondition]
    ) -> None:
        assessment.save()
        FacilityCondition.objects.bulk_create(conditions)

    # The standards, read once.

    def checklist(self, focus: str) -> list[ChecklistItem]:
        if self._checklist is None:
            self._checklist = {}
            for item in ChecklistItem.objects.filter(is_active=True):
                self._checklist.setdefault(item.focus, []).append(item)
        return self._checklist.get(focus, [])

    def facility_items(self) -> list[FacilityItem]:
        if self._facility_items is None:
            self._facility_items = list(FacilityItem.objects.filter(is_active=True))
        return self._facility_items

    # Making.

    def meeting(
        self,
        *,
        kind: str,
        title: str,
        agenda: str,
        starts_at: datetime,
        minutes: int,
        organizer: User,
        invitees: list[User],
        place: str,
        present_share: float,
    ) -> Meeting:
        """A meeting; one that has ended has attendance and minutes."""
        ends_at = starts_at + timedelta(minutes=minutes)
        held = ends_at <= self.now
        meeting = Meeting(
            school=self.school,
            kind=kind,
            title=title,
            agenda=agenda,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            organizer=organizer,
            minutes="Rapat dibuka oleh pimpinan rapat. Setiap agenda dibahas bergiliran; "
            "peserta menyampaikan kendala dan usulan."
            if held
            else "",
            decisions="Disepakati tindak lanjut sebagaimana tercantum dalam daftar tugas."
            if held
            else "",
            minutes_recorded_at=ends_at + timedelta(hours=2) if held else None,
        )
        people = {person.pk: person for person in [organizer, *invitees]}
        invitations = []
        for pk in people:
            attendance = ""
            if held:
                roll = self.rng.random()
                attendance = (
                    MeetingInvitation.Attendance.PRESENT
                    if pk == organizer.pk or roll < present_share
                    else MeetingInvitation.Attendance.EXCUSED
                    if roll < present_share + (1 - present_share) / 2
                    else MeetingInvitation.Attendance.ABSENT
                )
            invitations.append(
                MeetingInvitation(meeting=meeting, person_id=pk, attendance=attendance)
            )
        self.keep_meeting(meeting, invitations)
        return meeting

    def case_conference(
        self, *, organizer: User, invitees: list[User], day: date, present_share: float = 1.0
    ) -> Meeting:
        return self.meeting(
            kind=Meeting.Kind.CASE_CONFERENCE,
            title="Konferensi kasus: siswa sering membolos",
            agenda="Pembahasan kasus bersama wali kelas dan Guru BK; rencana penanganan.",
            starts_at=self.at(day, 11),
            minutes=60,
            organizer=organizer,
            invitees=invitees,
            place="Ruang BK",
            present_share=present_share,
        )

    def item(
        self,
        *,
        meeting: Meeting | None,
        assignee: User,
        created_by: User,
        description: str,
        due_on: date,
        evaluation: PerformanceEvaluation | None = None,
        confidential: bool = False,
        done_share: float = 0.6,
    ) -> ActionItem:
        """Items due months ago are done; of the recent ones some are, the rest open (and
        overdue once their date has passed)."""
        done = due_on < self.today - timedelta(days=90) or (
            due_on < self.today - timedelta(days=7) and self.rng.random() < done_share
        )
        item = ActionItem(
            school=self.school,
            meeting=meeting,
            evaluation=evaluation,
            description=description,
            assignee=assignee,
            due_on=due_on,
            status=ActionItem.Status.DONE if done else ActionItem.Status.OPEN,
            completed_at=self.at(due_on, 14) if done else None,
            is_confidential=confidential,
            created_by=created_by,
        )
        self.keep_item(item)
        return item


def _first_wednesday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(2 - day.weekday()) % 7)


def demo_facility_growth(index: int, count: int, items: int) -> int:
    """How many BK-room items meet the standard in the index-th semester (of count): each
    semester one or two more."""
    return min(items, 4 + index + (index >= 2))


@transaction.atomic
def seed_supervision(
    *,
    school: School,
    principal: User,
    vice_principal: User,
    counselors: list[User],
    teachers: list[User],
    seed: int,
    now: datetime | None = None,
) -> int:
    """Meetings, evaluations, visits and facilities of the history semesters and the current
    one. Returns the number of meetings added (0 when the school has some already)."""
    if Meeting.objects.filter(school=school).exists() or not counselors:
        return 0
    demo = SupervisionDemo(school, seed, now or timezone.now())
    semesters = list(
        Semester.objects.filter(school=school, start_date__lte=demo.today)
        .select_related("academic_year")
        .order_by("start_date")
    )[-5:]
    added = supervision_history(
        demo,
        semesters=semesters,
        principal=principal,
        vice_principal=vice_principal,
        counselors=counselors,
        teachers=teachers,
    )
    _seed_requests(demo, principal=principal, counselors=counselors)
    return added


def supervision_history(
    demo: SupervisionDemo,
    *,
    semesters: list[Semester],
    principal: User,
    vice_principal: User,
    counselors: list[User],
    teachers: list[User],
    facility_growth: Callable[[int, int, int], int] = demo_facility_growth,
    each_semester: Callable[[Semester, int], None] | None = None,
) -> int:
    """The story of the semesters given (the current one last), then this week's and next
    week's meetings; `each_semester(semester, index)` adds more to each. Returns the number of
    meetings made."""
    rng, today = demo.rng, demo.today
    count = len(semesters)
    staff = [principal, *counselors, *teachers]
    added = 0
    for index, semester in enumerate(semesters):
        progress = index / max(count - 1, 1)  # 0 in the oldest semester, 1 now
        present_share = 0.7 + 0.2 * progress
        # Monthly coordination meetings, each with two or three action items.
        month = semester.start_date.replace(day=1)
        number = 0
        while month <= semester.end_date:
            day = _first_wednesday(month.year, month.month)
            month = (month + timedelta(days=32)).replace(day=1)
            if day < semester.start_date + timedelta(days=7) or day > semester.end_date:
                continue
            topic = COORDINATION_TOPICS[number % len(COORDINATION_TOPICS)]
            number += 1
            meeting = demo.meeting(
                kind=Meeting.Kind.COORDINATION,
                title=f"Rapat koordinasi BK — {topic.split(' dan ')[0].lower()}",
                agenda=f"1. {topic}\n2. Laporan kasus bulan berjalan\n3. Lain-lain",
                starts_at=demo.at(day, 13),
                minutes=90,
                organizer=vice_principal,
                invitees=staff,
                place="Ruang rapat guru",
                present_share=present_share,
            )
            added += 1
            if meeting.has_minutes:
                for _ in range(rng.randint(2, 3)):
                    demo.item(
                        meeting=meeting,
                        assignee=rng.choice([*counselors, *teachers[:2], vice_principal]),
                        created_by=vice_principal,
                        description=rng.choice(ACTIONS),
                        due_on=day + timedelta(days=rng.randint(7, 21)),
                    )

        # Coaching on keeping personal books, early in the semester.
        coaching_day = demo.weekday(semester.start_date + timedelta(days=24))
        coaching = None
        if coaching_day <= semester.end_date:
            coaching = demo.meeting(
                kind=Meeting.Kind.COACHING,
                title="Pembinaan pengisian buku pribadi siswa",
                agenda="Praktik baik pengisian buku pribadi; kelengkapan data keluarga dan "
                "riwayat pendidikan; penyimpanan yang aman.",
                starts_at=demo.at(coaching_day, 10),
                minutes=60,
                organizer=principal,
                invitees=counselors,
                place="Ruang BK",
                present_share=present_share + 0.05,
            )
            added += 1

        # The limited evaluation meeting, two months into the semester.
        evaluation_day = demo.weekday(semester.start_date + timedelta(days=60))
        limited = demo.meeting(
            kind=Meeting.Kind.LIMITED_EVALUATION,
            title="Rapat terbatas evaluasi kinerja Guru BK",
            agenda="Evaluasi kinerja setiap Guru BK dan kesepakatan perbaikan.",
            starts_at=demo.at(evaluation_day, 9),
            minutes=120,
            organizer=vice_principal,
            invitees=[principal, *counselors],
            place="Ruang kepala sekolah",
            present_share=1.0,
        )
        added += 1
        if limited.has_minutes:
            for position, counselor in enumerate(counselors):
                evaluation = PerformanceEvaluation(
                    school=demo.school,
                    meeting=limited,
                    counselor=counselor,
                    evaluator=principal,
                    went_well=WENT_WELL[(index + position) % len(WENT_WELL)],
                    to_improve=TO_IMPROVE[(index + position) % len(TO_IMPROVE)],
                )
                demo.keep_evaluation(evaluation)
                demo.item(
                    meeting=limited,
                    evaluation=evaluation,
                    assignee=counselor,
                    created_by=principal,
                    description=AGREED[(index + position) % len(AGREED)],
                    due_on=evaluation_day + timedelta(days=30),
                    confidential=True,
                )

        # A supervision visit of every counselor; scores rise from semester to semester.
        # In the current semester one visit is done, one waits for its follow-up and one is
        # still to come.
        visit_start = semester.start_date + timedelta(days=40)
        for position, counselor in enumerate(counselors):
            focus = SupervisionVisit.Focus.values[(index + position) % len(SupervisionVisit.Focus)]
            planned = visit_start + timedelta(days=14 * position)
            if semester.is_current:
                planned = today + timedelta(days=(-30, -10, 10)[position % 3])
                planned = min(max(planned, semester.start_date), semester.end_date)
            planned = demo.weekday(planned)
            _seed_visit(
                demo,
                semester=semester,
                counselor=counselor,
                supervisor=principal,
                focus=focus,
                planned_on=planned,
                progress=progress,
                coaching=coaching,
            )

        # The BK room, recorded once a semester, closer to the standard each time.
        recorded_on = demo.weekday(semester.start_date + timedelta(days=20))
        if recorded_on <= today:
            _seed_assessment(
                demo,
                recorded_by=counselors[0],
                day=recorded_on,
                meets=lambda items, index=index: facility_growth(index, count, items),
            )
        if each_semester is not None:
            each_semester(semester, index)

    # This week and next: a case conference and a coaching session still to come.
    demo.case_conference(
        organizer=vice_principal,
        invitees=[principal, counselors[0], *teachers[:1]],
        day=demo.weekday(today + timedelta(days=1)),
    )
    demo.meeting(
        kind=Meeting.Kind.COACHING,
        title="Pembinaan administrasi layanan BK",
        agenda="Kelengkapan agenda harian, jurnal dan laporan bulanan.",
        starts_at=demo.at(demo.weekday(today + timedelta(days=8)), 10),
        minutes=60,
        organizer=principal,
        invitees=counselors,
        place="Ruang BK",
        present_share=1.0,
    )
    return added + 2


def _seed_visit(
    demo: SupervisionDemo, *, semester, counselor, supervisor, focus, planned_on, progress, coaching
):
    visit = SupervisionVisit(
        school=demo.school,
        semester=semester,
        counselor=counselor,
        supervisor=supervisor,
        focus=focus,
        planned_on=planned_on,
    )
    steps = sum(
        1
        for day in (planned_on, planned_on + timedelta(days=3), planned_on + timedelta(days=20))
        if day <= demo.today
    )
    if steps >= 1:
        visit.stage = SupervisionVisit.Stage.OBSERVED
        visit.observed_on = planned_on
        visit.observation_notes = "Layanan diamati dari awal hingga akhir."
    if steps >= 2:
        visit.stage = SupervisionVisit.Stage.FEEDBACK_GIVEN
        visit.feedback_on = planned_on + timedelta(days=3)
        visit.strengths = STRENGTHS
        visit.recommendations = RECOMMENDATIONS
    if steps >= 3:
        visit.stage = SupervisionVisit.Stage.FOLLOWED_UP
        visit.followed_up_on = planned_on + timedelta(days=20)
        visit.follow_up = "Pembinaan lanjutan dan tugas perbaikan dokumentasi."
        visit.follow_up_meeting = coaching
        visit.follow_up_action_item = demo.item(
            meeting=None,
            assignee=counselor,
            created_by=supervisor,
            description="Memperbaiki dokumentasi layanan sesuai rekomendasi supervisi",
            due_on=planned_on + timedelta(days=35),
            confidential=True,
        )
    scores = []
    if steps >= 1:
        scores = [
            SupervisionScore(
                visit=visit,
                item=item,
                score=max(1, min(4, round(2 + 1.5 * progress + demo.rng.uniform(-0.6, 0.6)))),
            )
            for item in demo.checklist(focus)
        ]
    demo.keep_visit(visit, scores)


def _seed_assessment(
    demo: SupervisionDemo, *, recorded_by: User, day: date, meets: Callable[[int], int]
) -> None:
    items = demo.facility_items()
    meets = meets(len(items))
    states = [
        FacilityState.MEETS
        if position < meets
        else FacilityState.PARTLY
        if position < meets + 2
        else FacilityState.MISSING
        for position in range(len(items))
    ]
    assessment = FacilityAssessment(
        school=demo.school,
        recorded_by=recorded_by,
        recorded_at=demo.at(day, 12),
        compliance=compliance_of(states),
        note="Pemeriksaan awal semester.",
    )
    demo.keep_assessment(
        assessment,
        [
            FacilityCondition(assessment=assessment, item=item, state=state)
            for item, state in zip(items, states, strict=True)
        ],
    )


def _seed_requests(demo: SupervisionDemo, *, principal: User, counselors: list[User]) -> None:
    items = {item.code: item for item in FacilityItem.objects.all()}
    now = demo.now
    rows = [
        ("lemari-arsip", "Lemari arsip berkunci dua pintu", FacilityRequest.Status.FULFILLED, 300),
        ("komputer", "Pencetak untuk ruang BK", FacilityRequest.Status.APPROVED, 40),
        (
            "ruang-konseling-individual",
            "Peredam suara ruang konseling",
            FacilityRequest.Status.SUBMITTED,
            5,
        ),
        (
            "papan-informasi",
            "Papan informasi karier ukuran besar",
            FacilityRequest.Status.REJECTED,
            90,
        ),
    ]
    for position, (code, what, status, days_ago) in enumerate(rows):
        created = now - timedelta(days=days_ago)
        decided = status != FacilityRequest.Status.SUBMITTED
        FacilityRequest.objects.create(
            school=demo.school,
            item=items.get(code),
            what=what,
            reason="Dibutuhkan agar layanan BK memenuhi standar sarana prasarana.",
            requested_by=counselors[position % len(counselors)],
            status=status,
            decided_by=principal if decided else None,
            decided_at=created + timedelta(days=3) if decided else None,
            decision_reason="Anggaran tahun ini sudah terpakai; diajukan lagi tahun depan."
            if status == FacilityRequest.Status.REJECTED
            else "",
            fulfilled_at=created + timedelta(days=30)
            if status == FacilityRequest.Status.FULFILLED
            else None,
            created_at=created,
        )
