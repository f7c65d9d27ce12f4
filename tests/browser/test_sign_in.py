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
    assert "Log Akses" in menu.inner_text() or "Log akses" in menu.inner_text()

    page.get_by_test_id("language-switcher").get_by_role("button", name="EN").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Home" in page.get_by_test_id("main-menu").inner_text()
    assert "Kepala Sekolah" not in page.get_by_test_id("identity").inner_text()
    assert "Principal" in page.get_by_test_id("identity").inner_text()
