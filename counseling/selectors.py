"""Reads of the counseling app, always starting from what counseling.access lets the user see."""

from django.db.models import Count, Q, QuerySet

from counseling.access import classrooms_visible_to, students_visible_to
from counseling.models import Classroom, Student
from staff.models import AcademicYear, User


def classrooms_of_year(user: User, year: AcademicYear) -> QuerySet[Classroom]:
    """The year's classes the user may see, with their teachers and active students counted."""
    return (
        classrooms_visible_to(user)
        .filter(academic_year=year)
        .select_related("homeroom_teacher", "counselor")
        .annotate(
            active_students=Count("students", filter=Q(students__status=Student.Status.ACTIVE))
        )
        .order_by("grade", "name")
    )


def students_for_list(
    user: User,
    *,
    query: str = "",
    classroom: Classroom | None = None,
    counselor: User | None = None,
    status: str | None = Student.Status.ACTIVE,
) -> QuerySet[Student]:
    """Students the user may see, filtered; `status=None` means every status.

    A query of digits also matches the start of a NISN (kept as text, leading zeros included)
    and an exact NIS.
    """
    students = students_visible_to(user).select_related("classroom")
    if query:
        condition = Q(full_name__icontains=query)
        if query.isdigit():
            condition |= Q(nisn__startswith=query) | Q(nis=query)
        students = students.filter(condition)
    if classroom is not None:
        students = students.filter(classroom=classroom)
    if counselor is not None:
        students = students.filter(classroom__counselor=counselor)
    if status is not None:
        students = students.filter(status=status)
    return students.order_by("full_name", "pk")
