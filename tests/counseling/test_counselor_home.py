"""The counselor's panel on the home page: caseload against 1 : 150, open cases by status, the
week's appointments, cases left after one session, and thin personal books."""

import datetime
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from counseling.models import Case, Student
from counseling.selectors import counselor_home
from staff.models import AcademicYear, Role
from tests.factories import (
    AcademicYearFactory,
    CaseFactory,
    ClassroomFactory,
    CounselingSessionFactory,
    PersonalBookFactory,
    StudentFactory,
    UserFactory,
)

HOME = reverse("home")
WIB = datetime.timezone(datetime.timedelta(hours=7))
# A Wednesday morning in Jakarta; the week runs until Sunday 29 November, midnight.
WEDNESDAY = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=WIB)


def _at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=WIB)


def _current_year(school) -> AcademicYear:
    return AcademicYear.objects.get(school=school, is_current=True)


@pytest.fixture
def colleague(school):
    return UserFactory(
        username="konselor2", full_name="Bapak Konselor Dua", school=school, roles=[Role.COUNSELOR]
    )


@pytest.fixture
def classes(school, counselor, colleague):
    year = _current_year(school)
    return {
        name: ClassroomFactory(
            school=school, academic_year=year, grade=grade, name=name, counselor=responsible
        )
        for name, grade, responsible in (
            ("VII-A", 7, counselor),
            ("VII-B", 7, counselor),
            ("VIII-A", 8, colleague),
        )
    }


def _student(classroom, name, **kwargs):
    return StudentFactory(school=classroom.school, classroom=classroom, full_name=name, **kwargs)


@pytest.fixture
def own_students(classes):
    """Five active students in the counselor's two classes, with books of varied completeness."""
    ani = _student(classes["VII-A"], "Ani")
    budi = _student(classes["VII-A"], "Budi")
    cici = _student(classes["VII-A"], "Cici")
    dodi = _student(classes["VII-B"], "Dodi")
    eka = _student(classes["VII-B"], "Eka")
    PersonalBookFactory(student=ani, completeness=80)
    PersonalBookFactory(student=budi, completeness=59)
    PersonalBookFactory(student=dodi, completeness=60)
    # Cici and Eka have no book yet: 0%.
    return {s.full_name: s for s in (ani, budi, cici, dodi, eka)}


@pytest.fixture
def students_not_counted(school, classes, counselor):
    """Moved, graduated, another counselor's class, last year's class."""
    _student(classes["VII-A"], "Pindahan", status=Student.Status.MOVED)
    _student(classes["VII-B"], "Lulusan", status=Student.Status.GRADUATED)
    _student(classes["VIII-A"], "Murid Rekan")
    last_year = AcademicYearFactory(
        school=school,
        name="2025/2026",
        start_date=date(2025, 7, 1),
        end_date=date(2026, 6, 30),
        is_current=False,
    )
    old = ClassroomFactory(
        school=school, academic_year=last_year, grade=7, name="VII-A", counselor=counselor
    )
    _student(old, "Kelas Lama")


# Caseload and the 1 : 150 ratio


def test_caseload_counts_active_students_of_own_current_classes(
    counselor, own_students, students_not_counted
):
    home = counselor_home(counselor, now=WEDNESDAY)
    assert home.caseload == 5
    assert not home.over_ratio


def test_caseload_within_the_ratio_shows_no_warning(client_for, counselor, own_students):
    html = client_for(counselor).get(HOME).content.decode()
    assert 'data-testid="counselor-home"' in html
    assert 'data-testid="ratio-ok"' in html
    assert 'data-testid="ratio-warning"' not in html
    assert "1 : 5" in html
    assert 'max="150"' in html


def test_caseload_above_150_warns(client_for, counselor, classes):
    Student.objects.bulk_create(
        Student(
            school=classes["VII-A"].school,
            classroom=classes["VII-A"],
            nisn=f"{5000000000 + number}",
            full_name=f"Siswa {number:03d}",
            sex=Student.Sex.MALE,
        )
        for number in range(152)
    )
    response = client_for(counselor).get(HOME)
    home = response.context["counselor_home"]
    assert home.caseload == 152
    assert home.over_ratio
    assert home.over_ratio_by == 2
    html = response.content.decode()
    assert 'data-testid="ratio-warning"' in html
    assert "1 : 152" in html
    assert 'value="150" max="150"' in html


def test_exactly_150_is_within_the_ratio(counselor, classes):
    Student.objects.bulk_create(
        Student(
            school=classes["VII-B"].school,
            classroom=classes["VII-B"],
            nisn=f"{6000000000 + number}",
            full_name=f"Siswa {number:03d}",
            sex=Student.Sex.FEMALE,
        )
        for number in range(150)
    )
    home = counselor_home(counselor, now=WEDNESDAY)
    assert home.caseload == 150
    assert not home.over_ratio


# Open cases by status


