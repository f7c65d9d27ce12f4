"""The home page frame and a menu that offers each role only its own pages."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from staff.models import Role
from tests.factories import UserFactory

ACCOUNTS = "/staff/accounts/"
ACCESS_LOG = "/staff/access-log/"
# The school's academic years: administrative staff switch the semester, the principal reads.
SCHOOL_YEARS = "/staff/school-years/"
STUDENTS = "/counseling/students/"
CLASSES = "/counseling/classes/"
REFERRALS = "/counseling/referrals/"
MY_REFERRALS = "/counseling/referrals/mine/"
CASES = "/counseling/cases/"
COLLABORATION = "/counseling/collaboration/"
MEETINGS = "/supervision/calendar/"
ACTION_ITEMS = "/supervision/meetings/action-items/"
VISITS = "/supervision/visits/"
BK_ROOM = "/supervision/facilities/"
# Everyone at a school may be invited to meetings and given action items.
CALENDAR = {MEETINGS, ACTION_ITEMS}
APPRAISALS = "/supervision/appraisals/"
COMPETENCY = "/supervision/competency/"
TRAINING = "/staff/training/"
# Everyone at a school may download at least the training participation.
EXPORTS = "/supervision/exports/"
DASHBOARD = "/supervision/dashboard/"
ALL_MENUS = {
    EXPORTS,
    DASHBOARD,
    APPRAISALS,
    COMPETENCY,
    TRAINING,
    MEETINGS,
    ACTION_ITEMS,
    VISITS,
    BK_ROOM,
    ACCOUNTS,
    ACCESS_LOG,
    SCHOOL_YEARS,
    STUDENTS,
    CLASSES,
    REFERRALS,
    MY_REFERRALS,
    CASES,
    COLLABORATION,
}

# The menu entries each role must see, and must not see.
EXPECTED_MENUS = {
    "principal": {
        DASHBOARD,
        ACCESS_LOG,
        SCHOOL_YEARS,
        REFERRALS,
        CASES,
        COLLABORATION,
        *CALENDAR,
        VISITS,
        BK_ROOM,
        APPRAISALS,
        COMPETENCY,
        TRAINING,
        EXPORTS,
    },
    # Follows the school's referrals (and may refer a student from there); records training,
    # but sees no appraisal.
    "vice_principal": {
        REFERRALS,
        CASES,
        COLLABORATION,
        *CALENDAR,
        BK_ROOM,
        TRAINING,
        EXPORTS,
    },
    "counselor": {
        STUDENTS,
        CLASSES,
        REFERRALS,
        CASES,
        COLLABORATION,
        *CALENDAR,
        VISITS,
        BK_ROOM,
        APPRAISALS,
        COMPETENCY,
        TRAINING,
        EXPORTS,
    },
    # Not a roster user, but sees the own class through the same pages.
    "homeroom_teacher": {STUDENTS, CLASSES, MY_REFERRALS, *CALENDAR, TRAINING, EXPORTS},
    "subject_teacher": {MY_REFERRALS, *CALENDAR, TRAINING, EXPORTS},
    "admin_staff": {
        ACCOUNTS,
        SCHOOL_YEARS,
        STUDENTS,
        CLASSES,
        *CALENDAR,
        TRAINING,
        EXPORTS,
    },
}


@pytest.mark.parametrize(("role", "expected"), EXPECTED_MENUS.items())
def test_navigation_offers_each_role_only_its_own_menus(request, client_for, role, expected):
    response = client_for(request.getfixturevalue(role)).get(reverse("home"))
    offered = {item["url"] for item in response.context["menu_items"]}
    assert offered == {reverse("home")} | expected
    html = response.content.decode()
    for url in ALL_MENUS - expected:
        assert f'href="{url}"' not in html


def test_home_shows_name_school_and_roles(client_for, school):
    person = UserFactory(
        username="ganda",
        full_name="Ratna Sari",
        school=school,
        roles=[Role.COUNSELOR, Role.HOMEROOM_TEACHER],
    )
    html = client_for(person).get(reverse("home")).content.decode()
    assert "Ratna Sari" in html
    assert school.name in html
    assert "Guru BK" in html
    assert "Wali Kelas" in html


def test_user_with_two_roles_gets_both_menus(client_for, school):
    person = UserFactory(school=school, roles=[Role.PRINCIPAL, Role.ADMIN_STAFF])
    response = client_for(person).get(reverse("home"))
    offered = {item["url"] for item in response.context["menu_items"]}
    assert {ACCOUNTS, SCHOOL_YEARS, ACCESS_LOG} <= offered


def _bar(response) -> list[tuple[str | None, list[str]]]:
    """The navigation bar as (dropdown label or None for a plain link, urls)."""
    return [
        (str(group["label"]) if "label" in group else None, [i["url"] for i in group["items"]])
        for group in response.context["menu_groups"]
    ]


def test_a_principal_who_is_also_counselor_gets_a_short_bar_of_dropdowns(client_for, school):
    person = UserFactory(school=school, roles=[Role.PRINCIPAL, Role.COUNSELOR])
    response = client_for(person).get(reverse("home"))
    assert _bar(response) == [
        (None, [reverse("home")]),
        ("Konseling", [STUDENTS, CLASSES, CASES, COLLABORATION, REFERRALS]),
        ("Kompetensi & Pelatihan", [APPRAISALS, COMPETENCY, TRAINING]),
        ("Supervisi & Koordinasi", [DASHBOARD, MEETINGS, ACTION_ITEMS, VISITS, BK_ROOM]),
        ("Administrasi", [EXPORTS, SCHOOL_YEARS, ACCESS_LOG]),
    ]
    html = response.content.decode()
    assert html.count('data-bs-toggle="dropdown"') == 4 + 1  # the areas and the person's menu


@pytest.mark.parametrize("role", EXPECTED_MENUS)
def test_every_offered_page_is_in_the_bar_once(request, client_for, role):
    response = client_for(request.getfixturevalue(role)).get(reverse("home"))
    in_bar = [url for _label, urls in _bar(response) for url in urls]
    assert sorted(in_bar) == sorted(item["url"] for item in response.context["menu_items"])


def test_an_area_with_one_page_for_the_person_is_a_plain_link(client_for, subject_teacher):
    bar = _bar(client_for(subject_teacher).get(reverse("home")))
    assert bar == [
        (None, [reverse("home")]),
        (None, [MY_REFERRALS]),
        (None, [TRAINING]),
        ("Supervisi & Koordinasi", [MEETINGS, ACTION_ITEMS]),
        (None, [EXPORTS]),
    ]


def test_the_area_of_the_current_page_is_marked_active(client_for, counselor):
    response = client_for(counselor).get(CASES)
    active = [group for group in response.context["menu_groups"] if group.get("active")]
    assert [str(group["label"]) for group in active] == ["Konseling"]
    assert 'class="dropdown-item active" href="/counseling/cases/" aria-current="page"' in (
        response.content.decode()
    )


def test_the_dropdowns_script_is_served_from_static(client_for, counselor):
    html = client_for(counselor).get(reverse("home")).content.decode()
    assert '<script src="/static/vendor/bootstrap/js/bootstrap.bundle.min.js"></script>' in html
    bundle = Path(settings.BASE_DIR) / "static" / "vendor" / "bootstrap" / "js"
    assert "Dropdown" in (bundle / "bootstrap.bundle.min.js").read_text()


def test_deactivated_role_holder_gets_nothing(client_for, admin_staff):
    admin_staff.role_assignments.all().delete()
    assert client_for(admin_staff).get(ACCOUNTS).status_code == 404


def test_home_requires_sign_in(client, db):
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_home_query_count(client_for, admin_staff, django_assert_num_queries):
    client = client_for(admin_staff)
    client.get(reverse("home"))
    # session, user with school, roles, current semester with its year; the own meetings of
    # the coming week, the own overdue action items; the semester due to be made current
    with django_assert_num_queries(7):
        client.get(reverse("home"))


@pytest.mark.parametrize(
    ("full_name", "short"),
    [
        ("Drs. H. Ahmad Fauzi, M.Pd.", "Ahmad"),
        ("Dra. Siti Aminah, M.Pd.", "Siti"),
        ("Moh. Rizal Efendi, S.Psi.", "Rizal"),
        ("Hj Siti Aminah", "Siti"),
        ("Ratna", "Ratna"),
        ("", "tanpa_nama"),
    ],
)
def test_the_menu_greets_people_by_the_name_they_go_by(full_name, short):
    from staff.models import User

    assert User(username="tanpa_nama", full_name=full_name).get_short_name() == short
