"""Load the demo school and its neighbour. Safe to run again: nothing is added twice."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from counseling.demo import (
    seed_classes_and_students,
    seed_counseling_records,
    seed_personal_books,
)
from counseling.models import Case, Classroom, CounselingSession, Student
from staff.demo import (
    ACCOUNTS,
    DEMO_PASSWORD,
    FIRST_SCHOOL,
    SECOND_SCHOOL,
    seed_accounts,
    seed_school,
)
from staff.demo_competency import seed_competency_demo
from staff.models import AcademicYear, Semester, User
from supervision.demo import seed_supervision


class Command(BaseCommand):
    help = "Creates the demo schools, accounts, calendar, classes and students (idempotent)."

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        first, _ = seed_school(FIRST_SCHOOL, today)
        second, _ = seed_school(SECOND_SCHOOL, today)
        users = seed_accounts({first.npsn: first, second.npsn: second})

        first_year = AcademicYear.objects.get(school=first, is_current=True)
        seed_classes_and_students(
            school=first,
            year=first_year,
            grades=[7, 8, 9],
            letters="ABCDEFGHI",
            students_total=900,
            counselors=[users["gurubk1"], users["gurubk2"], users["gurubk3"]],
            homeroom_teachers={"VII-A": users["walikelas7a"]},
            first_index=0,
            seed=2026,
        )
        second_year = AcademicYear.objects.get(school=second, is_current=True)
        seed_classes_and_students(
            school=second,
            year=second_year,
            grades=[10, 11],
            letters="AB",
            students_total=80,
            counselors=[users["gurubk4"]],
            homeroom_teachers={},
            first_index=10_000,
            seed=2027,
        )
        seed_personal_books(school=first, seed=2026)
        # Cases, sessions, collaboration and referrals; skipped where cases exist already.
        seed_counseling_records(
            school=first,
            counselors=[users["gurubk1"], users["gurubk2"], users["gurubk3"]],
            subject_teacher=users["gurumapel1"],
            homeroom_teacher=users["walikelas7a"],
            cases_total=150,
            sessions_total=600,
            seed=2026,
        )
        seed_counseling_records(
            school=second,
            counselors=[users["gurubk4"]],
            cases_total=6,
            sessions_total=12,
            seed=2027,
        )
        # Meetings, evaluations, supervision visits and the BK room; skipped where meetings exist.
        seed_supervision(
            school=first,
            principal=users["kepsek"],
            vice_principal=users["wakasek"],
            counselors=[users["gurubk1"], users["gurubk2"], users["gurubk3"]],
            teachers=[users["walikelas7a"], users["gurumapel1"], users["tu"]],
            seed=2026,
        )

        # Appraisals over four semesters, training, MGBK and delegations; skipped where present.
        seed_competency_demo(users=users, first=first, second=second, today=today)

        for school in (first, second):
            semester = Semester.objects.select_related("academic_year").get(
                school=school, is_current=True
            )
            self.stdout.write(
                f"{school.name}: {Classroom.objects.filter(school=school).count()} classes, "
                f"{Student.objects.filter(school=school).count()} students, "
                f"{User.objects.filter(school=school).count()} staff accounts, "
                f"{Case.objects.filter(school=school).count()} cases, "
                f"{CounselingSession.objects.filter(school=school).count()} sessions, "
                f"current semester {semester}."
            )
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        for account in ACCOUNTS:
            school = first if account.school_npsn == first.npsn else second
            roles = ", ".join(str(role.label) for role in account.roles)
            self.stdout.write(f"  {account.username:<12} {roles} — {school.name}")
