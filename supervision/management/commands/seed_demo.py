"""Load the demo school and its neighbour, or with --schools a whole district (see
supervision.district). Safe to run again: nothing is added twice."""

from argparse import ArgumentTypeError

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from counseling.demo import (
    seed_classes_and_students,
    seed_counseling_records,
    seed_personal_books,
    seed_second_school,
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
from supervision.district import (
    DEFAULT_SEED,
    MAX_YEARS,
    DistrictReport,
    holds_district,
    seed_district,
)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise ArgumentTypeError("must be 1 or more")
    return number


def _scale(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0 < number <= 1:
        raise ArgumentTypeError("must be more than 0 and at most 1")
    return number


class Command(BaseCommand):
    help = (
        "Creates the demo schools, accounts, calendar, classes and students (idempotent); "
        "with --schools N, a district of N schools with --years of history."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--schools",
            type=_positive,
            help="build a district: the demo's first school and N-1 more shaped like it "
            "(schools that exist already are skipped)",
        )
        parser.add_argument(
            "--years",
            type=_positive,
            help=f"school years of history of each district school, ending with the current "
            f"one (default 2, at most {MAX_YEARS})",
        )
        parser.add_argument(
            "--scale",
            type=_scale,
            help="density of the district's schools, 0 to 1: students per class and records "
            "per semester (default 1: a school of 900 students)",
        )
        parser.add_argument(
            "--seed", type=int, help=f"the district's random seed (default {DEFAULT_SEED})"
        )

    def handle(self, *args, **options) -> None:
        if options["schools"] is None:
            given = [name for name in ("years", "scale", "seed") if options[name] is not None]
            if given:
                raise CommandError(f"--{given[0]} goes with --schools.")
            self._demo()
            return
        try:
            report = seed_district(
                schools=options["schools"],
                years=options["years"] or 2,
                scale=options["scale"] or 1.0,
                seed=DEFAULT_SEED if options["seed"] is None else options["seed"],
                progress=self.stdout.write,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self._report(report)

    def _report(self, report: DistrictReport) -> None:
        self.stdout.write("")
        written, skipped = len(report.written), len(report.skipped)
        self.stdout.write(
            f"District: {written} {'school' if written == 1 else 'schools'} written, "
            f"{skipped} skipped (they existed), in {report.seconds:.0f} s."
        )
        width = max(len(label) for label in report.added)
        for label, count in report.added.items():
            self.stdout.write(f"  {label:<{width}} {count:>10,}")
        self.stdout.write("")
        self.stdout.write(
            f"Accounts (password {DEMO_PASSWORD}): the demo's (kepsek, wakasek, gurubk1 …) in "
            "the first school; kepsek-<npsn>, wakasek-<npsn>, gurubk1-<npsn> … gurubk3-<npsn>, "
            "walikelas01-<npsn> …, gurumapel1-<npsn> …, tu-<npsn> in the others."
        )

    def _demo(self) -> None:
        if holds_district():
            # The plain demo's classes and students would come on top of the district's.
            self.stdout.write(
                "This database holds a district (seed_demo --schools): the demo is part of it "
                "and nothing was added."
            )
            return
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
        seed_second_school(
            school=second,
            year=AcademicYear.objects.get(school=second, is_current=True),
            counselor=users["gurubk4"],
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
