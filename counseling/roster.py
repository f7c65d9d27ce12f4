"""The roster kept by hand: the administrative staff create and edit a class or a single
student (the import and the promotion handle many at once).

Classes are created for the current academic year or the next one, so that a new year's intake
classes can exist before the promotion; their names are compared as the import compares them
(counseling.importing.classroom_key), so that "VII A" and "VII-A" never stand side by side.
Students are never deleted: a student who leaves is marked moved or graduated. An edit is saved
only if nobody saved the student since the form was opened (`version`).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from counseling.importing import classroom_key, nisn_of_another_school_message, nisn_problem
from counseling.models import Classroom, Student
from counseling.promotion import ROMAN, last_grade, next_academic_year
from staff.caching import school_data_changed
from staff.models import AcademicYear, Role, School, User
from staff.selectors import active_holders_of, counselors_of, current_academic_year
from staff.services import StaleEdit

# The grades of a school level: SMP 7–9, SMA and SMK 10–12.
GRADES_PER_LEVEL = 3


def school_grades(school: School) -> list[int]:
    final = last_grade(school)
    return list(range(final - GRADES_PER_LEVEL + 1, final + 1))


def grade_choices(school: School) -> list[tuple[int, str]]:
    return [(grade, f"{grade} ({ROMAN[grade]})") for grade in school_grades(school)]


def roster_years(school: School) -> list[AcademicYear]:
    """The years whose classes may be created and edited: the current one and the next, if it
    exists. Empty without a current year."""
    current = current_academic_year(school)
    if current is None:
        return []
    following = next_academic_year(current)
    return [current] if following is None else [current, following]


def homeroom_teachers_of(school: School | int) -> QuerySet[User]:
    return active_holders_of(school, Role.HOMEROOM_TEACHER)


# Classes


def _check_classroom(classroom: Classroom) -> None:
    school, year, name = classroom.school, classroom.academic_year, classroom.name
    errors: dict[str, str] = {}
    if year.school_id != school.pk:
        errors["academic_year"] = _("The academic year belongs to another school.")
    grades = school_grades(school)
    if classroom.grade not in grades:
        errors["grade"] = _("A class of this school is in grade %(first)s to %(last)s.") % {
            "first": grades[0],
            "last": grades[-1],
        }
    if not name:
        errors["name"] = _("Write the class name.")
    else:
        clash = next(
            (
                other
                for other in Classroom.objects.filter(academic_year=year).exclude(pk=classroom.pk)
                if classroom_key(other.name) == classroom_key(name)
            ),
            None,
        )
        if clash is not None:
            errors["name"] = _(
                "%(year)s has a class named %(name)s already, which the import would not tell "
                "apart from this name. Choose another name."
            ) % {"year": year.name, "name": clash.name}
    teacher, counselor = classroom.homeroom_teacher, classroom.counselor
    if teacher is not None and not homeroom_teachers_of(school.pk).filter(pk=teacher.pk).exists():
        errors["homeroom_teacher"] = _(
            "The homeroom teacher must be an active homeroom teacher of this school."
        )
    if counselor is not None and not counselors_of(school.pk).filter(pk=counselor.pk).exists():
        errors["counselor"] = _("The responsible BK teacher must be a BK teacher of this school.")
    if errors:
        raise ValidationError(errors)


def _check_and_save(classroom: Classroom) -> Classroom:
    classroom.name = classroom.name.strip()
    _check_classroom(classroom)
    try:
        with transaction.atomic():
            classroom.save()
    except IntegrityError as exc:
        # Another clerk saved the same name a moment ago.
        raise ValidationError(
            {"name": _("A class of this name was just saved by someone else.")}
        ) from exc
    return classroom


@transaction.atomic
def classroom_create(
    *,
    school: School,
    academic_year: AcademicYear,
    grade: int,
    name: str,
    homeroom_teacher: User | None = None,
    counselor: User | None = None,
) -> Classroom:
    return _check_and_save(
        Classroom(
            school=school,
            academic_year=academic_year,
            grade=grade,
            name=name,
            homeroom_teacher=homeroom_teacher,
            counselor=counselor,
        )
    )


@transaction.atomic
def classroom_update(
    *,
    classroom: Classroom,
    grade: int,
    name: str,
    homeroom_teacher: User | None,
    counselor: User | None,
) -> Classroom:
    """Change a class; its academic year stays."""
    classroom.grade = grade
    classroom.name = name
    classroom.homeroom_teacher = homeroom_teacher
    classroom.counselor = counselor
    return _check_and_save(classroom)


# Students

STUDENT_FIELDS = (
    "nisn",
    "nis",
    "full_name",
    "sex",
    "birth_place",
    "birth_date",
    "classroom",
    "status",
)


def validate_birth_date(value: datetime.date | None) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("The date of birth is in the future."))


def _check_student(
    *,
    school: School,
    nisn: str,
    full_name: str,
    birth_date: datetime.date | None,
    classroom: Classroom | None,
    status: str,
    pk: int | None = None,
    kept_classroom_id: int | None = None,
) -> None:
    """The rules of the import, for one student. A class must be one of the school's classes
    of the current academic year, except the class the student is in already (a graduate keeps
    the last one); an active student needs this year's class or none."""
    errors: dict[str, str] = {}
    if problem := nisn_problem(nisn):
        errors["nisn"] = problem
    else:
        holder = Student.objects.filter(nisn=nisn).exclude(pk=pk).first()
        if holder is not None and holder.school_id != school.pk:
            errors["nisn"] = nisn_of_another_school_message(nisn)
        elif holder is not None:
            errors["nisn"] = _("%(name)s already has NISN %(nisn)s.") % {
                "nisn": nisn,
                "name": holder.full_name,
            }
    if not full_name.strip():
        errors["full_name"] = _("Write the student's name.")
    try:
        validate_birth_date(birth_date)
    except ValidationError as error:
        errors["birth_date"] = error.message
    if status not in Student.Status.values:
        errors["status"] = _("Choose one of the statuses.")
    if classroom is not None:
        this_year = classroom.school_id == school.pk and classroom.academic_year.is_current
        if classroom.pk != kept_classroom_id and not this_year:
            errors["classroom"] = _("Choose a class of the current academic year.")
        elif status == Student.Status.ACTIVE and not this_year:
            errors["classroom"] = _(
                "An active student belongs in a class of the current academic year. Choose "
                "this year's class."
            )
    if errors:
        raise ValidationError(errors)


