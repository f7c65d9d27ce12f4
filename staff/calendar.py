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
from staff.caching import school_data_changed
from staff.models import AcademicYear, School, Semester, User
from staff.services import StaleEdit, semester_make_current

# A semester made current this long before it starts, or after it ended, asks to be
# confirmed (the same month the promotion page allows a new year).
EARLY_WARNING_DAYS = 31


class SemesterSwitchRefused(Exception):
    """The semester may not be made current (or given these dates) here; the message says
    why."""


def academic_years_of(school: School) -> QuerySet[AcademicYear]:
    """The school's years, newest first, each with its semesters in order."""
    return AcademicYear.objects.filter(school=school).prefetch_related(
        Prefetch("semesters", queryset=Semester.objects.order_by("start_date"))
    )


def mark_editable(years: list[AcademicYear]) -> list[AcademicYear]:
    """Set `dates_editable` on each year as dates_editable says, without asking again."""
    current = next((year for year in years if year.is_current), None)
    for year in years:
        year.dates_editable = current is not None and year.start_date >= current.start_date
    return years


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


# Editing the dates of a semester of the current or the next year.


def dates_editable(semester: Semester) -> bool:
    """The current year's semesters and those of a year after it; earlier years are history."""
    year = semester.academic_year
    if year.is_current:
        return True
    current = AcademicYear.objects.filter(school_id=year.school_id, is_current=True).first()
    return current is not None and year.start_date >= current.start_date


def semester_dates_problems(
    semester: Semester, *, start: datetime.date, end: datetime.date
) -> dict[str, str]:
    """What is wrong with these dates for this semester, by field; empty when nothing is."""
    year = semester.academic_year
    if end <= start:
        return {"end_date": _("The semester must end after it starts.")}
    if start < year.start_date or end > year.end_date:
        return {
            "__all__": _(
                "The semester must lie within the academic year %(year)s (%(start)s – %(end)s)."
            )
            % {
                "year": year.name,
                "start": date_format(year.start_date),
                "end": date_format(year.end_date),
            }
        }
    other = Semester.objects.filter(academic_year=year).exclude(pk=semester.pk).first()
    if other is not None:
        odd_first = semester.number < other.number
        if (odd_first and end >= other.start_date) or (not odd_first and start <= other.end_date):
            return {
                "__all__": _(
                    "Ganjil must end before Genap starts: %(other)s runs from %(start)s to %(end)s."
                )
                % {
                    "other": other.get_number_display(),
                    "start": date_format(other.start_date),
                    "end": date_format(other.end_date),
                }
            }
    outside = (
        semester.visits.filter(cancelled_at__isnull=True)
        .exclude(planned_on__range=(start, end))
        .count()
    )
    if outside:
        return {
            "__all__": _(
                "%(count)s supervision visit(s) of this semester would fall outside these dates. "
                "Move them first."
            )
            % {"count": outside}
        }
    return {}


def semester_dates_update(
    *, semester: Semester, start: datetime.date, end: datetime.date, version: int
) -> Semester:
    """Save the new dates of a semester opened at `version`; StaleEdit, and nothing written, if
    somebody saved it since. The rules are checked again under the lock."""
    with transaction.atomic():
        current = Semester.objects.select_for_update().get(pk=semester.pk)
        if current.version != version:
            raise StaleEdit(current)
        problems = semester_dates_problems(current, start=start, end=end)
        if problems:
            raise SemesterSwitchRefused(next(iter(problems.values())))
        Semester.objects.filter(pk=semester.pk).update(
            start_date=start, end_date=end, version=version + 1
        )
        school_data_changed(school_id=semester.school_id)
    semester.refresh_from_db()
    return semester
