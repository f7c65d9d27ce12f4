"""The school calendar: administrative staff switch the current semester within the current
academic year (Ganjil to Genap in January); years change on the promotion page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from staff.models import AcademicYear, AccessLogEntry, Semester
from tests.factories import (
    AcademicYearFactory,
    SemesterFactory,
    SupervisionVisitFactory,
    past_semester,
)

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
CALENDAR = reverse("staff:school_calendar")


def _switch_url(semester: Semester) -> str:
    return reverse("staff:semester_make_current", args=[semester.pk])


def _current_year_with_even(school, *, even_start: datetime.date) -> tuple[Semester, Semester]:
    """The school's current year laid around today: Ganjil (current) up to the day before
    `even_start`, Genap from it on."""
    odd = Semester.objects.get(school=school, is_current=True)
    year = odd.academic_year
    start = min(even_start, TODAY) - 120 * DAY
    end = max(even_start, TODAY) + 120 * DAY
    AcademicYear.objects.filter(pk=year.pk).update(start_date=start, end_date=end)
    Semester.objects.filter(pk=odd.pk).update(start_date=start, end_date=even_start - DAY)
    even = SemesterFactory(
        academic_year=year,
        number=Semester.Number.EVEN,
        start_date=even_start,
        end_date=end,
        is_current=False,
    )
    odd.refresh_from_db()
    return odd, even


@pytest.fixture
def due(school):
    """January: Genap began today, Ganjil is still current."""
    return _current_year_with_even(school, even_start=TODAY)


def _next_year(school) -> Semester:
    year = AcademicYearFactory(
        school=school,
        name="2099/2100",
        start_date=datetime.date(2099, 7, 1),
        end_date=datetime.date(2100, 6, 30),
        is_current=False,
    )
    return SemesterFactory(
        academic_year=year,
        start_date=datetime.date(2099, 7, 1),
        end_date=datetime.date(2099, 12, 31),
        is_current=False,
    )


# --- Who may use it ----------------------------------------------------------------------------


def test_admin_staff_read_the_years_newest_first_with_their_semesters(client_for, admin_staff, due):
    past_semester(admin_staff.school, 2020)
    past_semester(admin_staff.school, 2020, Semester.Number.EVEN)
    odd, even = due
    response = client_for(admin_staff).get(CALENDAR)
    assert response.status_code == 200
    years = list(response.context["years"])
    assert [y.name for y in years] == [odd.academic_year.name, "2020/2021"]
    assert [s.number for s in years[0].semesters.all()] == [1, 2]
    html = response.content.decode()
    assert f'href="{_switch_url(even)}"' in html
    assert f'href="{_switch_url(odd)}"' not in html  # already current
    assert f'href="{reverse("counseling:promotion")}"' in html


def test_the_principal_reads_the_calendar_without_switching(client_for, principal, due):
    _odd, even = due
    client = client_for(principal)
    response = client.get(CALENDAR)
    assert response.status_code == 200
    assert f'href="{_switch_url(even)}"' not in response.content.decode()
    assert response.context["semester_due"] is None
    assert client.get(_switch_url(even)).status_code == 404
    assert client.post(_switch_url(even)).status_code == 404
    assert not Semester.objects.get(pk=even.pk).is_current


@pytest.mark.parametrize(
    "role", ["vice_principal", "counselor", "homeroom_teacher", "subject_teacher"]
)
def test_other_roles_get_404(request, client_for, role, due):
    _odd, even = due
    client = client_for(request.getfixturevalue(role))
    assert client.get(CALENDAR).status_code == 404
    assert client.get(_switch_url(even)).status_code == 404
    assert client.post(_switch_url(even), {"confirm": "on"}).status_code == 404
    assert not Semester.objects.get(pk=even.pk).is_current


def test_the_other_schools_clerk_never_sees_this_schools_semester(
    client_for, other_admin_staff, due
):
    odd, even = due
    client = client_for(other_admin_staff)
    assert client.get(_switch_url(even)).status_code == 404
    assert client.post(_switch_url(even), {"confirm": "on"}).status_code == 404
    assert Semester.objects.get(pk=odd.pk).is_current
    html = client.get(CALENDAR).content.decode()
    assert odd.academic_year.school.name not in html
    assert f"semester-{even.pk}" not in html


def test_signing_in_is_required(client, due):
    assert client.get(CALENDAR)["Location"].startswith(reverse("login"))


# --- The switch --------------------------------------------------------------------------------


def test_switching_makes_exactly_one_current_semester_and_year_and_is_logged(
    client_for, admin_staff, due
):
    odd, even = due
    other_year = _next_year(admin_staff.school)
    client = client_for(admin_staff)
    confirm = client.get(_switch_url(even))
    assert confirm.status_code == 200
    assert "confirm" not in confirm.context["form"].fields  # today is in it: nothing to confirm
    response = client.post(_switch_url(even), follow=True)
    assert response.redirect_chain[-1][0] == CALENDAR
    assert "sekarang menjadi semester berjalan" in response.content.decode()
    school = admin_staff.school
    assert list(Semester.objects.filter(school=school, is_current=True)) == [even]
    assert list(AcademicYear.objects.filter(school=school, is_current=True)) == [even.academic_year]
    assert not AcademicYear.objects.get(pk=other_year.academic_year_id).is_current
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.MAKE_SEMESTER_CURRENT)
    assert (entry.user, entry.school, entry.object_type, entry.object_id) == (
        admin_staff,
        school,
        AccessLogEntry.ObjectType.SEMESTER,
        str(even.pk),
    )


def test_the_principal_reads_who_switched_in_the_access_log(
    client_for, admin_staff, principal, due
):
    _odd, even = due
    client_for(admin_staff).post(_switch_url(even))
    html = client_for(principal).get(reverse("staff:access_log")).content.decode()
    assert "Menjadikan semester sebagai semester berjalan" in html
    assert admin_staff.full_name in html


def test_a_semester_of_the_next_year_is_refused_and_sent_to_the_promotion(
    client_for, admin_staff, due
):
    odd, _even = due
    next_odd = _next_year(admin_staff.school)
    client = client_for(admin_staff)
    page = client.get(_switch_url(next_odd))
    assert page.status_code == 200
    assert "bukan tahun ajaran berjalan" in page.content.decode()
    assert f'href="{reverse("counseling:promotion")}"' in page.content.decode()
    response = client.post(_switch_url(next_odd), {"confirm": "on"}, follow=True)
    assert "bukan tahun ajaran berjalan" in response.content.decode()
    assert Semester.objects.get(pk=odd.pk).is_current
    assert not AcademicYear.objects.get(pk=next_odd.academic_year_id).is_current
    assert not AccessLogEntry.objects.exists()


def test_a_past_years_semester_is_refused(client_for, admin_staff, due):
    odd, _even = due
    old = past_semester(admin_staff.school, 2020, Semester.Number.EVEN)
    client_for(admin_staff).post(_switch_url(old), {"confirm": "on"})
    assert list(Semester.objects.filter(school=admin_staff.school, is_current=True)) == [odd]


def test_the_current_semester_cannot_be_made_current_again(client_for, admin_staff, due):
    odd, _even = due
    response = client_for(admin_staff).post(_switch_url(odd), follow=True)
    assert "sudah menjadi semester berjalan" in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_a_semester_far_ahead_needs_the_box_ticked(client_for, admin_staff, school):
    odd, even = _current_year_with_even(school, even_start=TODAY + 40 * DAY)
    client = client_for(admin_staff)
    page = client.get(_switch_url(even))
    assert 'data-testid="switch-warning"' in page.content.decode()
    refused = client.post(_switch_url(even))
    assert refused.status_code == 200
    assert refused.context["form"].errors["confirm"]
    assert Semester.objects.get(pk=odd.pk).is_current
    client.post(_switch_url(even), {"confirm": "on"})
    assert Semester.objects.get(pk=even.pk).is_current


def test_going_back_to_a_semester_that_ended_needs_the_box_ticked(client_for, admin_staff, due):
    odd, even = due
    client = client_for(admin_staff)
    client.post(_switch_url(even))
    refused = client.post(_switch_url(odd))
    assert "sudah berakhir" in refused.content.decode()
    assert Semester.objects.get(pk=even.pk).is_current
    client.post(_switch_url(odd), {"confirm": "on"})
    assert list(Semester.objects.filter(school=admin_staff.school, is_current=True)) == [odd]


def test_a_semester_starting_within_a_month_needs_no_box(client_for, admin_staff, school):
    _odd, even = _current_year_with_even(school, even_start=TODAY + 20 * DAY)
    client_for(admin_staff).post(_switch_url(even))
    assert Semester.objects.get(pk=even.pk).is_current


# --- The notice --------------------------------------------------------------------------------


def test_the_notice_shows_on_home_and_calendar_when_the_semester_is_due(
    client_for, admin_staff, due
):
    _odd, even = due
    client = client_for(admin_staff)
    for url in (reverse("home"), CALENDAR):
        html = client.get(url).content.decode()
        assert 'data-testid="semester-due"' in html
        assert f"Hari ini sudah masuk semester Genap {even.academic_year.name};" in html
        assert f'href="{_switch_url(even)}"' in html


def test_the_notice_goes_once_the_semester_is_current(client_for, admin_staff, due):
    _odd, even = due
    client = client_for(admin_staff)
    client.post(_switch_url(even))
    for url in (reverse("home"), CALENDAR):
        assert 'data-testid="semester-due"' not in client.get(url).content.decode()


def test_no_notice_while_today_is_in_the_current_semester(client_for, admin_staff, school):
    _current_year_with_even(school, even_start=TODAY + 10 * DAY)
    client = client_for(admin_staff)
    for url in (reverse("home"), CALENDAR):
        assert 'data-testid="semester-due"' not in client.get(url).content.decode()


@pytest.mark.parametrize("role", ["principal", "counselor"])
def test_the_notice_is_for_admin_staff_only(request, client_for, role, due):
    html = client_for(request.getfixturevalue(role)).get(reverse("home")).content.decode()
    assert 'data-testid="semester-due"' not in html


# --- Query count -------------------------------------------------------------------------------


def test_calendar_query_count_does_not_grow(
    client_for, admin_staff, due, django_assert_num_queries
):
    client = client_for(admin_staff)
    client.get(CALENDAR)  # warm the session
    # session, user with school, roles (navigation), the semester due, years, their semesters
    with django_assert_num_queries(6):
        client.get(CALENDAR)
    for start_year in range(2010, 2020):
        past_semester(admin_staff.school, start_year)
        past_semester(admin_staff.school, start_year, Semester.Number.EVEN)
    with django_assert_num_queries(6):
        response = client.get(CALENDAR)
    assert len(response.context["years"]) == 11


# --- Editing the dates -------------------------------------------------------------------------


def _edit_url(semester: Semester) -> str:
    return reverse("staff:semester_edit", args=[semester.pk])


def _dates(semester: Semester, start: datetime.date, end: datetime.date, **extra) -> dict:
    return {
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "version": semester.version,
        **extra,
    }


@pytest.mark.parametrize(
    "role", ["principal", "vice_principal", "counselor", "homeroom_teacher", "subject_teacher"]
)
def test_only_admin_staff_edit_dates(request, client_for, role, due):
    odd, _even = due
    client = client_for(request.getfixturevalue(role))
    assert client.get(_edit_url(odd)).status_code == 404
    assert client.post(_edit_url(odd), _dates(odd, odd.start_date, TODAY)).status_code == 404
    assert Semester.objects.get(pk=odd.pk).end_date == odd.end_date


def test_the_other_schools_clerk_cannot_edit_this_schools_dates(client_for, other_admin_staff, due):
    odd, _even = due
    client = client_for(other_admin_staff)
    assert client.get(_edit_url(odd)).status_code == 404
    client.post(_edit_url(odd), _dates(odd, odd.start_date, TODAY))
    assert Semester.objects.get(pk=odd.pk).end_date == odd.end_date


def test_admin_staff_move_the_boundary_between_ganjil_and_genap(client_for, admin_staff, due):
    odd, even = due
    client = client_for(admin_staff)
    client.post(_edit_url(even), _dates(even, even.start_date + 5 * DAY, even.end_date))
    response = client.post(
        _edit_url(odd), _dates(odd, odd.start_date, odd.end_date + 4 * DAY), follow=True
    )
    assert response.redirect_chain[-1][0] == CALENDAR
    odd.refresh_from_db()
    even.refresh_from_db()
    assert (odd.end_date, even.start_date) == (TODAY + 3 * DAY, TODAY + 5 * DAY)
    assert (odd.version, even.version) == (1, 1)
    assert (
        AccessLogEntry.objects.filter(
            action=AccessLogEntry.Action.CHANGE_SEMESTER_DATES, user=admin_staff
        ).count()
        == 2
    )


@pytest.mark.parametrize(
    ("start_shift", "end_shift", "message"),
    [
        (0, -200, "harus setelah tanggal mulainya"),  # ends before it starts
        (-1, 0, "harus berada dalam tahun ajaran"),  # before the year starts
        (0, 1, "Ganjil harus berakhir sebelum Genap dimulai"),  # runs into Genap
    ],
)
def test_impossible_dates_are_refused(
    client_for, admin_staff, due, start_shift, end_shift, message
):
    odd, _even = due
    response = client_for(admin_staff).post(
        _edit_url(odd),
        _dates(odd, odd.start_date + start_shift * DAY, odd.end_date + end_shift * DAY),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    fresh = Semester.objects.get(pk=odd.pk)
    assert (fresh.start_date, fresh.end_date, fresh.version) == (odd.start_date, odd.end_date, 0)


def test_genap_may_not_start_inside_ganjil(client_for, admin_staff, due):
    _odd, even = due
    response = client_for(admin_staff).post(
        _edit_url(even), _dates(even, even.start_date - DAY, even.end_date)
    )
    assert "Ganjil harus berakhir sebelum Genap dimulai" in response.content.decode()


def test_unreadable_dates_are_refused_with_a_message(client_for, admin_staff, due):
    odd, _even = due
    response = client_for(admin_staff).post(
        _edit_url(odd), {"start_date": "kemarin", "end_date": "", "version": 0}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"start_date", "end_date"}


def test_a_planned_visit_keeps_its_semester_dates(client_for, admin_staff, counselor, due):
    odd, _even = due
    SupervisionVisitFactory(semester=odd, counselor=counselor, planned_on=odd.end_date - DAY)
    response = client_for(admin_staff).post(
        _edit_url(odd), _dates(odd, odd.start_date, odd.end_date - 10 * DAY)
    )
    assert "kunjungan supervisi" in response.content.decode()
    assert Semester.objects.get(pk=odd.pk).end_date == odd.end_date


def test_a_concurrent_edit_is_not_overwritten(client_for, admin_staff, due):
    odd, _even = due
    client = client_for(admin_staff)
    opened = _dates(odd, odd.start_date, odd.end_date - DAY)
    client.post(_edit_url(odd), _dates(odd, odd.start_date, odd.end_date - 2 * DAY))
    response = client.post(_edit_url(odd), opened, follow=True)
    assert response.redirect_chain[-1][0] == _edit_url(odd)
    assert "Orang lain" in response.content.decode()
    assert Semester.objects.get(pk=odd.pk).end_date == odd.end_date - 2 * DAY


def test_past_years_are_history(client_for, admin_staff, due):
    old = past_semester(admin_staff.school, 2020)
    client = client_for(admin_staff)
    assert client.get(_edit_url(old)).status_code == 404
    html = client.get(CALENDAR).content.decode()
    assert f'href="{_edit_url(old)}"' not in html
    next_odd = _next_year(admin_staff.school)
    assert f'href="{_edit_url(next_odd)}"' in client.get(CALENDAR).content.decode()
    assert client.get(_edit_url(next_odd)).status_code == 200
