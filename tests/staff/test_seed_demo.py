from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from counseling.models import Classroom, Student
from staff.demo import ACCOUNTS, semesters_to_seed
from staff.models import AcademicYear, RoleAssignment, School, Semester, User

MODELS = [School, User, RoleAssignment, AcademicYear, Semester, Classroom, Student]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_twice_gives_the_same_counts(db):
    output = StringIO()
    call_command("seed_demo", stdout=output)
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first
    assert "kepsek" in output.getvalue() and "bk-demo-2026" in output.getvalue()


def test_seed_demo_builds_the_first_school(db):
    call_command("seed_demo", stdout=StringIO())
    first = School.objects.get(npsn="20526101")
    assert Classroom.objects.filter(school=first).count() == 27
    names = set(Classroom.objects.filter(school=first).values_list("name", flat=True))
    assert {"VII-A", "VIII-E", "IX-I"} <= names
    students = Student.objects.filter(school=first)
    assert 850 <= students.count() <= 950
    assert all(len(n) == 10 and n.isdigit() for n in students.values_list("nisn", flat=True))
    assert Classroom.objects.get(school=first, name="VII-A").homeroom_teacher.username == (
        "walikelas7a"
    )
    for account in ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert set(user.role_assignments.values_list("role", flat=True)) == set(account.roles)


def test_current_semester_follows_todays_date(db):
    from datetime import date

    assert semesters_to_seed(date(2026, 11, 24)) == [
        (2024, 1),
        (2024, 2),
        (2025, 1),
        (2025, 2),
        (2026, 1),
        (2026, 2),
    ]
    assert semesters_to_seed(date(2027, 2, 1)) == [
        (2024, 2),
        (2025, 1),
        (2025, 2),
        (2026, 1),
        (2026, 2),
    ]
    call_command("seed_demo", stdout=StringIO())
    for school in School.objects.all():
        current = Semester.objects.get(school=school, is_current=True)
        assert current.start_date <= timezone.localdate() <= current.end_date
        assert AcademicYear.objects.get(school=school, is_current=True) == current.academic_year