def test_open_cases_by_status_count_responsible_and_co_handled_cases(
    client_for, counselor, colleague, own_students, classes, other_school
):
    ani, budi = own_students["Ani"], own_students["Budi"]
    for status in ("new", "in_progress", "in_progress", "resolved", "closed"):
        CaseFactory(student=ani, counselor=counselor, status=status)
    CaseFactory(student=budi, counselor=colleague, co_handlers=[counselor], status="in_progress")
    CaseFactory(student=budi, counselor=colleague, status="referred_out")  # not theirs
    foreign_counselor = UserFactory(username="bk_lain", school=other_school, roles=[Role.COUNSELOR])
    foreign_student = StudentFactory(
        school=other_school, classroom__academic_year=_current_year(other_school)
    )
    CaseFactory(student=foreign_student, counselor=foreign_counselor, status="new")

    response = client_for(counselor).get(HOME)
    home = response.context["counselor_home"]
    assert [(item.status, item.count) for item in home.open_cases] == [
        ("new", 1),
        ("in_progress", 3),
        ("resolved", 1),
        ("referred_out", 0),
    ]
    assert home.open_cases_total == 5
    html = response.content.decode()
    case_list = reverse("counseling:case_list")
    assert f'href="{case_list}?status=in_progress&amp;mine=1"' in html
    assert f'href="{case_list}?status=referred_out&amp;mine=1"' in html


def test_case_co_handled_and_led_counts_once(counselor, own_students):
    CaseFactory(student=own_students["Ani"], counselor=counselor, co_handlers=[counselor])
    home = counselor_home(counselor, now=WEDNESDAY)
    assert home.open_cases_total == 1


# Appointments this week


def test_appointments_from_now_to_the_end_of_the_week_only(
    counselor, colleague, own_students, classes
):
    ani, budi, cici = own_students["Ani"], own_students["Budi"], own_students["Cici"]
    own_case = CaseFactory(student=ani, counselor=counselor)
    co_handled = CaseFactory(student=budi, counselor=colleague, co_handlers=[counselor])
    others_case = CaseFactory(student=cici, counselor=colleague)
    closed = CaseFactory(student=cici, counselor=counselor, status=Case.Status.CLOSED)

    def session(led_by, case=None, *, starts, next_at, students=None):
        return CounselingSessionFactory(
            counselor=led_by,
            case=case,
            starts_at=starts,
            next_appointment=next_at,
            students=students,
        )

    standalone = session(counselor, starts=_at(20, 9), next_at=_at(26, 9), students=[cici])
    by_colleague = session(colleague, co_handled, starts=_at(23, 9), next_at=_at(27, 8, 30))
    late_sunday = session(counselor, own_case, starts=_at(24, 9), next_at=_at(29, 22))
    session(counselor, starts=_at(19, 9), next_at=_at(25, 8), students=[ani])  # this morning
    session(counselor, starts=_at(19, 10), next_at=_at(30, 7, 30), students=[ani])  # next week
    session(colleague, others_case, starts=_at(23, 10), next_at=_at(26, 10))  # not theirs
    session(counselor, closed, starts=_at(20, 11), next_at=_at(26, 11))  # case closed
    # An appointment already kept: the case met again afterwards.
    session(colleague, co_handled, starts=_at(16, 9), next_at=_at(26, 12))

    home = counselor_home(counselor, now=WEDNESDAY)

    assert home.appointments == [standalone, by_colleague, late_sunday]
    assert home.week_ends == date(2026, 11, 29)


def test_appointments_show_student_names_and_times(client_for, counselor, own_students):
    case = CaseFactory(student=own_students["Dodi"], counselor=counselor)
    soon = timezone.now() + datetime.timedelta(minutes=5)
    CounselingSessionFactory(
        counselor=counselor,
        case=case,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        next_appointment=soon,
    )
    response = client_for(counselor).get(HOME)
    html = response.content.decode()
    assert [s.case for s in response.context["counselor_home"].appointments] == [case]
    assert "Dodi" in html
    assert timezone.localtime(soon).strftime("%H:%M") in html


# Cases with a single session and no follow-up


def test_open_cases_with_one_session_and_no_follow_up(counselor, colleague, own_students):
    ani = own_students["Ani"]

    def case_with(*sessions, counselor_=counselor, status=Case.Status.IN_PROGRESS, **kwargs):
        case = CaseFactory(student=ani, counselor=counselor_, status=status, **kwargs)
        for values in sessions:
            CounselingSessionFactory(counselor=counselor_, case=case, **values)
        return case

    bare = {"follow_up_plan": "", "next_appointment": None}
    forgotten = case_with(bare, opened_on=date(2026, 9, 1))
    co_handled = case_with(
        bare, counselor_=colleague, co_handlers=[counselor], opened_on=date(2026, 8, 1)
    )
    case_with({"follow_up_plan": "Dipanggil lagi setelah ulangan tengah semester."})
    case_with({"next_appointment": _at(30, 9)})
    case_with(bare, bare)  # two sessions
    case_with()  # no session yet
    case_with(bare, status=Case.Status.CLOSED)
    case_with(bare, counselor_=colleague)  # not theirs

    home = counselor_home(counselor, now=WEDNESDAY)

    assert home.single_session_count == 2
    assert home.single_session_cases == [co_handled, forgotten]


