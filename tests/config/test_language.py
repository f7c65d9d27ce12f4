"""Bahasa Indonesia by default, English on request, Indonesian formats and time zone."""

import datetime
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from tests.system import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"


def test_pages_are_in_indonesian_by_default(client, db):
    html = client.get(reverse("login")).content.decode()
    assert 'lang="id"' in html
    assert "Masuk" in html


def test_indonesian_even_when_the_browser_prefers_english(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in html


def test_language_switch_to_english_is_remembered(client_for, counselor):
    client = client_for(counselor)
    assert "Beranda" in client.get(reverse("home")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in html
    assert "Home" in html and "Beranda" not in html


def test_dates_numbers_and_time_zone_are_indonesian():
    assert settings.TIME_ZONE == "Asia/Jakarta"
    with translation.override("id"):
        assert formats.date_format(datetime.date(2026, 8, 17), "j F Y") == "17 Agustus 2026"
        assert formats.number_format(1234567.5, 1, force_grouping=True) == "1.234.567,5"
    noon_utc = datetime.datetime(2026, 1, 1, 5, 0, tzinfo=datetime.UTC)
    assert timezone.localtime(noon_utc).hour == 12


def test_indonesian_catalogue_is_complete_and_compiled():
    catalogue = polib.pofile(str(CATALOGUE))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    # By context and text: a word may read differently in a menu ("menu area").
    compiled_strings = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in compiled}
    for entry in catalogue.translated_entries():
        if not entry.msgid_plural:
            assert compiled_strings.get((entry.msgctxt, entry.msgid)) == entry.msgstr, entry.msgid


def test_catalogue_holds_every_string_of_the_code(tmp_path):
    """Runs makemessages on a copy of the project: a string marked in the code but missing
    from the catalogue fails. (On the real tree it would rewrite the catalogue.)"""
    if shutil.which("xgettext") is None:
        skip_or_fail("GNU gettext is not installed (Debian package: gettext)")
    for name in ["config", "staff", "counseling", "supervision", "templates", "locale"]:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "id",
            "--no-obsolete",
            "--verbosity",
            "0",
        ],
        cwd=tmp_path,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
        timeout=300,
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh.untranslated_entries() + fresh.fuzzy_entries()]
    assert missing == []


def test_ids_in_templates_are_never_grouped():
    """A pk rendered into a link or a form value must stay a number: "?case=4355", not "4.355"."""
    from django.template import Context, Template

    with translation.override("id"):
        assert Template("{{ pk }}").render(Context({"pk": 4355})) == "4355"


# Placeholders that hold a person's name. A name may end in a title's full stop
# ("Dra. Siti Aminah, M.Pd."), so a sentence must not end right after it: "M.Pd.." otherwise.
PERSON_PLACEHOLDERS = (
    "name",
    "full_name",
    "person",
    "principal",
    "counselor",
    "teacher",
    "student",
    "evaluator",
    "assessor",
    "organizer",
    "delegate",
    "assignee",
    "who",
    "by",
)


def test_no_sentence_ends_right_after_a_persons_name():
    ending_in_a_name = re.compile(r"%\((" + "|".join(PERSON_PLACEHOLDERS) + r")\)s\.")
    catalogue = polib.pofile(str(CATALOGUE))
    offending = [
        text
        for entry in catalogue
        if not entry.obsolete
        for text in (entry.msgid, entry.msgstr)
        if ending_in_a_name.search(text)
    ]
    assert offending == []
