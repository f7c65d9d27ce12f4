"""The roster kept by hand: the administrative staff create and edit a class (of the current or
the next academic year) and a single student; nobody else may, and never another school's."""

from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from counseling.forms import ClassroomForm, StudentEditForm, StudentForm
from counseling.importing import nisn_of_another_school_message
from counseling.models import Classroom, Student
from counseling.promotion import promotion_apply
from counseling.roster import classroom_create, student_update
from staff.models import AcademicYear, Role
from staff.services import StaleEdit
from tests.factories import (
    ClassroomFactory,
    StudentFactory,
    UserFactory,
)

CLASS_LIST = reverse("counseling:class_list")
CLASS_CREATE = reverse("counseling:class_create")
STUDENT_CREATE = reverse("counseling:student_create")
# Everyone of the school who may not keep the roster.
NOT_KEEPERS = ["principal", "vice_principal", "counselor", "homeroom_teacher", "subject_teacher"]


def _current_year(school) -> AcademicYear:
    return AcademicYear.objects.get(school=school, is_current=True)


def _errors(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


@pytest.fixture
def second_class(school):
    return ClassroomFactory(
        school=school, academic_year=_current_year(school), grade=8, name="VIII-B"
    )


@pytest.fixture
def foreign_class(foreign_student):
    return foreign_student.classroom


@pytest.fixture
def foreign_homeroom(other_school):
    return UserFactory(username="lain_walas", school=other_school, roles=[Role.HOMEROOM_TEACHER])


@pytest.fixture
def inactive_homeroom(school):
    return UserFactory(
        username="walas_pensiun", school=school, roles=[Role.HOMEROOM_TEACHER], is_active=False
    )


def _class_post(year, **overrides) -> dict:
    data = {
        "academic_year": year.pk,
        "grade": "7",
        "name": "VII-C",
        "homeroom_teacher": "",
        "counselor": "",
    }
    data.update(overrides)
    return data


def _student_post(**overrides) -> dict:
    data = {
        "nisn": "0011223344",
        "nis": "2399",
        "full_name": "Dewi Anggraini",
        "sex": Student.Sex.FEMALE,
        "birth_place": "Garut",
        "birth_date": "2013-05-02",
        "classroom": "",
        "status": Student.Status.ACTIVE,
    }
    data.update(overrides)
    return data


def _edit_post(student, **overrides) -> dict:
    """The edit form as opened on `student`, with what a test changes."""
    data = _student_post(
        nisn=student.nisn,
        nis=student.nis,
        full_name=student.full_name,
        sex=student.sex,
        birth_place=student.birth_place,
        birth_date=student.birth_date.isoformat() if student.birth_date else "",
        classroom=student.classroom_id or "",
        status=student.status,
        version=student.version,
    )
    data.update(overrides)
    return data


# Classes: creating


def test_admin_staff_creates_a_class_of_the_current_year(
    client_for, admin_staff, school, homeroom_teacher, counselor
):
    year = _current_year(school)
    response = client_for(admin_staff).post(
        CLASS_CREATE,
        _class_post(
            year, name=" VII-C ", homeroom_teacher=homeroom_teacher.pk, counselor=counselor.pk
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == CLASS_LIST
    created = Classroom.objects.get(name="VII-C")
    assert (created.school, created.academic_year, created.grade) == (school, year, 7)
    assert (created.homeroom_teacher, created.counselor) == (homeroom_teacher, counselor)


def test_the_class_list_links_to_create_and_edit_for_admin_staff(
    client_for, admin_staff, classroom
):
    html = client_for(admin_staff).get(CLASS_LIST).content.decode()
    assert f"{CLASS_CREATE}?year={classroom.academic_year_id}" in html
    assert reverse("counseling:class_edit", args=[classroom.pk]) in html


@pytest.mark.parametrize("role", ["counselor", "homeroom_teacher"])
def test_readers_of_the_class_list_get_no_create_or_edit_links(
    request, client_for, role, classroom
):
    html = client_for(request.getfixturevalue(role)).get(CLASS_LIST).content.decode()
    assert CLASS_CREATE not in html
    assert reverse("counseling:class_edit", args=[classroom.pk]) not in html


@pytest.mark.parametrize("spelling", ["VII-A", "vii-a", " VII A ", "7A", "Kelas 7-a"])
def test_a_class_name_taken_in_any_spelling_is_refused(
    client_for, admin_staff, school, classroom, spelling
):
    response = client_for(admin_staff).post(
        CLASS_CREATE, _class_post(_current_year(school), name=spelling)
    )
    assert response.status_code == 200
    assert "VII-A" in _errors(response, "name")[0]
    assert Classroom.objects.count() == 1


def test_the_same_name_in_another_year_is_allowed(client_for, admin_staff, classroom, next_year):
    response = client_for(admin_staff).post(CLASS_CREATE, _class_post(next_year, name="VII-A"))
    assert response.status_code == 302
    assert response["Location"] == f"{CLASS_LIST}?year={next_year.pk}"
    assert Classroom.objects.filter(name="VII-A").count() == 2


@pytest.mark.parametrize("grade", ["10", "12", "6", "abc"])
def test_a_grade_outside_the_schools_level_is_refused(client_for, admin_staff, school, grade):
    response = client_for(admin_staff).post(
        CLASS_CREATE, _class_post(_current_year(school), grade=grade)
    )
    assert response.status_code == 200
    assert _errors(response, "grade")
    assert not Classroom.objects.exists()


def test_an_sma_has_grades_10_to_12(other_school):
    form = ClassroomForm(school=other_school, years=[_current_year(other_school)])
    assert [value for value, _label in form.fields["grade"].choices] == [10, 11, 12]


@pytest.mark.parametrize(
    ("field", "who"),
    [
        ("homeroom_teacher", "foreign_homeroom"),
        ("homeroom_teacher", "subject_teacher"),
        ("homeroom_teacher", "inactive_homeroom"),
        ("counselor", "foreign_counselor"),
        ("counselor", "homeroom_teacher"),
    ],
)
def test_a_teacher_of_another_school_or_role_is_refused(
    request, client_for, admin_staff, school, field, who
):
    person = request.getfixturevalue(who)
    response = client_for(admin_staff).post(
        CLASS_CREATE, _class_post(_current_year(school), **{field: person.pk})
    )
    assert response.status_code == 200
    assert _errors(response, field)
    assert not Classroom.objects.exists()


def test_the_service_refuses_a_teacher_of_another_school(school, foreign_homeroom):
    with pytest.raises(Exception) as refused:
        classroom_create(
            school=school,
            academic_year=_current_year(school),
            grade=7,
            name="VII-Z",
            homeroom_teacher=foreign_homeroom,
        )
    assert "homeroom_teacher" in refused.value.message_dict
    assert not Classroom.objects.exists()


def test_a_class_cannot_be_created_for_a_past_year(client_for, admin_staff, school, last_year):
    response = client_for(admin_staff).post(CLASS_CREATE, _class_post(last_year))
    assert response.status_code == 200
    assert _errors(response, "academic_year")
    assert not Classroom.objects.exists()


def test_without_a_current_year_creating_a_class_says_so(client_for, admin_staff, school):
    AcademicYear.objects.filter(school=school).update(is_current=False)
    response = client_for(admin_staff).get(CLASS_CREATE)
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]


# Classes: editing


def test_admin_staff_edits_a_class(client_for, admin_staff, school, classroom, counselor):
    other_counselor = UserFactory(username="konselor9", school=school, roles=[Role.COUNSELOR])
    url = reverse("counseling:class_edit", args=[classroom.pk])
    client = client_for(admin_staff)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"grade": "7", "name": "VII-A1", "homeroom_teacher": "", "counselor": other_counselor.pk},
    )
    assert response.status_code == 302
    classroom.refresh_from_db()
    assert (classroom.name, classroom.homeroom_teacher, classroom.counselor) == (
        "VII-A1",
        None,
        other_counselor,
    )


