"""Demo data of the competency appraisals and of professional development: four semesters of
appraisals in which the scores rise after the principal's efforts, training and MGBK records,
and delegations that show the rotation.

Idempotent: a school that has appraisals already gets nothing more.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps as django_apps
from django.db import transaction
from django.utils import timezone

from staff.appraisals import (
    appraisal_acknowledge,
    appraisal_finalise,
    appraisal_save,
    appraisal_start,
)
from staff.framework_data import load_shipped_framework
from staff.models import (
    Appraisal,
    Competency,
    DisseminationReport,
    School,
    Semester,
    TrainingEvent,
    TrainingParticipation,
    User,
)
from staff.scoring import COMPETENCY_SCORE_BOUNDS, COMPETENCY_SCORE_MAX, INDICATOR_MAX


def indicator_scores_for(competency_score: int, indicator_count: int) -> list[int]:
    """Indicator scores (2s first, then a 1, then 0s) whose percentage gives the competency
    score: the highest total still within the score's band."""
    upper = {score: bound for bound, score in COMPETENCY_SCORE_BOUNDS}.get(competency_score)
    maximum = indicator_count * INDICATOR_MAX
    if competency_score == COMPETENCY_SCORE_MAX:
        total = maximum
    elif upper is None:
        raise ValueError(f"A competency scores 1 to 4, not {competency_score!r}.")
    else:
        total = int(upper * maximum / 100)
    scores = []
    for _ in range(indicator_count):
        value = min(INDICATOR_MAX, total)
        scores.append(value)
        total -= value
    return scores


# --- The demo story ---------------------------------------------------------------------------
# The principal's efforts over four semesters raise the BK teachers' competence: the earliest
# appraisals are mostly Cukup and Sedang, the latest mostly Baik and one Amat Baik. Each
# teacher's weakest competencies come up last; the self-appraisal runs a little above the
# principal's. Totals are of the 17 competency scores (17–68).

# Per counselor (in the order given): the principal's totals, oldest semester first.
PRINCIPAL_TOTALS = [
    [46, 50, 55, 63],  # Cukup, Cukup, Baik, Amat Baik
    [38, 44, 49, 56],  # Sedang, Cukup, Cukup, Baik
    [36, 40, 47, 53],  # Sedang, Sedang, Cukup, Baik
]
SELF_ABOVE = [3, 2, 4]
# Weakest competencies first: research, assessment, programme design, evaluation…
WEAKNESS_ORDER = [
    [17, 11, 13, 15, 3, 10, 9, 2, 12, 14, 1, 16, 8, 6, 7, 5, 4],
    [11, 17, 15, 13, 9, 10, 2, 3, 14, 12, 8, 1, 16, 7, 6, 4, 5],
    [17, 13, 11, 10, 15, 9, 3, 12, 2, 14, 8, 16, 1, 6, 7, 5, 4],
]
PRINCIPAL_NOTES = [
    "Perlu memperkuat asesmen kebutuhan peserta didik dan menyusun program BK berdasarkan "
    "hasilnya. Disepakati mengikuti MGBK secara rutin.",
    "Ada kemajuan dalam layanan responsif. Kolaborasi dengan wali kelas perlu dijadwalkan; "
    "laporan evaluasi program diserahkan tiap akhir bulan.",
    "Program BK sudah disusun dari hasil AKPD. Penanganan kasus lebih dari satu sesi meningkat. "
    "Selanjutnya: penelitian tindakan BK sederhana.",
    "Kinerja baik dan konsisten. Diseminasi hasil pelatihan kepada rekan sudah berjalan; "
    "pertahankan pencatatan buku pribadi siswa.",
]
COUNSELOR_COMMENTS = [
    "Terima kasih atas masukannya, Bapak. Saya akan mulai dari AKPD di kelas yang saya ampu.",
    "Siap, jadwal koordinasi dengan wali kelas akan saya usulkan pada rapat berikutnya.",
    "",
    "Terima kasih. Saya ingin mengikuti bimtek penelitian tindakan BK bila ada kesempatan.",
]


