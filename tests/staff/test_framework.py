"""The competency framework of Permendiknas 27/2008 ships as data; administrators edit it by
making a new version, and a version scored on never changes."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from staff.appraisals import active_framework, framework_activate, framework_copy
from staff.models import (
    Appraisal,
    Competency,
    CompetencyFramework,
    Indicator,
    IndicatorScore,
)
from tests.factories import UserFactory

# Some tests reach the database only through request.getfixturevalue; the mark keeps them
# among the database tests, before the transactional ones empty the database.
pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return UserFactory(username="operator", school=None, is_superuser=True, is_staff=True)


def test_the_regulation_ships_as_the_active_version(db):
    framework = active_framework()
    assert framework.name == "Permendiknas 27/2008"
    assert framework.version == 1
    areas = list(framework.areas.order_by("letter"))
    assert [area.letter for area in areas] == ["A", "B", "C", "D"]
    assert [area.name for area in areas] == [
        "Kompetensi Pedagogik",
        "Kompetensi Kepribadian",
        "Kompetensi Sosial",
        "Kompetensi Profesional",
    ]
    assert [area.competencies.count() for area in areas] == [3, 4, 3, 7]
    numbers = list(framework.competencies.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, 18))
    assert Indicator.objects.filter(competency__framework=framework).count() == 76


@pytest.mark.parametrize(
    ("number", "title", "indicators"),
    [
        (1, "Menguasai teori dan praksis pendidikan", 3),
        (4, "Beriman dan bertakwa kepada Tuhan Yang Maha Esa", 3),
        (8, "Mengimplementasikan kolaborasi intern di tempat bekerja", 3),
        (
            11,
            "Menguasai konsep dan praksis asesmen untuk memahami kondisi, kebutuhan, dan "
            "masalah konseli",
            9,
        ),
        (16, "Memiliki kesadaran dan komitmen terhadap etika profesional", 7),
        (17, "Menguasai konsep dan praksis penelitian dalam bimbingan dan konseling", 4),
    ],
)
def test_competencies_are_worded_as_the_regulation(db, number, title, indicators):
    competency = Competency.objects.get(framework__is_active=True, number=number)
    assert competency.title == title
    assert competency.indicators.count() == indicators
    assert str(competency.indicators.order_by("number").first().code) == f"{number}.1"


def test_copy_makes_an_inactive_version_with_the_same_structure(db):
    original = active_framework()
    copy = framework_copy(framework=original)
    assert copy.version == 2 and not copy.is_active
    assert copy.competencies.count() == 17
    assert Indicator.objects.filter(competency__framework=copy).count() == 76
    pairs = zip(
        original.competencies.order_by("number"), copy.competencies.order_by("number"), strict=True
    )
    for before, after in pairs:
        assert (before.number, before.title, before.area.letter) == (
            after.number,
            after.title,
            after.area.letter,
        )
        assert before.pk != after.pk


def test_activating_a_version_keeps_one_active_and_old_appraisals_keep_theirs(
    principal, counselor, school
):
    from staff.appraisals import appraisal_start

    semester = school.semesters.get()
    old = appraisal_start(
        assessor=principal, counselor=counselor, semester=semester, kind=Appraisal.Kind.PRINCIPAL
    )
    copy = framework_copy(framework=active_framework())
    framework_activate(framework=copy)
    assert list(CompetencyFramework.objects.filter(is_active=True)) == [copy]
    old.refresh_from_db()
    assert old.framework.version == 1
    assert (
        IndicatorScore.objects.filter(appraisal=old, indicator__competency__framework=copy).count()
        == 0
    )
    new = appraisal_start(
        assessor=counselor, counselor=counselor, semester=semester, kind=Appraisal.Kind.SELF
    )
    assert new.framework == copy
    assert new.scores.count() == 76


def _admin_request(operator):
    request = RequestFactory().get("/")
    request.user = operator
    return request


def test_a_version_scored_on_is_read_only_in_the_admin(operator, principal, counselor, school):
    from staff.appraisals import appraisal_start

    framework = active_framework()
    framework_admin = site._registry[CompetencyFramework]
    competency_admin = site._registry[Competency]
    competency = framework.competencies.first()
    request = _admin_request(operator)
    assert framework_admin.has_change_permission(request, framework)
    assert competency_admin.has_change_permission(request, competency)

    appraisal_start(
        assessor=principal,
        counselor=counselor,
        semester=school.semesters.get(),
        kind=Appraisal.Kind.PRINCIPAL,
    )
    assert not framework_admin.has_change_permission(request, framework)
    assert not framework_admin.has_delete_permission(request, framework)
    assert not competency_admin.has_change_permission(request, competency)
    assert not competency_admin.has_delete_permission(request, competency)
    copy = framework_copy(framework=framework)
    assert framework_admin.has_change_permission(request, copy)
    assert competency_admin.has_change_permission(request, copy.competencies.first())


def test_operator_copies_and_activates_through_the_admin(client, operator):
    client.force_login(operator)
    url = reverse("admin:staff_competencyframework_changelist")
    original = active_framework()
    response = client.post(
        url, {"action": "copy_as_new_version", "_selected_action": [original.pk]}, follow=True
    )
    assert response.status_code == 200
    copy = CompetencyFramework.objects.get(version=2)
    # Edit the copy: a competency's wording changes in the new version only.
    competency = copy.competencies.get(number=17)
    indicators = list(competency.indicators.order_by("number"))
    data = {
        "area": competency.area_id,
        "number": 17,
        "title": "Menguasai penelitian tindakan bimbingan dan konseling",
        "indicators-TOTAL_FORMS": len(indicators),
        "indicators-INITIAL_FORMS": len(indicators),
        "indicators-MIN_NUM_FORMS": 0,
        "indicators-MAX_NUM_FORMS": 1000,
    }
    for position, indicator in enumerate(indicators):
        data.update(
            {
                f"indicators-{position}-id": indicator.pk,
                f"indicators-{position}-competency": competency.pk,
                f"indicators-{position}-number": indicator.number,
                f"indicators-{position}-text": indicator.text,
            }
        )
    response = client.post(reverse("admin:staff_competency_change", args=[competency.pk]), data)
    assert response.status_code == 302
    client.post(url, {"action": "make_active", "_selected_action": [copy.pk]}, follow=True)
    copy.refresh_from_db()
    original.refresh_from_db()
    assert copy.is_active and not original.is_active
    assert copy.competencies.get(number=17).title.startswith("Menguasai penelitian tindakan")
    assert original.competencies.get(number=17).title == (
        "Menguasai konsep dan praksis penelitian dalam bimbingan dan konseling"
    )


def test_a_competency_cannot_be_added_to_a_version_scored_on(
    client, operator, principal, counselor, school
):

    from staff.appraisals import appraisal_start

    appraisal_start(
        assessor=principal,
        counselor=counselor,
        semester=school.semesters.get(),
        kind=Appraisal.Kind.PRINCIPAL,
    )
    area = active_framework().areas.get(letter="D")
    client.force_login(operator)
    response = client.post(
        reverse("admin:staff_competency_add"),
        {
            "area": area.pk,
            "number": 18,
            "title": "Kompetensi tambahan",
            "indicators-TOTAL_FORMS": 0,
            "indicators-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert not Competency.objects.filter(number=18).exists()


def test_school_staff_never_reach_the_framework_admin(client_for, principal):
    response = client_for(principal).get(reverse("admin:staff_competencyframework_changelist"))
    assert response.status_code == 302