# Personal books under 60%


def test_students_with_books_under_60_percent_lowest_first(
    client_for, counselor, own_students, students_not_counted
):
    response = client_for(counselor).get(HOME)
    home = response.context["counselor_home"]
    assert home.low_book_count == 3
    assert [(s.full_name, s.book_completeness) for s in home.lowest_books] == [
        ("Cici", 0),
        ("Eka", 0),
        ("Budi", 59),
    ]
    html = response.content.decode()
    assert reverse("counseling:student_book", args=[own_students["Cici"].pk]) in html
    assert "59%" in html


def test_only_the_ten_lowest_books_are_listed(counselor, classes):
    for number in range(12):
        student = _student(classes["VII-A"], f"Siswa {number:02d}")
        PersonalBookFactory(student=student, completeness=number * 5)
    home = counselor_home(counselor, now=WEDNESDAY)
    assert home.low_book_count == 12
    assert [s.book_completeness for s in home.lowest_books] == [
        0,
        5,
        10,
        15,
        20,
        25,
        30,
        35,
        40,
        45,
    ]


# Who gets the panel


@pytest.mark.parametrize(
    "role", ["principal", "vice_principal", "homeroom_teacher", "subject_teacher", "admin_staff"]
)
def test_other_roles_get_no_counselor_panel(request, client_for, role, own_students):
    response = client_for(request.getfixturevalue(role)).get(HOME)
    assert response.status_code == 200
    assert response.context["counselor_home"] is None
    assert 'data-testid="counselor-home"' not in response.content.decode()


def test_other_schools_counselor_sees_only_own_school(client_for, other_school, own_students):
    foreign = UserFactory(username="bk_lain", school=other_school, roles=[Role.COUNSELOR])
    home = client_for(foreign).get(HOME).context["counselor_home"]
    assert home.caseload == 0
    assert home.low_book_count == 0
    assert home.open_cases_total == 0


def test_operator_without_school_gets_no_panel(client_for, db):
    operator = UserFactory(username="operator", school=None, is_superuser=True, is_staff=True)
    response = client_for(operator).get(HOME)
    assert response.status_code == 200
    assert response.context["counselor_home"] is None


# Query count


def _grow(school, counselor, colleague, year, *, classes: int, students: int, cases: int):
    """Classes with students and books, cases with sessions and appointments this week."""
    rooms = [
        ClassroomFactory(school=school, academic_year=year, grade=7, counselor=counselor)
        for _ in range(classes)
    ]
    pupils = [
        StudentFactory(school=school, classroom=rooms[number % classes])
        for number in range(students)
    ]
    for number, pupil in enumerate(pupils):
        if number % 2:
            PersonalBookFactory(student=pupil, completeness=number % 100)
    now = timezone.now()
    for number in range(cases):
        case = CaseFactory(
            student=pupils[number % students],
            counselor=counselor if number % 3 else colleague,
            co_handlers=[] if number % 3 else [counselor],
            status=Case.OPEN_STATUSES[number % 4],
        )
        CounselingSessionFactory(
            counselor=case.counselor,
            case=case,
            starts_at=now - datetime.timedelta(days=2),
            next_appointment=now + datetime.timedelta(minutes=5),
        )
        if number % 2:
            CounselingSessionFactory(
                counselor=counselor,
                starts_at=now - datetime.timedelta(days=1),
                students=[pupils[number % students], pupils[(number + 1) % students]],
                strategy="group_counseling",
            )


def test_counselor_home_query_count_does_not_grow(
    client_for, counselor, colleague, school, django_assert_num_queries
):
    year = _current_year(school)
    client = client_for(counselor)
    client.get(HOME)
    _grow(school, counselor, colleague, year, classes=2, students=10, cases=4)
    # session, user with school, roles, current semester with its year;
    # caseload with the thin books counted, the ten thinnest books with their classes,
    # open cases by status, the week's appointments with case, student and class,
    # their students, single-session cases counted, the oldest of them with student and class;
    # the own meetings of the coming week, the own overdue action items,
    # the principal's appraisals to acknowledge, the own overdue dissemination reports;
    # the own semester: the latest competency results, the own delegations of the semester
    # with their events and reports, the attendance at the own meetings held
    with django_assert_num_queries(18):
        response = client.get(HOME)
    small = response.context["counselor_home"]
    assert small.caseload == 10
    assert small.appointments
    _grow(school, counselor, colleague, year, classes=18, students=90, cases=36)
    with django_assert_num_queries(18):
        response = client.get(HOME)
    large = response.context["counselor_home"]
    assert large.caseload == 100
    assert len(large.appointments) == 40
    assert large.open_cases_total == 40
