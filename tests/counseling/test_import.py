"""Administrative staff import the school's students from the Dapodik download."""

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from counseling.importing import (
    MAX_ROWS,
    classroom_key,
    parse_roster,
    read_roster,
    students_import_apply,
)
from counseling.models import PersonalBook, PersonalBookSection, Student
from staff.models import AcademicYear
from tests.factories import ClassroomFactory, StudentFactory

URL = reverse("counseling:student_import")

PARENT_COLUMNS = ["Nama", "Tahun Lahir", "Jenjang Pendidikan", "Pekerjaan", "Penghasilan", "NIK"]
COLUMNS_BEFORE_PARENTS = [
    "No",
    "Nama",
    "NIPD",
    "JK",
    "NISN",
    "Tempat Lahir",
    "Tanggal Lahir",
    "NIK",
    "Agama",
    "Alamat",
    "RT",
    "RW",
    "Dusun",
    "Kelurahan",
    "Kecamatan",
    "Kode Pos",
    "Jenis Tinggal",
    "Alat Transportasi",
    "Telepon",
    "HP",
    "E-Mail",
    "SKHUN",
    "Penerima KPS",
    "No. KPS",
]
PARENT_GROUPS = ["Data Ayah", "Data Ibu", "Data Wali"]
COLUMNS_AFTER_PARENTS = [
    "Rombel Saat Ini",
    "No Peserta Ujian Nasional",
    "No Seri Ijazah",
    "Penerima KIP",
    "Nomor KIP",
    "Nama di KIP",
    "Nomor KKS",
    "No Registrasi Akta Lahir",
    "Bank",
    "Nomor Rekening Bank",
    "Rekening Atas Nama",
    "Layak PIP (usulan dari sekolah)",
    "Alasan Layak PIP",
    "Kebutuhan Khusus",
    "Sekolah Asal",
    "Anak ke-berapa",
    "Lintang",
    "Bujur",
    "No KK",
    "Berat Badan",
    "Tinggi Badan",
    "Lingkar Kepala",
    "Jml. Saudara Kandung",
    "Jarak Rumah ke Sekolah (KM)",
]
# The one-row header of a plain file: the parent blocks spelled out.
PLAIN_HEADER = [
    *COLUMNS_BEFORE_PARENTS,
    *[f"{group} {column}" for group in PARENT_GROUPS for column in PARENT_COLUMNS],
    *COLUMNS_AFTER_PARENTS,
]


def student(**overrides) -> dict:
    """One student as the Dapodik columns hold it; names as in the header."""
    values = {
        "Nama": "Ahmad Fauzi",
        "NIPD": "2526001",
        "JK": "L",
        "NISN": "0091234561",
        "Tempat Lahir": "Bandung",
        "Tanggal Lahir": "2013-03-14",
        "NIK": "3273011403130001",
        "Agama": "Islam",
        "Alamat": "Jl. Merdeka No. 5",
        "Kelurahan": "Sukajadi",
        "Alat Transportasi": "Jalan kaki",
        "HP": "081234567890",
        "Rombel Saat Ini": "VII-A",
        "Berat Badan": 38,
        "Tinggi Badan": 150,
        "Jarak Rumah ke Sekolah (KM)": 1,
        # Nama, Tahun Lahir, Jenjang Pendidikan, Pekerjaan, Penghasilan, NIK
        "ayah": ["Slamet Riyadi", 1980, "SMA / sederajat", "Wiraswasta", "Rp. 2-5 juta", "327301"],
        "ibu": ["Sri Wahyuni", 1983, "D3", "Guru", "Rp. 1-2 juta", "327302"],
        "wali": [None] * 6,
    }
    values.update(overrides)
    return values


CAST = [
    student(),
    student(
        Nama="Siti Rahmawati",
        NIPD="2526002",
        JK="P",
        NISN="0087654321",
        **{"Tanggal Lahir": "2012-11-02", "Rombel Saat Ini": "7 A"},
    ),
    student(
        Nama="Budi Santoso",
        NIPD="2526003",
        NISN="0101112223",
        **{"Tempat Lahir": "Cimahi", "Rombel Saat Ini": "Kelas 7B"},
    ),
    student(
        Nama="Dewi Lestari",
        NIPD="2425017",
        JK="P",
        NISN="3112223334",
        **{"Tanggal Lahir": "2012-01-30", "Rombel Saat Ini": "VIIIA"},
    ),
]


