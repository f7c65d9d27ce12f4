"""The period report: a semester's or an academic year's three chapters, with the same numbers
as the dashboard of the same semester, sentences that say in Indonesian whether a figure rose,
fell or stayed, and a PDF that holds the school's name and the three chapters and is written
to the access log as an export."""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from counseling import pdf
from staff.models import AccessLogEntry
from supervision.report import Change, number, percentage
from tests.factories import appraisal_with_scores, past_semester
from tests.supervision.dashboard_setup import fill_semester
from tests.system import skip_or_fail

CHAPTERS = [
    "Bab I. Upaya kepala sekolah dalam meningkatkan kompetensi Guru BK",
    "Bab II. Faktor pendukung dan penghambat",
    "Bab III. Kompetensi Guru BK dan perubahannya",
]


@pytest.fixture
def earlier(school):
    return past_semester(school, 2025, 2)


@pytest.fixture
def records(school, semester, earlier, principal, vice_principal, counselors):
    """The demo's story in small: totals 44 then 55 of 68 for one counselor (64,71 → 80,88)
    and 44 both times for the other; a semester of records."""
    first, second = counselors
    forty_four = {"default_score": 2, "competency_scores": dict.fromkeys(range(1, 11), 3)}
    fifty_five = {"default_score": 3, "competency_scores": dict.fromkeys(range(1, 5), 4)}
    for person, before, after in [
        (first, forty_four, fifty_five),
        (second, forty_four, forty_four),
    ]:
        appraisal_with_scores(counselor=person, assessor=principal, semester=earlier, **before)
        appraisal_with_scores(counselor=person, assessor=principal, semester=semester, **after)
    return fill_semester(
        school,
        semester,
        principal=principal,
        vice_principal=vice_principal,
        counselors=counselors,
        scale=2,
    )


def test_the_report_and_the_dashboard_of_a_semester_show_the_same_numbers(
    client_for, principal, semester, records
):
    client = client_for(principal)
    dashboard = client.get(reverse("supervision:dashboard"), {"semester": semester.pk})
    cache.clear()  # computed afresh for the report, not read back from the dashboard's cache
    report = client.get(reverse("supervision:report_semester", args=[semester.pk]))
    assert report.status_code == 200
    assert report.context["figures"] == dashboard.context["figures"]
    html = report.content.decode()
    figures = report.context["figures"]
    assert f"{figures.outcomes.cases.total} kasus yang dibuka" in html
    assert f"{figures.factors.overdue_items} tugas tindak lanjut terlambat" in html


def test_the_report_says_what_rose_in_indonesian_with_a_decimal_comma(
    client_for, principal, semester, records
):
    html = (
        client_for(principal)
        .get(reverse("supervision:report_semester", args=[semester.pk]))
        .content.decode()
    )
    # (44 + 44) / 2 of 68 before; (55 + 44) / 2 of 68 now.
    assert "Rata-rata skor kompetensi naik dari 64,71 menjadi 72,80." in html
    assert "Kategori: 1 Baik, 1 Cukup." in html
    for chapter in CHAPTERS:
        assert chapter in html
    assert "Ruang BK memenuhi" in html  # the first assessment: no change to tell


def test_a_change_says_rose_fell_or_stayed():
    change = Change(
        rose="%(before)s naik %(after)s",
        fell="%(before)s turun %(after)s",
        stayed="tetap %(after)s",
    )
    with translation.override("id"):
        assert change.say(Decimal("64.71"), Decimal("80.88"), decimals=2) == "64,71 naik 80,88"
        assert change.say(Decimal("80.88"), Decimal("64.71"), decimals=2) == "80,88 turun 64,71"
        assert change.say(70, 70, decimals=1, unit=percentage) == "tetap 70,0%"
        assert number(1234.5, 1) == "1234,5"
    with translation.override("en"):
        assert change.say(Decimal("64.71"), Decimal("80.88"), decimals=2) == "64.71 naik 80.88"


def test_the_year_report_covers_both_semesters_against_the_year_before(
    client_for, principal, school, semester, records
):
    response = client_for(principal).get(
        reverse("supervision:report_year", args=[semester.academic_year_id])
    )
    assert response.status_code == 200
    period = response.context["period"]
    assert period.is_year and period.label == "Tahun ajaran 2026/2027"
    assert [s.pk for s in period.semesters] == [semester.pk]
    assert period.previous.year_name == "2025/2026"
    html = response.content.decode()
    assert "Tahun ajaran 2026/2027" in html and school.name in html
    assert "Rata-rata skor kompetensi naik dari 64,71 menjadi 72,80." in html


def test_the_report_list_names_every_year_and_semester(client_for, principal, semester, earlier):
    response = client_for(principal).get(reverse("supervision:report_index"))
    html = response.content.decode()
    assert reverse("supervision:report_semester", args=[earlier.pk]) in html
    assert reverse("supervision:report_year", args=[earlier.academic_year_id]) in html
    assert reverse("supervision:report_year", args=[semester.academic_year_id]) in html


def test_the_pdf_holds_the_school_and_the_three_chapters_and_is_logged(
    client_for, principal, school, semester, records
):
    if pdf.load_weasyprint() is None:
        skip_or_fail("WeasyPrint cannot load its system libraries (libpango-1.0-0)")
    from pypdf import PdfReader

    response = client_for(principal).get(
        reverse("supervision:report_semester_pdf", args=[semester.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="laporan-bk-semester-{semester.pk}.pdf"' in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert school.name in text
    for chapter in CHAPTERS:
        assert chapter in text
    assert "naik dari 64,71 menjadi 72,80" in text
    assert len(reader.pages) >= 3
    entry = AccessLogEntry.objects.get(user=principal)
    assert (entry.action, entry.object_type, entry.object_id) == (
        AccessLogEntry.Action.EXPORT,
        "supervision.period_report",
        f"semester-{semester.pk}",
    )
