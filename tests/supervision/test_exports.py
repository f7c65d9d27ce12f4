"""Exports (issue 6): the student roster, session statistics, training participation and
appraisal summaries as CSV and XLSX. The exact rows from factory data, read back from both
files; no note, summary or name in the session statistics; leading zeros kept; every export
URL asked for by every role and by the other school; an access-log row per download; and a
query count that does not grow with the rows."""

import csv
import datetime
import io
from datetime import date

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from counseling.models import CounselingSession, PersonalBookSection, Student
from staff.models import AccessLogEntry, Role, TrainingEvent, TrainingParticipation
from supervision.exports import CSV_DELIMITER
from tests.factories import (
    CaseFactory,
    ClassroomFactory,
    CounselingSessionFactory,
    DisseminationReportFactory,
    PersonalBookFactory,
    StudentFactory,
    TrainingEventFactory,
    TrainingParticipationFactory,
    UserFactory,
    appraisal_with_scores,
    past_semester,
)

pytestmark = pytest.mark.django_db

WIB = datetime.timezone(datetime.timedelta(hours=7))
STUDENTS = reverse("supervision:export_students")
SESSIONS = reverse("supervision:export_sessions")
TRAINING = reverse("supervision:export_training")
APPRAISALS = reverse("supervision:export_appraisals")
EXPORTS = reverse("supervision:export_list")
NOTES = "Catatan rahasia: ayah dirawat di rumah sakit jiwa."
SESSION_SUMMARY = "Ringkasan sesi: siswa menangis menceritakan perundungan."
CASE_SUMMARY = "Ringkasan kasus: perundungan di grup kelas."
BOOK_TEXT = "Anak kedua dari tiga bersaudara, tinggal bersama nenek."


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=CSV_DELIMITER))


def read_xlsx(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith('attachment; filename="')
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return book.worksheets[0]


def values(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def download(client, url, **params):
    return client.get(url, params)


@pytest.fixture
def colleague(school):
    return UserFactory(
        username="konselor2",
        full_name="Bapak Konselor Dua",
        nip="012345678901234567",
        school=school,
        roles=[Role.COUNSELOR],
    )


@pytest.fixture
def semester(school):
    return school.semesters.get(is_current=True)


# --- The student roster -------------------------------------------------------------------------


@pytest.fixture
def roster(school, homeroom_teacher, counselor):
    year = school.academic_years.get(is_current=True)
    own = ClassroomFactory(
        school=school, academic_year=year, name="VII-A", homeroom_teacher=homeroom_teacher
    )
    other = ClassroomFactory(school=school, academic_year=year, name="VIII-C")
    first = StudentFactory(
        school=school,
        classroom=own,
        nisn="0012345678",
        nis="0042",
        full_name="Ani Lestari",
        sex=Student.Sex.FEMALE,
        birth_place="Bandung",
        birth_date=date(2013, 2, 3),
    )
    StudentFactory(
        school=school, classroom=other, nisn="0098765432", full_name="Budi Santoso", sex="L"
    )
    StudentFactory(
        school=school, classroom=own, full_name="Citra Pindah", status=Student.Status.MOVED
    )
    book = PersonalBookFactory(student=first, completeness=40)
    PersonalBookSection.objects.create(book=book, key="family", data={"notes": BOOK_TEXT})
    return {"own": own, "other": other, "first": first}


def test_roster_csv_has_the_roster_fields_of_the_active_students(client_for, admin_staff, roster):
    rows = read_csv(download(client_for(admin_staff), STUDENTS))
    assert rows == [
        [
            "NISN",
            "NIS",
            "Nama",
            "Jenis kelamin",
            "Tempat lahir",
            "Tanggal lahir",
            "Kelas",
            "Status",
        ],
        [
            "0012345678",
            "0042",
            "Ani Lestari",
            "Perempuan",
            "Bandung",
            "2013-02-03",
            "VII-A",
            "Aktif",
        ],
        ["0098765432", "", "Budi Santoso", "Laki-laki", "", "", "VIII-C", "Aktif"],
    ]


def test_roster_xlsx_keeps_leading_zeros_in_text_cells(client_for, counselor, roster):
    sheet = read_xlsx(download(client_for(counselor), STUDENTS, format="xlsx"))
    assert values(sheet)[1] == [
        "0012345678",
        "0042",
        "Ani Lestari",
        "Perempuan",
        "Bandung",
        datetime.datetime(2013, 2, 3),
        "VII-A",
        "Aktif",
    ]
    nisn = sheet["A2"]
    assert (nisn.data_type, nisn.number_format) == ("s", "@")
    assert sheet["F2"].is_date
    assert sheet["A1"].font.bold


def test_roster_follows_the_student_list_filters(client_for, counselor, roster):
    client = client_for(counselor)
    rows = read_csv(download(client, STUDENTS, classroom=roster["own"].pk, status="all"))
    assert [row[2] for row in rows[1:]] == ["Ani Lestari", "Citra Pindah"]
    assert [row[2] for row in read_csv(download(client, STUDENTS, q="0098"))[1:]] == [
        "Budi Santoso"
    ]


def test_homeroom_teacher_exports_the_own_class_only(client_for, homeroom_teacher, roster):
    rows = read_csv(download(client_for(homeroom_teacher), STUDENTS))
    assert [row[2] for row in rows[1:]] == ["Ani Lestari"]


def test_roster_holds_nothing_of_the_personal_books(client_for, counselor, roster):
    client = client_for(counselor)
    csv_text = b"".join(download(client, STUDENTS).streaming_content).decode()
    assert BOOK_TEXT not in csv_text and "40" not in csv_text
    assert BOOK_TEXT not in str(values(read_xlsx(download(client, STUDENTS, format="xlsx"))))


def test_roster_with_a_filter_of_another_school_says_so(
    client_for, counselor, roster, other_school
):
    foreign = ClassroomFactory(
        school=other_school, academic_year=other_school.academic_years.get(is_current=True)
    )
    response = download(client_for(counselor), STUDENTS, classroom=foreign.pk)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("counseling:student_list"))
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Beberapa filter tidak valid; perbaiki untuk mengunduh daftar."
    ]
    assert not AccessLogEntry.objects.exists()


