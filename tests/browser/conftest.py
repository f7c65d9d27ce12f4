"""Playwright driving the system's Chromium against pytest-django's live server."""

import os
import shutil

import pytest
from django.db import connections

from tests.system import skip_or_fail

CHROMIUM_CANDIDATES = ["chromium", "chromium-browser", "google-chrome"]
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium_path() -> str | None:
    configured = os.environ.get("RUANGBK_CHROMIUM")
    if configured:
        return configured
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium():
    path = _chromium_path()
    if path is None:
        skip_or_fail("Chromium is not installed (Debian package: chromium); browser tests skipped")
    # Playwright's sync API runs an event loop; Django refuses ORM calls beside one otherwise.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    # Once Playwright's event loop runs, Django keeps its connections in another context; one
    # opened before would stay open, unreachable, and PostgreSQL would refuse to drop the test
    # database at the end of the run.
    connections.close_all()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=LAUNCH_ARGS)
        yield browser
        browser.close()
        # Likewise the ones opened while it ran, before the loop and its context go away.
        connections.close_all()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
