"""The student's personal book: sections, completeness, concurrent edits, who may read what,
the print view and PDF, and what the Dapodik import puts in it."""

import re
from datetime import date
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counseling import book, pdf
from counseling.demo import seed_personal_books
from counseling.importing import read_roster, students_import_apply
from counseling.models import PersonalBook, PersonalBookSection, Student
from staff.models import AcademicYear, AccessLogEntry, Role
from tests.counseling.test_import import dapodik_xlsx
from tests.counseling.test_import import student as dapodik_student
from tests.factories import (
    ClassroomFactory,
    PersonalBookFactory,
    SchoolFactory,
    SemesterFactory,
    StudentFactory,
    UserFactory,
)
from tests.system import skip_or_fail

Key = PersonalBookSection.Key


def _current_year(school) -> AcademicYear:
    return AcademicYear.objects.get(school=school, is_current=True)


@pytest.fixture
def own_class(school, homeroom_teacher, counselor):
    return ClassroomFactory(
        school=school,
        academic_year=_current_year(school),
        grade=7,
        name="VII-A",
        homeroom_teacher=homeroom_teacher,
        counselor=counselor,
    )


@pytest.fixture
def student(school, own_class):
    """A student of the homeroom teacher's class."""
    return StudentFactory(
        school=school,
        classroom=own_class,
        nisn="0098765432",
        nis="2301",
        full_name="Ayu Lestari",
        birth_place="Pamekasan",
        birth_date=date(2013, 8, 17),
    )


@pytest.fixture
def second_counselor(school):
    return UserFactory(
        username="konselor2", full_name="Bapak Konselor Dua", school=school, roles=[Role.COUNSELOR]
    )


@pytest.fixture
def other_counselor(other_school):
    return UserFactory(
        username="lain_bk", full_name="Guru BK Lain", school=other_school, roles=[Role.COUNSELOR]
    )


def _url(name: str, student: Student, key: str | None = None) -> str:
    args = [student.pk] if key is None else [student.pk, key]
    return reverse(f"counseling:{name}", args=args)


def _sections(student: Student) -> dict[str, PersonalBookSection]:
    return {s.key: s for s in PersonalBookSection.objects.filter(book__student=student)}


FAMILY = {
    "father_name": "Slamet Riyadi",
    "father_education": "sma",
    "father_occupation": "Nelayan",
    "father_income": "1m_2m",
    "father_phone": "081234567890",
    "mother_name": "Sri Wahyuni",
    "mother_education": "sd",
    "mother_occupation": "Pedagang",
    "mother_income": "lt_500k",
    "mother_phone": "085212345678",
}
HEALTH = {"height_cm": "151,5", "weight_kg": "40", "blood_type": "O", "notes": "Alergi udang"}


def _post_section(client, student, key, data, version=0):
    return client.post(_url("book_section_edit", student, key), {**data, "version": version})


# The sections and their completeness.


def test_every_section_has_a_spec_with_unique_field_names():
    assert [spec.key for spec in book.SECTIONS] == Key.values
    for spec in book.SECTIONS:
        names = [f.name for f in spec.fields]
        assert names and len(names) == len(set(names)), spec.key


def _all_fields(*, guardian: bool) -> dict[str, dict]:
    return {
        spec.key: {f.name: "x" for f in spec.fields if guardian or f.optional_block != "guardian"}
        for spec in book.SECTIONS
    }


def test_completeness_is_filled_over_all_fields_rounded_down():
    total_without_guardian = sum(len(spec.fields) for spec in book.SECTIONS) - 5
    assert total_without_guardian == 49
    assert book.completeness({}) == 0
    # 1 of 49 fields: 2.04… → 2
    assert book.completeness({Key.NOTES: {"notes": "x"}}) == 2
    # 24 of 49: 48.97… → 48, never rounded up
    filled = {Key.FAMILY: dict.fromkeys(FAMILY, "x"), Key.IDENTITY: {}}
    filled[Key.IDENTITY] = {f.name: "x" for f in book.SECTIONS_BY_KEY[Key.IDENTITY].fields}
    filled[Key.RESIDENCE] = dict.fromkeys(
        ["address", "rt", "rw", "hamlet", "village", "district"], "x"
    )
    filled[Key.NOTES] = {"notes": "x"}
    assert book.completeness(filled) == 24 * 100 // 49 == 48
    assert book.completeness(_all_fields(guardian=False)) == 100


