"""The roster pages: classes of the current year, the student list and a student's page."""

from datetime import date

import pytest
from django.urls import reverse

from counseling.models import Student
from staff.models import AcademicYear, Role
from tests.factories import (
    AcademicYearFactory,
    ClassroomFactory,
    StudentFactory,
    UserFactory,
)

CLASS_LIST = reverse("counseling:class_list")
STUDENT_LIST = reverse("counseling:student_list")

ROSTER_ROLES = ["admin_staff", "counselor"]
NO_ROSTER_ROLES = ["principal", "vice_principal", "subject_teacher"]


def _current_year(school) -> AcademicYear:
    return AcademicYear.objects.get(school=school, is_current=True)


@pytest.fixture
def own_class(school, homeroom_teacher, counselor):
    """The homeroom teacher's class, looked after by the standing counselor."""
    return ClassroomFactory(
        school=school,
        academic_year=_current_year(school),
        grade=7,
        name="VII-A",
        homeroom_teacher=homeroom_teacher,
        counselor=counselor,
    )


@pytest.fixture
def second_counselor(school):
    return UserFactory(
        username="konselor2", full_name="Bapak Konselor Dua", school=school, roles=[Role.COUNSELOR]
    )


@pytest.fixture
def another_class(school, second_counselor):
    teacher = UserFactory(
        username="walas2", full_name="Ibu Walas Dua", school=school, roles=[Role.HOMEROOM_TEACHER]
    )
    return ClassroomFactory(
        school=school,
        academic_year=_current_year(school),
        grade=8,
        name="VIII-B",
        homeroom_teacher=teacher,
        counselor=second_counselor,
    )


@pytest.fixture
def student(school, own_class):
    return StudentFactory(
        school=school,
        classroom=own_class,
        nisn="0098765432",
        nis="2301",
        full_name="Ayu Lestari",
        sex=Student.Sex.FEMALE,
        birth_place="Bandung",
        birth_date=date(2013, 8, 17),
    )


@pytest.fixture
def other_student(school, another_class):
    return StudentFactory(
        school=school,
        classroom=another_class,
        nisn="0112233445",
        nis="2302",
        full_name="Bagus Pratama",
        sex=Student.Sex.MALE,
    )


@pytest.fixture
def foreign_student(other_school):
    """A student of the second school."""
    classroom = ClassroomFactory(
        school=other_school, academic_year=_current_year(other_school), name="X-1", grade=10
    )
    return StudentFactory(
        school=other_school, classroom=classroom, nisn="0900000001", full_name="Citra Asing"
    )


def _names(response) -> list[str]:
    return [student.full_name for student in response.context["page"]]


# Class list


@pytest.mark.parametrize("role", ROSTER_ROLES)
def test_roster_users_see_the_current_years_classes_with_active_students_counted(
    request, client_for, role, school, own_class, another_class, student, other_student
):
    StudentFactory(school=school, classroom=own_class, status=Student.Status.MOVED)
    old_year = AcademicYearFactory(
        school=school,
        name="2025/2026",
        start_date=date(2025, 7, 1),
        end_date=date(2026, 6, 30),
        is_current=False,
    )
    ClassroomFactory(school=school, academic_year=old_year, name="VII-Lama")

    response = client_for(request.getfixturevalue(role)).get(CLASS_LIST)

    assert response.status_code == 200
    rows = [
        (c.name, c.homeroom_teacher.full_name, c.counselor.full_name, c.active_students)
        for c in response.context["classrooms"]
    ]
    assert rows == [
        ("VII-A", "Ibu/Bapak walas", "Ibu/Bapak konselor", 1),
        ("VIII-B", "Ibu Walas Dua", "Bapak Konselor Dua", 1),
    ]
    html = response.content.decode()
    assert "VII-Lama" not in html
    assert "2026/2027" in html
    assert f"{STUDENT_LIST}?classroom={own_class.pk}" in html


def test_homeroom_teacher_sees_only_own_classes(
    client_for, homeroom_teacher, own_class, another_class
):
    response = client_for(homeroom_teacher).get(CLASS_LIST)
    assert response.status_code == 200
    assert [c.name for c in response.context["classrooms"]] == ["VII-A"]
    assert "VIII-B" not in response.content.decode()


