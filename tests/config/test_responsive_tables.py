"""Every table of the application scrolls sideways on a phone instead of widening the page."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# Paper layouts (A4, their own css/print.css without Bootstrap); on a phone the PDF is offered.
PRINT_LAYOUTS = {
    "counseling/book_print.html",
    "supervision/appraisal_print.html",
    "supervision/report.html",
}

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}


class TableFinder(HTMLParser):
    """The lines of the <table> elements that no .table-responsive element encloses."""

    def __init__(self):
        super().__init__()
        self.open_elements: list[tuple[str, list[str]]] = []
        self.unwrapped: list[int] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_ELEMENTS:
            return
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and not any(
            name.startswith("table-responsive")
            for _tag, outer in self.open_elements
            for name in outer
        ):
            self.unwrapped.append(self.getpos()[0])
        self.open_elements.append((tag, classes))

    def handle_endtag(self, tag):
        for depth in range(len(self.open_elements) - 1, -1, -1):
            if self.open_elements[depth][0] == tag:
                del self.open_elements[depth:]
                break


def _unwrapped_tables(html: str) -> list[int]:
    finder = TableFinder()
    finder.feed(html)
    return finder.unwrapped


def _templates_with_tables() -> list[str]:
    return sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "<table" in path.read_text()
    )


@pytest.mark.parametrize(
    "name", [name for name in _templates_with_tables() if name not in PRINT_LAYOUTS]
)
def test_every_table_is_inside_a_table_responsive_wrapper(name):
    assert _unwrapped_tables((TEMPLATES / name).read_text()) == [], name


def test_the_finder_tells_wrapped_from_bare_tables():
    assert _unwrapped_tables('<div class="table-responsive"><table></table></div>') == []
    assert _unwrapped_tables('<div class="card">\n<table></table></div>') == [2]
    assert _unwrapped_tables('<div class="table-responsive"></div><table></table>') == [1]
    assert _unwrapped_tables('<div class="table-responsive-md"><table></table></div>') == []


def test_the_exceptions_still_exist():
    assert set(_templates_with_tables()) >= PRINT_LAYOUTS
