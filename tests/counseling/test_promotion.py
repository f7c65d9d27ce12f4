"""The new school year: creating the next academic year, previewing the promotion and applying
it once, for the administrative staff only."""

import datetime
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from counseling.models import Case, Classroom, CounselingSession, Student
from counseling.promotion import (
    PromotionRefused,
    academic_year_create_next,
    promoted_name,
    promotion_apply,
    starts_far_ahead,
)
from staff.models import AcademicYear, AccessLogEntry, Role, Semester
from tests.factories import (
    AcademicYearFactory,
    CaseFactory,
    ClassroomFactory,
    CounselingSessionFactory,
    StudentFactory,
    UserFactory,
)

PROMOTION = reverse("counseling:promotion")
CLASS_LIST = reverse("counseling:class_list")


def _current_year(school) -> AcademicYear:
    return AcademicYear.objects.get(school=school, is_current=True)


def _message_levels(response) -> list[str]:
    return [message.level_tag for message in get_messages(response.wsgi_request)]


@pytest.fixture
def teachers(school):
    return {
        name: UserFactory(
            username=f"walas_{name}",
            full_name=f"Walas {name}",
            school=school,
            roles=[Role.HOMEROOM_TEACHER],
        )
        for name in ("VII-A", "VIII-A", "IX-A")
    }


@pytest.fixture
def classes(school, counselor, teachers):
    year = _current_year(school)
    return {
        name: ClassroomFactory(
            school=school,
            academic_year=year,
            grade=grade,
            name=name,
            homeroom_teacher=teachers[name],
            counselor=counselor,
        )
        for name, grade in (("VII-A", 7), ("VIII-A", 8), ("IX-A", 9))
    }


@pytest.fixture
def students(classes):
    """Two active students in each class, and one who moved away from VII-A."""
    made = {}
    for name, classroom in classes.items():
        for number in (1, 2):
            label = f"{name} siswa {number}"
            made[label] = StudentFactory(
                school=classroom.school, classroom=classroom, full_name=label
            )
    made["moved"] = StudentFactory(
        school=classes["VII-A"].school,
        classroom=classes["VII-A"],
        full_name="Sudah Pindah",
        status=Student.Status.MOVED,
    )
    return made


def _snapshot(school):
    return (
        sorted(Student.objects.filter(school=school).values_list("pk", "classroom_id", "status")),
        sorted(Classroom.objects.filter(school=school).values_list("pk", "name")),
        sorted(AcademicYear.objects.filter(school=school).values_list("pk", "is_current")),
    )


def _apply_data(source, target, repeaters=(), make_current=False):
    data = {
        "action": "apply",
        "source_year": source.pk,
        "target_year": target.pk,
        "repeaters": [student.pk for student in repeaters],
    }
    if make_current:
        data["make_current"] = "on"
    return data


# Class names one grade up


@pytest.mark.parametrize(
    ("name", "grade", "expected"),
    [
        ("VII-A", 7, "VIII-A"),
        ("VIII-B", 8, "IX-B"),
        ("VII A", 7, "VIII A"),
        ("vii-c", 7, "VIII-c"),
        ("7A", 7, "8A"),
        ("Kelas 7 B", 7, "Kelas 8 B"),
        ("X IPA 1", 10, "XI IPA 1"),
        ("XI-2", 11, "XII-2"),
        ("Melati", 7, "VIII-Melati"),
    ],
)
def test_promoted_name_keeps_the_schools_spelling(name, grade, expected):
    assert promoted_name(name, grade) == expected


# Creating the next academic year


def test_without_a_next_year_the_page_offers_to_create_it(client_for, admin_staff, classes):
    response = client_for(admin_staff).get(PROMOTION)
    assert response.status_code == 200
    assert response.context["target_year"] is None
    html = response.content.decode()
    assert 'data-testid="create-year"' in html
    assert "2027/2028" in html


def test_creating_the_next_year_adds_it_with_two_semesters(client_for, admin_staff, school):
    response = client_for(admin_staff).post(PROMOTION, {"action": "create_year"})
    assert response.status_code == 302
    year = AcademicYear.objects.get(school=school, name="2027/2028")
    assert (year.start_date, year.end_date, year.is_current) == (
        date(2027, 7, 1),
        date(2028, 6, 30),
        False,
    )
    assert list(
        year.semesters.order_by("number").values_list("number", "start_date", "end_date")
    ) == [
        (1, date(2027, 7, 1), date(2027, 12, 31)),
        (2, date(2028, 1, 1), date(2028, 6, 30)),
    ]
    assert not year.semesters.filter(is_current=True).exists()
    assert _current_year(school).name == "2026/2027"