def _nisn_taken(nisn: str) -> ValidationError:
    return ValidationError(
        {"nisn": _("NISN %(nisn)s was just saved by someone else.") % {"nisn": nisn}}
    )


@transaction.atomic
def student_create(
    *,
    school: School,
    nisn: str,
    full_name: str,
    sex: str,
    nis: str = "",
    birth_place: str = "",
    birth_date: datetime.date | None = None,
    classroom: Classroom | None = None,
    status: str = Student.Status.ACTIVE,
) -> Student:
    _check_student(
        school=school,
        nisn=nisn,
        full_name=full_name,
        birth_date=birth_date,
        classroom=classroom,
        status=status,
    )
    student = Student(
        school=school,
        nisn=nisn,
        nis=nis.strip(),
        full_name=full_name.strip(),
        sex=sex,
        birth_place=birth_place.strip(),
        birth_date=birth_date,
        classroom=classroom,
        status=status,
    )
    student.full_clean()
    try:
        with transaction.atomic():
            student.save()
    except IntegrityError as exc:
        raise _nisn_taken(nisn) from exc
    return student


@transaction.atomic
def student_update(*, student: Student, version: int, **values) -> Student:
    """Save an edit made on the form opened at `version` (values: STUDENT_FIELDS).

    The UPDATE only matches while the student is still at that version; if somebody else saved
    in between (by hand, an import or the promotion), nothing is written and StaleEdit carries
    the saved student."""
    if set(values) != set(STUDENT_FIELDS):
        raise TypeError(f"student_update needs exactly {STUDENT_FIELDS}")
    _check_student(
        school=student.school,
        nisn=values["nisn"],
        full_name=values["full_name"],
        birth_date=values["birth_date"],
        classroom=values["classroom"],
        status=values["status"],
        pk=student.pk,
        kept_classroom_id=student.classroom_id,
    )
    for name in ("nis", "full_name", "birth_place"):
        values[name] = values[name].strip()
    try:
        with transaction.atomic():
            updated = Student.objects.filter(pk=student.pk, version=version).update(
                **values, version=F("version") + 1, updated_at=timezone.now()
            )
    except IntegrityError as exc:
        raise _nisn_taken(values["nisn"]) from exc
    if not updated:
        raise StaleEdit(
            Student.objects.select_related("classroom__academic_year").get(pk=student.pk)
        )
    # The UPDATE above sends no signal.
    school_data_changed(school_id=student.school_id)
    student.refresh_from_db()
    return student