def test_editing_keeps_the_own_name_and_refuses_another_classes(
    client_for, admin_staff, classroom, second_class
):
    url = reverse("counseling:class_edit", args=[classroom.pk])
    client = client_for(admin_staff)
    kept = client.post(url, {"grade": "7", "name": "vii-a"})
    assert kept.status_code == 302
    taken = client.post(url, {"grade": "7", "name": "VIII B"})
    assert taken.status_code == 200
    assert "VIII-B" in _errors(taken, "name")[0]
    classroom.refresh_from_db()
    assert classroom.name == "vii-a"


def test_a_class_of_a_past_year_cannot_be_edited(client_for, admin_staff, school, last_year):
    old = ClassroomFactory(school=school, academic_year=last_year, name="VII-Lama")
    url = reverse("counseling:class_edit", args=[old.pk])
    assert client_for(admin_staff).get(url).status_code == 404


# The next academic year's classes, and how they fit the promotion


def test_the_class_list_shows_the_next_years_classes_as_a_tab(
    client_for, admin_staff, classroom, next_year
):
    intake = ClassroomFactory(school=classroom.school, academic_year=next_year, name="VII-Baru")
    client = client_for(admin_staff)
    html = client.get(CLASS_LIST).content.decode()
    assert f"{CLASS_LIST}?year={next_year.pk}" in html
    assert "VII-Baru" not in html
    response = client.get(CLASS_LIST, {"year": next_year.pk})
    assert [c.name for c in response.context["classrooms"]] == ["VII-Baru"]
    assert reverse("counseling:class_edit", args=[intake.pk]) in response.content.decode()


