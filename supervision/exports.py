"""Exports for the people allowed to see the data: the student roster, session statistics,
training participation and appraisal summaries, as CSV or XLSX.

Each export is a table (columns, then rows produced lazily from ``values_list`` querysets read
with ``.iterator()``), so that a district's data is never held in memory at once; the writers
turn it into a file. Who may read the rows is decided where it always is: the access querysets
of counseling.access and staff.access. Views write each download to the access log.

CSV, for Excel as Indonesian schools have it: UTF-8 with a byte-order mark (without it Excel
reads the file as the Windows code page and garbles names), and ``;`` between fields. Excel
splits a CSV file by the list separator of the computer's regional settings; in Indonesian
settings that is ``;``, because the comma is the decimal separator there. Decimals therefore
follow the active language (``82,35`` in Indonesian, ``82.35`` in English), which ``;`` never
collides with; dates are ISO (``2026-09-01``), which Excel reads in every setting. NISN, NIP
and phone numbers are written as they are, leading zeros included; Excel drops those zeros
when it opens a CSV file, so the XLSX file is the one to open in Excel: there they are text
cells. A text value beginning with ``=``, ``+``, ``-`` or ``@`` gets a leading apostrophe in
CSV and is stored as a string (never a formula) in XLSX, so that a name typed into the
application cannot run as a formula in a spreadsheet.
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import IO, Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from counseling.access import sessions_visible_to
from counseling.models import BKField, CounselingSession, Student
from staff import scoring
from staff.access import appraisals_visible_to, participations_visible_to
from staff.appraisals import FINALISED_STATUSES
from staff.models import (
    DISSEMINATION_DAYS,
    Appraisal,
    CompetencyResult,
    Semester,
    TrainingEvent,
    TrainingParticipation,
    User,
)
from staff.training import NOT_ATTENDED
from supervision.selectors import start_of_day

# --- Tables -------------------------------------------------------------------------------------

TEXT = "text"
NUMBER = "number"
DECIMAL = "decimal"
DATE = "date"

CSV_DELIMITER = ";"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows fetched from the database at a time.
CHUNK = 2000
# Characters with which a spreadsheet begins a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    label: str | Promise
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    """An export: its title (the sheet's name and the file's), columns and rows. `rows` is
    read once, while the file is written."""

    title: str
    columns: list[Column]
    rows: Iterable[Sequence[Any]]

    def filename(self, period: str, extension: str) -> str:
        # "2026/2027-1" → "2026-2027-1": slugify would drop the slash and join the years.
        stem = slugify(f"{self.title} {period.replace('/', '-')}") or "export"
        return f"{stem}.{extension}"


# --- Writers ------------------------------------------------------------------------------------


class _Line:
    """What csv.writer writes to: hands back each line instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == DECIMAL:
        return formats.number_format(value, use_l10n=True, force_grouping=False)
    if kind == DATE:
        return value.isoformat()
    if kind == TEXT:
        value = str(value)
        return f"'{value}" if value.startswith(FORMULA_START) else value
    return str(value)


def csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV, line by line, the first beginning with the byte-order mark."""
    writer = csv.writer(_Line(), delimiter=CSV_DELIMITER, lineterminator="\r\n")
    kinds = [column.kind for column in table.columns]
    yield "\ufeff" + writer.writerow([str(column.label) for column in table.columns])
    for row in table.rows:
        yield writer.writerow(
            [_csv_value(value, kind) for value, kind in zip(row, kinds, strict=True)]
        )


def xlsx_file(table: Table) -> IO[bytes]:
    """The table as an XLSX workbook of one sheet, in a temporary file (rewound). Openpyxl's
    write-only mode streams the rows to disk rather than building the sheet in memory."""
    workbook = Workbook(write_only=True)
    # Sheet names are at most 31 characters and may not hold []:*?/\.
    sheet = workbook.create_sheet(title=slugify(table.title)[:31] or "export")
    bold = Font(bold=True)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    kinds = [column.kind for column in table.columns]
    for row in table.rows:
        sheet.append(
            [_xlsx_cell(sheet, value, kind) for value, kind in zip(row, kinds, strict=True)]
        )
    target = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    workbook.save(target)
    target.seek(0)
    return target


def _xlsx_cell(sheet, value: Any, kind: str):
    if value is None:
        return None
    if kind == TEXT:
        # A string cell, whatever it looks like: leading zeros stay, "=..." is no formula.
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
        cell.data_type = "s"
        cell.number_format = "@"
        return cell
    if kind == DATE:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value


# --- Periods ------------------------------------------------------------------------------------


def semester_label(year_name: str, number: int) -> str:
    return f"{year_name} {Semester.Number(number).label}"


def period_code(semester: Semester | None) -> str:
    """The period as the access log and the file name give it: "2026/2027-1", or "all"."""
    if semester is None:
        return "all"
    return f"{semester.academic_year.name}-{semester.number}"


def _labels(choices) -> Callable[[str], str]:
    names = {value: str(label) for value, label in choices}
    return lambda value: names.get(value, value)


# --- The student roster -------------------------------------------------------------------------


def student_roster(students: QuerySet[Student]) -> Table:
    """The roster's fields only (identity, class, status), nothing of the personal books, of
    the students given (fetched through counseling.access). One query."""
    sex, status = _labels(Student.Sex.choices), _labels(Student.Status.choices)
    rows = students.values_list(
        "nisn",
        "nis",
        "full_name",
        "sex",
        "birth_place",
        "birth_date",
        "classroom__name",
        "status",
    ).iterator(chunk_size=CHUNK)
    return Table(
        title=_("student roster"),
        columns=[
            Column(_("NISN")),
            Column(_("NIS")),
            Column(_("Name")),
            Column(_("Sex")),
            Column(_("Place of birth")),
            Column(_("Date of birth"), DATE),
            Column(_("Class")),
            Column(_("Status")),
        ],
        rows=(
            (nisn, nis, name, sex(code), place, born, classroom, status(state))
            for nisn, nis, name, code, place, born, classroom, state in rows
        ),
    )


# --- Session statistics -------------------------------------------------------------------------


def _in_semester(semester: Semester) -> Q:
    """Sessions that began in the semester (local days)."""
    return Q(
        starts_at__gte=start_of_day(semester.start_date),
        starts_at__lt=start_of_day(semester.end_date + datetime.timedelta(days=1)),
    )


def session_statistics(user: User, semester: Semester) -> Table:
    """The sessions of the semester counted per month, BK teacher, strategy, service component
    and field, with the students they reached and their minutes. Counts only: never a note, a
    summary or a student's name. One query."""
    students = (
        CounselingSession.students.through.objects.filter(counselingsession_id=OuterRef("pk"))
        .order_by()
        .values("counselingsession_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    rows = (
        sessions_visible_to(user)
        .filter(_in_semester(semester))
        .annotate(month=TruncMonth("starts_at"))
        .order_by()
        .values("month", "counselor_id", "counselor__full_name", "strategy", "component", "field")
        .annotate(
            sessions=Count("pk"),
            students=Sum(
                Coalesce(Subquery(students, output_field=IntegerField()), Value(0)),
            ),
            minutes=Sum("duration_minutes"),
            in_cases=Count("case_id"),
        )
        .order_by("month", "counselor__full_name", "counselor_id", "strategy", "component", "field")
        .values_list(
            "month",
            "counselor__full_name",
            "strategy",
            "component",
            "field",
            "sessions",
            "students",
            "minutes",
            "in_cases",
        )
    )
    strategy = _labels(CounselingSession.Strategy.choices)
    component = _labels(CounselingSession.Component.choices)
    field = _labels(BKField.choices)
    return Table(
        title=_("session statistics"),
        columns=[
            Column(_("Month")),
            Column(_("BK teacher")),
            Column(_("Strategy")),
            Column(_("Service component")),
            Column(_("BK field")),
            Column(_("Sessions"), NUMBER),
            Column(_("Students reached"), NUMBER),
            Column(_("Duration (minutes)"), NUMBER),
            Column(_("Sessions within a case"), NUMBER),
        ],
        rows=(
            (month.strftime("%Y-%m"), name, strategy(kind), component(part), field(area), *counts)
            for month, name, kind, part, area, *counts in rows.iterator(chunk_size=CHUNK)
        ),
    )


# --- Training participation ---------------------------------------------------------------------


def _report_state(
    kind: str, attendance: str, ends_on: date, written_on: date | None, today: date
) -> str:
    """Where the delegate's dissemination report stands (staff.training's rule)."""
    if kind == TrainingEvent.Kind.MGBK or attendance in NOT_ATTENDED:
        return _("not owed")
    if written_on is not None:
        return _("written")
    if ends_on + datetime.timedelta(days=DISSEMINATION_DAYS) < today:
        return _("overdue")
    return _("due")


def training_participation(user: User, semester: Semester, *, today: date) -> Table:
    """The school's standing delegations to events of the semester (not cancelled): the event,
    the BK teacher, the attendance and where the dissemination report stands. Never the
    certificates. One query."""
    rows = (
        participations_visible_to(user)
        .filter(
            withdrawn_at__isnull=True,
            event__is_cancelled=False,
            event__starts_on__lte=semester.end_date,
            event__ends_on__gte=semester.start_date,
        )
        .order_by("event__starts_on", "event__title", "event_id", "counselor__full_name", "pk")
        .values_list(
            "event__title",
            "event__kind",
            "event__organizer",
            "event__starts_on",
            "event__ends_on",
            "event__hours",
            "counselor__full_name",
            "counselor__nip",
            "attendance",
            "dissemination_report__created_at",
        )
    )
    kind_label = _labels(TrainingEvent.Kind.choices)
    attendance_label = _labels(TrainingParticipation.Attendance.choices)

    def lines():
        for (
            title,
            kind,
            organizer,
            starts,
            ends,
            hours,
            name,
            nip,
            attendance,
            written,
        ) in rows.iterator(chunk_size=CHUNK):
            written_on = timezone.localdate(written) if written is not None else None
            yield (
                title,
                kind_label(kind),
                organizer,
                starts,
                ends,
                hours,
                name,
                nip,
                attendance_label(attendance),
                _report_state(kind, attendance, ends, written_on, today),
                written_on,
            )

    return Table(
        title=_("training participation"),
        columns=[
            Column(_("Event")),
            Column(_("Kind")),
            Column(_("Organizer")),
            Column(_("First day"), DATE),
            Column(_("Last day"), DATE),
            Column(_("Hours (JP)"), NUMBER),
            Column(_("BK teacher")),
            Column(_("NIP")),
            Column(_("Attendance")),
            Column(_("Dissemination report")),
            Column(_("Report submitted on"), DATE),
        ],
        rows=lines(),
    )


# --- Appraisal summaries ------------------------------------------------------------------------


def appraisal_summaries(user: User, semester: Semester | None) -> Table:
    """The finalised appraisals the user may see (the principal every one of the school, a
    counselor the own), of a semester or of all: final score, category and the score of each
    competency, from the stored results. Two queries: the competencies' numbers, then the
    results with their appraisals."""
    appraisals = appraisals_visible_to(user).filter(status__in=FINALISED_STATUSES)
    if semester is not None:
        appraisals = appraisals.filter(semester=semester)
    results = CompetencyResult.objects.filter(appraisal__in=appraisals.values("pk"))
    numbers = list(
        results.order_by("competency__number")
        .values_list("competency__number", flat=True)
        .distinct()
    )
    rows = results.order_by(
        "appraisal__semester__start_date",
        "appraisal__counselor__full_name",
        "appraisal__kind",
        "appraisal_id",
        "competency__number",
    ).values_list(
        "appraisal_id",
        "appraisal__semester__academic_year__name",
        "appraisal__semester__number",
        "appraisal__counselor__full_name",
        "appraisal__counselor__nip",
        "appraisal__kind",
        "appraisal__status",
        "appraisal__finalised_at",
        "appraisal__total_score",
        "appraisal__final_score",
        "appraisal__category",
        "competency__number",
        "score",
    )
    kind_label = _labels(Appraisal.Kind.choices)
    status_label = _labels(Appraisal.Status.choices)
    category_label = _labels(scoring.Category.choices)

    def lines():
        for _appraisal, group in groupby(rows.iterator(chunk_size=CHUNK), key=lambda r: r[0]):
            group = list(group)
            first = group[0]
            scores = {row[11]: row[12] for row in group}
            yield (
                semester_label(first[1], first[2]),
                first[3],
                first[4],
                kind_label(first[5]),
                status_label(first[6]),
                timezone.localdate(first[7]) if first[7] else None,
                first[8],
                first[9],
                category_label(first[10]),
                *(scores.get(number) for number in numbers),
            )

    return Table(
        title=_("appraisal summaries"),
        columns=[
            Column(_("Semester")),
            Column(_("BK teacher")),
            Column(_("NIP")),
            Column(_("Kind")),
            Column(_("Status")),
            Column(_("Finalised on"), DATE),
            Column(_("Total score"), NUMBER),
            Column(_("Final score"), DECIMAL),
            Column(_("Category")),
            *(
                Column(_("Competency %(number)s") % {"number": number}, NUMBER)
                for number in numbers
            ),
        ],
        rows=lines(),
    )