def test_creating_the_next_year_twice_is_refused(client_for, admin_staff, school, next_year):
    response = client_for(admin_staff).post(PROMOTION, {"action": "create_year"})
    assert response.status_code == 302
    assert _message_levels(response) == ["error"]
    assert AcademicYear.objects.filter(school=school).count() == 2
    with pytest.raises(PromotionRefused):
        academic_year_create_next(current=_current_year(school))


# The preview


def test_preview_shows_where_each_class_and_student_goes(
    client_for, admin_staff, students, next_year
):
    response = client_for(admin_staff).get(PROMOTION)
    assert response.status_code == 200
    plan = response.context["plan"]
    assert [
        (p.source.name, p.target_name, [s.full_name for s in p.students]) for p in plan.classes
    ] == [
        ("VII-A", "VIII-A", ["VII-A siswa 1", "VII-A siswa 2"]),
        ("VIII-A", "IX-A", ["VIII-A siswa 1", "VIII-A siswa 2"]),
        ("IX-A", None, ["IX-A siswa 1", "IX-A siswa 2"]),
    ]
    assert (plan.promoted_count, plan.graduating_count, plan.repeating_count) == (4, 2, 0)
    assert plan.new_class_names == ["IX-A", "VIII-A"]
    html = response.content.decode()
    assert "Sudah Pindah" not in html
    assert 'name="repeaters"' in html


def test_preview_with_repeaters_saves_nothing(client_for, admin_staff, school, students, next_year):
    before = _snapshot(school)
    source = _current_year(school)
    data = {
        **_apply_data(source, next_year, [students["VII-A siswa 1"]], make_current=True),
        "action": "preview",
    }
    response = client_for(admin_staff).post(PROMOTION, data)
    assert response.status_code == 200
    plan = response.context["plan"]
    assert (plan.promoted_count, plan.graduating_count, plan.repeating_count) == (3, 2, 1)
    assert plan.new_class_names == ["IX-A", "VII-A", "VIII-A"]
    assert response.context["repeaters"] == {students["VII-A siswa 1"].pk}
    assert "checked" in response.content.decode()
    assert _snapshot(school) == before


# Applying


def test_apply_promotes_graduates_and_keeps_repeaters(
    client_for, admin_staff, school, counselor, teachers, classes, students, next_year
):
    old_ids = {classroom.pk for classroom in classes.values()}
    case = CaseFactory(student=students["VII-A siswa 2"], counselor=counselor)
    classical = CounselingSessionFactory(
        counselor=counselor,
        strategy=CounselingSession.Strategy.CLASSICAL_GUIDANCE,
        classroom=classes["VII-A"],
        students=[students["VII-A siswa 1"], students["VII-A siswa 2"]],
    )
    source = _current_year(school)
    repeaters = [students["VII-A siswa 1"], students["IX-A siswa 2"]]

    response = client_for(admin_staff).post(PROMOTION, _apply_data(source, next_year, repeaters))

    assert response.status_code == 302
    assert response["Location"] == CLASS_LIST
    new_classes = {
        c.name: c for c in Classroom.objects.filter(academic_year=next_year).select_related()
    }
    assert sorted(new_classes) == ["IX-A", "VII-A", "VIII-A"]
    assert (new_classes["VIII-A"].grade, new_classes["IX-A"].grade) == (8, 9)
    # Teachers come along with their class; the repeaters' new VII-A has its BK teacher only.
    assert new_classes["VIII-A"].homeroom_teacher == teachers["VII-A"]
    assert new_classes["IX-A"].homeroom_teacher == teachers["VIII-A"]
    assert new_classes["VII-A"].homeroom_teacher is None
    assert {c.counselor for c in new_classes.values()} == {counselor}

    def where(label):
        student = Student.objects.select_related("classroom__academic_year").get(
            pk=students[label].pk
        )
        return student.classroom.name, student.classroom.academic_year.name, student.status

    assert where("VII-A siswa 1") == ("VII-A", "2027/2028", "active")  # repeats
    assert where("VII-A siswa 2") == ("VIII-A", "2027/2028", "active")
    assert where("VIII-A siswa 1") == ("IX-A", "2027/2028", "active")
    assert where("IX-A siswa 1") == ("IX-A", "2026/2027", "graduated")  # keeps the last class
    assert where("IX-A siswa 2") == ("IX-A", "2027/2028", "active")  # repeats grade 9
    assert where("moved") == ("VII-A", "2026/2027", "moved")
    # The old classes and the records stay.
    assert set(Classroom.objects.filter(pk__in=old_ids).values_list("pk", flat=True)) == old_ids
    assert Case.objects.get(pk=case.pk).student_id == students["VII-A siswa 2"].pk
    classical.refresh_from_db()
    assert classical.classroom_id == classes["VII-A"].pk
    assert classical.students.count() == 2
    # The year stays as it was unless asked.
    assert _current_year(school) == source
    assert _message_levels(response) == ["success"]