def test_homeroom_teacher_without_a_class_this_year_sees_an_empty_list(
    client_for, homeroom_teacher, another_class
):
    response = client_for(homeroom_teacher).get(CLASS_LIST)
    assert response.status_code == 200
    assert list(response.context["classrooms"]) == []


def test_class_list_without_a_current_year_says_so(client_for, admin_staff, school, own_class):
    AcademicYear.objects.filter(school=school).update(is_current=False)
    response = client_for(admin_staff).get(CLASS_LIST)
    assert response.status_code == 200
    assert response.context["year"] is None
    assert "VII-A" not in response.content.decode()


# Student list


@pytest.mark.parametrize("role", ROSTER_ROLES)
def test_roster_users_list_the_schools_active_students(
    request, client_for, role, school, student, other_student, foreign_student
):
    StudentFactory(
        school=school, classroom=student.classroom, full_name="Dewi Pindah", status="moved"
    )
    response = client_for(request.getfixturevalue(role)).get(STUDENT_LIST)
    assert response.status_code == 200
    assert _names(response) == ["Ayu Lestari", "Bagus Pratama"]
    html = response.content.decode()
    for shown in ["0098765432", "2301", "Ayu Lestari", "VII-A", "Perempuan", "Aktif"]:
        assert shown in html
    assert reverse("counseling:student_detail", args=[student.pk]) in html


def test_homeroom_teacher_lists_only_own_class(
    client_for, homeroom_teacher, student, other_student
):
    response = client_for(homeroom_teacher).get(STUDENT_LIST)
    assert response.status_code == 200
    assert _names(response) == ["Ayu Lestari"]
    assert "Bagus Pratama" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ayu", ["Ayu Lestari"]),
        ("  lestari ", ["Ayu Lestari"]),
        ("0098765432", ["Ayu Lestari"]),  # full NISN, leading zeros kept
        ("00987", ["Ayu Lestari"]),  # beginning of a NISN
        ("0112233445", ["Bagus Pratama"]),
        ("2302", ["Bagus Pratama"]),  # NIS
        ("98765432", []),  # a NISN without its zeros is another number
        ("tidak ada", []),
    ],
)
def test_search_by_name_nisn_or_nis(client_for, counselor, student, other_student, query, expected):
    response = client_for(counselor).get(STUDENT_LIST, {"q": query})
    assert response.status_code == 200
    assert _names(response) == expected


def test_filter_by_class(client_for, admin_staff, student, other_student, another_class):
    response = client_for(admin_staff).get(STUDENT_LIST, {"classroom": another_class.pk})
    assert _names(response) == ["Bagus Pratama"]


