"""The student roster import: read the Dapodik "Daftar PD" download (or a plain CSV/XLSX with the
same column names), check it row by row, and save it in one transaction.

Reading happens twice — once for the preview, once again on confirmation — from the same bytes,
kept in the session in between, so that what is saved is exactly what was checked.
"""

import base64
import binascii
import csv
import io
import re
import secrets
import zipfile
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import Any, NamedTuple

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from counseling.book import book_data_from_import, personal_books_fill_from_import
from counseling.models import Classroom, Student
from staff.models import School, User

MAX_ROWS = 5000
MAX_UPLOAD_MB = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
# Dapodik puts four title rows above its header; look a little further for other files.
HEADER_SEARCH_ROWS = 10
# Enough rows to find the header and notice that there are too many students.
_READ_LIMIT = HEADER_SEARCH_ROWS + MAX_ROWS + 2
NISN_LENGTH = 10

# Header keys (see header_key) of the columns the import needs, with their names as printed.
NAME, NIS, SEX, NISN, BIRTH_PLACE, BIRTH_DATE, CLASS = (
    "nama",
    "nipd",
    "jk",
    "nisn",
    "tempatlahir",
    "tanggallahir",
    "rombelsaatini",
)
REQUIRED_COLUMNS = {
    NAME: "Nama",
    NIS: "NIPD",
    SEX: "JK",
    NISN: "NISN",
    BIRTH_PLACE: "Tempat Lahir",
    BIRTH_DATE: "Tanggal Lahir",
    CLASS: "Rombel Saat Ini",
}
# Merged header cells over the parent and guardian sub-columns, and the names the rows use.
PARENT_GROUPS = {"dataayah": "ayah", "dataibu": "ibu", "datawali": "wali"}

SEX_VALUES = {
    "l": Student.Sex.MALE,
    "lakilaki": Student.Sex.MALE,
    "p": Student.Sex.FEMALE,
    "perempuan": Student.Sex.FEMALE,
}

