import os
import re

import pytest
from django.core.management import call_command

from staff.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_principal_signs_in_in_indonesian_and_switches_to_english(page, demo):
    page.goto("/accounts/login/")
    page.get_by_label("Nama pengguna").fill("kepsek")
    page.get_by_label("Sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    identity = page.get_by_test_id("identity")
    identity.wait_for()
    assert "SMP Negeri 1 Sukamaju" in identity.inner_text()
    assert page.locator("html").get_attribute("lang") == "id"
    menu = page.get_by_test_id("main-menu")
    assert "Beranda" in menu.inner_text()
    # The principal's pages come in dropdowns per area; the access log under administration.
    menu.get_by_role("button", name="Administrasi").click()
    assert menu.get_by_role("link", name="Log akses").is_visible()

    page.get_by_test_id("language-switcher").get_by_role("button", name="EN").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Home" in page.get_by_test_id("main-menu").inner_text()
    assert "Kepala Sekolah" not in page.get_by_test_id("identity").inner_text()
    assert "Principal" in page.get_by_test_id("identity").inner_text()


def test_on_a_phone_the_menu_folds_and_its_areas_open(chromium, live_server, demo):
    context = chromium.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Nama pengguna").fill("gurubk1")
        page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.get_by_test_id("identity").wait_for()
        menu = page.get_by_test_id("main-menu")
        assert not menu.is_visible()
        page.get_by_role("button", name="Tampilkan atau sembunyikan menu").click()
        area = menu.get_by_role("button", name="Konseling")
        area.wait_for()
        area.click()
        menu.get_by_role("link", name="Kasus").click()
        page.wait_for_url(re.compile(r"/counseling/cases/$"))
        # The page itself does not widen beyond the phone's screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
