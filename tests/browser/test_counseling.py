"""The BK teacher's and the homeroom teacher's daily work, in Chromium, on the demo school."""

import os
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from counseling.cases import STILL_OPEN_STATUSES
from counseling.models import Case, Collaboration, CounselingSession, InboundReferral, Student
from staff.demo import DEMO_PASSWORD
from tests.browser.menu import open_from_menu

pytestmark = pytest.mark.browser

NOTE = "Catatan rahasia: ayah kehilangan pekerjaan bulan lalu."


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Masuk").click()
    page.get_by_test_id("identity").wait_for()


def local_input(moment) -> str:
    """A value for a datetime-local field, in the school's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def pick(page, select_id: str, typed: str, label: str) -> None:
    """Choose an option of a searchable select (static/js/searchable-select.js) by typing."""
    page.locator(f"#{select_id}-ts-control").focus()
    page.keyboard.type(typed)
    page.locator(".ts-dropdown .option", has_text=label).first.click()


def fill_session(
    page, *, when, summary: str, strategy="individual", field="personal", minutes=45
) -> None:
    """The session form's own fields (its participants are chosen before or preset)."""
    page.locator("#id_starts_at").fill(local_input(when))
    page.locator("#id_duration_minutes").fill(str(minutes))
    page.locator("#id_strategy").select_option(strategy)
    page.locator("#id_component").select_option("responsive")
    page.locator("#id_field").select_option(field)
    page.locator("#id_summary").fill(summary)


def log_session(page, *, when, summary: str, note: str) -> None:
    fill_session(page, when=when, summary=summary)
    page.locator("#id_confidential_notes").fill(note)
    page.locator("#id_follow_up_plan").fill("Bertemu lagi minggu depan bersama wali kelas.")
    page.locator("main form").get_by_role("button", name="Catat sesi").click()
    page.locator(".alert-success").wait_for()


def test_counselor_keeps_a_book_opens_a_case_and_logs_sessions(page, demo):
    # A student without an open family case: a second one would be refused.
    student = (
        Student.objects.filter(classroom__name="VII-C")
        .exclude(cases__category="family", cases__status__in=STILL_OPEN_STATUSES)
        .order_by("full_name")
        .first()
    )
    sign_in(page, "gurubk1")

    # Find the student by NISN.
    open_from_menu(page, "Konseling", "Siswa")
    page.locator("#id_q").fill(student.nisn)
    page.locator("main form").get_by_role("button", name="Cari").click()
    page.get_by_role("link", name=student.full_name).click()
    page.get_by_role("heading", name=student.full_name).wait_for()

    # Fill the aspirations section of the personal book.
    page.get_by_test_id("personal-book-card").get_by_role("link", name="Buka dan isi").click()
    page.locator("a[href$='/book/aspirations/']").click()
    page.locator("#id_aspiration").fill("Dokter anak")
    page.locator("main form").get_by_role("button", name="Simpan").click()
    page.locator(".alert-success").wait_for()
    assert "Dokter anak" in page.locator("main").inner_text()

    # Open a case from the student's page.
    page.goto(f"/counseling/students/{student.pk}/")
    page.get_by_role("link", name="Buka kasus", exact=True).click()
    page.locator("#id_field").select_option("personal")
    page.locator("#id_category").select_option("family")
    page.locator("#id_source").select_option("homeroom_teacher")
    page.locator("#id_summary").fill("Murung sejak awal bulan, nilai turun.")
    page.locator("main form").get_by_role("button", name="Buka kasus", exact=True).click()
    page.wait_for_url(re.compile(r"/counseling/cases/\d+/$"))
    case_url = page.url

    # Two sessions within the case, each with a confidential note.
    now = timezone.now()
    for days_ago, summary in [(3, "Sesi pertama: membangun kepercayaan."), (1, "Sesi kedua.")]:
        page.goto(case_url)
        page.get_by_role("link", name="Catat sesi", exact=True).first.click()
        log_session(page, when=now - timedelta(days=days_ago), summary=summary, note=NOTE)

    # A phone call with the mother.
    page.goto(case_url)
    page.get_by_role("link", name="Catat kolaborasi").first.click()
    page.locator("#id_partner_type").select_option("parent")
    page.locator("#id_partner_name").fill("Ibu Siti (ibu kandung)")
    page.locator("#id_method").select_option("phone")
    page.locator("#id_happened_on").fill(timezone.localdate().isoformat())
    page.locator("#id_topic").fill("Kondisi di rumah")
    page.locator("#id_agreement").fill("Ibu mendampingi belajar setiap malam.")
    page.locator("main form").get_by_role("button", name="Simpan").click()
    page.locator(".alert-success").wait_for()

    page.goto(case_url)
    body = page.locator("main").inner_text()
    assert body.count(NOTE) == 2  # a handler reads the notes
    assert "Sedang ditangani" in body  # logging a session took the case up
    case = Case.objects.get(student=student, summary__startswith="Murung")
    assert case.sessions.count() == 2
    assert CounselingSession.objects.filter(case=case, confidential_notes=NOTE).count() == 2
    assert Collaboration.objects.filter(
        case=case, partner_type=Collaboration.Partner.PARENT
    ).exists()
    assert student.personal_book.sections.get(key="aspirations").data["aspiration"] == (
        "Dokter anak"
    )