def test_guardian_fields_count_once_a_guardian_is_recorded():
    everything_but_the_guardian = _all_fields(guardian=False)
    everything_but_the_guardian[Key.FAMILY]["guardian_name"] = "Paman Hasan"
    # 50 of 54 fields now
    assert book.completeness(everything_but_the_guardian) == 50 * 100 // 54 == 92
    assert book.completeness(_all_fields(guardian=True)) == 100


def test_zero_counts_as_filled_and_blank_does_not():
    assert book.completeness({Key.IDENTITY: {"siblings": 0}}) == 2
    assert book.completeness({Key.IDENTITY: {"nickname": ""}}) == 0


# Saving a section.


def test_counselor_saves_a_section_and_the_completeness_follows(client_for, counselor, student):
    client = client_for(counselor)
    assert client.get(_url("book_section_edit", student, Key.FAMILY)).status_code == 200
    response = _post_section(client, student, Key.FAMILY, FAMILY)
    assert response.status_code == 302
    assert response.url == _url("student_book", student) + "#section-family"
    family = _sections(student)[Key.FAMILY]
    assert family.data == FAMILY
    assert (family.version, family.updated_by) == (1, counselor)
    assert PersonalBook.objects.get(student=student).completeness == 10 * 100 // 49

    _post_section(client, student, Key.HEALTH, HEALTH)
    health = _sections(student)[Key.HEALTH]
    # The decimal comma is read; numbers are stored as text, as typed digits.
    assert health.data == {**HEALTH, "height_cm": "151.5"}
    assert PersonalBook.objects.get(student=student).completeness == 14 * 100 // 49


def test_the_book_page_shows_the_saved_values_and_who_saved_them(client_for, counselor, student):
    client = client_for(counselor)
    _post_section(client, student, Key.HEALTH, HEALTH)
    html = client.get(_url("student_book", student)).content.decode()
    assert "151,5 cm" in html  # Indonesian decimal comma
    assert "Alergi udang" in html
    assert counselor.full_name in html
    assert "<progress" in html and 'value="8"' in html
    assert " style=" not in html and "<style" not in html


def test_leading_zeros_of_numbers_kept_as_text_survive(client_for, counselor, student):
    client = client_for(counselor)
    response = _post_section(
        client,
        student,
        Key.IDENTITY,
        {"nik": "0527011708130002", "phone": "+62 812-3456-7890", "child_order": "1"},
    )
    assert response.status_code == 302
    _post_section(
        client, student, Key.RESIDENCE, {"rt": "003", "rw": "010", "postal_code": "06931"}
    )
    sections = _sections(student)
    assert sections[Key.IDENTITY].data == {
        "nik": "0527011708130002",
        "phone": "+6281234567890",
        "child_order": 1,
    }
    assert sections[Key.RESIDENCE].data == {"rt": "003", "rw": "010", "postal_code": "06931"}


