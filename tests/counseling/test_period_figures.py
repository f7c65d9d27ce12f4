"""The counseling figures of a period that the principal's dashboard and the period report read
(collaboration per month and partner, the cases opened and how many took two or more sessions,
personal-book completeness and students per class), and the list filters their numbers link
to: the case list by opening date and number of sessions, the collaboration log by date."""

import datetime

import pytest
from django.urls import reverse

from counseling.models import Case, Collaboration, Student
from counseling.selectors import (
    active_student_count,
    books_by_class,
    cases_opened_between,
    collaboration_by_month,
)
from staff.models import AcademicYear
from tests.counseling.cases_setup import at
from tests.factories import (
    CaseFactory,
    ClassroomFactory,
    CollaborationFactory,
    CounselingSessionFactory,
    PersonalBookFactory,
    StudentFactory,
    UserFactory,
)

CASE_LIST = reverse("counseling:case_list")
COLLABORATION_LIST = reverse("counseling:collaboration_list")
SEMESTER = (datetime.date(2026, 7, 1), datetime.date(2026, 12, 31))
Partner = Collaboration.Partner


@pytest.fixture
def cases(school, student, classmate, counselor, foreign_student, foreign_counselor):
    """Cases opened in the semester with 0, 1, 2 and 3 sessions, one archived; one opened
    before it with three sessions; one of the other school."""
    made = {}
    for name, sessions, opened, extra in [
        ("none", 0, datetime.date(2026, 8, 1), {}),
        ("one", 1, datetime.date(2026, 9, 1), {"status": Case.Status.RESOLVED}),
        ("two", 2, datetime.date(2026, 10, 1), {"status": Case.Status.CLOSED}),
        ("three", 3, datetime.date(2026, 12, 31), {"status": Case.Status.CLOSED}),
        ("before", 3, datetime.date(2026, 6, 30), {}),
    ]:
        made[name] = CaseFactory(student=student, counselor=counselor, opened_on=opened, **extra)
        for day in range(sessions):
            CounselingSessionFactory(counselor=counselor, case=made[name], starts_at=at(day + 1))
    made["two"].is_archived = True
    made["two"].save()
    foreign_case = CaseFactory(
        student=foreign_student, counselor=foreign_counselor, opened_on=SEMESTER[0]
    )
    for day in range(2):
        CounselingSessionFactory(
            counselor=foreign_counselor, case=foreign_case, starts_at=at(day + 1)
        )
    return made


def test_the_cases_opened_in_a_period_count_those_with_two_or_more_sessions(school, cases):
    opened = cases_opened_between(school.pk, since=SEMESTER[0], until=SEMESTER[1])
    assert (opened.total, opened.multi_session) == (4, 2)
    assert opened.by_status == {
        "new": 0,
        "in_progress": 1,
        "resolved": 1,
        "referred_out": 0,
        "closed": 2,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"none", "one", "two", "three"}),
        ({"sessions": "2"}, {"two", "three"}),
        ({"sessions": "1"}, {"one"}),
        ({"sessions": "0"}, {"none"}),
        ({"opened_to": "2026-09-30"}, {"none", "one"}),
    ],
)
def test_the_case_list_filters_by_opening_date_and_sessions(
    client_for, principal, cases, params, expected
):
    query = {
        "status": "all",
        "archived": "on",
        "opened_from": SEMESTER[0].isoformat(),
        "opened_to": SEMESTER[1].isoformat(),
        **params,
    }
    response = client_for(principal).get(CASE_LIST, query)
    by_pk = {case.pk: name for name, case in cases.items()}
    assert {by_pk[case.pk] for case in response.context["page"]} == expected


def test_the_case_list_says_when_its_dates_are_wrong(client_for, principal, cases):
    response = client_for(principal).get(
        CASE_LIST, {"opened_from": "2026-12-31", "opened_to": "2026-07-01"}
    )
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert "Tanggal akhir lebih awal daripada tanggal mulai." in response.content.decode()
    assert client_for(principal).get(CASE_LIST, {"sessions": "many"}).status_code == 200


def test_collaboration_is_counted_per_month_and_partner(school, counselor, other_school):
    for day, partner in [
        (datetime.date(2026, 7, 1), Partner.PARENT),
        (datetime.date(2026, 7, 31), Partner.PARENT),
        (datetime.date(2026, 7, 15), Partner.SUBJECT_TEACHER),
        (datetime.date(2026, 9, 9), Partner.HOMEROOM_TEACHER),
        (datetime.date(2026, 6, 30), Partner.PARENT),
        (datetime.date(2027, 1, 1), Partner.PARENT),
    ]:
        CollaborationFactory(counselor=counselor, happened_on=day, partner_type=partner)
    CollaborationFactory(
        counselor=UserFactory(school=other_school), happened_on=datetime.date(2026, 7, 2)
    )
    counts = collaboration_by_month(school.pk, since=SEMESTER[0], until=SEMESTER[1])
    assert counts == {
        (datetime.date(2026, 7, 1), Partner.PARENT): 2,
        (datetime.date(2026, 7, 1), Partner.SUBJECT_TEACHER): 1,
        (datetime.date(2026, 9, 1), Partner.HOMEROOM_TEACHER): 1,
    }


def test_the_collaboration_log_filters_by_date(client_for, principal, counselor):
    inside = CollaborationFactory(counselor=counselor, happened_on=datetime.date(2026, 7, 31))
    CollaborationFactory(counselor=counselor, happened_on=datetime.date(2026, 8, 1))
    response = client_for(principal).get(
        COLLABORATION_LIST,
        {"partner_type": Partner.PARENT, "date_from": "2026-07-01", "date_to": "2026-07-31"},
    )
    assert list(response.context["page"]) == [inside]
    response = client_for(principal).get(COLLABORATION_LIST, {"date_from": "2026-13-01"})
    assert response.status_code == 200
    assert list(response.context["page"]) == []


def test_books_by_class_add_up_completeness_of_active_students_only(
    school, counselor, homeroom_teacher, foreign_student
):
    year = AcademicYear.objects.get(school=school, is_current=True)
    seventh = ClassroomFactory(
        school=school,
        academic_year=year,
        grade=7,
        name="VII-A",
        counselor=counselor,
        homeroom_teacher=homeroom_teacher,
    )
    empty = ClassroomFactory(school=school, academic_year=year, grade=8, name="VIII-A")
    for completeness in (100, 50):
        PersonalBookFactory(
            student=StudentFactory(school=school, classroom=seventh), completeness=completeness
        )
    StudentFactory(school=school, classroom=seventh)  # no book yet: counts 0
    moved = StudentFactory(school=school, classroom=seventh, status=Student.Status.MOVED)
    PersonalBookFactory(student=moved, completeness=100)
    last_year = AcademicYear.objects.create(
        school=school,
        name="2025/2026",
        start_date=datetime.date(2025, 7, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    ClassroomFactory(school=school, academic_year=last_year, name="VII-A")
    StudentFactory(school=school, classroom=None)
    PersonalBookFactory(student=foreign_student, completeness=100)

    rows = books_by_class(school.pk)
    assert [row.classroom_id for row in rows] == [seventh.pk, empty.pk]
    first = rows[0]
    assert (first.students, first.completeness_total, first.complete_enough) == (3, 150, 1)
    assert str(first.average_completeness) == "50.0"
    assert (first.counselor_id, first.homeroom_teacher_name) == (counselor.pk, "Ibu/Bapak walas")
    assert (rows[1].students, rows[1].average_completeness, rows[1].counselor_id) == (0, None, None)
    assert active_student_count(school.pk) == 4
