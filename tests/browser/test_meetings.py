"""The vice principal schedules a coordination meeting in Chromium, on the demo school; the BK
teacher it clashes with sees it and takes it into a calendar app."""

import datetime
import os
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from counseling.models import CounselingSession
from staff.models import User
from supervision.models import Meeting
from tests.browser.test_counseling import sign_in

pytestmark = pytest.mark.browser

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
TITLE = "Rapat koordinasi program semester genap"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _appointment_of(username: str) -> datetime.datetime:
    """An appointment of the counselor on a school day to come (one is set if none is)."""
    counselor = User.objects.get(username=username)
    now = timezone.now()
    upcoming = (
        CounselingSession.objects.filter(counselor=counselor, next_appointment__gt=now)
        .order_by("next_appointment")
        .first()
    )
    if upcoming is not None:
        return upcoming.next_appointment
    session = CounselingSession.objects.filter(counselor=counselor, case__isnull=True).first()
    day = timezone.localdate() + datetime.timedelta(days=7)
    session.next_appointment = datetime.datetime.combine(day, datetime.time(10), tzinfo=JAKARTA)
    session.save()
    return session.next_appointment


def test_vice_principal_schedules_over_a_counselors_appointment(page, demo):
    appointment = timezone.localtime(_appointment_of("gurubk1"))
    sign_in(page, "wakasek")
    page.goto("/supervision/meetings/new/")
    page.locator("#id_kind").select_option("coordination")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_day").fill(appointment.date().isoformat())
    page.locator("#id_start_time").fill(appointment.strftime("%H:%M"))
    page.locator("#id_end_time").fill((appointment + datetime.timedelta(hours=1)).strftime("%H:%M"))
    page.locator("#id_place").fill("Ruang rapat guru")
    page.locator("input[name=roles][value=counselor]").check()
    page.locator("main form button[type=submit].btn-primary").click()

    warning = page.get_by_test_id("conflict-warning")
    warning.wait_for()
    text = warning.inner_text()
    assert "Nur Hasanah, S.Pd." in text  # gurubk1, by name and time only
    assert appointment.strftime("%H:%M") in text
    assert not Meeting.objects.filter(title=TITLE).exists()
    warning.locator("button[name=save_anyway]").click()
    page.locator(".alert-success").wait_for()
    meeting = Meeting.objects.get(title=TITLE)
    invited = set(meeting.invitations.values_list("person__username", flat=True))
    assert {"wakasek", "gurubk1", "gurubk2", "gurubk3"} == invited

    # gurubk1 finds it in the calendar and downloads it for a calendar app.
    page.context.clear_cookies()
    sign_in(page, "gurubk1")
    page.goto(f"/supervision/calendar/?day={appointment.date().isoformat()}")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_test_id("meeting-when").wait_for()
    with page.expect_download() as download_info:
        page.get_by_test_id("ics-download").click()
    path = download_info.value.path()
    with open(path, "rb") as file:
        calendar = Calendar.from_ical(file.read())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == TITLE
    start = event.decoded("DTSTART")
    assert start == meeting.starts_at
    assert start.astimezone(JAKARTA).strftime("%H:%M") == appointment.strftime("%H:%M")