def test_apply_twice_is_refused_and_changes_nothing(
    client_for, admin_staff, school, students, next_year
):
    client = client_for(admin_staff)
    source = _current_year(school)
    client.post(PROMOTION, _apply_data(source, next_year), follow=True)
    after_first = _snapshot(school)

    response = client.post(PROMOTION, _apply_data(source, next_year))

    assert response.status_code == 302
    assert response["Location"] == PROMOTION
    assert _message_levels(response) == ["error"]
    assert _snapshot(school) == after_first
    assert Classroom.objects.filter(academic_year=next_year).count() == 2
    page = client.get(PROMOTION)
    assert 'data-testid="nothing-to-promote"' in page.content.decode()
    assert 'value="apply"' not in page.content.decode()


def test_apply_service_refuses_a_second_run(school, students, next_year):
    source = _current_year(school)
    first = promotion_apply(school=school, source_year=source, target_year=next_year)
    assert (first.promoted, first.graduated, first.repeating, first.classes_created) == (
        4,
        2,
        0,
        2,
    )
    with pytest.raises(PromotionRefused):
        promotion_apply(school=school, source_year=source, target_year=next_year)


def test_apply_uses_a_target_class_that_exists_already(
    client_for, admin_staff, school, students, next_year, teachers
):
    existing = ClassroomFactory(
        school=school,
        academic_year=next_year,
        grade=8,
        name="VIII-A",
        homeroom_teacher=teachers["IX-A"],
    )
    client_for(admin_staff).post(PROMOTION, _apply_data(_current_year(school), next_year))
    assert Classroom.objects.filter(academic_year=next_year, name="VIII-A").count() == 1
    existing.refresh_from_db()
    assert existing.homeroom_teacher == teachers["IX-A"]
    assert existing.students.count() == 2


def test_apply_can_make_the_new_year_current(client_for, admin_staff, school, students, next_year):
    source = _current_year(school)
    response = client_for(admin_staff).post(
        PROMOTION, {**_apply_data(source, next_year, make_current=True), "confirm_early": "on"}
    )
    assert response.status_code == 302
    assert _current_year(school) == next_year
    current_semester = Semester.objects.get(school=school, is_current=True)
    assert (current_semester.academic_year, current_semester.number) == (next_year, 1)
    # The class list now shows the new year's classes with the promoted students.
    classrooms = client_for(admin_staff).get(CLASS_LIST).context["classrooms"]
    assert [(c.name, c.active_students) for c in classrooms] == [("VIII-A", 2), ("IX-A", 2)]


def test_apply_refuses_when_the_years_changed_since_the_preview(
    client_for, admin_staff, school, students, next_year
):
    stale = AcademicYearFactory(
        school=school,
        name="2030/2031",
        start_date=date(2030, 7, 1),
        end_date=date(2031, 6, 30),
        is_current=False,
    )
    before = _snapshot(school)
    response = client_for(admin_staff).post(PROMOTION, _apply_data(_current_year(school), stale))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert _snapshot(school) == before