@pytest.mark.parametrize(
    ("key", "data", "field"),
    [
        (Key.IDENTITY, {"nik": "32730114031300"}, "nik"),
        (Key.IDENTITY, {"nik": "3273O11403130001"}, "nik"),
        (Key.IDENTITY, {"phone": "0812-ABC"}, "phone"),
        (Key.IDENTITY, {"email": "bukan-email"}, "email"),
        (Key.IDENTITY, {"religion": "atheism"}, "religion"),
        (Key.IDENTITY, {"child_order": "0"}, "child_order"),
        (Key.FAMILY, {"father_income": "millions"}, "father_income"),
        (Key.RESIDENCE, {"postal_code": "6931"}, "postal_code"),
        (Key.RESIDENCE, {"distance_km": "dekat"}, "distance_km"),
        (Key.HEALTH, {"height_cm": "1515"}, "height_cm"),
        (Key.EDUCATION, {"year_entered": "20x4"}, "year_entered"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    client_for, counselor, student, key, data, field
):
    client = client_for(counselor)
    response = _post_section(client, student, key, {**data, "notes": "tersimpan?"})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert all(section.data == {} for section in _sections(student).values())
    assert PersonalBook.objects.get(student=student).completeness == 0


def test_a_tampered_version_is_refused(client_for, counselor, student):
    response = _post_section(client_for(counselor), student, Key.NOTES, {"notes": "x"}, "-1")
    assert response.status_code == 200
    assert "version" in response.context["form"].errors
    assert _sections(student)[Key.NOTES].data == {}


def test_an_unknown_section_is_404(client_for, counselor, student):
    assert (
        client_for(counselor).get(_url("book_section_edit", student, "secrets")).status_code == 404
    )


# Two people editing the same section.


def test_second_save_of_the_same_version_is_refused_and_shows_the_other_version(
    client_for, counselor, second_counselor, student
):
    first, second = client_for(counselor), client_for(second_counselor)
    url = _url("book_section_edit", student, Key.FAMILY)
    # Both open the form while the section is at version 0.
    for client in (first, second):
        assert client.get(url).context["form"]["version"].value() == 0
    assert _post_section(first, student, Key.FAMILY, FAMILY, 0).status_code == 302

    mine = {**FAMILY, "father_name": "Slamet Riyadi Saputra", "father_occupation": "Petani"}
    response = _post_section(second, student, Key.FAMILY, mine, 0)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="edit-conflict"' in html
    assert counselor.full_name in html  # who saved in between
    assert [(r["theirs"], r["yours"]) for r in response.context["differences"]] == [
        ("Slamet Riyadi", "Slamet Riyadi Saputra"),
        ("Nelayan", "Petani"),
    ]
    # The form keeps what the second person typed, now against the version they were shown.
    form = response.context["form"]
    assert form["father_name"].value() == "Slamet Riyadi Saputra"
    assert form["version"].value() == "1"
    assert 'value="Slamet Riyadi Saputra"' in html
    # Nothing of theirs was saved; the first person's data stands.
    family = _sections(student)[Key.FAMILY]
    assert (family.data, family.version, family.updated_by) == (FAMILY, 1, counselor)

    # Having seen the other version, saving again is a deliberate choice, and it goes through.
    assert _post_section(second, student, Key.FAMILY, mine, 1).status_code == 302
    family.refresh_from_db()
    assert (family.data, family.version, family.updated_by) == (mine, 2, second_counselor)


@pytest.mark.django_db(transaction=True)
def test_the_service_saves_only_against_the_version_it_was_given(school, counselor, student):
    """Committed transactions and a plain conditional UPDATE: the same on SQLite and PostgreSQL
    (the suite runs on both)."""
    personal_book = book.personal_book_get_or_create(student=student)
    loaded_by_first = book.book_sections(personal_book)[Key.NOTES]
    loaded_by_second = PersonalBookSection.objects.get(pk=loaded_by_first.pk)
    book.personal_book_section_save(
        section=loaded_by_first, data={"notes": "pertama"}, version=0, user=counselor
    )
    with pytest.raises(book.SectionConflict) as refused:
        book.personal_book_section_save(
            section=loaded_by_second, data={"notes": "kedua"}, version=0, user=counselor
        )
    assert refused.value.current.data == {"notes": "pertama"}
    stored = PersonalBookSection.objects.get(pk=loaded_by_first.pk)
    assert (stored.data, stored.version) == ({"notes": "pertama"}, 1)
    assert PersonalBook.objects.get(pk=personal_book.pk).completeness == 2


# Who may read and write.

ALL_PAGES = ["student_book", "book_print", "book_pdf", "book_section_edit"]


def _page(name: str, student: Student) -> str:
    return _url(name, student, Key.IDENTITY if name == "book_section_edit" else None)


@pytest.mark.parametrize("role", ["principal", "vice_principal", "subject_teacher", "admin_staff"])
def test_roles_without_the_book_get_404_everywhere(request, client_for, student, role):
    client = client_for(request.getfixturevalue(role))
    for name in ALL_PAGES:
        assert client.get(_page(name, student)).status_code == 404, name
    assert _post_section(client, student, Key.NOTES, {"notes": "x"}).status_code == 404
    assert not PersonalBook.objects.exists()
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("person", ["other_principal", "other_admin_staff", "other_counselor"])
def test_other_school_gets_404_everywhere(request, client_for, student, person):
    client = client_for(request.getfixturevalue(person))
    for name in ALL_PAGES:
        assert client.get(_page(name, student)).status_code == 404, name
    assert _post_section(client, student, Key.NOTES, {"notes": "x"}).status_code == 404
    assert not PersonalBook.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, student):
    for name in ALL_PAGES:
        assert client.get(_page(name, student))["Location"].startswith(reverse("login"))


def _fill_everything(client, student):
    _post_section(
        client,
        student,
        Key.IDENTITY,
        {"nickname": "Ayu", "religion": "islam", "nik": "3528015708130001", "phone": "081999"},
    )
    _post_section(client, student, Key.FAMILY, FAMILY)
    _post_section(client, student, Key.HEALTH, HEALTH)
    _post_section(client, student, Key.NOTES, {"notes": "Catatan rahasia konselor"})


def test_homeroom_teacher_sees_identity_and_parents_contacts_only(
    client_for, counselor, homeroom_teacher, student
):
    _fill_everything(client_for(counselor), student)
    client = client_for(homeroom_teacher)
    for name in ("student_book", "book_print"):
        response = client.get(_page(name, student))
        assert response.status_code == 200
        html = response.content.decode()
        for seen in ("3528015708130001", "Slamet Riyadi", "081234567890", "085212345678"):
            assert seen in html, (name, seen)
        for hidden in ("Nelayan", "Pedagang", "Alergi udang", "Catatan rahasia", "151,5"):
            assert hidden not in html, (name, hidden)
        assert [s.key for s in response.context["sections"]] == [Key.IDENTITY, Key.FAMILY]
        assert _url("book_section_edit", student, Key.IDENTITY) not in html


def test_homeroom_teacher_cannot_edit(client_for, counselor, homeroom_teacher, student):
    _fill_everything(client_for(counselor), student)
    client = client_for(homeroom_teacher)
    assert client.get(_url("book_section_edit", student, Key.IDENTITY)).status_code == 404
    response = _post_section(client, student, Key.IDENTITY, {"nickname": "Diubah"}, 1)
    assert response.status_code == 404
    assert _sections(student)[Key.IDENTITY].data["nickname"] == "Ayu"


def test_homeroom_teachers_pdf_holds_only_identity_and_contacts(
    client_for, counselor, homeroom_teacher, student
):
    _fill_everything(client_for(counselor), student)
    with mock.patch.object(pdf, "html_to_pdf", return_value=b"%PDF-1.7 test") as render:
        response = client_for(homeroom_teacher).get(_url("book_pdf", student))
    if response.status_code == 503:
        skip_or_fail("WeasyPrint cannot load its system libraries (libpango-1.0-0)")
    assert response.status_code == 200
    html = render.call_args.args[1]
    assert "Slamet Riyadi" in html and "081234567890" in html
    assert "Alergi udang" not in html and "Catatan rahasia" not in html and "Nelayan" not in html


def test_homeroom_teacher_of_another_class_gets_404(client_for, school, student):
    teacher = UserFactory(username="walas_lain", school=school, roles=[Role.HOMEROOM_TEACHER])
    ClassroomFactory(
        school=school, academic_year=_current_year(school), name="VII-B", homeroom_teacher=teacher
    )
    client = client_for(teacher)
    for name in ALL_PAGES:
        assert client.get(_page(name, student)).status_code == 404, name


def test_counselor_who_also_leads_the_class_has_full_access(client_for, school, student):
    both = UserFactory(
        username="bk_walas", school=school, roles=[Role.COUNSELOR, Role.HOMEROOM_TEACHER]
    )
    student.classroom.homeroom_teacher = both
    student.classroom.save()
    client = client_for(both)
    assert client.get(_url("book_section_edit", student, Key.HEALTH)).status_code == 200
    response = client.get(_url("student_book", student))
    assert len(response.context["sections"]) == len(Key.values)


# The access log.


@pytest.mark.parametrize("name", ["student_book", "book_print", "book_section_edit"])
def test_every_read_is_written_to_the_access_log(client_for, counselor, student, name):
    client = client_for(counselor)
    client.get(_page(name, student))
    client.get(_page(name, student))
    personal_book = PersonalBook.objects.get(student=student)
    entries = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.VIEW_PERSONAL_BOOK)
    assert entries.count() == 2
    assert {(e.user, e.object_type, e.object_id, e.school_id) for e in entries} == {
        (counselor, "counseling.personalbook", str(personal_book.pk), counselor.school_id)
    }


