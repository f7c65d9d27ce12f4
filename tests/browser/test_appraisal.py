"""A competency appraisal in Chromium: the principal scores and finalises the appraisal of a
BK teacher, who acknowledges it; a colleague cannot open it."""

import re

import pytest
from django.apps import apps
from django.urls import reverse

from staff.framework_data import load_shipped_framework
from staff.models import Appraisal, Role
from tests.browser.menu import open_from_menu
from tests.factories import TEST_PASSWORD, SchoolFactory, SemesterFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db):
    """kepsek, gurubk1 and gurubk2 of a school like the demo's, with its current semester."""
    # A transactional test may follow another that emptied the database, data migrations too.
    load_shipped_framework(apps)
    school = SchoolFactory(name="SMP Negeri 1 Sukamaju", npsn="20526101")
    SemesterFactory(academic_year__school=school)
    return {
        "kepsek": UserFactory(
            username="kepsek",
            full_name="Drs. H. Ahmad Fauzi, M.Pd.",
            school=school,
            roles=[Role.PRINCIPAL],
        ),
        "gurubk1": UserFactory(
            username="gurubk1",
            full_name="Nur Hasanah, S.Pd.",
            school=school,
            roles=[Role.COUNSELOR],
        ),
        "gurubk2": UserFactory(
            username="gurubk2",
            full_name="Moh. Rizal Efendi, S.Psi.",
            school=school,
            roles=[Role.COUNSELOR],
        ),
    }


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(TEST_PASSWORD)
    page.locator("main").get_by_role("button", name="Masuk").click()
    page.get_by_test_id("identity").wait_for()


def sign_out(page) -> None:
    page.context.clear_cookies()


def score(page, competency: int, values: list[int]) -> None:
    groups = page.locator(f"#competency-{competency} [role=group]")
    assert groups.count() == len(values)
    for position, value in enumerate(values):
        groups.nth(position).locator("label", has_text=str(value)).click()


def test_principal_finalises_the_counselor_acknowledges_a_colleague_cannot_open(page, people):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    # The principal starts the appraisal of gurubk2 from the list.
    sign_in(page, "kepsek")
    open_from_menu(page, "Kompetensi & Pelatihan", "Penilaian")
    row = page.get_by_test_id("counselor-row").filter(has_text="Moh. Rizal Efendi")
    row.get_by_role("button", name="Mulai penilaian").click()
    page.wait_for_url(re.compile(r"/supervision/appraisals/\d+/edit/$"))
    assert page.locator("[data-competency]").count() == 17

    # Scoring competency 1 shows its subtotal at once: 2 + 1 + 2 of 6 = 83,33 % → 4.
    score(page, 1, [2, 1, 2])
    subtotal = page.get_by_test_id("subtotal-1")
    assert "83,33%" in subtotal.inner_text()
    assert subtotal.locator("[data-competency-score]").inner_text() == "4"

    # A draft saved half way keeps its scores.
    page.get_by_role("button", name="Simpan draf").click()
    page.locator(".alert-success").wait_for()
    assert page.locator("#competency-1 input[value='1']:checked").count() == 1

    # Every other indicator fully met; the live total and category follow.
    for competency in range(2, 18):
        count = page.locator(f"#competency-{competency} [role=group]").count()
        score(page, competency, [2] * count)
    assert page.get_by_test_id("final-score").inner_text() == "100,00"
    assert page.get_by_test_id("category").inner_text() == "Amat Baik"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Simpan dan finalkan").click()
    page.wait_for_url(re.compile(r"/supervision/appraisals/\d+/$"))
    assert page.get_by_test_id("appraisal-status").inner_text() == "Final"
    assert page.get_by_test_id("final-score").inner_text() == "100,00"
    appraisal = Appraisal.objects.get()
    assert appraisal.status == Appraisal.Status.FINALISED
    assert appraisal.final_score == 100
    detail = page.url
    # Nothing to edit any more.
    assert page.get_by_role("link", name="Lanjutkan penilaian").count() == 0

    # gurubk2 reads it and acknowledges it with a comment.
    sign_out(page)
    sign_in(page, "gurubk2")
    open_from_menu(page, "Kompetensi & Pelatihan", "Penilaian")
    own = page.get_by_test_id("own-appraisals")
    assert "perlu dikonfirmasi" in own.inner_text()
    own.get_by_role("link", name="Penilaian kepala sekolah").click()
    page.get_by_label("Tanggapan Anda (tidak wajib)").fill(
        "Terima kasih, Bapak. Saya akan melanjutkan AKPD."
    )
    page.get_by_test_id("acknowledge").get_by_role("button", name="Konfirmasi").click()
    page.locator(".alert-success").wait_for()
    assert page.get_by_test_id("appraisal-status").inner_text() == "Dikonfirmasi"
    assert "Saya akan melanjutkan AKPD" in page.get_by_test_id("counselor-comment").inner_text()
    appraisal.refresh_from_db()
    assert appraisal.status == Appraisal.Status.ACKNOWLEDGED

    # The own competency profile draws its chart (Chart.js, vendored) beside the table.
    open_from_menu(page, "Kompetensi & Pelatihan", "Kompetensi")
    page.wait_for_url(re.compile(r"/supervision/competency/\d+/$"))
    page.wait_for_load_state("load")  # the chart's scripts have run
    assert page.evaluate("Chart.getChart('competency-chart') !== undefined")
    assert "100,00" in page.get_by_test_id("history").inner_text()

    # No script failed so far (the strict CSP let the form's script and nothing else run).
    assert errors == []

    # gurubk1, a colleague, cannot open it, nor find it.
    sign_out(page)
    sign_in(page, "gurubk1")
    response = page.goto(detail)
    assert response.status == 404
    page.goto(reverse("supervision:appraisal_list"))
    assert "Moh. Rizal Efendi" not in page.locator("main").inner_text()
