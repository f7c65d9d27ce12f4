"""Promotion at the start of a school year (kenaikan kelas).

The administrative staff create the next academic year with its two semesters, preview where
each class of the current year goes — VII-A to VIII-A, the last grade of the school level out
as graduates, the students who repeat to the new year's class of the same name — and apply it
in one transaction. Old classes and every record stay as history: the graduates keep their
last class, sessions and cases keep theirs.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from counseling.importing import classroom_key
from counseling.models import Classroom, Student
from staff.caching import school_data_changed
from staff.models import AcademicYear, School, Semester
from staff.services import semester_make_current

ROMAN = {7: "VII", 8: "VIII", 9: "IX", 10: "X", 11: "XI", 12: "XII"}
LAST_GRADE = {School.Level.SMP: 9, School.Level.SMA: 12, School.Level.SMK: 12}


class PromotionRefused(Exception):
    """The promotion cannot be applied as asked; the message says why, for a school clerk."""


def last_grade(school: School) -> int:
    return LAST_GRADE.get(school.level, 12)


def promoted_name(name: str, grade: int) -> str:
    """The class name one grade up, in the spelling the school used: "VII-A" → "VIII-A",
    "7A" → "8A", "Kelas 7 B" → "Kelas 8 B", "X IPA 1" → "XI IPA 1". A name without its grade
    in it gets the new grade in front: "Melati" (grade 7) → "VIII-Melati"."""
    roman = re.compile(rf"(?<![A-Z0-9]){ROMAN[grade]}(?![IVX0-9])", re.IGNORECASE)
    if roman.search(name):
        return roman.sub(ROMAN[grade + 1], name, count=1)
    number = re.compile(rf"(?<![0-9]){grade}(?![0-9])")
    if number.search(name):
        return number.sub(str(grade + 1), name, count=1)
    return f"{ROMAN[grade + 1]}-{name}"


# The academic year that follows.


def next_academic_year(year: AcademicYear) -> AcademicYear | None:
    """The school's first academic year after `year`, if it exists."""
    return (
        AcademicYear.objects.filter(school_id=year.school_id, start_date__gt=year.start_date)
        .order_by("start_date")
        .first()
    )


@dataclass(frozen=True)
class YearProposal:
    name: str
    start_date: datetime.date
    end_date: datetime.date
    odd: tuple[datetime.date, datetime.date]
    even: tuple[datetime.date, datetime.date]


def next_year_proposal(year: AcademicYear) -> YearProposal:
    """The school year after `year`: July to June, Ganjil July–December, Genap January–June."""
    start = year.start_date.year + 1
    return YearProposal(
        name=f"{start}/{start + 1}",
        start_date=datetime.date(start, 7, 1),
        end_date=datetime.date(start + 1, 6, 30),
        odd=(datetime.date(start, 7, 1), datetime.date(start, 12, 31)),
        even=(datetime.date(start + 1, 1, 1), datetime.date(start + 1, 6, 30)),
    )


@transaction.atomic
def academic_year_create_next(*, current: AcademicYear) -> AcademicYear:
    """Create the academic year after `current` with its two semesters; neither is made
    current. Refused if a later year exists already or the dates would overlap."""
    if next_academic_year(current) is not None:
        raise PromotionRefused(_("The next academic year exists already."))
    proposal = next_year_proposal(current)
    if proposal.start_date <= current.end_date:
        raise PromotionRefused(
            _(
                "The current academic year ends on %(date)s, after the next one would start. "
                "Correct the current year's dates first."
            )
            % {"date": current.end_date.isoformat()}
        )
    if AcademicYear.objects.filter(school_id=current.school_id, name=proposal.name).exists():
        raise PromotionRefused(
            _("An academic year named %(name)s exists already.") % {"name": proposal.name}
        )
    year = AcademicYear.objects.create(
        school_id=current.school_id,
        name=proposal.name,
        start_date=proposal.start_date,
        end_date=proposal.end_date,
    )
    for number, (start, end) in (
        (Semester.Number.ODD, proposal.odd),
        (Semester.Number.EVEN, proposal.even),
    ):
        Semester.objects.create(academic_year=year, number=number, start_date=start, end_date=end)
    return year


# Making the new year current.

# Making a year current this long before it starts asks to be confirmed: every page then works
# in the new year (class lists, the current semester of sessions, dashboards).
EARLY_WARNING_DAYS = 31


def first_semester(year: AcademicYear) -> Semester | None:
    return year.semesters.order_by("start_date").first()