def dapodik_xlsx(students: list[dict]) -> bytes:
    """The "Daftar PD" download as Dapodik gives it: four title rows, a two-row header with
    merged parent blocks, data from the seventh row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Daftar Peserta Didik"
    sheet.append(["Daftar Peserta Didik"])
    sheet.append(["SMP Negeri 1 Uji"])
    sheet.append(["Kecamatan Coblong, Kota Bandung, Prov. Jawa Barat"])
    sheet.append(["Tanggal Unduh: 2026-07-20 08:15:02", None, None, "Pengunduh: operator@uji"])
    top, sub, column = [], [], 1
    merges = []
    for name in COLUMNS_BEFORE_PARENTS:
        top.append(name)
        sub.append(None)
        merges.append((5, column, 6, column))
        column += 1
    for group in PARENT_GROUPS:
        top.extend([group, *[None] * (len(PARENT_COLUMNS) - 1)])
        sub.extend(PARENT_COLUMNS)
        merges.append((5, column, 5, column + len(PARENT_COLUMNS) - 1))
        column += len(PARENT_COLUMNS)
    for name in COLUMNS_AFTER_PARENTS:
        top.append(name)
        sub.append(None)
        merges.append((5, column, 6, column))
        column += 1
    sheet.append(top)
    sheet.append(sub)
    for start_row, start_column, end_row, end_column in merges:
        sheet.merge_cells(
            start_row=start_row,
            start_column=start_column,
            end_row=end_row,
            end_column=end_column,
        )
    for number, values in enumerate(students, start=1):
        sheet.append(
            [
                number,
                *[values.get(name) for name in COLUMNS_BEFORE_PARENTS[1:]],
                *values["ayah"],
                *values["ibu"],
                *values["wali"],
                *[values.get(name) for name in COLUMNS_AFTER_PARENTS],
            ]
        )
    # Dapodik writes NISN and NIK as text so that leading zeros survive.
    for row in sheet.iter_rows(min_row=7, min_col=5, max_col=5):
        for cell in row:
            cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plain_csv(students: list[dict], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(PLAIN_HEADER)
    for number, values in enumerate(students, start=1):
        writer.writerow(
            [
                number,
                *[values.get(name, "") for name in COLUMNS_BEFORE_PARENTS[1:]],
                *[value or "" for group in ("ayah", "ibu", "wali") for value in values[group]],
                *[values.get(name, "") for name in COLUMNS_AFTER_PARENTS],
            ]
        )
    return buffer.getvalue().encode(encoding)


def upload(content: bytes, name: str = "daftar_pd.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def client_for(client_for, settings):
    """These tests read the messages in English, the catalogue's source language; one test
    below checks the Indonesian a clerk sees by default."""

    def make(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def classes(school):
    year = AcademicYear.objects.get(school=school, is_current=True)
    return {
        "VII-A": ClassroomFactory(school=school, academic_year=year, grade=7, name="VII-A"),
        "VII-B": ClassroomFactory(school=school, academic_year=year, grade=7, name="VII-B"),
        "VIII-A": ClassroomFactory(school=school, academic_year=year, grade=8, name="VIII-A"),
    }


def preview(client, content: bytes, name: str = "daftar_pd.xlsx"):
    response = client.post(URL, {"file": upload(content, name)})
    assert response.status_code == 200
    return response


def errors_by_row(response) -> dict[int, list[str]]:
    return {row.number: row.errors for row in response.context["rows"] if row.errors}


def import_file(client, content: bytes, name: str = "daftar_pd.xlsx"):
    """Upload, check the preview has no errors, confirm."""
    response = preview(client, content, name)
    assert not errors_by_row(response), errors_by_row(response)
    return client.post(URL, {"token": response.context["token"]})


# The happy path.


def test_admin_staff_imports_the_dapodik_download(client_for, admin_staff, classes):
    client = client_for(admin_staff)
    response = import_file(client, dapodik_xlsx(CAST))
    assert response.status_code == 302
    assert response.url == reverse("counseling:student_list")
    students = {s.nisn: s for s in Student.objects.filter(school=admin_staff.school)}
    assert set(students) == {"0091234561", "0087654321", "0101112223", "3112223334"}
    ahmad = students["0091234561"]
    assert (ahmad.full_name, ahmad.nis, ahmad.sex, ahmad.birth_place, ahmad.birth_date) == (
        "Ahmad Fauzi",
        "2526001",
        Student.Sex.MALE,
        "Bandung",
        date(2013, 3, 14),
    )
    assert ahmad.status == Student.Status.ACTIVE
    assert students["0087654321"].sex == Student.Sex.FEMALE
    # "VII-A", "7 A", "Kelas 7B", "VIIIA" find the classes the school named VII-A, VII-B, VIII-A.
    assert students["0091234561"].classroom == classes["VII-A"]
    assert students["0087654321"].classroom == classes["VII-A"]
    assert students["0101112223"].classroom == classes["VII-B"]
    assert students["3112223334"].classroom == classes["VIII-A"]


def test_success_message_gives_the_counts(client_for, admin_staff, classes):
    client = client_for(admin_staff)
    response = import_file(client, dapodik_xlsx(CAST))
    messages = [str(message) for message in response.wsgi_request._messages]
    assert len(messages) == 1
    assert "4" in messages[0] and "0" in messages[0]


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(",", "utf-8"), (",", "utf-8-sig"), (";", "utf-8-sig"), (";", "cp1252"), ("\t", "utf-8")],
)
def test_plain_csv_is_imported(client_for, admin_staff, classes, delimiter, encoding):
    cast = [*CAST[:3], student(Nama="Stéphanie Aurélia", NISN="0055566677")]
    response = import_file(
        client_for(admin_staff),
        plain_csv(cast, delimiter=delimiter, encoding=encoding),
        "siswa.csv",
    )
    assert response.status_code == 302
    assert set(Student.objects.values_list("nisn", flat=True)) == {
        "0091234561",
        "0087654321",
        "0101112223",
        "0055566677",
    }
    assert Student.objects.filter(full_name="Stéphanie Aurélia").exists()


def test_preview_shows_every_row_and_saves_nothing(client_for, admin_staff, classes):
    existing = StudentFactory(
        school=admin_staff.school, nisn="0087654321", classroom=classes["VII-B"]
    )
    response = preview(client_for(admin_staff), dapodik_xlsx(CAST))
    rows = response.context["rows"]
    assert [row.number for row in rows] == [7, 8, 9, 10]
    assert [row.is_new for row in rows] == [True, False, True, True]
    assert (response.context["new_count"], response.context["update_count"]) == (3, 1)
    assert response.context["token"]
    assert b"confirm-form" in response.content
    assert b"0091234561" in response.content
    assert Student.objects.count() == 1
    existing.refresh_from_db()
    assert existing.classroom == classes["VII-B"]


def test_reimport_updates_by_nisn_and_creates_none(client_for, admin_staff, classes):
    client = client_for(admin_staff)
    import_file(client, dapodik_xlsx(CAST))
    Student.objects.filter(nisn="0091234561").update(status=Student.Status.MOVED)
    ids = dict(Student.objects.values_list("nisn", "pk"))
    moved_up = [
        student(Nama="Ahmad Fauzi Rahman", **{"Rombel Saat Ini": "8-A"}),
        *CAST[1:],
    ]
    response = import_file(client, dapodik_xlsx(moved_up))
    assert response.status_code == 302
    assert dict(Student.objects.values_list("nisn", "pk")) == ids
    ahmad = Student.objects.get(nisn="0091234561")
    assert ahmad.full_name == "Ahmad Fauzi Rahman"
    assert ahmad.classroom == classes["VIII-A"]
    # The status is the school's own record; the import leaves it alone.
    assert ahmad.status == Student.Status.MOVED
    messages = [str(message) for message in response.wsgi_request._messages]
    assert "0" in messages[-1] and "4" in messages[-1]


def test_numbers_and_dates_from_spreadsheet_cells(school, classes):
    # A clerk who retyped the sheet: NISN as a number (zeros lost), date as a date cell,
    # NISN with the apostrophe Excel users type to keep zeros.
    cast = [
        student(NISN=91234561, NIPD=2526001, **{"Tanggal Lahir": date(2013, 3, 14)}),
        student(Nama="Siti", NISN="'0087654321"),
    ]
    rows = read_roster(school=school, content=dapodik_xlsx(cast))
    assert [(row.nisn, row.nis, row.birth_date, row.errors) for row in rows] == [
        ("0091234561", "2526001", date(2013, 3, 14), []),
        ("0087654321", "2526001", date(2013, 3, 14), []),
    ]


def test_rows_keep_the_other_columns_and_the_parent_blocks(school, classes):
    row = parse_roster(dapodik_xlsx(CAST))[0]
    assert row.parents["ayah"]["nama"] == "Slamet Riyadi"
    assert row.parents["ibu"]["pekerjaan"] == "Guru"
    assert row.parents["wali"]["nama"] is None
    assert row.values["alamat"] == "Jl. Merdeka No. 5"
    assert row.values["jarakrumahkesekolahkm"] == 1
    assert row.values["nama"] == "Ahmad Fauzi"
    csv_row = parse_roster(plain_csv(CAST))[0]
    assert csv_row.values["dataayahnama"] == "Slamet Riyadi"


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("VII-A", "7A"),
        ("VII A", "7A"),
        ("7A", "7A"),
        ("7-a", "7A"),
        ("Kelas 7A", "7A"),
        ("kelas VII-A", "7A"),
        ("VIIA", "7A"),
        (" vii . a ", "7A"),
        ("VIII-B", "8B"),
        ("8B", "8B"),
        ("IX C", "9C"),
        ("X IPA 1", "10IPA1"),
        ("10-IPA-1", "10IPA1"),
        ("XI IPS 2", "11IPS2"),
        ("XII-MIPA-3", "12MIPA3"),
    ],
)
def test_class_spellings_share_one_key(label, key):
    assert classroom_key(label) == key


def test_different_classes_keep_different_keys():
    keys = [classroom_key(label) for label in ("VII-A", "VII-B", "VIII-A", "XI-A", "X-IA")]
    assert len(set(keys)) == len(keys)


# Bad rows: the preview marks them by row number, nothing can be saved.


BAD_ROWS = {
    "short NISN": ({"NISN": "12345"}, "12345"),
    "NISN with letters": ({"NISN": "00912345AB"}, "00912345AB"),
    "NISN too long": ({"NISN": "009123456789"}, "009123456789"),
    "missing name": ({"Nama": "  "}, "name is missing"),
    "bad sex": ({"JK": "X"}, "JK"),
    "missing sex": ({"JK": ""}, "JK"),
    "unknown class": ({"Rombel Saat Ini": "IX-Z"}, "IX-Z"),
    "missing class": ({"Rombel Saat Ini": ""}, "Rombel Saat Ini"),
    "impossible date": ({"Tanggal Lahir": "2012-02-30"}, "2012-02-30"),
    "date in the future": ({"Tanggal Lahir": "2099-01-01"}, "future"),
    "unreadable date": ({"Tanggal Lahir": "kemarin"}, "YYYY-MM-DD"),
}


def test_row_errors_are_in_indonesian_by_default(client, admin_staff, classes):
    client.force_login(admin_staff)
    cast = [*CAST[:2], student(Nama="Budi", NISN="0101112223"), CAST[3]]
    cast[2].update({"Nama": "  "})
    response = preview(client, dapodik_xlsx(cast))
    assert "Nama belum diisi" in " ".join(errors_by_row(response)[9])


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_a_bad_row_is_reported_with_its_row_number(client_for, admin_staff, classes, kind):
    change, text = BAD_ROWS[kind]
    cast = [*CAST[:2], student(Nama="Budi", NISN="0101112223", **{}), CAST[3]]
    cast[2].update(change)
    response = preview(client_for(admin_staff), dapodik_xlsx(cast))
    errors = errors_by_row(response)
    assert list(errors) == [9]  # the third student, below the six title and header rows
    assert text in " ".join(errors[9])
    assert "token" not in response.context
    assert b"confirm-form" not in response.content
    assert b"import-errors" in response.content
    assert text.encode() in response.content
    assert not Student.objects.exists()


def test_a_nisn_twice_in_the_file_marks_both_rows(client_for, admin_staff, classes):
    cast = [*CAST, student(Nama="Ahmad Lain")]
    response = preview(client_for(admin_staff), plain_csv(cast), "siswa.csv")
    errors = errors_by_row(response)
    assert list(errors) == [2, 6]  # a plain file: header on row 1
    assert "6" in errors[2][0] and "0091234561" in errors[2][0]
    assert "2" in errors[6][0]
    assert not Student.objects.exists()


def test_a_leading_zero_lost_in_a_csv_gets_a_hint(school, classes):
    rows = read_roster(school=school, content=plain_csv([student(NISN="91234561")]))
    assert "leading zeros" in rows[0].errors[0]


def test_an_invented_token_saves_nothing(client_for, admin_staff, classes):
    client = client_for(admin_staff)
    preview(client, dapodik_xlsx(CAST))
    response = client.post(URL, {"token": "not-the-token"}, follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert "Upload the file again" in response.content.decode()
    assert not Student.objects.exists()


def test_a_token_confirms_once(client_for, admin_staff, classes):
    client = client_for(admin_staff)
    token = preview(client, dapodik_xlsx(CAST)).context["token"]
    assert client.post(URL, {"token": token}).status_code == 302
    # The import filled the students' personal books, which protect them from deletion.
    PersonalBookSection.objects.all().delete()
    PersonalBook.objects.all().delete()
    Student.objects.all().delete()
    response = client.post(URL, {"token": token}, follow=True)
    assert "Upload the file again" in response.content.decode()
    assert not Student.objects.exists()


def test_a_newer_upload_replaces_the_kept_file(client_for, admin_staff, classes):
    client = client_for(admin_staff)
    first = preview(client, dapodik_xlsx(CAST)).context["token"]
    preview(client, dapodik_xlsx(CAST[:1]))
    client.post(URL, {"token": first})
    assert not Student.objects.exists()


def test_confirmation_checks_again(client_for, admin_staff, classes):
    client = client_for(admin_staff)
    token = preview(client, dapodik_xlsx(CAST)).context["token"]
    classes["VIII-A"].delete()  # the class went away between preview and confirmation
    response = client.post(URL, {"token": token})
    assert response.status_code == 200
    assert list(errors_by_row(response)) == [10]
    assert not Student.objects.exists()


# Bad files.

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n\x00\x01\x02"


def _too_many_rows() -> bytes:
    cast = [student(NISN=f"{n:010d}", Nama=f"Siswa {n}") for n in range(MAX_ROWS + 1)]
    return plain_csv(cast)


BAD_FILES = {
    "png renamed .csv": (lambda: PNG, "siswa.csv", "not a CSV"),
    "pdf renamed .csv": (lambda: PDF, "siswa.csv", "not a CSV"),
    "text pdf renamed .csv": (lambda: b"%PDF-1.7\n" + plain_csv(CAST), "siswa.csv", "not a CSV"),
    "old .xls": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "pd.xls", ".xls"),
    "broken xlsx": (lambda: b"PK\x03\x04" + b"rusak" * 20, "pd.xlsx", "could not be read"),
    "empty": (lambda: b"", "siswa.csv", "empty"),
    "blank": (lambda: b" \r\n\r\n", "siswa.csv", "empty"),
    "header only": (lambda: plain_csv([]), "siswa.csv", "no student rows"),
    "xlsx header only": (lambda: dapodik_xlsx([]), "pd.xlsx", "no student rows"),
    "no header": (lambda: b"a,b,c\n1,2,3\n", "siswa.csv", "Nama and NISN"),
    "too many rows": (_too_many_rows, "siswa.csv", "more than 5,000"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_is_refused_and_saves_nothing(client_for, admin_staff, classes, kind):
    content, name, text = BAD_FILES[kind]
    response = preview(client_for(admin_staff), content(), name)
    assert text in " ".join(response.context["form"].errors["file"])
    assert "rows" not in response.context
    assert not Student.objects.exists()


def test_a_header_without_needed_columns_names_them(client_for, admin_staff, classes):
    content = plain_csv(CAST).decode().replace("Rombel Saat Ini", "Kelas").replace(",JK,", ",S,")
    response = preview(client_for(admin_staff), content.encode(), "siswa.csv")
    (error,) = response.context["form"].errors["file"]
    assert "JK" in error and "Rombel Saat Ini" in error
    assert "NISN" not in error
    assert not Student.objects.exists()


def test_a_file_over_5_mb_is_refused(client_for, admin_staff, classes):
    content = plain_csv(CAST) + b"\n" * (5 * 1024 * 1024)
    response = preview(client_for(admin_staff), content, "siswa.csv")
    assert "5 MB" in response.context["form"].errors["file"][0]
    assert not Student.objects.exists()


# Who may import.


def test_get_shows_the_upload_form(client_for, admin_staff):
    response = client_for(admin_staff).get(URL)
    assert response.status_code == 200
    assert b'type="file"' in response.content
    assert b'enctype="multipart/form-data"' in response.content


@pytest.mark.parametrize(
    "role", ["counselor", "principal", "vice_principal", "homeroom_teacher", "subject_teacher"]
)
def test_other_roles_get_404(request, client_for, classes, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"file": upload(dapodik_xlsx(CAST))}).status_code == 404
    assert client.post(URL, {"token": "x"}).status_code == 404
    assert not Student.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_other_school_imports_only_into_its_own_school(
    client_for, admin_staff, other_admin_staff, classes
):
    # The first school's class names mean nothing to the other school.
    response = preview(client_for(other_admin_staff), dapodik_xlsx(CAST))
    assert list(errors_by_row(response)) == [7, 8, 9, 10]
    other_year = AcademicYear.objects.get(school=other_admin_staff.school, is_current=True)
    for grade, name in [(7, "VII-A"), (7, "VII-B"), (8, "VIII-A")]:
        ClassroomFactory(
            school=other_admin_staff.school, academic_year=other_year, grade=grade, name=name
        )
    import_file(client_for(other_admin_staff), dapodik_xlsx(CAST))
    assert Student.objects.filter(school=other_admin_staff.school).count() == 4
    assert not Student.objects.filter(school=admin_staff.school).exists()


def test_other_school_cannot_take_over_a_student_by_nisn(
    client_for, admin_staff, other_admin_staff, classes
):
    ours = StudentFactory(
        school=admin_staff.school, nisn="0091234561", full_name="Ahmad Fauzi", classroom=None
    )
    other_year = AcademicYear.objects.get(school=other_admin_staff.school, is_current=True)
    ClassroomFactory(school=other_admin_staff.school, academic_year=other_year, name="VII-A")
    response = preview(
        client_for(other_admin_staff), dapodik_xlsx([student(Nama="Nama Lain")]), "pd.xlsx"
    )
    errors = errors_by_row(response)
    assert list(errors) == [7]
    assert "another school" in errors[7][0]
    assert admin_staff.school.name not in response.content.decode()
    assert "token" not in response.context
    ours.refresh_from_db()
    assert (ours.school, ours.full_name) == (admin_staff.school, "Ahmad Fauzi")


def test_the_service_refuses_rows_with_errors_and_other_schools_users(
    school, admin_staff, other_admin_staff, classes
):
    rows = read_roster(school=school, content=dapodik_xlsx(CAST))
    with pytest.raises(PermissionDenied):
        students_import_apply(school=school, rows=rows, user=other_admin_staff)
    rows[0].errors.append("rusak")
    with pytest.raises(ValueError, match="without errors"):
        students_import_apply(school=school, rows=rows, user=admin_staff)
    assert not Student.objects.exists()


# Queries do not grow with the file.

# Session, user and roles; the school's classes and the students with these NISNs (to check
# again); savepoint, the students with these NISNs (to save), the inserts and the updates,
# release; the session written, in its own savepoint: 13 in all, whatever the file's length,
# on PostgreSQL. SQLite takes at most 999 parameters a statement, so Django splits the inserts
# into batches of ~90 rows and the updates of ~110: 1,000 rows (500 new, 500 updated) take 22.
# The personal books filled from the same file add the books read, then the new books and their
# sections inserted (the sections are read too once some books exist): 16 in all on PostgreSQL,
# but on SQLite the ~5,000 sections of 1,000 students go in batches of ~140 rows: 58 in all.
# A query per row would take thousands.
QUERY_BOUND = 60


@pytest.mark.parametrize("count", [100, 1000])
def test_import_runs_a_bounded_number_of_queries(
    client_for, admin_staff, classes, count, django_assert_max_num_queries
):
    cast = [
        student(NISN=f"{n:010d}", Nama=f"Siswa {n}", **{"Rombel Saat Ini": "7A"})
        for n in range(count)
    ]
    # Half of them are already at the school: both inserts and updates are counted.
    Student.objects.bulk_create(
        Student(school=admin_staff.school, nisn=f"{n:010d}", full_name="Lama", sex="L")
        for n in range(0, count, 2)
    )
    client = client_for(admin_staff)
    token = preview(client, plain_csv(cast), "siswa.csv").context["token"]
    with django_assert_max_num_queries(QUERY_BOUND):
        response = client.post(URL, {"token": token})
    assert response.status_code == 302
    assert (
        Student.objects.filter(school=admin_staff.school, full_name__startswith="Siswa").count()
        == count
    )