def competency_scores_for_total(total: int, weakness_order: list[int]) -> dict[int, int]:
    """Scores of the 17 competencies (1–4) adding up to `total`: every competency gets the
    base, the strongest take the remainder, so the weakest rise last."""
    count = len(weakness_order)
    base, extra = divmod(total, count)
    scores = dict.fromkeys(weakness_order, base)
    for number in weakness_order[count - extra :]:
        scores[number] += 1
    return scores


def indicator_scores_by_id(framework_id: int, competency_scores: dict[int, int]) -> dict:
    """Indicator scores (by indicator id) giving each competency (by number) its wanted score;
    competencies left out stay unscored."""
    scores = {}
    competencies = Competency.objects.filter(framework_id=framework_id).prefetch_related(
        "indicators"
    )
    for competency in competencies:
        wanted = competency_scores.get(competency.number)
        if wanted is None:
            continue
        indicators = sorted(competency.indicators.all(), key=lambda indicator: indicator.number)
        for indicator, value in zip(
            indicators, indicator_scores_for(wanted, len(indicators)), strict=True
        ):
            scores[indicator.pk] = value
    return scores


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _appraise(
    *,
    counselor: User,
    assessor: User,
    semester: Semester,
    kind: str,
    competency_scores: dict[int, int],
    finalise_on: date | None,
    notes: str = "",
    acknowledge_comment: str | None = None,
) -> Appraisal:
    """An appraisal through the services, dated within its semester."""
    appraisal = appraisal_start(
        assessor=assessor, counselor=counselor, semester=semester, kind=kind
    )
    appraisal = appraisal_save(
        appraisal=appraisal,
        user=assessor,
        version=appraisal.version,
        scores=indicator_scores_by_id(appraisal.framework_id, competency_scores),
        notes=notes,
    )
    started = finalise_on - timedelta(days=12) if finalise_on else timezone.localdate()
    stamps = {"created_at": _at(started, 9)}
    if finalise_on is not None:
        appraisal = appraisal_finalise(
            appraisal=appraisal, user=assessor, version=appraisal.version
        )
        stamps.update(finalised_at=_at(finalise_on), updated_at=_at(finalise_on))
        if acknowledge_comment is not None:
            appraisal_acknowledge(appraisal=appraisal, user=counselor, comment=acknowledge_comment)
            acknowledged = finalise_on + timedelta(days=3)
            stamps.update(acknowledged_at=_at(acknowledged, 13), updated_at=_at(acknowledged, 13))
    Appraisal.objects.filter(pk=appraisal.pk).update(**stamps)
    return appraisal


@transaction.atomic
def seed_appraisals(*, school: School, principal: User, counselors: list[User], today: date) -> int:
    """Four past semesters of the principal's appraisals and self-appraisals, and the current
    semester under way: one self-appraisal submitted, one of the principal's drafts half
    scored. Skipped when the school has appraisals. Returns how many were added."""
    if Appraisal.objects.filter(school=school).exists():
        return 0
    semesters = list(
        Semester.objects.filter(school=school, start_date__lte=today).order_by("start_date")
    )
    past = [semester for semester in semesters if semester.end_date < today][
        -len(PRINCIPAL_TOTALS[0]) :
    ]
    current = next((semester for semester in semesters if semester.is_current), None)
    added = 0
    for position, counselor in enumerate(counselors):
        totals = PRINCIPAL_TOTALS[position % len(PRINCIPAL_TOTALS)]
        weakness = WEAKNESS_ORDER[position % len(WEAKNESS_ORDER)]
        # The last four totals when fewer semesters exist.
        totals = totals[len(totals) - len(past) :]
        for index, semester in enumerate(past):
            self_total = min(68, totals[index] + SELF_ABOVE[position % len(SELF_ABOVE)])
            _appraise(
                counselor=counselor,
                assessor=counselor,
                semester=semester,
                kind=Appraisal.Kind.SELF,
                competency_scores=competency_scores_for_total(self_total, weakness),
                finalise_on=semester.end_date - timedelta(days=24),
            )
            story = index + len(PRINCIPAL_NOTES) - len(past)
            _appraise(
                counselor=counselor,
                assessor=principal,
                semester=semester,
                kind=Appraisal.Kind.PRINCIPAL,
                competency_scores=competency_scores_for_total(totals[index], weakness),
                finalise_on=semester.end_date - timedelta(days=14),
                notes=PRINCIPAL_NOTES[story],
                acknowledge_comment=COUNSELOR_COMMENTS[
                    (story + position) % len(COUNSELOR_COMMENTS)
                ],
            )
            added += 2
    if current is not None and counselors:
        # This semester: the first counselor has appraised themselves; the principal has begun
        # with the last one (areas A and B scored). The others wait, ready to be appraised.
        first, last = counselors[0], counselors[-1]
        weakness = WEAKNESS_ORDER[0]
        _appraise(
            counselor=first,
            assessor=first,
            semester=current,
            kind=Appraisal.Kind.SELF,
            competency_scores=competency_scores_for_total(65, weakness),
            finalise_on=min(today, current.end_date),
        )
        added += 1
        if last != first:
            latest = competency_scores_for_total(
                PRINCIPAL_TOTALS[(len(counselors) - 1) % len(PRINCIPAL_TOTALS)][-1] + 2,
                WEAKNESS_ORDER[(len(counselors) - 1) % len(WEAKNESS_ORDER)],
            )
            _appraise(
                counselor=last,
                assessor=principal,
                semester=current,
                kind=Appraisal.Kind.PRINCIPAL,
                competency_scores={n: s for n, s in latest.items() if n <= 7},
                finalise_on=None,
            )
            added += 1
    return added