def starts_far_ahead(year: AcademicYear, *, today: datetime.date | None = None) -> bool:
    """Does the year start more than EARLY_WARNING_DAYS from today?"""
    today = today or timezone.localdate()
    return year.start_date > today + datetime.timedelta(days=EARLY_WARNING_DAYS)


def _without_semesters(year: AcademicYear) -> PromotionRefused:
    return PromotionRefused(
        _("The academic year %(year)s has no semesters yet, so it cannot be made current.")
        % {"year": year.name}
    )


def academic_year_make_current(*, year: AcademicYear) -> Semester:
    """Make the year and its first semester current (the previous ones stop being current)."""
    semester = first_semester(year)
    if semester is None:
        raise _without_semesters(year)
    semester_make_current(semester=semester)
    return semester


# The plan: where each class and student goes.


@dataclass
class ClassPlan:
    source: Classroom
    # None when the class graduates.
    target_name: str | None
    target_grade: int | None
    target_exists: bool
    students: list[Student]
    repeaters: set[int] = field(default_factory=set)
    repeat_class_exists: bool = False

    @property
    def graduating(self) -> bool:
        return self.target_name is None

    @property
    def moving(self) -> list[Student]:
        return [student for student in self.students if student.pk not in self.repeaters]

    @property
    def repeating(self) -> list[Student]:
        return [student for student in self.students if student.pk in self.repeaters]


@dataclass
class PromotionPlan:
    source_year: AcademicYear
    target_year: AcademicYear
    classes: list[ClassPlan]

    @property
    def promoted_count(self) -> int:
        return sum(len(plan.moving) for plan in self.classes if not plan.graduating)

    @property
    def graduating_count(self) -> int:
        return sum(len(plan.moving) for plan in self.classes if plan.graduating)

    @property
    def repeating_count(self) -> int:
        return sum(len(plan.repeating) for plan in self.classes)

    @property
    def student_count(self) -> int:
        return sum(len(plan.students) for plan in self.classes)

    @property
    def new_class_names(self) -> list[str]:
        """The target year's classes that applying will create."""
        names = {
            plan.target_name
            for plan in self.classes
            if not plan.graduating and not plan.target_exists
        }
        names |= {
            plan.source.name
            for plan in self.classes
            if plan.repeaters and not plan.repeat_class_exists
        }
        return sorted(names)


def promotion_candidates(*, school: School, year: AcademicYear) -> QuerySet[Student]:
    """The active students of the year's classes: the ones a promotion moves."""
    return Student.objects.filter(
        school=school,
        status=Student.Status.ACTIVE,
        classroom__academic_year=year,
        classroom__school=school,
    )


def promotion_plan(
    *,
    school: School,
    source_year: AcademicYear,
    target_year: AcademicYear,
    repeaters: Iterable[int] = (),
) -> PromotionPlan:
    """Where each class of `source_year` and its active students go. Reads only; three
    queries: the classes with their teachers, their students, the target year's classes."""
    repeaters = set(repeaters)
    classes = list(
        Classroom.objects.filter(school=school, academic_year=source_year)
        .select_related("homeroom_teacher", "counselor")
        .order_by("grade", "name")
    )
    students_by_class: dict[int, list[Student]] = {classroom.pk: [] for classroom in classes}
    for student in promotion_candidates(school=school, year=source_year).order_by(
        "full_name", "pk"
    ):
        students_by_class[student.classroom_id].append(student)
    # Compared as the import compares them, so that "VIII A" created by hand for the new year
    # is the class "VII-A" moves up into, not a second one beside it.
    existing = {
        classroom_key(name)
        for name in Classroom.objects.filter(school=school, academic_year=target_year).values_list(
            "name", flat=True
        )
    }
    final_grade = last_grade(school)
    plans = []
    for classroom in classes:
        students = students_by_class[classroom.pk]
        graduating = classroom.grade >= final_grade
        target_name = None if graduating else promoted_name(classroom.name, classroom.grade)
        plans.append(
            ClassPlan(
                source=classroom,
                target_name=target_name,
                target_grade=None if graduating else classroom.grade + 1,
                target_exists=target_name is not None and classroom_key(target_name) in existing,
                students=students,
                repeaters={student.pk for student in students if student.pk in repeaters},
            )
        )
    targets = {classroom_key(plan.target_name) for plan in plans if not plan.graduating}
    for plan in plans:
        plan.repeat_class_exists = classroom_key(plan.source.name) in existing | targets
    return PromotionPlan(source_year=source_year, target_year=target_year, classes=plans)