def test_homeroom_teachers_reads_are_logged_too(client_for, homeroom_teacher, student):
    client_for(homeroom_teacher).get(_url("student_book", student))
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action) == (
        homeroom_teacher,
        AccessLogEntry.Action.VIEW_PERSONAL_BOOK,
    )


def test_a_pdf_is_logged(client_for, counselor, student):
    with mock.patch.object(pdf, "html_to_pdf", return_value=b"%PDF-1.7 test"):
        response = client_for(counselor).get(_url("book_pdf", student))
    if response.status_code == 503:
        skip_or_fail("WeasyPrint cannot load its system libraries (libpango-1.0-0)")
    assert (
        AccessLogEntry.objects.filter(
            action=AccessLogEntry.Action.VIEW_PERSONAL_BOOK, user=counselor
        ).count()
        == 1
    )


# Print view and PDF.


def test_the_print_view_is_an_a4_document_without_inline_styles(client_for, counselor, student):
    client = client_for(counselor)
    _fill_everything(client, student)
    response = client.get(_url("book_print", student))
    html = response.content.decode()
    assert 'href="/static/css/print.css"' in html
    assert 'src="/static/js/print.js"' in html
    # The head of every other page: language, character set, viewport, the site's icon.
    assert '<html lang="id">' in html
    assert '<meta charset="utf-8">' in html and 'name="viewport"' in html
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert " style=" not in html and "<style" not in html and "<script>" not in html
    assert student.school.name in html and "Alergi udang" in html
    assert len(re.findall(r'class="print-section"', html)) == len(Key.values)
    css = (pdf.static_file_path(pdf.BASE_URL + "static/css/print.css")).read_text()
    assert "size: A4" in css


