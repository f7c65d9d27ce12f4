"""The school calendar: the academic years with their two semesters, and which semester is the
current one — the semester every page works in (sessions, dashboards, supervision).

A new academic year is made current on the promotion page (counseling.promotion), together with
moving the students into its classes. Here administrative staff only switch between the two
semesters of the current year (Ganjil to Genap in January), so that the year never changes
without its promotion.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from staff.access import Permission, can
from staff.models import AcademicYear, School, Semester, User
from staff.services import semester_make_current

# A semester made current this long before it starts, or after it ended, asks to be
# confirmed (the same month the promotion page allows a new year).
EARLY_WARNING_DAYS = 31


class SemesterSwitchRefused(Exception):
    """The semester may not be made current here; the message says why."""


def academic_years_of(school: School) -> QuerySet[AcademicYear]:
    """The school's years, newest first, each with its semesters in order."""
    return AcademicYear.objects.filter(school=school).prefetch_related(
        Prefetch("semesters", queryset=Semester.objects.order_by("start_date"))
    )


def semester_of_school(school: School, pk: int) -> Semester | None:
    return Semester.objects.filter(school=school, pk=pk).select_related("academic_year").first()


def semester_due(user: User, *, today: datetime.date | None = None) -> Semester | None:
    """For administrative staff: the semester of the current year that today falls in, when it
    is not the current one yet (January with Ganjil still current). None for everyone else."""
    if not can(user, Permission.MANAGE_SCHOOL_CALENDAR):
        return None
    today = today or timezone.localdate()
    return (
        Semester.objects.filter(
            school_id=user.school_id,
            academic_year__is_current=True,
            is_current=False,
            start_date__lte=today,
            end_date__gte=today,
        )
        .select_related("academic_year")
        .first()
    )


def switch_warning(semester: Semester, *, today: datetime.date | None = None) -> str:
    """Why making this semester current needs a confirmation; empty when it does not."""
    today = today or timezone.localdate()
    if semester.start_date > today + datetime.timedelta(days=EARLY_WARNING_DAYS):
        return _(
            "%(semester)s starts on %(date)s, more than a month from now. Sessions, dashboards "
            "and supervision would count in it from now on."
        ) % {"semester": semester, "date": date_format(semester.start_date)}
    if semester.end_date < today:
        return _(
            "%(semester)s ended on %(date)s. Sessions, dashboards and supervision would count "
            "in a semester that is over."
        ) % {"semester": semester, "date": date_format(semester.end_date)}
    return ""


def switch_refusal(semester: Semester) -> str:
    """Why this semester may not be made current here; empty when it may."""
    year = semester.academic_year
    if not year.is_current:
        return _(
            "%(semester)s belongs to %(year)s, which is not the current academic year. A new "
            "year is made current on the promotion page, together with its classes."
        ) % {"semester": semester, "year": year.name}
    if semester.is_current:
        return _("%(semester)s is already the current semester.") % {"semester": semester}
    return ""


def semester_switch(*, semester: Semester) -> None:
    """Make a semester of the current academic year the current semester. A semester of
    another year is refused: years change on the promotion page."""
    with transaction.atomic():
        # Read again under a lock, so that two clerks switching at once see each other's work.
        list(AcademicYear.objects.select_for_update().filter(pk=semester.academic_year_id))
        fresh = Semester.objects.select_related("academic_year").get(pk=semester.pk)
        refusal = switch_refusal(fresh)
        if refusal:
            raise SemesterSwitchRefused(refusal)
        try:
            with transaction.atomic():
                semester_make_current(semester=fresh)
        except IntegrityError as exc:
            raise SemesterSwitchRefused(
                _("Somebody else changed the current semester just now. Try again.")
            ) from exc
    semester.is_current = True
