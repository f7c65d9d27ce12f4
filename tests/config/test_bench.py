"""The benchmark's page table and page weighing (bench/); the benchmark itself is `make bench`,
never part of the test suite."""

import sys
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import run  # noqa: E402

import pages  # noqa: E402

SAMPLES = {"student": 1, "case": 1, "semester": 1, "appraisal_form": "1/edit/"}


@pytest.mark.parametrize("page", pages.PAGES, ids=lambda page: page.name)
def test_every_page_of_the_table_exists_and_has_someone_to_ask_for_it(page):
    try:
        resolve(page.path.format(**SAMPLES).partition("?")[0])
    except Resolver404:
        pytest.fail(f"{page.name}: {page.path} is not a page of the application")
    assert page.role == pages.ANY_ROLE or page.role in pages.ACCOUNTS


def test_there_is_one_baseline_and_every_role_asks_for_it():
    assert [page for page in pages.PAGES if page.baseline] == [pages.baseline_page()]
    for role in pages.ACCOUNTS:
        assert pages.baseline_page() in pages.pages_for(role)
    assert len({page.name for page in pages.PAGES}) == len(pages.PAGES)


def test_a_style_sheet_loads_the_first_font_format_and_no_data_urls():
    css = """
    @font-face { font-family: x; src: url("fonts/x.woff2?a1") format("woff2"),
                 url('fonts/x.woff?a1') format("woff"); }
    .a { background: url(data:image/svg+xml;base64,AAAA) }
    .b { background-image: url( img/b.png ) }
    """
    assert run._css_urls(css) == ["fonts/x.woff2?a1", "img/b.png"]


@pytest.mark.parametrize(
    ("cache_control", "kept"),
    [
        ("max-age=315360000, public, immutable", True),
        ("max-age=86400, public", True),
        ("max-age=60, public", False),
        ("max-age=0, no-cache, no-store, must-revalidate, private", False),
        ("", False),
    ],
)
def test_a_later_visit_keeps_what_the_cache_headers_keep_for_a_day(cache_control, kept):
    assert run._kept(cache_control) is kept


def test_the_page_finds_its_style_sheets_scripts_and_icons():
    parser = run._Assets()
    parser.feed(
        '<link rel="stylesheet" href="/static/a.css"><link rel="icon" href="/static/i.svg">'
        '<link rel="preconnect" href="https://x"><script src="/static/b.js"></script>'
        '<script>/* inline */</script><img src="/static/c.png">'
    )
    assert parser.urls == ["/static/a.css", "/static/i.svg", "/static/b.js", "/static/c.png"]
