"""The icon font is cut to the icons the application uses (staff/icons.py): every icon a page
names is drawn by the subset, from a font that holds its character."""

from fontTools.ttLib import TTFont

from staff import icons


def test_every_icon_used_is_in_the_subset():
    missing = icons.subset_icons_missing(icons.used_icons())
    assert not missing, (
        f"Icons used but not in the subset: {sorted(missing)}. "
        "Run `python manage.py subset_icons` and commit static/vendor/bootstrap-icons/subset/."
    )


def test_the_subset_font_holds_every_character_its_style_sheet_draws():
    points = icons.codepoints(icons.FULL_CSS.read_text(encoding="utf-8"))
    drawn = icons.codepoints(icons.SUBSET_CSS.read_text(encoding="utf-8"))
    assert drawn and all(points[name] == code for name, code in drawn.items())
    characters = set(TTFont(icons.SUBSET_FONT).getBestCmap())
    assert set(drawn.values()) <= characters


def test_names_are_found_in_templates_menus_and_scripts(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text('<i class="bi bi-house"></i> bi-')
    (tmp_path / "staff").mkdir()
    (tmp_path / "staff" / "menu.py").write_text('MenuItem("x", "y", "bi-people-fill")')
    (tmp_path / "static" / "js").mkdir(parents=True)
    (tmp_path / "static" / "js" / "a.js").write_text('icon.className = "bi bi-x-circle";')
    assert icons.used_icons(tmp_path) == {"house", "people-fill", "x-circle"}
