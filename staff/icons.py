"""The Bootstrap Icons the application uses, cut from the full icon font.

The full font (134 KB) and its style sheet (87 KB) would be most of every first page load on a
school's slow connection; the application uses a few dozen icons. ``python manage.py
subset_icons`` finds the ``bi-…`` names in the templates, the apps' Python code and the scripts,
and writes a font and a style sheet with only those (``static/vendor/bootstrap-icons/subset/``).
A test fails when a name is used that the subset lacks.
"""

import re
from pathlib import Path

from django.conf import settings

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor" / "bootstrap-icons"
FULL_CSS = VENDOR / "bootstrap-icons.min.css"
FULL_FONT = VENDOR / "fonts" / "bootstrap-icons.woff2"
SUBSET_DIR = VENDOR / "subset"
SUBSET_CSS = SUBSET_DIR / "bootstrap-icons.css"
SUBSET_FONT = SUBSET_DIR / "bootstrap-icons.woff2"

# Where icon names are written: templates, the apps' Python code (menus), the scripts.
SOURCES = ("templates", "staff", "counseling", "supervision", "static/js")
SOURCE_SUFFIXES = {".html", ".py", ".js"}
ICON_NAME = re.compile(r"\bbi-([a-z0-9]+(?:-[a-z0-9]+)*)\b")
ICON_RULE = re.compile(r'\.bi-([a-z0-9-]+)::before\{content:"\\([0-9a-f]+)"\}')


def used_icons(base: Path | None = None) -> set[str]:
    """Every icon name the application's sources mention."""
    base = base or Path(settings.BASE_DIR)
    names: set[str] = set()
    for folder in SOURCES:
        for path in (base / folder).rglob("*"):
            if path.suffix in SOURCE_SUFFIXES and "migrations" not in path.parts:
                names.update(ICON_NAME.findall(path.read_text(encoding="utf-8")))
    return names


def codepoints(css: str) -> dict[str, int]:
    """Icon name → its character in the font, from the full style sheet."""
    return {name: int(code, 16) for name, code in ICON_RULE.findall(css)}


def subset_css(names: set[str], points: dict[str, int], font_url: str) -> str:
    """A style sheet with the base rule of the full one and a rule per icon used."""
    rules = "".join(f'.bi-{name}::before{{content:"\\{points[name]:x}"}}' for name in sorted(names))
    return (
        "/* Bootstrap Icons v1.13.2 (MIT), cut to the icons Ruang BK uses: "
        "python manage.py subset_icons */\n"
        "@font-face{font-display:block;font-family:bootstrap-icons;"
        f'src:url("{font_url}") format("woff2")}}'
        '.bi::before,[class*=" bi-"]::before,[class^=bi-]::before{display:inline-block;'
        "font-family:bootstrap-icons!important;font-style:normal;font-weight:400!important;"
        "font-variant:normal;text-transform:none;line-height:1;vertical-align:-.125em;"
        "-webkit-font-smoothing:antialiased;-moz-osx-font-smoothing:grayscale}" + rules + "\n"
    )


def subset_icons_missing(names: set[str]) -> set[str]:
    """Names used that the subset style sheet does not draw."""
    drawn = set(re.findall(r"\.bi-([a-z0-9-]+)::before", SUBSET_CSS.read_text(encoding="utf-8")))
    return names - drawn