def test_an_unknown_or_past_year_in_the_class_list_is_404(
    client_for, admin_staff, school, last_year
):
    client = client_for(admin_staff)
    assert client.get(CLASS_LIST, {"year": last_year.pk}).status_code == 404
    assert client.get(CLASS_LIST, {"year": "x"}).status_code == 404


def test_the_promotion_moves_up_into_a_next_year_class_created_by_hand(
    client_for, admin_staff, school, classroom, student, next_year
):
    client = client_for(admin_staff)
    client.post(CLASS_CREATE, _class_post(next_year, grade="8", name="VIII A"))
    client.post(CLASS_CREATE, _class_post(next_year, grade="7", name="VII-A"))

    promotion_apply(school=school, source_year=_current_year(school), target_year=next_year)

    student.refresh_from_db()
    assert (student.classroom.name, student.classroom.academic_year) == ("VIII A", next_year)
    assert sorted(
        Classroom.objects.filter(academic_year=next_year).values_list("name", flat=True)
    ) == [
        "VII-A",
        "VIII A",
    ]


# Students: creating


def test_admin_staff_adds_a_student(client_for, admin_staff, school, classroom):
    response = client_for(admin_staff).post(STUDENT_CREATE, _student_post(classroom=classroom.pk))
    created = Student.objects.get(nisn="0011223344")
    assert response.status_code == 302
    assert response["Location"] == reverse("counseling:student_detail", args=[created.pk])
    assert (created.school, created.classroom, created.full_name, created.birth_date) == (
        school,
        classroom,
        "Dewi Anggraini",
        date(2013, 5, 2),
    )
    assert created.status == Student.Status.ACTIVE


@pytest.mark.parametrize(
    ("nisn", "message"),
    [
        ("12345", "10"),
        ("00112233445", "10"),
        ("00112233AB", "10"),
        ("００１１２２３３４４", "10"),
        ("", ""),
    ],
)
def test_a_bad_nisn_is_refused(client_for, admin_staff, nisn, message):
    response = client_for(admin_staff).post(STUDENT_CREATE, _student_post(nisn=nisn))
    assert response.status_code == 200
    assert message in _errors(response, "nisn")[0]
    assert not Student.objects.exists()