# --- Session statistics -------------------------------------------------------------------------


def _at(day: date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=WIB)


@pytest.fixture
def sessions(school, counselor, colleague, roster):
    student = roster["first"]
    case = CaseFactory(student=student, counselor=counselor, summary=CASE_SUMMARY)
    common = {"summary": SESSION_SUMMARY, "confidential_notes": NOTES}
    CounselingSessionFactory(
        counselor=counselor, case=case, starts_at=_at(date(2026, 9, 2)), **common
    )
    CounselingSessionFactory(
        counselor=counselor,
        case=case,
        starts_at=_at(date(2026, 9, 16)),
        duration_minutes=30,
        **common,
    )
    CounselingSessionFactory(
        counselor=colleague,
        strategy=CounselingSession.Strategy.GROUP_GUIDANCE,
        component=CounselingSession.Component.BASIC,
        field="personal",
        students=[student, StudentFactory(school=school, classroom=roster["own"])],
        starts_at=_at(date(2026, 9, 30), 23),  # still September in Jakarta
        duration_minutes=90,
        **common,
    )
    CounselingSessionFactory(
        counselor=counselor, case=case, starts_at=_at(date(2026, 10, 7)), **common
    )
    # Another semester's session is not counted.
    CounselingSessionFactory(counselor=counselor, case=case, starts_at=_at(date(2026, 6, 10)))
    return case


SESSION_HEADER = [
    "Bulan",
    "Guru BK",
    "Strategi",
    "Komponen layanan",
    "Bidang BK",
    "Sesi layanan",
    "Siswa terlayani",
    "Durasi (menit)",
    "Sesi dalam kasus",
]