_ROMAN_GRADES = {"VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12}
_CLASS_PATTERN = re.compile(
    r"^(?:KELAS|KLS)?[\s.\-_/]*"
    r"(?:(?P<roman>XII|XI|IX|X|VIII|VII)(?![IVX])|(?P<number>1[0-2]|[7-9])(?!\d))"
    r"(?P<rest>[A-Z0-9\s.\-_/]*)$"
)
_SEPARATORS = re.compile(r"[\s.\-_/]+")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")
_DAY_FIRST_DATE = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")

# Files that are plainly something else, recognised by their first bytes.
_XLSX_MAGIC = b"PK\x03\x04"
_OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"
_OTHER_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, for a school clerk."""


@dataclass
class ImportRow:
    """One student row of the file, cleaned, with what is wrong with it."""

    number: int  # as the spreadsheet numbers it, so the clerk can find it
    # Every column by header key, as read; the parent blocks by "ayah" / "ibu" / "wali".
    values: dict[str, Any]
    parents: dict[str, dict[str, Any]]
    nisn: str = ""
    nis: str = ""
    full_name: str = ""
    sex: str = ""
    birth_place: str = ""
    birth_date: date | None = None
    class_label: str = ""
    classroom: Classroom | None = None
    existing_pk: int | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.existing_pk is None

    @property
    def sex_label(self) -> str:
        return Student.Sex(self.sex).label if self.sex in Student.Sex.values else ""


class ImportResult(NamedTuple):
    created: int
    updated: int


def header_key(value: Any) -> str:
    """A header cell without case, spaces or punctuation: " Tanggal  Lahir" → "tanggallahir"."""
    return re.sub(r"[^0-9a-z]", "", str(value or "").lower())


def classroom_key(label: str) -> str:
    """One key for every spelling of a class: "VII-A", "VII A", "7A", "7-a", "Kelas 7A" and
    "VIIA" all give "7A". Names without a recognisable grade are compared as written."""
    text = str(label or "").strip().upper()
    match = _CLASS_PATTERN.match(text)
    if match is None:
        return _SEPARATORS.sub("", text)
    grade = _ROMAN_GRADES[match["roman"]] if match["roman"] else int(match["number"])
    return f"{grade}{_SEPARATORS.sub('', match['rest'])}"


# Reading the file into rows of cells.


def _table_rows(content: bytes) -> list[tuple[int, list[Any]]]:
    """(row number, cells) for every row of the file's first sheet, blank rows left out.

    Stops reading a little after MAX_ROWS data rows; the caller reports "too many rows"."""
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    if content.startswith(_XLSX_MAGIC):
        rows = _xlsx_rows(content)
    elif content.startswith(_OLD_EXCEL_MAGIC):
        raise ImportFileError(
            _(
                "This is an old Excel file (.xls). Open it in Excel, save it as .xlsx or as "
                "CSV, and upload it again."
            )
        )
    else:
        rows = _csv_rows(content)
    kept = []
    for number, cells in rows:
        if any(_text(cell) for cell in cells):
            kept.append((number, list(cells)))
            if len(kept) > _READ_LIMIT:
                break
    return kept


def _xlsx_rows(content: bytes):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            _("The Excel file could not be read. It may be damaged: download it again.")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong size into the file; read whatever is there.
        sheet.reset_dimensions()
        rows = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if any(_text(cell) for cell in cells):
                rows.append((number, cells))
                if len(rows) > _READ_LIMIT:
                    break
        return rows
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            _("The Excel file could not be read. It may be damaged: download it again.")
        ) from exc
    finally:
        workbook.close()


def _csv_rows(content: bytes):
    not_a_roster = ImportFileError(
        _(
            "This is not a CSV or Excel (.xlsx) file. Upload the student list downloaded from "
            "Dapodik, or a CSV file saved from it."
        )
    )
    if content.startswith(_OTHER_MAGIC) or b"\x00" in content[:4096]:
        raise not_a_roster
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise not_a_roster
    # Spreadsheets set to Indonesian save CSV with semicolons; take the delimiter that yields
    # a header row.
    for delimiter in (",", ";", "\t"):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        first = list(islice(enumerate(reader, start=1), HEADER_SEARCH_ROWS))
        if _header_index(first) is not None:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            return enumerate(reader, start=1)
    raise ImportFileError(_no_header_message())


def _no_header_message() -> str:
    return _(
        "No header row with the columns Nama and NISN was found in the first %(count)s rows. "
        "Upload the student list downloaded from Dapodik (Peserta Didik → Unduh → Daftar PD) "
        "or a file with the same column names."
    ) % {"count": HEADER_SEARCH_ROWS}


def _header_index(rows: list[tuple[int, list[Any]]]) -> int | None:
    for index, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {header_key(cell) for cell in cells}
        if NAME in keys and NISN in keys:
            return index
    return None


def _column_keys(top: list[Any], sub: list[Any] | None) -> list[tuple[str | None, str]]:
    """(parent group or None, column key) per column.

    Under a merged "Data Ayah" cell only its first column holds the title; the columns after
    it, blank on top, belong to the same group."""
    width = max(len(top), len(sub or []))
    top = [*top, *[None] * (width - len(top))]
    sub = [*(sub or []), *[None] * (width - len(sub or []))]
    columns = []
    group = None
    for top_cell, sub_cell in zip(top, sub, strict=True):
        top_key, sub_key = header_key(top_cell), header_key(sub_cell)
        if top_key:
            group = PARENT_GROUPS.get(top_key)
        if group and sub_key:
            columns.append((group, sub_key))
        else:
            columns.append((None, top_key or sub_key))
    return columns


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def parse_roster(content: bytes) -> list[ImportRow]:
    """The file's student rows with the checks that need no database. Raises ImportFileError."""
    rows = _table_rows(content)
    header_index = _header_index(rows)
    if header_index is None:
        raise ImportFileError(_no_header_message())
    top = rows[header_index][1]
    sub = None
    data_start = header_index + 1
    if any(header_key(cell) in PARENT_GROUPS for cell in top) and data_start < len(rows):
        sub = rows[data_start][1]
        data_start += 1
    columns = _column_keys(top, sub)
    present = {key for group, key in columns if group is None}
    missing = [label for key, label in REQUIRED_COLUMNS.items() if key not in present]
    if missing:
        raise ImportFileError(
            _("The header row lacks these columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    data = rows[data_start:]
    if not data:
        raise ImportFileError(_("The file has no student rows under the header."))
    if len(data) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s student rows. Split it into smaller files.")
            % {"max": number_format(MAX_ROWS, force_grouping=True)}
        )
    return [_import_row(number, cells, columns) for number, cells in data]


def _import_row(number: int, cells: list[Any], columns: list[tuple[str | None, str]]) -> ImportRow:
    values: dict[str, Any] = {}
    parents: dict[str, dict[str, Any]] = {group: {} for group in PARENT_GROUPS.values()}
    for (group, key), cell in zip(columns, cells, strict=False):
        if not key:
            continue
        target = parents[group] if group else values
        target.setdefault(key, cell)
    row = ImportRow(number=number, values=values, parents=parents)
    _clean_nisn(row, values.get(NISN))
    _clean_name(row, values.get(NAME))
    _clean_sex(row, values.get(SEX))
    _clean_birth_date(row, values.get(BIRTH_DATE))
    row.nis = _number_text(values.get(NIS))
    if len(row.nis) > 20:
        row.errors.append(_("NIPD %(value)s is longer than 20 characters.") % {"value": row.nis})
    row.birth_place = _text(values.get(BIRTH_PLACE))
    if len(row.birth_place) > 100:
        row.errors.append(_("The place of birth is longer than 100 characters."))
    row.class_label = _text(values.get(CLASS))
    if not row.class_label:
        row.errors.append(_("The class (Rombel Saat Ini) is missing."))
    return row


def _number_text(value: Any) -> str:
    text = _text(value)
    return text[1:] if text.startswith("'") else text


def _clean_nisn(row: ImportRow, value: Any) -> None:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        # Excel turned the NISN into a number and dropped its leading zeros; put them back.
        text = str(int(value)).zfill(NISN_LENGTH)
    else:
        text = _number_text(value).replace(" ", "")
    row.nisn = text
    if text.isdigit() and NISN_LENGTH - 3 <= len(text) < NISN_LENGTH:
        row.errors.append(
            _(
                "NISN %(value)s has only %(count)s digits; a NISN has 10. Were leading zeros "
                "lost when the file was saved? Keep the NISN column as text."
            )
            % {"value": text, "count": len(text)}
        )
    elif problem := nisn_problem(text):
        row.errors.append(problem)


def nisn_problem(text: str) -> str | None:
    """What is wrong with a NISN as typed, for a school clerk; None when it is well-formed."""
    if not text:
        return _("The NISN is missing.")
    if not (text.isascii() and text.isdigit() and len(text) == NISN_LENGTH):
        return _("NISN %(value)s is not valid: a NISN has exactly 10 digits.") % {"value": text}
    return None


def nisn_of_another_school_message(nisn: str) -> str:
    # Never say which school: that is the other school's business.
    return _(
        "NISN %(nisn)s belongs to a student of another school. That school must record the "
        "move before the student can be added here."
    ) % {"nisn": nisn}


def _clean_name(row: ImportRow, value: Any) -> None:
    row.full_name = _text(value)
    if not row.full_name:
        row.errors.append(_("The name is missing."))
    elif len(row.full_name) > 150:
        row.errors.append(_("The name is longer than 150 characters."))


def _clean_sex(row: ImportRow, value: Any) -> None:
    text = _text(value)
    row.sex = SEX_VALUES.get(header_key(text), "")
    if not text:
        row.errors.append(_("JK (sex) is missing; write L or P."))
    elif not row.sex:
        row.errors.append(_("JK (sex) %(value)s is not valid; write L or P.") % {"value": text})


def _clean_birth_date(row: ImportRow, value: Any) -> None:
    if isinstance(value, datetime):
        row.birth_date = value.date()
    elif isinstance(value, date):
        row.birth_date = value
    else:
        text = _text(value)
        if not text:
            return
        if match := _ISO_DATE.match(text):
            year, month, day = (int(part) for part in match.groups())
        elif match := _DAY_FIRST_DATE.match(text):
            day, month, year = (int(part) for part in match.groups())
        else:
            row.errors.append(
                _("Date of birth %(value)s is not understood; write it as YYYY-MM-DD.")
                % {"value": text}
            )
            return
        try:
            row.birth_date = date(year, month, day)
        except ValueError:
            row.errors.append(
                _("Date of birth %(value)s does not exist in the calendar.") % {"value": text}
            )
            return
    if row.birth_date > timezone.localdate():
        row.errors.append(
            _("Date of birth %(value)s is in the future.") % {"value": row.birth_date.isoformat()}
        )


# Checks against the school's data.


def current_classrooms(school: School) -> dict[str, Classroom | None]:
    """The school's classes of the current academic year by classroom_key; None marks a key
    that two classes share, so a row naming it cannot be placed."""
    classes: dict[str, Classroom | None] = {}
    for classroom in Classroom.objects.filter(
        school=school, academic_year__school=school, academic_year__is_current=True
    ):
        key = classroom_key(classroom.name)
        classes[key] = None if key in classes else classroom
    return classes


def validate_roster(*, school: School, rows: list[ImportRow]) -> None:
    """Add the errors that need the database or the whole file; mark new and existing rows.

    Two queries, however long the file: the classes, and the students with these NISNs."""
    classes = current_classrooms(school)
    for row in rows:
        if not row.class_label:
            continue
        key = classroom_key(row.class_label)
        if key not in classes:
            row.errors.append(
                _(
                    "Class %(value)s does not exist in the current academic year. Correct the "
                    "name or create the class first."
                )
                % {"value": row.class_label}
            )
        elif classes[key] is None:
            row.errors.append(
                _("Class %(value)s matches more than one class of this year; rename one of them.")
                % {"value": row.class_label}
            )
        else:
            row.classroom = classes[key]

    rows_by_nisn: dict[str, list[ImportRow]] = defaultdict(list)
    for row in rows:
        if row.nisn:
            rows_by_nisn[row.nisn].append(row)
    for nisn, same in rows_by_nisn.items():
        if len(same) > 1:
            for row in same:
                others = ", ".join(str(other.number) for other in same if other is not row)
                row.errors.append(
                    _("NISN %(nisn)s appears more than once in the file (also on row %(rows)s).")
                    % {"nisn": nisn, "rows": others}
                )

    valid_nisns = [nisn for nisn in rows_by_nisn if len(nisn) == NISN_LENGTH and nisn.isdigit()]
    for nisn, pk, school_id in Student.objects.filter(nisn__in=valid_nisns).values_list(
        "nisn", "pk", "school_id"
    ):
        for row in rows_by_nisn[nisn]:
            if school_id == school.pk:
                row.existing_pk = pk
            else:
                row.errors.append(nisn_of_another_school_message(nisn))


def read_roster(*, school: School, content: bytes) -> list[ImportRow]:
    """Parse and check the file for this school. Raises ImportFileError."""
    rows = parse_roster(content)
    validate_roster(school=school, rows=rows)
    return rows


# Saving.

_UPDATED_FIELDS = ["full_name", "nis", "sex", "birth_place", "birth_date", "classroom"]


@transaction.atomic
def students_import_apply(*, school: School, rows: list[ImportRow], user: User) -> ImportResult:
    """Create the new students and update those of the school with the same NISN.

    The status of existing students stays as it is. Rows must come from read_roster without
    errors. A fixed number of queries: one read, then inserts and updates in batches."""
    if user.school_id != school.pk:
        raise PermissionDenied
    if any(row.errors for row in rows):
        raise ValueError("Only rows without errors can be imported.")
    existing = {
        student.nisn: student
        for student in Student.objects.select_for_update().filter(
            school=school, nisn__in=[row.nisn for row in rows]
        )
    }
    now = timezone.now()
    created, updated = [], []
    book_rows = []
    for row in rows:
        student = existing.get(row.nisn)
        if student is None:
            student = Student(school=school, nisn=row.nisn)
            created.append(student)
        else:
            student.updated_at = now  # bulk_update skips auto_now
            student.version += 1  # an edit form opened before the import is now stale
            updated.append(student)
        student.full_name = row.full_name
        student.nis = row.nis
        student.sex = row.sex
        student.birth_place = row.birth_place
        student.birth_date = row.birth_date
        student.classroom = row.classroom
        book_rows.append((student, row))
    Student.objects.bulk_create(created)
    Student.objects.bulk_update(updated, [*_UPDATED_FIELDS, "version", "updated_at"])
    # The parents, address, health figures… go to the personal books, where still empty
    # (which also invalidates the school's cached figures: bulk writes send no signals).
    personal_books_fill_from_import(
        school=school,
        user=user,
        students_and_data=[
            (student, book_data_from_import(row.values, row.parents)) for student, row in book_rows
        ],
    )
    return ImportResult(created=len(created), updated=len(updated))


# Keeping the uploaded file between the preview and the confirmation.

_SESSION_KEY = "counseling_student_import"


def pending_import_store(session, *, school: School, content: bytes) -> str:
    """Keep the file in the session (one at a time) and return the token that claims it."""
    token = secrets.token_urlsafe(16)
    session[_SESSION_KEY] = {
        "token": token,
        "school": school.pk,
        "content": base64.b64encode(zlib.compress(content)).decode("ascii"),
    }
    return token


def pending_import_take(session, *, school: School, token: str) -> bytes | None:
    """The file stored under this token, removed from the session; None if there is none."""
    pending = session.get(_SESSION_KEY)
    if not pending or pending.get("school") != school.pk:
        return None
    if not secrets.compare_digest(str(pending.get("token", "")), str(token)):
        return None
    del session[_SESSION_KEY]
    try:
        return zlib.decompress(base64.b64decode(pending["content"]))
    except (binascii.Error, zlib.error, KeyError, TypeError):
        return None


def pending_import_discard(session) -> None:
    if _SESSION_KEY in session:
        del session[_SESSION_KEY]


# The upload form. Kept beside the reader it feeds.


class StudentImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Student list file"),
        help_text=gettext_lazy(
            "The Dapodik download (Peserta Didik → Unduh → Daftar PD) as .xlsx, or a CSV file "
            "with the same column names. At most 5,000 students and 5 MB."
        ),
        error_messages={"empty": gettext_lazy("The file is empty.")},
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,text/csv,application/vnd.ms-excel"}
        ),
    )

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.content = b""
        self.rows: list[ImportRow] = []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB. Split it into smaller files.")
                % {"size": MAX_UPLOAD_MB}
            )
        content = upload.read()
        try:
            self.rows = read_roster(school=self.school, content=content)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        self.content = content
        return upload


def preview_context(rows: list[ImportRow]) -> dict[str, Any]:
    """What the preview table shows above the rows."""
    valid = [row for row in rows if not row.errors]
    return {
        "rows": rows,
        "new_count": sum(1 for row in valid if row.is_new),
        "update_count": sum(1 for row in valid if not row.is_new),
        "error_count": len(rows) - len(valid),
    }