def test_the_pdf_is_a_pdf(client_for, counselor, student):
    if pdf.load_weasyprint() is None:
        skip_or_fail("WeasyPrint cannot load its system libraries (libpango-1.0-0)")
    client = client_for(counselor)
    _fill_everything(client, student)
    response = client.get(_url("book_pdf", student))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))
    assert 'filename="buku-pribadi-0098765432.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_the_pdf_loads_the_print_stylesheet_from_the_static_files():
    weasyprint = pdf.load_weasyprint()
    if weasyprint is None:
        skip_or_fail("WeasyPrint cannot load its system libraries (libpango-1.0-0)")
    fetcher = pdf._fetcher_class(weasyprint)()
    response = fetcher.fetch(pdf.BASE_URL + "static/css/print.css")
    assert b"size: A4" in response.read()
    assert response.content_type == "text/css"
    # Nothing but the site's static files: no network, no other local files.
    for url in (
        "https://example.com/static/css/print.css",
        "file:///etc/passwd",
        pdf.BASE_URL + "static/../../config/settings.py",
        pdf.BASE_URL + "media/consent/1/x.pdf",
        pdf.BASE_URL + "static/css/nothing-here.css",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_pdf_is_styled_by_the_print_stylesheet():
    """A4 from print.css reaches the PDF: 595 × 842 points."""
    weasyprint = pdf.load_weasyprint()
    if weasyprint is None:
        skip_or_fail("WeasyPrint cannot load its system libraries (libpango-1.0-0)")
    html = '<link rel="stylesheet" href="/static/css/print.css"><p>Uji</p>'
    document = weasyprint.HTML(
        string=html, base_url=pdf.BASE_URL, url_fetcher=pdf._fetcher_class(weasyprint)()
    ).render()
    page = document.pages[0]
    assert (round(page.width), round(page.height)) == (794, 1123)  # A4 in CSS pixels


@pytest.mark.parametrize(
    "failure",
    [
        OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared file"),
        ImportError("No module named 'weasyprint'"),
    ],
)
def test_without_weasyprints_libraries_the_pdf_link_explains_what_to_install(
    client_for, counselor, student, failure
):
    with mock.patch.object(pdf, "import_weasyprint", side_effect=failure):
        response = client_for(counselor).get(_url("book_pdf", student))
    assert response.status_code == 503
    html = response.content.decode()
    assert "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" in html
    assert _url("book_print", student) in html
    assert not AccessLogEntry.objects.exists()  # nothing of the book was shown


def test_without_weasyprint_outsiders_still_get_404(client_for, admin_staff, student):
    with mock.patch.object(pdf, "import_weasyprint", side_effect=OSError("no pango")):
        assert client_for(admin_staff).get(_url("book_pdf", student)).status_code == 404


# The student's page.


def test_student_page_shows_the_book_card_to_counselors(client_for, counselor, student):
    client = client_for(counselor)
    html = client.get(_url("student_detail", student)).content.decode()
    assert 'data-testid="personal-book-card"' in html
    assert _url("student_book", student) in html and _url("book_pdf", student) in html
    assert not PersonalBook.objects.exists()  # looking at the card creates nothing
    _post_section(client, student, Key.FAMILY, FAMILY)
    html = client.get(_url("student_detail", student)).content.decode()
    assert '<progress class="w-100 mb-2" value="20" max="100"' in html
    assert " style=" not in html


def test_student_page_shows_the_homeroom_teacher_the_contacts_link_only(
    client_for, homeroom_teacher, student
):
    html = client_for(homeroom_teacher).get(_url("student_detail", student)).content.decode()
    assert 'data-testid="personal-book-card"' in html
    assert _url("student_book", student) in html
    assert _url("book_pdf", student) not in html and "<progress" not in html


def test_student_page_has_no_book_card_for_admin_staff(client_for, admin_staff, student):
    html = client_for(admin_staff).get(_url("student_detail", student)).content.decode()
    assert 'data-testid="personal-book-card"' not in html
    assert _url("student_book", student) not in html


# Query counts.


def test_book_page_query_count_does_not_grow_as_sections_fill(
    client_for, counselor, second_counselor, student, django_assert_num_queries
):
    client = client_for(counselor)
    url = _url("student_book", student)
    client.get(url)  # the first visit creates the book and its sections
    # session, user, roles, the student with school, class, year, teacher and book, the
    # sections with their editors, the access-log row
    with django_assert_num_queries(6):
        client.get(url)
    _fill_everything(client, student)
    _post_section(client_for(second_counselor), student, Key.EDUCATION, {"notes": "x"})
    with django_assert_num_queries(6):
        response = client.get(url)
    assert "Catatan rahasia konselor" in response.content.decode()


def test_a_book_without_sections_gets_them_on_first_opening(client_for, counselor, student):
    PersonalBookFactory(student=student, completeness=0)
    response = client_for(counselor).get(_url("student_book", student))
    assert response.status_code == 200
    assert set(_sections(student)) == set(Key.values)


# The Dapodik import fills the book.


@pytest.fixture
def import_classes(school):
    year = _current_year(school)
    return {
        "VII-A": ClassroomFactory(school=school, academic_year=year, grade=7, name="VII-A"),
        "VIII-A": ClassroomFactory(school=school, academic_year=year, grade=8, name="VIII-A"),
    }


AHMAD = dapodik_student(
    **{
        "RT": "003",
        "RW": "001",
        "Dusun": "Krajan",
        "Kecamatan": "Coblong",
        "Kode Pos": "40132",
        "Jenis Tinggal": "Bersama orang tua",
        "E-Mail": "ahmad@example.com",
        "Anak ke-berapa": 2,
        "Jml. Saudara Kandung": 3,
        "Lingkar Kepala": 54,
        "Sekolah Asal": "SD Negeri 1 Sukajadi",
        "Kebutuhan Khusus": "Tidak",
    },
    ayah=[
        "Slamet Riyadi",
        1980,
        "SMA / sederajat",
        "Wiraswasta",
        "Rp. 2,000,000 - Rp. 4,999,999",
        "3273010101800001",
    ],
    ibu=["Sri Wahyuni", 1983, "D3", "Guru", "Kurang dari Rp. 500,000", "3273010101830002"],
    wali=["Hasan Basri", 1960, "Tidak sekolah", "Petani", "Tidak Berpenghasilan", None],
)


def _import(school, user, students):
    rows = read_roster(school=school, content=dapodik_xlsx(students))
    assert not [row.errors for row in rows if row.errors]
    students_import_apply(school=school, rows=rows, user=user)


def test_the_import_fills_the_personal_book(school, admin_staff, import_classes):
    _import(school, admin_staff, [AHMAD])
    ahmad = Student.objects.get(nisn="0091234561")
    sections = _sections(ahmad)
    assert sections[Key.IDENTITY].data == {
        "religion": "islam",
        "nik": "3273011403130001",
        "phone": "081234567890",
        "email": "ahmad@example.com",
        "child_order": 2,
        "siblings": 3,
    }
    assert sections[Key.FAMILY].data == {
        "father_name": "Slamet Riyadi",
        "father_education": "sma",
        "father_occupation": "Wiraswasta",
        "father_income": "2m_5m",
        "mother_name": "Sri Wahyuni",
        "mother_education": "diploma",
        "mother_occupation": "Guru",
        "mother_income": "lt_500k",
        "guardian_name": "Hasan Basri",
        "guardian_education": "none",
        "guardian_occupation": "Petani",
        "guardian_income": "none",
    }
    assert sections[Key.RESIDENCE].data == {
        "address": "Jl. Merdeka No. 5",
        "rt": "003",
        "rw": "001",
        "hamlet": "Krajan",
        "village": "Sukajadi",
        "district": "Coblong",
        "postal_code": "40132",
        "lives_with": "parents",
        "transport": "walking",
        "distance_km": "1",
    }
    assert sections[Key.HEALTH].data == {
        "height_cm": "150",
        "weight_kg": "38",
        "head_circumference_cm": "54",
        "special_needs": "Tidak",
    }
    assert sections[Key.EDUCATION].data == {"previous_school": "SD Negeri 1 Sukajadi"}
    assert all(s.updated_by == admin_staff for s in sections.values())
    personal_book = PersonalBook.objects.get(student=ahmad)
    assert personal_book.school == school
    # 6 + 12 + 10 + 4 + 1 of 54 fields (a guardian is recorded)
    assert personal_book.completeness == 33 * 100 // 54


def test_the_import_never_overwrites_what_a_counselor_wrote(
    client_for, school, admin_staff, counselor, import_classes
):
    _import(school, admin_staff, [AHMAD])
    ahmad = Student.objects.get(nisn="0091234561")
    client = client_for(counselor)
    family = _sections(ahmad)[Key.FAMILY]
    corrected = {**family.data, "father_name": "Slamet Riyadi, S.T.", "father_phone": "0811000"}
    del corrected["mother_occupation"]  # emptied by the counselor: the next import refills it
    assert _post_section(client, ahmad, Key.FAMILY, corrected, 0).status_code == 302
    _post_section(client, ahmad, Key.NOTES, {"notes": "Catatan"})
    before = _sections(ahmad)

    _import(school, admin_staff, [{**AHMAD, "Nama": "Ahmad Fauzi Baru", "HP": "089999999999"}])

    after = _sections(ahmad)
    assert after[Key.FAMILY].data["father_name"] == "Slamet Riyadi, S.T."
    assert after[Key.FAMILY].data["mother_occupation"] == "Guru"
    assert after[Key.FAMILY].version == before[Key.FAMILY].version + 1
    assert after[Key.IDENTITY].data["phone"] == "081234567890"  # filled by the first import
    # Sections with nothing new are left as they were.
    for key in (Key.IDENTITY, Key.RESIDENCE, Key.HEALTH, Key.NOTES):
        assert (after[key].data, after[key].version) == (before[key].data, before[key].version)
    assert after[Key.NOTES].updated_by == counselor


def test_the_import_leaves_out_values_the_form_would_refuse(school, admin_staff, import_classes):
    messy = {
        **AHMAD,
        "NIK": "32730114",
        "HP": "-",
        "Telepon": "(0324) 322-111",
        "E-Mail": "tidak punya",
        "Agama": "Kepercayaan kpd Tuhan YME",
        "Kode Pos": "0",
        "Tinggi Badan": 0,
        "Berat Badan": "abc",
        "Alat Transportasi": "Kuda",
        "ayah": ["Slamet", None, "Informal", "-", "Kurang dari Rp 1.000.000", None],
    }
    _import(school, admin_staff, [messy])
    sections = _sections(Student.objects.get(nisn="0091234561"))
    identity = sections[Key.IDENTITY].data
    assert "nik" not in identity and "email" not in identity and "religion" not in identity
    assert identity["phone"] == "0324322111"  # HP is empty; the landline is used
    family = sections[Key.FAMILY].data
    assert family["father_name"] == "Slamet"
    assert not {"father_education", "father_occupation", "father_income"} & set(family)
    assert "postal_code" not in sections[Key.RESIDENCE].data
    assert sections[Key.RESIDENCE].data["transport"] == "other"
    assert "height_cm" not in sections[Key.HEALTH].data
    assert "weight_kg" not in sections[Key.HEALTH].data


def test_the_import_fills_books_with_a_fixed_number_of_queries(school, admin_staff, import_classes):
    def queries_for(count: int, first: int, **changes) -> int:
        cast = [
            {**AHMAD, "NISN": f"{first + n:010d}", "Nama": f"Siswa {n}", **changes}
            for n in range(count)
        ]
        rows = read_roster(school=school, content=dapodik_xlsx(cast))
        with CaptureQueriesContext(connection) as queries:
            students_import_apply(school=school, rows=rows, user=admin_staff)
        return len(queries)

    # New students: savepoint, students read and inserted, their books read (none), books and
    # sections inserted, release. The same for 3 students as for 15 (SQLite splits an insert
    # only past 999 parameters, about 140 sections).
    assert queries_for(3, 1000, **{"Kode Pos": None}) == 7
    assert queries_for(15, 2000, **{"Kode Pos": None}) == 7
    # Again, with a postal code the books lack: savepoint, students read and updated, books
    # and sections read, sections and books updated, release.
    assert queries_for(3, 1000) == 8
    assert queries_for(15, 2000) == 8
    assert PersonalBook.objects.filter(school=school).count() == 18
    assert PersonalBookSection.objects.filter(data__postal_code="40132").count() == 18


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("Tidak Berpenghasilan", "none"),
        ("Kurang dari Rp. 500,000", "lt_500k"),
        ("Rp. 500,000 - Rp. 999,999", "500k_1m"),
        ("Rp. 1,000,000 - Rp. 1,999,999", "1m_2m"),
        ("Rp. 2-5 juta", "2m_5m"),
        ("Rp. 5,000,000 - Rp. 20,000,000", "5m_20m"),
        ("Lebih dari Rp. 20,000,000", "gt_20m"),
        ("Rp 750.000", "500k_1m"),
        # The old band spans two of today's: left for the counselor.
        ("Kurang dari Rp 1.000.000", ""),
        ("-", ""),
        (None, ""),
    ],
)
def test_dapodik_income_wording_maps_to_the_bands(text, band):
    assert book.income_band(text) == band