# --- Training, MGBK and the rotation of delegates --------------------------------------------


@dataclass(frozen=True)
class _Training:
    kind: str
    title: str
    organizer: str
    hours: int
    seats: int | None
    targets: tuple[int, ...]
    place: str = "Aula Dinas Pendidikan Kabupaten Pamekasan"
    days: int = 1


DINAS = "Dinas Pendidikan Kabupaten Pamekasan"
MGBK = "MGBK SMP Kabupaten Pamekasan"
TRAININGS = [
    _Training(
        TrainingEvent.Kind.WORKSHOP,
        "Workshop Asesmen Kebutuhan Peserta Didik (AKPD)",
        MGBK,
        8,
        1,
        (11, 13),
    ),
    _Training(
        TrainingEvent.Kind.BIMTEK,
        "Bimtek Penyusunan Program BK Komprehensif",
        DINAS,
        16,
        1,
        (13, 14),
        days=2,
    ),
    _Training(
        TrainingEvent.Kind.WEBINAR,
        "Webinar Konseling Kelompok untuk Remaja",
        "ABKIN Jawa Timur",
        3,
        None,
        (12, 14),
        place="Daring (Zoom)",
    ),
    _Training(
        TrainingEvent.Kind.DIKLAT,
        "Diklat Konseling Karier Peserta Didik SMP",
        "BBGP Provinsi Jawa Timur",
        32,
        1,
        (12, 14),
        place="BBGP Jawa Timur, Malang",
        days=4,
    ),
    _Training(
        TrainingEvent.Kind.SEMINAR,
        "Seminar Kolaborasi Guru BK, Wali Kelas, dan Orang Tua",
        "Universitas Trunojoyo Madura",
        6,
        2,
        (8, 10),
        place="Universitas Trunojoyo Madura",
    ),
    _Training(
        TrainingEvent.Kind.BIMTEK,
        "Bimtek Penelitian Tindakan Bimbingan dan Konseling",
        DINAS,
        16,
        1,
        (17, 15),
        days=2,
    ),
    _Training(
        TrainingEvent.Kind.WORKSHOP,
        "Workshop Evaluasi dan Pelaporan Program BK",
        MGBK,
        8,
        1,
        (15, 13),
    ),
    _Training(
        TrainingEvent.Kind.WEBINAR,
        "Webinar Etika Profesi dan Kerahasiaan Konseli",
        "ABKIN Jawa Timur",
        3,
        None,
        (16, 9),
        place="Daring (Zoom)",
    ),
]
UPCOMING = _Training(
    TrainingEvent.Kind.DIKLAT,
    "Diklat Asesmen Nontes dan Tes dalam Layanan BK",
    "BBGP Provinsi Jawa Timur",
    24,
    1,
    (11, 13),
    place="BBGP Jawa Timur, Malang",
    days=3,
)
# MGBK attendance rises with the principal's encouragement: chance of being present, per
# counselor (in order) and semester (oldest first).
MGBK_PRESENCE = [
    [0.7, 0.8, 0.9, 0.95, 0.95],
    [0.5, 0.65, 0.8, 0.9, 0.9],
    [0.35, 0.55, 0.7, 0.85, 0.9],
]
REPORT_SUMMARIES = [
    "Materi utama: langkah menyusun instrumen dan mengolah hasilnya menjadi rencana layanan. "
    "Contoh format sudah saya bagikan di grup BK dan dapat dipakai untuk kelas masing-masing.",
    "Pelatihan menekankan program yang disusun dari data kebutuhan siswa. Saya sampaikan "
    "contoh program tahunan dan semesteran beserta rencana pelaksanaan layanannya.",
    "Teknik yang dipraktikkan: permainan peran dan diskusi kasus. Rekan dapat mencobanya "
    "dalam konseling kelompok kelas VIII; lembar kerja terlampir.",
]