def test_a_nisn_with_spaces_is_kept_as_ten_digits(client_for, admin_staff):
    client_for(admin_staff).post(STUDENT_CREATE, _student_post(nisn="00112 23344"))
    assert Student.objects.get().nisn == "0011223344"


def test_a_duplicate_nisn_of_the_school_names_the_student(client_for, admin_staff, student):
    response = client_for(admin_staff).post(STUDENT_CREATE, _student_post(nisn=student.nisn))
    assert response.status_code == 200
    assert "Ayu Lestari" in _errors(response, "nisn")[0]
    assert Student.objects.count() == 1


def test_a_nisn_of_another_school_is_refused_without_naming_it(
    client_for, admin_staff, foreign_student
):
    response = client_for(admin_staff).post(
        STUDENT_CREATE, _student_post(nisn=foreign_student.nisn)
    )
    error = _errors(response, "nisn")[0]
    assert error == nisn_of_another_school_message(foreign_student.nisn)
    assert "Citra" not in error and foreign_student.school.name not in error
    assert Student.objects.count() == 1


def test_a_class_of_another_school_or_year_is_not_a_choice(
    client_for, admin_staff, school, foreign_class, next_year
):
    intake = ClassroomFactory(school=school, academic_year=next_year, name="VII-Baru")
    client = client_for(admin_staff)
    for classroom in (foreign_class, intake):
        response = client.post(STUDENT_CREATE, _student_post(classroom=classroom.pk))
        assert _errors(response, "classroom"), classroom
    assert not Student.objects.filter(nisn="0011223344").exists()


def test_a_future_birth_date_and_a_missing_name_are_refused(client_for, admin_staff):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(admin_staff).post(
        STUDENT_CREATE, _student_post(birth_date=tomorrow, full_name="  ", sex="X")
    )
    assert _errors(response, "birth_date")
    assert _errors(response, "full_name")
    assert _errors(response, "sex")
    assert not Student.objects.exists()


def test_the_student_list_links_to_adding_a_student_for_admin_staff_only(
    client_for, admin_staff, counselor
):
    student_list = reverse("counseling:student_list")
    assert STUDENT_CREATE in client_for(admin_staff).get(student_list).content.decode()
    assert STUDENT_CREATE not in client_for(counselor).get(student_list).content.decode()


# Students: editing