# Demo data.


def test_seed_gives_books_of_varying_completeness_and_runs_once(db):
    school = SchoolFactory(npsn="20526101")
    SemesterFactory(academic_year__school=school)
    year = _current_year(school)
    counselor = UserFactory(username="bk_demo", school=school, roles=[Role.COUNSELOR])
    classes = [
        ClassroomFactory(school=school, academic_year=year, grade=7 + n % 3, counselor=counselor)
        for n in range(3)
    ]
    for n in range(150):
        StudentFactory(
            school=school, classroom=classes[n % 3], birth_date=date(2013, 1, 1 + n % 28)
        )
    assert seed_personal_books(school=school, seed=2026) == 150
    completeness = list(PersonalBook.objects.values_list("completeness", flat=True))
    assert sum(c < 25 for c in completeness) >= 5
    assert sum(40 <= c <= 90 for c in completeness) >= 90
    assert sum(c == 100 for c in completeness) >= 5
    assert PersonalBookSection.objects.count() == 150 * len(Key.values)
    # Every stored value is one the form accepts.
    for section in PersonalBookSection.objects.filter(version=1)[:200]:
        form = book.section_form_class(section.key)(data={**section.data, "version": 1})
        assert form.is_valid(), (section.key, form.errors)
        assert section.updated_by == counselor
    before = sorted(PersonalBookSection.objects.values_list("book_id", "key", "data"))

    assert seed_personal_books(school=school, seed=2026) == 0
    assert sorted(PersonalBookSection.objects.values_list("book_id", "key", "data")) == before