def _weekday(day: date, weekday: int) -> date:
    """The first given weekday (0 Monday … 5 Saturday) on or after the day."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def training_event(school: School, by: User, spec: _Training, starts: date) -> TrainingEvent:
    """The event of the spec starting on that day, not saved yet."""
    return TrainingEvent(
        school=school,
        kind=spec.kind,
        title=spec.title,
        organizer=spec.organizer,
        place=spec.place,
        starts_on=starts,
        ends_on=starts + timedelta(days=spec.days - 1),
        hours=spec.hours,
        seats=spec.seats,
        created_by=by,
    )


def _event(school: School, by: User, spec: _Training, starts: date) -> TrainingEvent:
    event = training_event(school, by, spec, starts)
    event.save()
    event.competencies.set(
        Competency.objects.filter(framework__is_active=True, number__in=spec.targets)
    )
    return event


def _delegate(event: TrainingEvent, principal: User, today: date) -> list[TrainingParticipation]:
    """The delegates the app proposes, as the principal would have confirmed them."""
    # Imported here: staff.training reads the appraisal results this module seeds first.
    from staff.training import delegation_proposal

    proposal = delegation_proposal(event, today=event.starts_on)
    delegated = []
    for item in proposal.proposals:
        if not item.proposed:
            continue
        attended = event.starts_on <= today
        delegated.append(
            TrainingParticipation.objects.create(
                school=event.school,
                event=event,
                counselor=item.counselor,
                delegated_by=principal,
                delegated_at=_at(event.starts_on - timedelta(days=10), 8),
                attendance=TrainingParticipation.Attendance.PRESENT
                if attended
                else TrainingParticipation.Attendance.UNRECORDED,
            )
        )
    return delegated


def _report(participation: TrainingParticipation, written: date, rng: random.Random) -> None:
    report = DisseminationReport.objects.create(
        school=participation.school,
        participation=participation,
        summary=rng.choice(REPORT_SUMMARIES),
        materials="Modul dan salindia pelatihan di folder bersama BK.",
        shared_on=written,
    )
    DisseminationReport.objects.filter(pk=report.pk).update(
        created_at=_at(written, 14), updated_at=_at(written, 14)
    )


def mgbk_meeting(school: School, by: User, day: date) -> TrainingEvent:
    """The routine MGBK meeting of that day (the second Saturday of a month), not saved yet."""
    return TrainingEvent(
        school=school,
        kind=TrainingEvent.Kind.MGBK,
        title=f"Pertemuan rutin MGBK SMP, {day:%m/%Y}",
        organizer=MGBK,
        place="SMP Negeri 2 Pamekasan",
        starts_on=day,
        ends_on=day,
        hours=4,
        created_by=by,
    )


def _mgbk_meetings(
    *,
    school: School,
    by: User,
    counselors: list[User],
    semesters: list[Semester],
    today: date,
    rng: random.Random,
) -> None:
    """A routine MGBK meeting every month, on the second Saturday; attendance recorded for
    those held."""
    for index, semester in enumerate(semesters):
        month = semester.start_date.replace(day=1)
        while month <= semester.end_date:
            day = _weekday(month + timedelta(days=7), 5)
            if semester.start_date <= day <= semester.end_date and day <= today + timedelta(
                days=31
            ):
                event = mgbk_meeting(school, by, day)
                event.save()
                for position, counselor in enumerate(counselors):
                    chances = MGBK_PRESENCE[position % len(MGBK_PRESENCE)]
                    chance = chances[min(index + len(chances) - len(semesters), len(chances) - 1)]
                    attendance = TrainingParticipation.Attendance.UNRECORDED
                    if day <= today:
                        if rng.random() < chance:
                            attendance = TrainingParticipation.Attendance.PRESENT
                        elif rng.random() < 0.6:
                            attendance = TrainingParticipation.Attendance.EXCUSED
                        else:
                            attendance = TrainingParticipation.Attendance.ABSENT
                    TrainingParticipation.objects.create(
                        school=school,
                        event=event,
                        counselor=counselor,
                        delegated_by=by,
                        delegated_at=_at(day - timedelta(days=7), 8),
                        attendance=attendance,
                    )
            month = (month + timedelta(days=32)).replace(day=1)


@transaction.atomic
def seed_training(
    *,
    school: School,
    principal: User,
    recorder: User,
    counselors: list[User],
    today: date,
    seed: int,
) -> int:
    """MGBK meetings every month, two trainings a semester with the delegates the app
    proposed (the rotation), their dissemination reports (one late, one overdue, one due
    soon), and a diklat next month nobody is delegated to yet. Skipped when the school has
    training records. Returns how many events were added."""
    if not counselors or TrainingEvent.objects.filter(school=school).exists():
        return 0
    rng = random.Random(seed)
    semesters = list(
        Semester.objects.filter(school=school, start_date__lte=today).order_by("start_date")
    )[-5:]
    _mgbk_meetings(
        school=school,
        by=recorder,
        counselors=counselors,
        semesters=semesters,
        today=today,
        rng=rng,
    )
    specs = iter(TRAININGS * 2)
    past = [semester for semester in semesters if semester.end_date < today]
    for semester in past:
        for offset in (40, 110):
            event = _event(
                school,
                principal,
                next(specs),
                _weekday(semester.start_date + timedelta(days=offset), 1),
            )
            for participation in _delegate(event, principal, today):
                # Most share within a week or so; now and then a report comes late.
                late = rng.random() < 0.15
                written = event.ends_on + timedelta(
                    days=rng.randint(17, 25) if late else rng.randint(3, 12)
                )
                _report(participation, written, rng)
    # Lately: a training whose report is overdue for one delegate, and one just over.
    overdue_event = _event(school, principal, next(specs), today - timedelta(days=40))
    for number, participation in enumerate(_delegate(overdue_event, principal, today)):
        if number > 0:
            _report(participation, overdue_event.ends_on + timedelta(days=6), rng)
    recent = _event(school, principal, next(specs), today - timedelta(days=7))
    _delegate(recent, principal, today)
    _event(school, principal, UPCOMING, _weekday(today + timedelta(days=21), 1))
    return TrainingEvent.objects.filter(school=school).count()


def seed_school_competency(
    *,
    school: School,
    principal: User,
    recorder: User,
    counselors: list[User],
    today: date,
    seed: int,
) -> None:
    """One school's appraisals and training records (each skipped where present)."""
    seed_appraisals(school=school, principal=principal, counselors=counselors, today=today)
    seed_training(
        school=school,
        principal=principal,
        recorder=recorder,
        counselors=counselors,
        today=today,
        seed=seed,
    )


def seed_competency_demo(
    *, users: dict[str, User], first: School, second: School, today: date
) -> None:
    """The whole story for both demo schools (staff.demo's accounts)."""
    # The shipped framework, should the database have been emptied since it was migrated.
    load_shipped_framework(django_apps)
    seed_school_competency(
        school=first,
        principal=users["kepsek"],
        recorder=users["wakasek"],
        counselors=[users["gurubk1"], users["gurubk2"], users["gurubk3"]],
        today=today,
        seed=2026,
    )
    seed_second_school_competency(users=users, second=second, today=today)


def seed_second_school_competency(*, users: dict[str, User], second: School, today: date) -> None:
    """The second demo school's: its one BK teacher appraised, trained and at MGBK."""
    seed_school_competency(
        school=second,
        principal=users["kepsek2"],
        recorder=users["kepsek2"],
        counselors=[users["gurubk4"]],
        today=today,
        seed=2027,
    )
