"""The principal's dashboard in Chromium: kepsek opens it from the menu, the charts are drawn
with no Content Security Policy violation, the semester is switched, and the period report is
opened and downloaded as a PDF."""

import importlib
import re

import pytest
from django.apps import apps

from counseling import pdf
from staff.framework_data import load_shipped_framework
from staff.models import Role
from staff.replica import REPLICA
from tests.browser.menu import open_from_menu
from tests.browser.test_appraisal import sign_in
from tests.factories import (
    SchoolFactory,
    SemesterFactory,
    UserFactory,
    appraisal_with_scores,
    past_semester,
)
from tests.supervision.dashboard_setup import fill_semester
from tests.system import skip_or_fail

# The dashboard reads from the replica: a mirror of the test database in the live server.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]

CHARTS = ["chart-competency", "chart-training", "chart-compliance", "chart-collaboration"]


@pytest.fixture
def school_year(transactional_db):
    """A school like the demo's: kepsek, wakasek, two BK teachers appraised in the semester
    before and this one, and a semester of records."""
    # A transactional test may follow another that emptied the database, data migrations too.
    load_shipped_framework(apps)
    importlib.import_module("supervision.migrations.0002_standard_checklists").ship(apps, None)
    school = SchoolFactory(name="SMP Negeri 1 Sukamaju", npsn="20526101")
    current = SemesterFactory(academic_year__school=school)
    earlier = past_semester(school, 2025, 2)
    principal = UserFactory(
        username="kepsek",
        full_name="Drs. H. Ahmad Fauzi, M.Pd.",
        school=school,
        roles=[Role.PRINCIPAL],
    )
    counselors = [
        UserFactory(username=f"gurubk{n}", school=school, roles=[Role.COUNSELOR]) for n in (1, 2)
    ]
    for person, before, now in zip(counselors, (2, 3), (3, 3), strict=True):
        appraisal_with_scores(
            counselor=person, assessor=principal, semester=earlier, default_score=before
        )
        appraisal_with_scores(
            counselor=person, assessor=principal, semester=current, default_score=now
        )
    fill_semester(
        school,
        current,
        principal=principal,
        vice_principal=UserFactory(username="wakasek", school=school, roles=[Role.VICE_PRINCIPAL]),
        counselors=counselors,
    )
    return current, earlier


def charts_drawn(page) -> list[str]:
    page.wait_for_load_state("load")  # the charts' scripts have run
    return page.evaluate(
        "Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".filter((canvas) => Chart.getChart(canvas) !== undefined)"
        ".map((canvas) => canvas.dataset.chart)"
    )


def test_kepsek_reads_the_dashboard_switches_the_semester_and_downloads_the_report(
    page, school_year
):
    current, earlier = school_year
    problems = []
    page.on(
        "console",
        lambda message: message.type in ("error", "warning") and problems.append(message.text),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))

    sign_in(page, "kepsek")
    open_from_menu(page, "Supervisi & Koordinasi", "Dasbor")
    page.wait_for_url(re.compile(r"/supervision/dashboard/$"))
    assert charts_drawn(page) == CHARTS
    heatmap = page.get_by_test_id("heatmap")
    assert heatmap.locator("tbody tr").count() == 2
    assert heatmap.locator("td.heat-3").count() == 34
    assert page.get_by_test_id("average-score").inner_text() == "75,00"

    # The semester before: its own figures, its charts drawn too.
    page.get_by_test_id("semester-switcher").get_by_label("Semester").select_option(
        label=str(earlier)
    )
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(re.compile(rf"\?semester={earlier.pk}$"))
    assert charts_drawn(page) == CHARTS
    assert page.get_by_test_id("average-score").inner_text() == "62,50"
    assert page.get_by_test_id("meetings-held").inner_text().count("0") >= 5

    # Back to this semester, then its report, as a page and as a PDF.
    page.get_by_test_id("semester-switcher").get_by_label("Semester").select_option(
        value=str(current.pk)
    )
    page.get_by_role("button", name="Tampilkan").click()
    page.get_by_test_id("semester-report").click()
    page.wait_for_url(re.compile(rf"/supervision/report/semester/{current.pk}/$"))
    assert "Bab III. Kompetensi Guru BK dan perubahannya" in page.locator("body").inner_text()
    assert "naik dari 62,50 menjadi 75,00" in page.get_by_test_id("chapter-3").inner_text()
    if pdf.load_weasyprint() is None:
        skip_or_fail("WeasyPrint cannot load its system libraries (libpango-1.0-0)")
    with page.expect_download() as download_info:
        page.get_by_test_id("report-pdf").click()
    download = download_info.value
    assert download.suggested_filename == f"laporan-bk-semester-{current.pk}.pdf"
    with open(download.path(), "rb") as document:
        assert document.read(4) == b"%PDF"

    # Nothing was refused by the Content Security Policy, no script failed.
    assert problems == []
