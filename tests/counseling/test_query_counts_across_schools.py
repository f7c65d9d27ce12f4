"""One deployment serves a district: a page costs the same number of queries whether its school
is alone or one of many, and whatever the size of the other schools.

Each page is measured with the first school alone, again once nine other schools with the same
kind of records exist, and again once those schools have ten times as many. The count must not
move, and the page must show exactly what it showed before. (The pages' own tests show that
the count does not grow with their own school's data either.)
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from counseling.models import InboundReferral
from staff.models import AcademicYear, Role
from tests.factories import (
    CaseFactory,
    ClassroomFactory,
    CollaborationFactory,
    CounselingSessionFactory,
    InboundReferralFactory,
    PersonalBookFactory,
    SchoolFactory,
    SemesterFactory,
    StudentFactory,
    UserFactory,
)


def fill_school(school, *, counselor, teacher, students: int) -> list:
    """A class of the current year with `students` students, personal books, cases with a
    session (an appointment in the coming minutes for some) and collaboration, and referrals
    waiting or declined."""
    classroom = ClassroomFactory(
        school=school,
        academic_year=AcademicYear.objects.get(school=school, is_current=True),
        counselor=counselor,
        homeroom_teacher=teacher,
    )
    created = []
    for number in range(students):
        student = StudentFactory(school=school, classroom=classroom)
        PersonalBookFactory(student=student, completeness=number * 7 % 100)
        if number % 2 == 0:
            case = CaseFactory(student=student, counselor=counselor)
            CounselingSessionFactory(
                counselor=counselor,
                case=case,
                follow_up_plan="Bertemu lagi." if number % 4 == 0 else "",
                next_appointment=timezone.now() + datetime.timedelta(minutes=5)
                if number % 4 == 0
                else None,
            )
            CollaborationFactory(counselor=counselor, case=case, student=student)
        elif number % 4 == 1:
            InboundReferralFactory(student=student, referred_by=teacher)
        else:
            InboundReferralFactory(
                student=student,
                referred_by=teacher,
                status=InboundReferral.Status.DECLINED,
                decided_by=counselor,
                decided_at=timezone.now(),
                decline_reason="Sudah ditangani wali kelas.",
            )
        created.append(student)
    return created


def other_schools(count: int, students: int) -> None:
    for _ in range(count):
        school = SchoolFactory()
        SemesterFactory(academic_year__school=school)
        fill_school(
            school,
            counselor=UserFactory(school=school, roles=[Role.COUNSELOR]),
            teacher=UserFactory(school=school, roles=[Role.HOMEROOM_TEACHER]),
            students=students,
        )


@pytest.fixture
def own_students(school, counselor, homeroom_teacher):
    return fill_school(school, counselor=counselor, teacher=homeroom_teacher, students=8)


# page, who asks, and the queries it costs (each page's own test names them)
PAGES = [
    ("counseling:student_list", "counselor", 7),
    ("counseling:student_detail", "counselor", 7),
    ("counseling:case_list", "counselor", 6),
    ("counseling:case_list?status=all&archived=on", "principal", 6),
    ("counseling:referral_inbox", "counselor", 8),
    ("counseling:collaboration_list", "vice_principal", 6),
    ("home", "counselor", 18),
    ("home", "principal", 9),
    ("home", "vice_principal", 13),
    # No appraisal and no semester before here: four queries fewer than with them (see
    # tests/supervision/test_dashboard_queries.py).
    ("supervision:dashboard", "principal", 21),
    ("supervision:report_semester", "principal", 21),
    ("supervision:book_overview", "principal", 6),
]


def _url(page: str, own_students) -> str:
    name, _, query = page.partition("?")
    args = []
    if name == "counseling:student_detail":
        args = [own_students[0].pk]
    elif name == "supervision:report_semester":
        args = [own_students[0].school.semesters.get(is_current=True).pk]
    return reverse(name, args=args) + (f"?{query}" if query else "")


def _measure(client, url: str) -> tuple[int, bytes]:
    # The figures a dashboard caches per school would hide what computing them costs.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content


@pytest.mark.parametrize(("page", "person", "expected"), PAGES)
def test_a_page_costs_the_same_queries_beside_other_schools(
    request, client_for, own_students, page, person, expected
):
    client = client_for(request.getfixturevalue(person))
    url = _url(page, own_students)
    client.get(url)  # the session's first write is not the page's cost
    alone, shown_alone = _measure(client, url)
    assert alone == expected

    other_schools(9, students=4)
    beside_nine, shown_beside_nine = _measure(client, url)
    other_schools(9, students=40)
    beside_big_ones, shown_beside_big_ones = _measure(client, url)

    assert beside_nine == beside_big_ones == alone
    # Not a row of another school, nor one row fewer of its own.
    assert _rows(shown_beside_nine) == _rows(shown_beside_big_ones) == _rows(shown_alone)


def _rows(html: bytes) -> list[str]:
    """The page's links to records: what it lists, without the parts that change with each
    request (the CSRF token)."""
    text = html.decode()
    return sorted(
        part.split('"', 1)[0]
        for part in text.split('href="')[1:]
        if part.startswith(
            ("/counseling/students/", "/counseling/cases/", "/counseling/referrals/")
        )
    )