def test_a_repeater_who_is_not_in_this_years_classes_is_refused(
    client_for, admin_staff, school, students, next_year
):
    before = _snapshot(school)
    response = client_for(admin_staff).post(
        PROMOTION,
        _apply_data(_current_year(school), next_year, [students["moved"]]),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["repeaters"]
    assert _snapshot(school) == before


def test_a_bad_repeater_value_is_a_form_error_not_a_crash(
    client_for, admin_staff, school, students, next_year
):
    data = {**_apply_data(_current_year(school), next_year), "repeaters": ["abc"]}
    response = client_for(admin_staff).post(PROMOTION, data)
    assert response.status_code == 200
    assert response.context["form"].errors["repeaters"]


def test_without_a_current_year_the_page_says_so(client_for, admin_staff, school):
    AcademicYear.objects.filter(school=school).update(is_current=False)
    response = client_for(admin_staff).get(PROMOTION)
    assert response.status_code == 200
    assert response.context["source_year"] is None
    assert 'data-testid="no-current-year"' in response.content.decode()


def test_an_sma_graduates_grade_12(client_for, other_admin_staff, other_school):
    year = _current_year(other_school)
    rooms = {
        name: ClassroomFactory(school=other_school, academic_year=year, grade=grade, name=name)
        for name, grade in (("X-1", 10), ("XI IPA 1", 11), ("XII IPA 1", 12))
    }
    for room in rooms.values():
        StudentFactory(school=other_school, classroom=room)
    target = AcademicYearFactory(
        school=other_school,
        name="2027/2028",
        start_date=date(2027, 7, 1),
        end_date=date(2028, 6, 30),
        is_current=False,
    )
    plan = client_for(other_admin_staff).get(PROMOTION).context["plan"]
    assert [(p.source.name, p.target_name) for p in plan.classes] == [
        ("X-1", "XI-1"),
        ("XI IPA 1", "XII IPA 1"),
        ("XII IPA 1", None),
    ]
    client_for(other_admin_staff).post(PROMOTION, _apply_data(year, target))
    assert Student.objects.filter(school=other_school, status="graduated").count() == 1
    assert sorted(
        Classroom.objects.filter(academic_year=target).values_list("name", flat=True)
    ) == ["XI-1", "XII IPA 1"]


# Who may


@pytest.mark.parametrize(
    "role",
    ["principal", "vice_principal", "counselor", "homeroom_teacher", "subject_teacher"],
)
def test_only_admin_staff_may_promote(request, client_for, role, school, students, next_year):
    before = _snapshot(school)
    client = client_for(request.getfixturevalue(role))
    assert client.get(PROMOTION).status_code == 404
    response = client.post(PROMOTION, _apply_data(_current_year(school), next_year))
    assert response.status_code == 404
    assert client.post(PROMOTION, {"action": "create_year"}).status_code == 404
    assert _snapshot(school) == before


def test_other_schools_principal_gets_404(client_for, other_principal, students):
    assert client_for(other_principal).get(PROMOTION).status_code == 404


def test_other_schools_admin_staff_cannot_touch_the_first_school(
    client_for, other_admin_staff, other_school, school, students, next_year
):
    before = _snapshot(school)
    client = client_for(other_admin_staff)
    page = client.get(PROMOTION)
    assert page.status_code == 200
    assert "VII-A siswa 1" not in page.content.decode()
    # Their own school has no next year; asking to promote with the first school's years and
    # students changes nothing there.
    response = client.post(
        PROMOTION, _apply_data(_current_year(school), next_year, [students["VII-A siswa 1"]])
    )
    assert response.status_code == 200
    assert _snapshot(school) == before
    with pytest.raises(PromotionRefused):
        promotion_apply(
            school=other_school, source_year=_current_year(school), target_year=next_year
        )


def test_promotion_requires_sign_in(client, db):
    assert client.get(PROMOTION)["Location"].startswith(reverse("login"))


def test_class_list_links_to_the_promotion_for_admin_staff_only(
    client_for, admin_staff, counselor, classes
):
    assert PROMOTION in client_for(admin_staff).get(CLASS_LIST).content.decode()
    assert PROMOTION not in client_for(counselor).get(CLASS_LIST).content.decode()


# Query count


def test_promotion_preview_query_count_does_not_grow(
    client_for, admin_staff, school, counselor, next_year, django_assert_num_queries
):
    year = _current_year(school)

    def grow(classes: int, students: int) -> None:
        rooms = [
            ClassroomFactory(
                school=school, academic_year=year, grade=7 + n % 3, counselor=counselor
            )
            for n in range(classes)
        ]
        for number in range(students):
            StudentFactory(school=school, classroom=rooms[number % classes])

    client = client_for(admin_staff)
    grow(3, 10)
    # session, user with school, roles, current year, next year,
    # the classes with both teachers, their active students, the next year's classes
    with django_assert_num_queries(8):
        response = client.get(PROMOTION)
    assert response.context["plan"].student_count == 10
    grow(27, 90)
    with django_assert_num_queries(8):
        response = client.get(PROMOTION)
    assert response.context["plan"].student_count == 100


def test_time_of_day_does_not_matter_for_the_dates(school):
    """The next year's dates follow the current year's start, not today's date."""
    current = _current_year(school)
    current.start_date = date(2026, 7, 13)
    current.save()
    year = academic_year_create_next(current=current)
    assert (year.start_date, year.end_date) == (date(2027, 7, 1), date(2028, 6, 30))
    assert datetime.date(2027, 7, 1) > current.end_date


# Making the new year current long before it starts


def test_starts_far_ahead_means_more_than_a_month_before_the_start(next_year):
    # 2027/2028 starts on 1 July 2027.
    assert starts_far_ahead(next_year, today=date(2027, 5, 31) - timedelta(days=1))
    assert not starts_far_ahead(next_year, today=date(2027, 5, 31))
    assert not starts_far_ahead(next_year, today=date(2027, 8, 1))


def test_the_page_warns_when_the_new_year_starts_far_ahead(
    client_for, admin_staff, students, next_year
):
    html = client_for(admin_staff).get(PROMOTION).content.decode()
    assert 'data-testid="early-start-warning"' in html
    assert 'name="confirm_early"' in html


def test_making_a_far_year_current_without_confirming_is_refused_and_changes_nothing(
    client_for, admin_staff, school, students, next_year
):
    before = _snapshot(school)
    response = client_for(admin_staff).post(
        PROMOTION, _apply_data(_current_year(school), next_year, make_current=True)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["confirm_early"]
    assert _snapshot(school) == before


def test_applying_without_making_current_needs_no_confirmation(
    client_for, admin_staff, school, students, next_year
):
    response = client_for(admin_staff).post(
        PROMOTION, _apply_data(_current_year(school), next_year)
    )
    assert response.status_code == 302
    assert _current_year(school) != next_year


def test_a_year_starting_soon_needs_no_confirmation(
    monkeypatch, client_for, admin_staff, school, students, next_year
):
    monkeypatch.setattr("counseling.forms.starts_far_ahead", lambda year: False)
    client = client_for(admin_staff)
    assert 'data-testid="early-start-warning"' not in client.get(PROMOTION).content.decode()
    response = client.post(
        PROMOTION, _apply_data(_current_year(school), next_year, make_current=True)
    )
    assert response.status_code == 302
    assert _current_year(school) == next_year


def test_after_the_promotion_the_new_year_can_be_made_current_later(
    client_for, admin_staff, school, students, next_year
):
    client = client_for(admin_staff)
    client.post(PROMOTION, _apply_data(_current_year(school), next_year))
    page = client.get(PROMOTION).content.decode()
    assert 'data-testid="make-current"' in page
    refused = client.post(PROMOTION, {"action": "make_current"})
    assert refused.status_code == 200
    assert refused.context["current_form"].errors["confirm_early"]
    assert _current_year(school) != next_year

    response = client.post(PROMOTION, {"action": "make_current", "confirm_early": "on"})
    assert response.status_code == 302
    assert _current_year(school) == next_year
    semester = Semester.objects.get(school=school, is_current=True)
    assert (semester.academic_year, semester.number) == (next_year, 1)
    assert _semester_switches(school) == [(admin_staff.pk, str(semester.pk))]


def test_the_new_year_cannot_be_made_current_before_the_promotion(
    client_for, admin_staff, school, students, next_year
):
    before = _snapshot(school)
    response = client_for(admin_staff).post(
        PROMOTION, {"action": "make_current", "confirm_early": "on"}
    )
    assert response.status_code == 302
    assert _message_levels(response) == ["error"]
    assert _snapshot(school) == before


@pytest.mark.parametrize("role", ["principal", "counselor", "other_admin_staff"])
def test_only_the_schools_admin_staff_may_make_the_year_current(
    request, client_for, role, school, next_year
):
    client = client_for(request.getfixturevalue(role))
    client.post(PROMOTION, {"action": "make_current", "confirm_early": "on"})
    assert _current_year(school) != next_year


def _semester_switches(school):
    return list(
        AccessLogEntry.objects.filter(
            school=school, action=AccessLogEntry.Action.MAKE_SEMESTER_CURRENT
        ).values_list("user_id", "object_id")
    )


def test_a_promotion_that_makes_the_year_current_is_in_the_access_log(
    client_for, admin_staff, school, students, next_year
):
    client_for(admin_staff).post(
        PROMOTION,
        {**_apply_data(_current_year(school), next_year, make_current=True), "confirm_early": "on"},
    )
    semester = Semester.objects.get(school=school, is_current=True)
    assert semester.academic_year == next_year
    assert _semester_switches(school) == [(admin_staff.pk, str(semester.pk))]


def test_a_promotion_that_leaves_the_year_for_later_logs_no_switch(
    client_for, admin_staff, school, students, next_year
):
    client_for(admin_staff).post(PROMOTION, _apply_data(_current_year(school), next_year))
    assert _semester_switches(school) == []