def test_session_statistics_count_per_month_counselor_strategy_component_and_field(
    client_for, principal, counselor, sessions
):
    rows = read_csv(download(client_for(principal), SESSIONS))
    name = counselor.full_name
    assert rows == [
        SESSION_HEADER,
        [
            "2026-09",
            "Bapak Konselor Dua",
            "Bimbingan kelompok",
            "Layanan dasar",
            "Pribadi",
            "1",
            "2",
            "90",
            "0",
        ],
        [
            "2026-09",
            name,
            "Konseling individual",
            "Layanan responsif",
            "Belajar",
            "2",
            "2",
            "75",
            "2",
        ],
        [
            "2026-10",
            name,
            "Konseling individual",
            "Layanan responsif",
            "Belajar",
            "1",
            "1",
            "45",
            "1",
        ],
    ]


def test_session_statistics_of_a_chosen_semester_in_xlsx(
    client_for, vice_principal, counselor, sessions, school
):
    earlier = past_semester(school, 2025, 2)
    sheet = read_xlsx(
        download(client_for(vice_principal), SESSIONS, semester=earlier.pk, format="xlsx")
    )
    assert values(sheet) == [
        SESSION_HEADER,
        [
            "2026-06",
            counselor.full_name,
            "Konseling individual",
            "Layanan responsif",
            "Belajar",
            1,
            1,
            45,
            1,
        ],
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("person", ["principal", "vice_principal", "counselor"])
def test_session_statistics_never_hold_notes_summaries_or_names(
    request, client_for, sessions, roster, fmt, person
):
    response = download(client_for(request.getfixturevalue(person)), SESSIONS, format=fmt)
    if fmt == "csv":
        text = "\n".join(";".join(row) for row in read_csv(response))
    else:
        text = str(values(read_xlsx(response)))
    for secret in (NOTES, SESSION_SUMMARY, CASE_SUMMARY, roster["first"].full_name, "0012345678"):
        assert secret not in text


# --- Training participation ---------------------------------------------------------------------


@pytest.fixture
def training(school, counselor, colleague):
    diklat = TrainingEventFactory(
        school=school,
        kind=TrainingEvent.Kind.BIMTEK,
        title="=Bimtek Konseling Kelompok",
        starts_on=date(2026, 8, 10),
        ends_on=date(2026, 8, 11),
        hours=16,
        seats=2,
    )
    written = TrainingParticipationFactory(
        event=diklat, counselor=counselor, attendance=TrainingParticipation.Attendance.PRESENT
    )
    DisseminationReportFactory(participation=written)
    TrainingParticipationFactory(event=diklat, counselor=colleague)
    mgbk = TrainingEventFactory(
        school=school,
        kind=TrainingEvent.Kind.MGBK,
        title="MGBK September",
        starts_on=date(2026, 9, 15),
        hours=4,
        seats=None,
    )
    TrainingParticipationFactory(
        event=mgbk, counselor=colleague, attendance=TrainingParticipation.Attendance.EXCUSED
    )
    withdrawn = TrainingParticipationFactory(
        event=TrainingEventFactory(school=school, title="Ditarik", starts_on=date(2026, 11, 30)),
        counselor=counselor,
    )
    withdrawn.withdrawn_at = withdrawn.delegated_at
    withdrawn.save()
    TrainingParticipationFactory(
        event=TrainingEventFactory(school=school, title="Tahun lalu", starts_on=date(2025, 9, 1)),
        counselor=counselor,
    )
    return written


def test_training_participation_rows(client_for, subject_teacher, counselor, training):
    rows = read_csv(download(client_for(subject_teacher), TRAINING))
    report_day = training.dissemination_report.created_at.astimezone(WIB).date().isoformat()
    assert rows[0] == [
        "Kegiatan",
        "Jenis",
        "Penyelenggara",
        "Hari pertama",
        "Hari terakhir",
        "Jumlah JP",
        "Guru BK",
        "NIP",
        "Kehadiran",
        "Laporan diseminasi",
        "Laporan diserahkan pada",
    ]
    organizer = "MGBK SMP Kabupaten Contoh"
    assert rows[1:] == [
        # A title that looks like a formula is written as text.
        [
            "'=Bimtek Konseling Kelompok",
            "Bimtek",
            organizer,
            "2026-08-10",
            "2026-08-11",
            "16",
            "Bapak Konselor Dua",
            "012345678901234567",
            "Belum dicatat",
            "terlambat",
            "",
        ],
        [
            "'=Bimtek Konseling Kelompok",
            "Bimtek",
            organizer,
            "2026-08-10",
            "2026-08-11",
            "16",
            counselor.full_name,
            "",
            "Hadir",
            "sudah dibuat",
            report_day,
        ],
        [
            "MGBK September",
            "Pertemuan MGBK",
            organizer,
            "2026-09-15",
            "2026-09-15",
            "4",
            "Bapak Konselor Dua",
            "012345678901234567",
            "Izin",
            "tidak wajib",
            "",
        ],
    ]


def test_training_participation_xlsx_keeps_text_as_text(client_for, principal, training):
    sheet = read_xlsx(download(client_for(principal), TRAINING, format="xlsx"))
    title, nip = sheet["A2"], sheet["H2"]
    assert (title.value, title.data_type) == ("=Bimtek Konseling Kelompok", "s")
    assert (nip.value, nip.data_type) == ("012345678901234567", "s")
    assert sheet["F2"].value == 16
    assert "certificate" not in str(values(sheet)).lower()


# --- Appraisal summaries ------------------------------------------------------------------------


@pytest.fixture
def appraisals(principal, counselor, colleague, semester, school):
    earlier = past_semester(school, 2025, 2)
    return {
        "earlier": appraisal_with_scores(counselor=counselor, assessor=principal, semester=earlier),
        "latest": appraisal_with_scores(
            counselor=counselor, assessor=principal, semester=semester, competency_scores={1: 4}
        ),
        "self": appraisal_with_scores(
            counselor=counselor, assessor=counselor, semester=semester, kind="self", default_score=2
        ),
        "colleague": appraisal_with_scores(
            counselor=colleague, assessor=principal, semester=semester, default_score=4
        ),
        "draft": appraisal_with_scores(
            counselor=colleague, assessor=principal, semester=earlier, finalise=False
        ),
        "earlier_semester": earlier,
    }


APPRAISAL_HEADER = [
    "Semester",
    "Guru BK",
    "NIP",
    "Jenis",
    "Status",
    "Difinalkan pada",
    "Skor total",
    "Nilai akhir",
    "Kategori",
    *(f"Kompetensi {number}" for number in range(1, 18)),
]


def test_principal_exports_every_finalised_appraisal_of_the_semester(
    client_for, principal, counselor, appraisals
):
    rows = read_csv(download(client_for(principal), APPRAISALS))
    day = appraisals["latest"].finalised_at.astimezone(WIB).date().isoformat()
    principal_kind, semester = "Penilaian kepala sekolah", "2026/2027 Ganjil"
    assert rows == [
        APPRAISAL_HEADER,
        # By name, then the principal's before the self-appraisal; no draft, no other semester.
        [
            semester,
            "Bapak Konselor Dua",
            "012345678901234567",
            principal_kind,
            "Final",
            day,
            "68",
            "100,00",
            "Amat Baik",
            *["4"] * 17,
        ],
        [
            semester,
            counselor.full_name,
            "",
            principal_kind,
            "Final",
            day,
            "52",
            "76,47",
            "Baik",
            "4",
            *["3"] * 16,
        ],
        [
            semester,
            counselor.full_name,
            "",
            "Penilaian diri",
            "Final",
            day,
            "34",
            "50,00",
            "Kurang",
            *["2"] * 17,
        ],
    ]


def test_counselor_exports_only_the_own_appraisals_of_every_semester(
    client_for, counselor, appraisals
):
    sheet = read_xlsx(download(client_for(counselor), APPRAISALS, semester="", format="xlsx"))
    rows = values(sheet)
    assert [(row[1], row[3], row[7]) for row in rows[1:]] == [
        (counselor.full_name, "Penilaian kepala sekolah", 75),
        (counselor.full_name, "Penilaian kepala sekolah", 76.47),
        (counselor.full_name, "Penilaian diri", 50),
    ]
    assert "Bapak Konselor Dua" not in str(rows)


# --- Who may download what ----------------------------------------------------------------------

PEOPLE = [
    "principal",
    "vice_principal",
    "counselor",
    "homeroom_teacher",
    "subject_teacher",
    "admin_staff",
    "other_principal",
    "other_admin_staff",
]
EVERYONE = dict.fromkeys(PEOPLE, 200)
EXPECTED = {
    EXPORTS: EVERYONE,
    STUDENTS: {
        **dict.fromkeys(PEOPLE, 404),
        "counselor": 200,
        "homeroom_teacher": 200,
        "admin_staff": 200,
        "other_admin_staff": 200,
    },
    SESSIONS: {
        **dict.fromkeys(PEOPLE, 404),
        "principal": 200,
        "vice_principal": 200,
        "counselor": 200,
        "other_principal": 200,
    },
    TRAINING: EVERYONE,
    APPRAISALS: {
        **dict.fromkeys(PEOPLE, 404),
        "principal": 200,
        "counselor": 200,
        "other_principal": 200,
    },
}


def test_every_export_answers_each_person_as_the_confidentiality_table_says(
    request, client_for, roster, sessions, training, appraisals
):
    people = {name: request.getfixturevalue(name) for name in PEOPLE}
    answers = {
        (url, person): client_for(user).get(url).status_code
        for url in EXPECTED
        for person, user in people.items()
    }
    expected = {(url, person): EXPECTED[url][person] for url in EXPECTED for person in PEOPLE}
    assert {k: (answers[k], expected[k]) for k in answers if answers[k] != expected[k]} == {}


def test_export_urls_are_all_in_the_walk():
    from supervision import urls

    names = {p.name for p in urls.urlpatterns if p.name.startswith("export_")}
    assert {reverse(f"supervision:{name}") for name in names} == set(EXPECTED)


@pytest.mark.parametrize("person", ["other_principal", "other_admin_staff"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_other_school_downloads_nothing_of_the_first(
    request, client_for, roster, sessions, training, appraisals, person, fmt
):
    client = client_for(request.getfixturevalue(person))
    downloaded = 0
    for url in (STUDENTS, SESSIONS, TRAINING, APPRAISALS):
        response = client.get(url, {"format": fmt, "semester": ""})
        if response.status_code == 404:
            continue
        rows = read_csv(response) if fmt == "csv" else values(read_xlsx(response))
        assert len(rows) == 1, (url, rows)  # the header alone
        downloaded += 1
    assert downloaded == 3 if person == "other_principal" else 2


def test_a_semester_of_another_school_is_refused(client_for, other_principal, semester):
    response = client_for(other_principal).get(SESSIONS, {"semester": semester.pk})
    assert response.status_code == 302
    assert response["Location"] == EXPORTS
    assert not AccessLogEntry.objects.exists()


def test_an_unknown_format_is_refused_with_a_message(client_for, principal):
    response = client_for(principal).get(TRAINING, {"format": "pdf"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Ekspor tersebut tidak ada. Pilih semester dan berkas di bawah."
    ]


def test_the_exports_page_lists_what_the_person_may_download(
    client_for, vice_principal, admin_staff
):
    listed = client_for(vice_principal).get(EXPORTS).content.decode()
    assert SESSIONS in listed and TRAINING in listed
    assert STUDENTS not in listed and APPRAISALS not in listed
    listed = client_for(admin_staff).get(EXPORTS).content.decode()
    assert STUDENTS in listed and TRAINING in listed and SESSIONS not in listed


# --- The access log -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "object_type", "object_id"),
    [
        (SESSIONS, {}, "export.session_statistics.csv", "2026/2027-1"),
        (TRAINING, {"format": "xlsx"}, "export.training.xlsx", "2026/2027-1"),
        (APPRAISALS, {"semester": ""}, "export.appraisals.csv", "all"),
        (STUDENTS, {"format": "xlsx"}, "export.students.xlsx", None),
    ],
)
def test_each_download_writes_one_access_log_row(
    client_for, counselor, semester, url, params, object_type, object_id
):
    response = client_for(counselor).get(url, params, REMOTE_ADDR="10.1.2.3")
    b"".join(response.streaming_content)
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.school, entry.action, entry.object_type) == (
        counselor,
        counselor.school,
        AccessLogEntry.Action.EXPORT,
        object_type,
    )
    assert entry.client_address == "10.1.2.3"
    if object_id is not None:
        assert entry.object_id == object_id


def test_the_file_is_named_after_the_export_and_its_semester(client_for, principal, semester):
    response = client_for(principal).get(SESSIONS, {"format": "xlsx"})
    assert response["Content-Disposition"] == (
        'attachment; filename="statistik-layanan-2026-2027-1.xlsx"'
    )


def test_the_export_page_itself_writes_nothing_to_the_log(client_for, principal):
    client_for(principal).get(EXPORTS)
    assert not AccessLogEntry.objects.exists()


# --- What it costs ------------------------------------------------------------------------------


def _grow(school, counselor, principal, count):
    year = school.academic_years.get(is_current=True)
    classroom = ClassroomFactory(school=school, academic_year=year)
    for number in range(count):
        student = StudentFactory(school=school, classroom=classroom)
        day = date(2026, 7, 1) + datetime.timedelta(days=number * 5 % 150)
        CounselingSessionFactory(
            counselor=counselor,
            case=CaseFactory(student=student, counselor=counselor),
            starts_at=_at(day),
            strategy=CounselingSession.Strategy.values[number % 8],
        )
        TrainingParticipationFactory(
            event=TrainingEventFactory(school=school, starts_on=day), counselor=counselor
        )
        teacher = UserFactory(school=school, roles=[Role.COUNSELOR])
        appraisal_with_scores(
            counselor=teacher, assessor=principal, semester=school.semesters.get(is_current=True)
        )


@pytest.mark.parametrize(
    ("url", "fmt", "expected"),
    [
        # session, user, roles; the access-log row; the students
        (STUDENTS, "csv", 5),
        (STUDENTS, "xlsx", 5),
        # session, user, roles; the current semester; the access-log row; the counts
        (SESSIONS, "csv", 6),
        (TRAINING, "xlsx", 6),
        # ...; the competencies' numbers, the results with their appraisals
        (APPRAISALS, "csv", 7),
        (APPRAISALS, "xlsx", 7),
    ],
)
def test_an_export_costs_the_same_queries_whatever_its_rows(
    client_for, school, counselor, principal, url, fmt, expected, django_assert_num_queries
):
    reader = principal if url in (SESSIONS, APPRAISALS) else counselor
    client = client_for(reader)
    b"".join(client.get(url, {"format": fmt}).streaming_content)
    _grow(school, counselor, principal, 2)
    with django_assert_num_queries(expected):
        small = b"".join(client.get(url, {"format": fmt}).streaming_content)
    _grow(school, counselor, principal, 20)
    with django_assert_num_queries(expected):
        large = b"".join(client.get(url, {"format": fmt}).streaming_content)
    assert len(large) > len(small)


# --- Where the data lives -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "page", "export"),
    [
        ("admin_staff", "counseling:student_list", STUDENTS),
        ("homeroom_teacher", "counseling:student_list", STUDENTS),
        ("vice_principal", "counseling:case_list", SESSIONS),
        ("subject_teacher", "staff:training_summary", TRAINING),
        ("counselor", "supervision:appraisal_list", APPRAISALS),
    ],
)
def test_the_pages_link_to_their_export(request, client_for, semester, person, page, export):
    html = client_for(request.getfixturevalue(person)).get(reverse(page)).content.decode()
    links = html.split('data-testid="download-links"')[1].split("</p>")[0]
    assert f'href="{export}?' in links
    assert "format=xlsx" in links and "format=csv" in links


def test_the_student_list_link_carries_its_filters(client_for, counselor, roster):
    html = client_for(counselor).get(reverse("counseling:student_list"), {"q": "Ani"}).content
    assert f"{STUDENTS}?q=Ani&amp;format=xlsx" in html.decode()


def test_the_appraisal_list_link_names_its_semester(client_for, principal, semester):
    html = client_for(principal).get(reverse("supervision:appraisal_list")).content.decode()
    assert f"{APPRAISALS}?semester={semester.pk}&amp;format=csv" in html