def test_homeroom_teacher_refers_a_student_and_sees_only_the_status(page, demo):
    sign_in(page, "walikelas7a")
    page.get_by_role("link", name="Rujuk siswa").first.click()
    options = page.locator("#id_student option:not([value=''])")
    label = options.first.inner_text()
    student_name = label.split(" — ")[-1].strip()
    # The picker: type part of the name, choose the student from what matches.
    pick(page, "id_student", student_name, label)
    page.locator("#id_reason").fill("Tiga minggu ini sering terlambat dan tampak mengantuk.")
    page.get_by_role("button", name="Kirim ke BK").click()
    page.locator(".alert-success").wait_for()

    referral = InboundReferral.objects.filter(referred_by__username="walikelas7a").latest(
        "created_at"
    )
    assert referral.student.classroom.name == "VII-A"
    page.goto("/counseling/referrals/mine/")
    row = page.get_by_role("row").filter(has_text=referral.student.full_name).first
    assert "Menunggu" in row.inner_text()
    assert student_name

    # The notes of a VII-A student's session are out of reach: the pages do not exist for her.
    session = (
        CounselingSession.objects.filter(students__classroom__name="VII-A")
        .exclude(confidential_notes="")
        .filter(case__isnull=False)
        .first()
    )
    for url in [
        f"/counseling/sessions/{session.pk}/",
        f"/counseling/cases/{session.case_id}/",
        "/counseling/cases/",
    ]:
        response = page.goto(url)
        assert response.status == 404
        assert "Halaman tidak ditemukan" in page.locator("main").inner_text()
        assert session.confidential_notes not in page.content()


def test_admin_staff_creates_a_class_and_adds_a_student_to_it(page, demo):
    sign_in(page, "tu")
    page.goto("/counseling/classes/")
    page.get_by_test_id("class-create-link").click()
    page.locator("#id_grade").select_option("7")
    page.locator("#id_name").fill("VII-J")
    page.locator("#id_counselor").select_option(label="Nur Hasanah, S.Pd.")
    page.locator("main form").get_by_role("button", name="Tambahkan kelas").click()
    page.locator(".alert-success").wait_for()
    row = page.get_by_role("row").filter(has_text="VII-J")
    assert "Nur Hasanah, S.Pd." in row.inner_text()

    page.goto("/counseling/students/")
    page.get_by_test_id("student-create-link").click()
    page.locator("#id_nisn").fill("0123400001")
    page.locator("#id_full_name").fill("Rina Oktaviani")
    page.locator("#id_sex").select_option("P")
    page.locator("#id_classroom").select_option(label="VII-J")
    page.locator("main form").get_by_role("button", name="Tambahkan siswa").click()
    page.get_by_role("heading", name="Rina Oktaviani").wait_for()
    assert Student.objects.get(nisn="0123400001").classroom.name == "VII-J"


def test_the_student_picker_finds_students_by_typing_under_the_strict_csp(page, demo):
    problems = []
    page.on(
        "console",
        lambda message: message.type in ("error", "warning") and problems.append(message.text),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    first, second = Student.objects.filter(classroom__name="VIII-B").order_by("full_name")[:2]
    sign_in(page, "gurubk1")

    response = page.goto("/counseling/sessions/new/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    # The plain select of every active student became a picker.
    page.locator("#id_students-ts-control").wait_for()
    assert "ts-hidden-accessible" in page.locator("#id_students").get_attribute("class")
    for student in (first, second):
        pick(page, "id_students", student.full_name, f"VIII-B · {student.full_name}")
    assert page.locator(".ts-control .item").count() == 2

    fill_session(
        page,
        when=timezone.now() - timedelta(hours=2),
        summary="Uji pemilih siswa: pertemanan di kelas.",
        strategy="group_counseling",
        field="social",
        minutes=60,
    )
    button = page.locator("main form").get_by_role("button", name="Catat sesi")
    button.click()
    page.locator(".alert-success").wait_for()

    session = CounselingSession.objects.filter(summary__startswith="Uji pemilih siswa").get()
    assert set(session.students.all()) == {first, second}
    assert problems == []


def test_a_create_form_is_sent_once_however_often_its_button_is_clicked(page, demo):
    student = Student.objects.filter(classroom__name="IX-D").order_by("full_name").first()
    sign_in(page, "gurubk2")
    page.goto(f"/counseling/sessions/new/?student={student.pk}")
    fill_session(
        page,
        when=timezone.now() - timedelta(hours=1),
        summary="Uji kirim sekali: walau tombolnya diklik dua kali.",
        field="learning",
    )
    button = page.locator("main form").get_by_role("button", name="Catat sesi")
    # The first click sends the form and, before the answer comes, the button is disabled:
    # a second click has nothing to press.
    disabled = button.evaluate(
        "(element) => new Promise((resolve) => {"
        " element.click(); window.setTimeout(() => { resolve(element.disabled); }, 0); })"
    )
    assert disabled is True
    page.locator(".alert-success").wait_for()
    assert CounselingSession.objects.filter(summary__startswith="Uji kirim sekali").count() == 1