def test_filter_by_responsible_counselor(
    client_for, admin_staff, student, other_student, second_counselor
):
    response = client_for(admin_staff).get(STUDENT_LIST, {"counselor": second_counselor.pk})
    assert _names(response) == ["Bagus Pratama"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("", ["Ayu Lestari"]),
        ("active", ["Ayu Lestari"]),
        ("graduated", ["Eka Lulus"]),
        ("all", ["Ayu Lestari", "Eka Lulus"]),
    ],
)
def test_filter_by_status_defaults_to_active(
    client_for, counselor, school, student, status, expected
):
    StudentFactory(
        school=school, classroom=student.classroom, full_name="Eka Lulus", status="graduated"
    )
    response = client_for(counselor).get(STUDENT_LIST, {"status": status})
    assert _names(response) == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"classroom": "abc"}, "classroom"),
        ({"classroom": "999999"}, "classroom"),
        ({"classroom": "99999999999999999999999"}, "classroom"),
        ({"classroom": "-1"}, "classroom"),
        ({"counselor": "x1"}, "counselor"),
        ({"status": "expelled"}, "status"),
        ({"q": "a" * 151}, "q"),
        ({"q": "nul\x00char"}, "q"),
    ],
)
def test_bad_filter_values_show_a_form_error(client_for, counselor, student, params, field):
    response = client_for(counselor).get(STUDENT_LIST, params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert _names(response) == []


def test_other_schools_class_and_counselor_are_not_filter_choices(
    client_for, admin_staff, student, foreign_student, other_admin_staff
):
    client = client_for(admin_staff)
    by_class = client.get(STUDENT_LIST, {"classroom": foreign_student.classroom_id})
    assert "classroom" in by_class.context["form"].errors
    by_counselor = client.get(STUDENT_LIST, {"counselor": other_admin_staff.pk})
    assert "counselor" in by_counselor.context["form"].errors
    assert "Citra Asing" not in by_class.content.decode()


def test_someone_who_is_not_a_counselor_is_not_a_counselor_choice(
    client_for, admin_staff, student, subject_teacher
):
    response = client_for(admin_staff).get(STUDENT_LIST, {"counselor": subject_teacher.pk})
    assert "counselor" in response.context["form"].errors


def test_homeroom_teacher_cannot_filter_by_another_class(
    client_for, homeroom_teacher, student, other_student, another_class
):
    response = client_for(homeroom_teacher).get(STUDENT_LIST, {"classroom": another_class.pk})
    assert "classroom" in response.context["form"].errors
    assert "Bagus Pratama" not in response.content.decode()


def test_pagination_carries_the_filters(client_for, counselor, school, own_class):
    StudentFactory.create_batch(120, school=school, classroom=own_class)
    client = client_for(counselor)
    filters = {"q": "Siswa", "classroom": own_class.pk, "status": "active"}

    first = client.get(STUDENT_LIST, filters)
    assert len(first.context["page"]) == 50
    next_link = f'href="?q=Siswa&amp;classroom={own_class.pk}&amp;status=active&amp;page=2"'
    assert next_link in first.content.decode()

    last = client.get(STUDENT_LIST, {**filters, "page": 3})
    assert len(last.context["page"]) == 20
    previous_link = f'href="?q=Siswa&amp;classroom={own_class.pk}&amp;status=active&amp;page=2"'
    assert previous_link in last.content.decode()


# Student page


@pytest.mark.parametrize("role", [*ROSTER_ROLES, "homeroom_teacher"])
def test_student_page_shows_identity(request, client_for, role, student):
    response = client_for(request.getfixturevalue(role)).get(
        reverse("counseling:student_detail", args=[student.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    for shown in [
        "0098765432",
        "2301",
        "Ayu Lestari",
        "Perempuan",
        "Bandung, 17 Agustus 2013",
        "VII-A",
        "Ibu/Bapak walas",
        "Ibu/Bapak konselor",
        "Aktif",
    ]:
        assert shown in html, shown


def test_homeroom_teacher_gets_404_on_a_student_of_another_class(
    client_for, homeroom_teacher, student, other_student
):
    url = reverse("counseling:student_detail", args=[other_student.pk])
    assert client_for(homeroom_teacher).get(url).status_code == 404


def test_unknown_student_is_404(client_for, admin_staff, student):
    url = reverse("counseling:student_detail", args=[student.pk + 1000])
    assert client_for(admin_staff).get(url).status_code == 404


# Who may not use the roster


@pytest.mark.parametrize("role", NO_ROSTER_ROLES)
def test_roles_without_the_roster_get_404_on_every_roster_page(request, client_for, role, student):
    client = client_for(request.getfixturevalue(role))
    assert client.get(CLASS_LIST).status_code == 404
    assert client.get(STUDENT_LIST).status_code == 404
    detail = reverse("counseling:student_detail", args=[student.pk])
    assert client.get(detail).status_code == 404


@pytest.mark.parametrize("other", ["other_principal", "other_admin_staff"])
def test_other_school_sees_nothing_of_the_first_schools_roster(
    request, client_for, other, student, other_student, foreign_student
):
    client = client_for(request.getfixturevalue(other))
    for url in [CLASS_LIST, STUDENT_LIST]:
        response = client.get(url, {"status": "all"})
        assert response.status_code in {200, 404}
        html = response.content.decode()
        for hidden in ["Ayu Lestari", "Bagus Pratama", "VII-A", "VIII-B", "0098765432"]:
            assert hidden not in html, (url, hidden)
    for shown in [student, other_student]:
        detail = reverse("counseling:student_detail", args=[shown.pk])
        assert client.get(detail).status_code == 404


def test_other_schools_admin_staff_sees_only_own_students(
    client_for, other_admin_staff, student, foreign_student
):
    client = client_for(other_admin_staff)
    assert _names(client.get(STUDENT_LIST)) == ["Citra Asing"]
    assert [c.name for c in client.get(CLASS_LIST).context["classrooms"]] == ["X-1"]


@pytest.mark.parametrize("url_name", ["class_list", "student_list"])
def test_roster_lists_require_sign_in(client, db, url_name):
    response = client.get(reverse(f"counseling:{url_name}"))
    assert response["Location"].startswith(reverse("login"))


def test_student_page_requires_sign_in(client, student):
    response = client.get(reverse("counseling:student_detail", args=[student.pk]))
    assert response["Location"].startswith(reverse("login"))


# Query counts


def _populate(school, *, classes: int, students: int, counselor, homeroom_teacher) -> None:
    year = _current_year(school)
    classrooms = [
        ClassroomFactory(
            school=school,
            academic_year=year,
            grade=7 + number % 3,
            homeroom_teacher=homeroom_teacher,
            counselor=counselor,
        )
        for number in range(classes)
    ]
    for number in range(students):
        StudentFactory(school=school, classroom=classrooms[number % classes])


def test_class_list_query_count_does_not_grow(
    client_for, admin_staff, school, counselor, homeroom_teacher, django_assert_num_queries
):
    client = client_for(admin_staff)
    client.get(CLASS_LIST)
    _populate(
        school, classes=3, students=10, counselor=counselor, homeroom_teacher=homeroom_teacher
    )
    # session, user with school, roles, current academic year, the next academic year (a tab
    # when it exists), classes with both teachers and their active students counted
    with django_assert_num_queries(6):
        client.get(CLASS_LIST)
    _populate(
        school, classes=27, students=90, counselor=counselor, homeroom_teacher=homeroom_teacher
    )
    with django_assert_num_queries(6):
        response = client.get(CLASS_LIST)
    assert len(response.context["classrooms"]) == 30
    assert sum(c.active_students for c in response.context["classrooms"]) == 100


def test_student_list_query_count_does_not_grow(
    client_for, counselor, school, homeroom_teacher, django_assert_num_queries
):
    client = client_for(counselor)
    client.get(STUDENT_LIST)
    _populate(
        school, classes=3, students=10, counselor=counselor, homeroom_teacher=homeroom_teacher
    )
    # session, user with school, roles, classes for the filter (with their years),
    # counselors for the filter, count, the page of students with their classes
    with django_assert_num_queries(7):
        client.get(STUDENT_LIST)
    _populate(
        school, classes=27, students=90, counselor=counselor, homeroom_teacher=homeroom_teacher
    )
    with django_assert_num_queries(7):
        response = client.get(STUDENT_LIST)
    assert len(response.context["page"]) == 50
    assert response.context["page"].paginator.count == 100


def test_filtered_student_list_query_count(
    client_for, counselor, school, own_class, student, django_assert_num_queries
):
    client = client_for(counselor)
    client.get(STUDENT_LIST)
    params = {"q": "ayu", "classroom": own_class.pk, "counselor": counselor.pk}
    # session, user with school, roles, the chosen class, the chosen counselor,
    # classes and counselors for the filter, count, the page of students with their classes
    with django_assert_num_queries(9):
        response = client.get(STUDENT_LIST, params)
    assert _names(response) == ["Ayu Lestari"]


def test_student_page_query_count(
    client_for, counselor, student, school, homeroom_teacher, django_assert_num_queries
):
    client = client_for(counselor)
    url = reverse("counseling:student_detail", args=[student.pk])
    client.get(url)
    # session, user with school, roles, the student with class, year and both teachers;
    # the timeline's newest cases, sessions and collaboration (tests/counseling/test_cases.py
    # shows these do not grow with the student's history)
    with django_assert_num_queries(7):
        client.get(url)
    _populate(
        school, classes=30, students=100, counselor=counselor, homeroom_teacher=homeroom_teacher
    )
    with django_assert_num_queries(7):
        client.get(url)


# Every page as every person: tests/counseling/test_confidentiality.py.


def test_homeroom_teacher_does_not_see_last_years_class(client_for, school, homeroom_teacher):
    last_year = AcademicYearFactory(
        school=school,
        name="2025/2026",
        start_date=date(2025, 7, 1),
        end_date=date(2026, 6, 30),
        is_current=False,
    )
    old_class = ClassroomFactory(
        school=school, academic_year=last_year, name="VI-Z", homeroom_teacher=homeroom_teacher
    )
    former_pupil = StudentFactory(school=school, classroom=old_class, full_name="Mantan Murid")
    client = client_for(homeroom_teacher)
    response = client.get(reverse("counseling:student_detail", args=[former_pupil.pk]))
    assert response.status_code == 404
    assert "Mantan Murid" not in client.get(STUDENT_LIST).content.decode()