@dataclass(frozen=True)
class PromotionResult:
    promoted: int
    graduated: int
    repeating: int
    classes_created: int


@transaction.atomic
def promotion_apply(
    *,
    school: School,
    source_year: AcademicYear,
    target_year: AcademicYear,
    repeaters: Iterable[int] = (),
    make_current: bool = False,
) -> PromotionResult:
    """Promote every active student of `source_year`'s classes into `target_year`, in one
    transaction.

    The target year's classes are created where missing, taking the homeroom teacher and the
    counselor of the class they come from (a class created only for students who repeat takes
    the counselor; its homeroom teacher, who moves up with the class, is set later). Students
    of the last grade become graduates and keep their class as history. Refused when the
    source year's classes hold no active student any more — the promotion was applied — so
    applying twice changes nothing.
    """
    if target_year.school_id != school.pk or source_year.school_id != school.pk:
        raise PromotionRefused(_("Both academic years must be of your school."))
    if target_year.start_date <= source_year.start_date:
        raise PromotionRefused(_("Students can only be promoted into a later academic year."))
    # Serialises two clerks applying at once: the second waits, then finds nobody to move.
    target_year = AcademicYear.objects.select_for_update().get(pk=target_year.pk)
    locked = list(
        promotion_candidates(school=school, year=source_year)
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    if not locked:
        raise PromotionRefused(
            _(
                "The classes of %(year)s have no active students left: the promotion was "
                "applied already. Nothing was changed."
            )
            % {"year": source_year.name}
        )
    repeaters = set(repeaters)
    if not repeaters <= set(locked):
        raise PromotionRefused(
            _("Some students marked as repeating are no longer in this year's classes.")
        )
    if make_current and first_semester(target_year) is None:
        raise _without_semesters(target_year)

    plan = promotion_plan(
        school=school, source_year=source_year, target_year=target_year, repeaters=repeaters
    )
    # By classroom_key, like promotion_plan.
    target_classes = {
        classroom_key(classroom.name): classroom
        for classroom in Classroom.objects.filter(school=school, academic_year=target_year)
    }
    to_create: dict[str, Classroom] = {}

    def target_class(name: str, grade: int, source: Classroom, *, with_teacher: bool) -> str:
        key = classroom_key(name)
        classroom = target_classes.get(key) or to_create.get(key)
        if classroom is None:
            classroom = Classroom(
                school=school,
                academic_year=target_year,
                grade=grade,
                name=name,
                homeroom_teacher=source.homeroom_teacher if with_teacher else None,
                counselor=source.counselor,
            )
            to_create[key] = classroom
        elif classroom.grade != grade:
            raise PromotionRefused(
                _(
                    "Class %(name)s of %(year)s is for grade %(found)s, not grade %(grade)s. "
                    "Rename or correct it first."
                )
                % {
                    "name": classroom.name,
                    "year": target_year.name,
                    "found": classroom.grade,
                    "grade": grade,
                }
            )
        return key

    moves: dict[str, list[int]] = {}
    graduates: list[int] = []
    for class_plan in plan.classes:
        if class_plan.graduating:
            graduates += [student.pk for student in class_plan.moving]
        else:
            key = target_class(
                class_plan.target_name,
                class_plan.target_grade,
                class_plan.source,
                with_teacher=True,
            )
            moves.setdefault(key, []).extend(student.pk for student in class_plan.moving)
    for class_plan in plan.classes:
        if class_plan.repeating:
            source = class_plan.source
            key = target_class(source.name, source.grade, source, with_teacher=False)
            moves.setdefault(key, []).extend(student.pk for student in class_plan.repeating)

    Classroom.objects.bulk_create(to_create.values())
    target_classes.update(to_create)
    now = timezone.now()
    for key, student_ids in moves.items():
        if student_ids:
            Student.objects.filter(pk__in=student_ids).update(
                classroom=target_classes[key], version=F("version") + 1, updated_at=now
            )
    if graduates:
        Student.objects.filter(pk__in=graduates).update(
            status=Student.Status.GRADUATED, version=F("version") + 1, updated_at=now
        )
    # Bulk writes send no signals.
    school_data_changed(school_id=school.pk)
    if make_current:
        academic_year_make_current(year=target_year)
    return PromotionResult(
        promoted=plan.promoted_count,
        graduated=len(graduates),
        repeating=plan.repeating_count,
        classes_created=len(to_create),
    )
