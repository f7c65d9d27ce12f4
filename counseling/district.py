"""District data of the counseling app (``seed_demo --schools N --years Y``): a school's classes
of every year with its students promoted through the grades (the earlier cohorts graduated),
their personal books, and the history of BK: cases, sessions, collaboration and referrals in
every semester, at the density of a real school of 900 students.

Built in memory a school at a time with the demo's record builder (counseling.demo) and written
with staff.bulk; supervision.district drives the whole district.
"""

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from counseling.book import completeness as book_completeness
from counseling.demo import (
    HOMEROOM_TOPICS,
    MULTI_SESSION_SHARE,
    PARENT_CONTACT_SHARE,
    ROMAN,
    TEACHER_CONTACT_SHARE,
    CounselingDemo,
    DemoStudent,
    demo_book,
    demo_nisn,
    quota,
    share_at,
    share_to_keep,
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
from staff.bulk import insert, insert_rows
from staff.district import NamePool, SchoolPeople, SchoolPlan
from staff.models import Semester

GRADES = (7, 8, 9)
LETTERS = "ABCDEFGHI"
# A class of about 33: 900 students in 27 classes.
STUDENTS_PER_COHORT = 300
# A full semester of one school: about 1,000 sessions a year for each of its three BK teachers.
CASES_PER_SEMESTER = 120
SESSIONS_PER_SEMESTER = 1700
# NISNs: the demo's first school counts from 0 and its second from 10,000; the district's
# other schools from 100,000, 10,000 apart. demo_nisn makes distinct numbers of them.
NISN_BASE = 100_000
NISN_PER_SCHOOL = 10_000

Strategy = CounselingSession.Strategy
Component = CounselingSession.Component


@dataclass
class Roster:
    """A school's classes of every year and who sat in them."""

    classes: dict[tuple[int, int, str], Classroom] = field(default_factory=dict)
    students: list[Student] = field(default_factory=list)
    # Per academic year (by its first calendar year): the students of that year, as the
    # demo's record builder takes them.
    enrolled: dict[int, list[DemoStudent]] = field(default_factory=dict)


def share_elapsed(semester: Semester, today: date) -> float:
    """How much of the semester has passed: 1 for a past one, 0 for one to come."""
    if semester.end_date < today:
        return 1.0
    if semester.start_date > today:
        return 0.0
    return (today - semester.start_date).days / (semester.end_date - semester.start_date).days


def build_roster(plan: SchoolPlan, names: NamePool) -> Roster:
    """27 classes a year (VII–IX, A–I); a cohort of 300 enters grade VII every year and keeps
    its letter up to IX. The cohorts that finished IX before this year have graduated and keep
    their last class; the rest are active in this year's classes. A BK teacher follows a cohort
    through its three years; homeroom teachers move round the classes from year to year."""
    school, rng = plan.school, plan.rng("roster")
    roster = Roster()
    year_of = {s.academic_year.start_date.year: s.academic_year for s in plan.semesters}
    current = max(year_of)
    counselors, teachers = plan.people.counselors, plan.people.homeroom_teachers
    for start, year in sorted(year_of.items()):
        for grade, letter in itertools.product(GRADES, LETTERS):
            entered = start - (grade - GRADES[0])
            slot = (grade - GRADES[0]) * len(LETTERS) + LETTERS.index(letter)
            roster.classes[(start, grade, letter)] = Classroom(
                school=school,
                academic_year=year,
                grade=grade,
                name=f"{ROMAN[grade]}-{letter}",
                homeroom_teacher=teachers[(slot + 5 * (current - start)) % len(teachers)],
                counselor=counselors[(current - entered) % len(counselors)],
            )
    insert(Classroom, roster.classes.values())

    cohort = max(1, round(STUDENTS_PER_COHORT * plan.scale))
    position = plan.spec.position
    first_index = 0 if position == 0 else NISN_BASE + position * NISN_PER_SCHOOL
    number = 0
    names = names.using(rng)
    memberships = []
    for entered in range(min(year_of) - 2, current + 1):
        graduated = entered + 2 < current
        birth_year = entered - 12
        for place in range(cohort):
            letter = LETTERS[place % len(LETTERS)]
            years_here = [y for y in range(entered, entered + 3) if y in year_of]
            last = years_here[-1]
            female = rng.random() < 0.5
            student = Student(
                school=school,
                nisn=demo_nisn(birth_year, first_index + number),
                nis=f"{entered % 100:02d}{place:04d}",
                full_name=names.full_name(female=female),
                sex=Student.Sex.FEMALE if female else Student.Sex.MALE,
                birth_place=names.city_name(),
                birth_date=date(birth_year, rng.randint(1, 12), rng.randint(1, 28)),
                classroom=roster.classes[(last, 7 + last - entered, letter)],
                status=Student.Status.GRADUATED if graduated else Student.Status.ACTIVE,
            )
            number += 1
            roster.students.append(student)
            memberships.append((student, [(y, 7 + y - entered, letter) for y in years_here]))
    insert(Student, roster.students)
    for student, places in memberships:
        for start, grade, letter in places:
            classroom = roster.classes[(start, grade, letter)]
            roster.enrolled.setdefault(start, []).append(
                DemoStudent(
                    pk=student.pk,
                    classroom_id=classroom.pk,
                    grade=grade,
                    counselor_id=classroom.counselor_id,
                    homeroom_teacher_id=classroom.homeroom_teacher_id,
                    classroom_name=classroom.name,
                )
            )
    return roster


def build_personal_books(plan: SchoolPlan, roster: Roster, names: NamePool) -> None:
    """Every student's book, of varying completeness (as the demo's), its stored
    completeness computed by counseling.book; sections signed by the class's BK teacher."""
    school, rng = plan.school, plan.rng("books")
    names = names.using(rng)
    books, sections = [], []
    for student in roster.students:
        classroom = student.classroom
        full = demo_book(student, classroom.academic_year.start_date.year, rng, names)
        share = share_to_keep(rng)
        kept = {
            key: {
                name: value for name, value in fields.items() if share >= 1 or rng.random() < share
            }
            for key, fields in full.items()
        }
        book = PersonalBook(student=student, school=school, completeness=book_completeness(kept))
        books.append(book)
        for key in PersonalBookSection.Key.values:
            data = kept.get(key, {})
            sections.append(
                PersonalBookSection(
                    book=book,
                    key=key,
                    data=data,
                    version=1 if data else 0,
                    updated_by_id=classroom.counselor_id if data else None,
                )
            )
    insert(PersonalBook, books)
    insert(PersonalBookSection, sections)


def build_counseling_records(plan: SchoolPlan, roster: Roster) -> None:
    """Every semester up to today (the current one in proportion to how much of it has
    passed): cases (more of them met in several sessions and with more collaboration as the
    years go by), the sessions of the cases and the rest of the BK programme (classical
    guidance in every class, group guidance, individual planning, consultations), referrals
    from teachers (taken up, declined, a few waiting) and out to other services."""
    school, people, now, scale = plan.school, plan.people, plan.now, plan.scale
    counselors = people.counselors
    demo = CounselingDemo(
        school=school, counselors=counselors, seed=plan.seed_of("counseling"), now=now
    )
    rng = demo.rng
    today = demo.today
    for students in roster.enrolled.values():
        for student in students:
            demo.students_by_class.setdefault(student.classroom_id, []).append(student)
    teachers = {user.pk: user.full_name for user in people.teachers}
    demo.subject_teachers = [user.full_name for user in people.subject_teachers]
    by_counselor = {counselor.pk: counselor for counselor in counselors}
    held = plan.begun
    count = len(held)
    for index, semester in enumerate(held):
        pool = roster.enrolled[semester.academic_year.start_date.year]
        elapsed = share_elapsed(semester, today)
        total = max(1, round(CASES_PER_SEMESTER * scale * elapsed))
        multi = quota(rng, total, share_at(MULTI_SESSION_SHARE, index, count))
        parents = quota(rng, total, share_at(PARENT_CONTACT_SHARE, index, count))
        with_teachers = quota(rng, total, share_at(TEACHER_CONTACT_SHARE, index, count))
        case_sessions = 0
        used: set[int] = set()
        # About one case in ten came from a teacher's referral.
        referred = {rng.randrange(total) for _ in range(max(1, total // 10))}
        for number in range(total):
            counselor = counselors[(number + index) % len(counselors)]
            student = demo.pick_student(pool, counselor, used)
            referrer = None
            if number in referred:
                counselor = by_counselor.get(student.counselor_id, counselor)
                referrer = _referrer(rng, student, people)
            demo_case = demo.add_case(
                index=index,
                semester=semester,
                student=student,
                counselor=counselor,
                multi=multi[number],
                source=referrer[1] if referrer else None,
                fresh=semester.is_current and number >= total - total // 12,
            )
            case_sessions += len(demo_case.sessions)
            if referrer:
                decided_at = min(demo.at(demo_case.case.opened_on, 7 * 60, 7 * 60), now)
                demo_case.case.referral = demo.add_inbound(
                    student=student,
                    referred_by=referrer[0],
                    status=InboundReferral.Status.ACCEPTED,
                    referred_at=decided_at - timedelta(days=rng.randint(1, 3)),
                    decided_at=decided_at,
                    decided_by=counselor.pk,
                )
            demo.add_case_collaborations(
                demo_case,
                student,
                teachers,
                parent=parents[number],
                teacher=with_teachers[number],
            )
        _add_referrals_not_taken_up(demo, semester, pool, people, elapsed)
        _add_class_collaborations(demo, semester, pool, teachers, round(12 * scale * elapsed))
        # The rest of the BK programme: classical guidance in every class (about weekly),
        # group guidance, individual planning, consultations.
        demo.add_standalone(
            semester,
            max(0, round(SESSIONS_PER_SEMESTER * scale * elapsed) - case_sessions),
            classes=sorted({(s.classroom_id, s.counselor_id) for s in pool}),
            pool=pool,
            classical_share=0.35,
        )
    _add_appointments(demo, held[-1])
    _write(demo)


def _referrer(rng: random.Random, student: DemoStudent, people: SchoolPeople):
    """(who referred, the case's source): the student's homeroom teacher or a subject teacher."""
    if student.homeroom_teacher_id and rng.random() < 0.6:
        return student.homeroom_teacher_id, Case.Source.HOMEROOM_TEACHER
    return rng.choice(people.subject_teachers).pk, Case.Source.SUBJECT_TEACHER


def _add_referrals_not_taken_up(demo, semester, pool, people, elapsed: float) -> None:
    """A couple declined in every semester; in the current one, a few waiting for BK."""
    rng, now = demo.rng, demo.now
    starts, ends = semester.start_date, min(semester.end_date, demo.today)
    for _ in range(max(1, round(2 * elapsed))):
        student = rng.choice(pool)
        referrer, _source = _referrer(rng, student, people)
        referred_at = demo.at(demo.weekday(demo.day_between(starts + timedelta(days=7), ends)))
        if referred_at < now:
            demo.add_inbound(
                student=student,
                referred_by=referrer,
                status=InboundReferral.Status.DECLINED,
                referred_at=referred_at,
                decided_at=min(referred_at + timedelta(days=1), now),
                decided_by=rng.choice(demo.counselors).pk,
            )
    if semester.is_current:
        opened = demo.at(starts, 7 * 60, 7 * 60)
        for _ in range(4):
            student = rng.choice(pool)
            referrer, _source = _referrer(rng, student, people)
            ago = timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 6))
            demo.add_inbound(
                student=student,
                referred_by=referrer,
                status=InboundReferral.Status.SUBMITTED,
                referred_at=min(max(now - ago, opened), now),
            )


def _add_class_collaborations(demo, semester, pool, teachers, count: int) -> None:
    """Work with homeroom teachers about a class or one of its students, outside any case."""
    rng = demo.rng
    ends = min(semester.end_date, demo.today)
    by_counselor = {counselor.pk: counselor for counselor in demo.counselors}
    for number in range(count):
        student = rng.choice(pool)
        topic, agreement = rng.choice(HOMEROOM_TOPICS)
        demo.collaborations.append(
            Collaboration(
                school=demo.school,
                counselor=by_counselor.get(student.counselor_id, demo.counselors[0]),
                partner_type=Collaboration.Partner.HOMEROOM_TEACHER,
                partner_name=teachers.get(student.homeroom_teacher_id) or "Wali kelas",
                method=Collaboration.Method.FACE_TO_FACE,
                student_id=student.pk if number % 2 else None,
                happened_on=demo.day_between(semester.start_date + timedelta(days=3), ends),
                topic=topic,
                agreement=agreement,
            )
        )


def _add_appointments(demo, semester: Semester) -> None:
    """The open cases of this semester met most recently have their next appointment in the
    coming days, a few for each BK teacher; about half of the others met only once have no
    follow-up yet (the BK teacher's home points them out)."""
    if not semester.is_current:
        return
    current = [
        demo_case
        for demo_case in demo.cases
        if demo_case.case.status == Case.Status.IN_PROGRESS
        and demo_case.sessions
        and demo_case.case.opened_on >= semester.start_date
    ]
    current.sort(key=lambda demo_case: demo_case.sessions[-1].starts_at, reverse=True)
    given: dict[int, int] = {}
    next_school_day = demo.weekday(demo.today + timedelta(days=1))
    for number, demo_case in enumerate(current):
        last = demo_case.sessions[-1]
        counselor_id = demo_case.case.counselor_id
        turn = given.get(counselor_id, 0)
        day = demo.weekday(next_school_day + timedelta(days=2 * turn))
        if turn < 4 and day <= semester.end_date:
            last.next_appointment = demo.at(day, 7 * 60 + 30, 13 * 60)
            given[counselor_id] = turn + 1
        elif len(demo_case.sessions) == 1 and number % 2 == 0:
            last.follow_up_plan = ""


def transitions_to(status: str) -> int:
    """How many moves (counseling.cases.case_transition, each bumping the case's version) take
    a new case to `status` by the shortest way Case.TRANSITIONS allows."""
    steps, reached = 0, {Case.Status.NEW}
    while status not in reached:
        reached |= {after for before in reached for after in Case.TRANSITIONS[before]}
        steps += 1
    return steps


def _write(demo: CounselingDemo) -> None:
    cases, sessions, participants = demo.rows()
    demo.stamp(cases, sessions)
    for case in cases:
        case.version = transitions_to(case.status)
    insert(InboundReferral, demo.inbound)
    insert(Case, cases)
    insert_rows(
        Case.co_handlers.through,
        ["case_id", "user_id"],
        [(d.case.pk, d.co_handler_id) for d in demo.cases if d.co_handler_id],
    )
    insert(CounselingSession, sessions)
    insert_rows(
        CounselingSession.students.through,
        ["counselingsession_id", "student_id"],
        (
            (session.pk, student_id)
            for session, students in zip(sessions, participants, strict=True)
            for student_id in dict.fromkeys(students)
        ),
    )
    insert(Collaboration, demo.collaborations)
    insert(OutboundReferral, demo.outbound)