def test_admin_staff_edits_a_student_and_changes_the_class(
    client_for, admin_staff, student, second_class
):
    url = reverse("counseling:student_edit", args=[student.pk])
    response = client_for(admin_staff).post(
        url, _edit_post(student, full_name="Ayu Lestari Putri", classroom=second_class.pk)
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert (student.full_name, student.classroom, student.version) == (
        "Ayu Lestari Putri",
        second_class,
        1,
    )


@pytest.mark.parametrize("status", [Student.Status.MOVED, Student.Status.GRADUATED])
def test_a_student_is_marked_moved_or_graduated_and_back_to_active(
    client_for, admin_staff, student, status
):
    url = reverse("counseling:student_edit", args=[student.pk])
    client = client_for(admin_staff)
    client.post(url, _edit_post(student, status=status))
    student.refresh_from_db()
    assert student.status == status
    client.post(url, _edit_post(student, status=Student.Status.ACTIVE))
    student.refresh_from_db()
    assert student.status == Student.Status.ACTIVE
    assert Student.objects.filter(pk=student.pk).exists()


def test_a_graduate_keeps_last_years_class_but_returns_to_active_only_in_this_years(
    client_for, admin_staff, school, second_class, last_year
):
    old_class = ClassroomFactory(school=school, academic_year=last_year, grade=9, name="IX-A")
    graduate = StudentFactory(
        school=school, classroom=old_class, status=Student.Status.GRADUATED, nis="1"
    )
    url = reverse("counseling:student_edit", args=[graduate.pk])
    client = client_for(admin_staff)

    assert client.post(url, _edit_post(graduate, nis="1-A")).status_code == 302
    graduate.refresh_from_db()
    assert (graduate.nis, graduate.classroom) == ("1-A", old_class)

    refused = client.post(url, _edit_post(graduate, status=Student.Status.ACTIVE))
    assert _errors(refused, "classroom")
    graduate.refresh_from_db()
    assert graduate.status == Student.Status.GRADUATED
    back = client.post(
        url, _edit_post(graduate, status=Student.Status.ACTIVE, classroom=second_class.pk)
    )
    assert back.status_code == 302
    graduate.refresh_from_db()
    assert (graduate.status, graduate.classroom) == (Student.Status.ACTIVE, second_class)


def test_editing_to_another_students_nisn_is_refused(client_for, admin_staff, school, student):
    other = StudentFactory(
        school=school, classroom=None, nisn="0555555555", full_name="Bagus Pratama"
    )
    url = reverse("counseling:student_edit", args=[student.pk])
    response = client_for(admin_staff).post(url, _edit_post(student, nisn=other.nisn))
    assert "Bagus Pratama" in _errors(response, "nisn")[0]
    student.refresh_from_db()
    assert student.nisn == "0098765432"


def test_the_student_page_shows_the_edit_link_to_admin_staff_only(
    request, client_for, admin_staff, counselor, homeroom_teacher, student
):
    detail = reverse("counseling:student_detail", args=[student.pk])
    edit = reverse("counseling:student_edit", args=[student.pk])
    assert edit in client_for(admin_staff).get(detail).content.decode()
    for reader in (counselor, homeroom_teacher):
        assert edit not in client_for(reader).get(detail).content.decode()


# Two people editing the same student


def test_a_concurrent_edit_is_refused_and_shows_what_changed(
    client_for, admin_staff, school, student, second_class
):
    second_clerk = UserFactory(username="tatausaha2", school=school, roles=[Role.ADMIN_STAFF])
    url = reverse("counseling:student_edit", args=[student.pk])
    first, second = client_for(admin_staff), client_for(second_clerk)
    first_form = first.get(url).context["form"]
    second_form = second.get(url).context["form"]
    assert first_form.initial["version"] == second_form.initial["version"] == 0

    assert first.post(url, _edit_post(student, full_name="Ayu L.")).status_code == 302
    response = second.post(url, _edit_post(student, classroom=second_class.pk))

    assert response.status_code == 200
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    student.refresh_from_db()
    assert (student.full_name, student.classroom.name, student.version) == ("Ayu L.", "VII-A", 1)
    fields = response.context["form"].fields
    rows = {row["label"]: (row["theirs"], row["yours"]) for row in response.context["differences"]}
    assert rows == {
        fields["full_name"].label: ("Ayu L.", "Ayu Lestari"),
        fields["classroom"].label: ("VII-A", "VIII-B"),
    }
    html = response.content.decode()
    assert 'data-testid="edit-conflict"' in html
    # The form now carries the saved version: saving again is a deliberate choice.
    assert response.context["form"]["version"].value() == "1"
    again = second.post(url, _edit_post(student, classroom=second_class.pk))
    assert again.status_code == 302


def test_the_service_refuses_a_stale_version(student, second_class):
    values = {
        "nisn": student.nisn,
        "nis": student.nis,
        "full_name": "Ayu",
        "sex": student.sex,
        "birth_place": "",
        "birth_date": None,
        "classroom": second_class,
        "status": Student.Status.ACTIVE,
    }
    student_update(student=student, version=0, **values)
    with pytest.raises(StaleEdit) as stale:
        student_update(student=student, version=0, **{**values, "full_name": "Ayu Lagi"})
    assert stale.value.current.full_name == "Ayu"
    student.refresh_from_db()
    assert (student.full_name, student.version) == ("Ayu", 1)


def test_the_promotion_makes_an_edit_opened_before_it_stale(
    client_for, admin_staff, school, student, next_year
):
    url = reverse("counseling:student_edit", args=[student.pk])
    client = client_for(admin_staff)
    opened = _edit_post(student, full_name="Ayu Baru")
    promotion_apply(school=school, source_year=_current_year(school), target_year=next_year)
    response = client.post(url, opened)
    assert response.status_code == 200
    assert response.context["current"].classroom.name == "VIII-A"
    student.refresh_from_db()
    assert student.full_name == "Ayu Lestari"


def test_a_bad_version_value_is_a_form_error_not_a_crash(client_for, admin_staff, student):
    url = reverse("counseling:student_edit", args=[student.pk])
    response = client_for(admin_staff).post(url, _edit_post(student, version="x"))
    assert response.status_code == 200
    assert response.context["form"].errors


def test_the_edit_form_offers_this_years_classes_and_the_own(school, student, foreign_class):
    classes = list(StudentEditForm(instance=student, school=school).fields["classroom"].queryset)
    assert student.classroom in classes
    assert foreign_class not in classes
    assert list(StudentForm(school=school).fields["classroom"].queryset) == [student.classroom]


# Who may not keep the roster


@pytest.mark.parametrize("role", NOT_KEEPERS)
def test_other_roles_cannot_create_or_edit(request, client_for, role, school, classroom, student):
    client = client_for(request.getfixturevalue(role))
    urls = [
        CLASS_CREATE,
        reverse("counseling:class_edit", args=[classroom.pk]),
        STUDENT_CREATE,
        reverse("counseling:student_edit", args=[student.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.post(CLASS_CREATE, _class_post(_current_year(school)))
    client.post(STUDENT_CREATE, _student_post())
    client.post(
        reverse("counseling:student_edit", args=[student.pk]),
        _edit_post(student, full_name="Diubah"),
    )
    assert Classroom.objects.count() == 1
    assert Student.objects.count() == 1
    student.refresh_from_db()
    assert student.full_name == "Ayu Lestari"


def test_the_other_schools_admin_staff_cannot_touch_the_first_school(
    client_for, other_admin_staff, classroom, student
):
    client = client_for(other_admin_staff)
    class_edit = reverse("counseling:class_edit", args=[classroom.pk])
    student_edit = reverse("counseling:student_edit", args=[student.pk])
    assert client.get(class_edit).status_code == 404
    assert client.get(student_edit).status_code == 404
    assert client.post(class_edit, {"grade": "7", "name": "Direbut"}).status_code == 404
    assert client.post(student_edit, _edit_post(student, full_name="Direbut")).status_code == 404
    classroom.refresh_from_db()
    student.refresh_from_db()
    assert (classroom.name, student.full_name) == ("VII-A", "Ayu Lestari")


def test_the_other_schools_admin_staff_cannot_put_a_student_in_the_first_schools_class(
    client_for, other_admin_staff, classroom
):
    response = client_for(other_admin_staff).post(
        STUDENT_CREATE, _student_post(classroom=classroom.pk)
    )
    assert _errors(response, "classroom")
    assert not Student.objects.exists()


@pytest.mark.parametrize("url_name", ["class_create", "student_create"])
def test_keeping_the_roster_requires_sign_in(client, db, url_name):
    response = client.get(reverse(f"counseling:{url_name}"))
    assert response["Location"].startswith(reverse("login"))


def test_next_years_class_list_query_count_does_not_grow(
    client_for, admin_staff, school, next_year, counselor, django_assert_num_queries
):
    client = client_for(admin_staff)
    client.get(CLASS_LIST, {"year": next_year.pk})
    ClassroomFactory(school=school, academic_year=next_year, grade=7, name="VII-Baru")
    # session, user with school, roles, current academic year, the next academic year,
    # classes with both teachers and their active students counted
    with django_assert_num_queries(6):
        client.get(CLASS_LIST, {"year": next_year.pk})
    for letter in "BCDEFGHIJ":
        ClassroomFactory(
            school=school,
            academic_year=next_year,
            grade=7,
            name=f"VII-{letter}",
            counselor=counselor,
        )
    with django_assert_num_queries(6):
        response = client.get(CLASS_LIST, {"year": next_year.pk})
    assert len(response.context["classrooms"]) == 10
