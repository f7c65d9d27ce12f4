"""`seed_demo --schools N --years Y`: a district of schools shaped like the demo's first, with
years of history, written with bulk inserts. Tiny densities (--scale) keep these fast; the
shape (classes, people, calendar) does not depend on the scale."""

import re
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, reset_queries, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from counseling.access import cases_visible_to, students_visible_to
from counseling.book import completeness
from counseling.district import transitions_to
from counseling.models import (
    Case,
    Classroom,
    CounselingSession,
    InboundReferral,
    PersonalBook,
    PersonalBookSection,
    Student,
)
from staff import scoring
from staff.context_processors import MENU
from staff.demo import DEMO_PASSWORD, FIRST_SCHOOL, SECOND_SCHOOL
from staff.models import (
    AcademicYear,
    Appraisal,
    CompetencyResult,
    DisseminationReport,
    IndicatorScore,
    Role,
    RoleAssignment,
    School,
    Semester,
    TrainingEvent,
    User,
)
from supervision.district import COUNTED_MODELS, holds_district, model_label, seed_district
from supervision.facilities import compliance_of
from supervision.models import (
    ActionItem,
    FacilityAssessment,
    Meeting,
    MeetingInvitation,
    SupervisionVisit,
)

SCALE = 0.05  # 15 students a cohort, 6 cases and 85 sessions a semester


def _district(schools=2, years=1, scale=SCALE):
    return seed_district(schools=schools, years=years, scale=scale)


def _counts():
    return {model_label(model): model.objects.count() for model in COUNTED_MODELS}


def _district_schools():
    return School.objects.exclude(npsn=SECOND_SCHOOL["npsn"]).order_by("npsn")


@pytest.fixture
def district(db):
    report = _district(schools=3, years=2)
    return report


def test_the_district_has_the_schools_and_years_asked_for(district):
    schools = _district_schools()
    assert [school.npsn for school in schools] == [FIRST_SCHOOL["npsn"], "20530001", "20530002"]
    assert schools[0].name == FIRST_SCHOOL["name"]
    assert len(district.written) == 3 and district.skipped == []
    today = timezone.localdate()
    for school in schools:
        years = AcademicYear.objects.filter(school=school).order_by("start_date")
        assert years.count() == 2
        assert years.last().is_current and years.last().start_date <= today
        semesters = Semester.objects.filter(school=school)
        assert semesters.count() == 4
        current = semesters.get(is_current=True)
        assert current.start_date <= today <= current.end_date
        assert current.academic_year == years.last()


def test_the_report_counts_what_was_made(district):
    added = district.added
    assert added["schools"] == 4  # the district's three and the demo's second school
    assert added["counseling sessions"] == CounselingSession.objects.count()
    assert added["counseling session students"] == (
        CounselingSession.students.through.objects.count()
    )
    assert added["students"] == Student.objects.count()
    assert district.seconds > 0


def test_every_school_has_the_demo_shape(district):
    for school in _district_schools():
        for year in AcademicYear.objects.filter(school=school):
            names = set(Classroom.objects.filter(academic_year=year).values_list("name", flat=True))
            assert names == {f"{g}-{c}" for g in ("VII", "VIII", "IX") for c in "ABCDEFGHI"}
        roles = Counter(
            RoleAssignment.objects.filter(user__school=school).values_list("role", flat=True)
        )
        assert roles == {
            Role.PRINCIPAL: 1,
            Role.VICE_PRINCIPAL: 1,
            Role.COUNSELOR: 3,
            Role.HOMEROOM_TEACHER: 27,
            Role.SUBJECT_TEACHER: 4,
            Role.ADMIN_STAFF: 1,
        }
        # This year's cohorts are active in this year's classes; earlier ones graduated.
        active = Student.objects.filter(school=school, status=Student.Status.ACTIVE)
        assert active.count() == 3 * 15
        assert not active.exclude(classroom__academic_year__is_current=True).exists()
        graduated = Student.objects.filter(school=school, status=Student.Status.GRADUATED)
        assert graduated.count() == 15
        assert set(graduated.values_list("classroom__grade", flat=True)) == {9}
        assert PersonalBook.objects.filter(school=school).count() == active.count() + 15
        assert Case.objects.filter(school=school).exists()
        assert Meeting.objects.filter(school=school, minutes_recorded_at__isnull=False).exists()
        begun = Semester.objects.filter(school=school, start_date__lte=timezone.localdate())
        assert SupervisionVisit.objects.filter(school=school).count() == 3 * begun.count()
        assert TrainingEvent.objects.filter(school=school, kind="mgbk").exists()


def test_the_district_schools_staff_sign_in_with_predictable_names(district):
    npsn = "20530001"
    for username in ("kepsek", "wakasek", "gurubk1", "gurubk3", "walikelas27", "gurumapel1", "tu"):
        user = User.objects.get(username=f"{username}-{npsn}")
        assert user.school.npsn == npsn
        assert user.check_password(DEMO_PASSWORD)
    # The first school is the demo's, with the demo's accounts.
    first = School.objects.get(npsn=FIRST_SCHOOL["npsn"])
    for username in ("kepsek", "wakasek", "gurubk1", "gurubk2", "gurubk3", "walikelas7a", "tu"):
        user = User.objects.get(username=username)
        assert user.school == first and user.check_password(DEMO_PASSWORD)
    assert Classroom.objects.get(
        school=first, academic_year__is_current=True, name="VII-A"
    ).homeroom_teacher == User.objects.get(username="walikelas7a")
    nips = [nip for nip in User.objects.values_list("nip", flat=True) if nip]
    assert len(nips) == len(set(nips)) and all(len(nip) == 18 and nip.isdigit() for nip in nips)


def test_nisns_are_ten_digit_text_unique_across_the_district(district):
    nisns = list(Student.objects.values_list("nisn", flat=True))
    assert len(nisns) == len(set(nisns))
    assert all(isinstance(nisn, str) and len(nisn) == 10 and nisn.isdigit() for nisn in nisns)


def test_history_fills_every_semester_with_sessions_of_every_kind(district):
    school = School.objects.get(npsn="20530001")
    for semester in Semester.objects.filter(school=school, start_date__lte=timezone.localdate()):
        sessions = CounselingSession.objects.filter(
            school=school,
            starts_at__date__gte=semester.start_date,
            starts_at__date__lte=semester.end_date,
        )
        assert sessions.exists(), semester
    strategies = set(
        CounselingSession.objects.filter(school=school).values_list("strategy", flat=True)
    )
    assert {"individual", "classical_guidance", "group_guidance"} <= strategies
    classical = CounselingSession.objects.filter(
        school=school, strategy="classical_guidance"
    ).first()
    # A classical guidance session has the class's students linked, of that year's class.
    linked = set(classical.students.values_list("pk", flat=True))
    assert linked and linked <= set(
        Student.objects.filter(school=school).values_list("pk", flat=True)
    )
    assert CounselingSession.objects.filter(
        school=school, starts_at__gt=timezone.now()
    ).count() == (0)
    statuses = set(InboundReferral.objects.filter(school=school).values_list("status", flat=True))
    assert statuses == {"submitted", "accepted", "declined"}
    assert ActionItem.objects.filter(
        school=school, status="open", due_on__lt=timezone.localdate()
    ).exists()  # some overdue
    assert DisseminationReport.objects.filter(school=school).exists()


def test_stored_appraisal_results_are_those_of_the_applications_arithmetic(district):
    appraisals = Appraisal.objects.filter(status__in=["finalised", "acknowledged"])
    assert appraisals.filter(kind="principal").exists() and appraisals.filter(kind="self").exists()
    for appraisal in appraisals.order_by("?")[:12]:
        by_competency: dict[int, list[int]] = {}
        for score in IndicatorScore.objects.filter(appraisal=appraisal).select_related(
            "indicator__competency"
        ):
            by_competency.setdefault(score.indicator.competency_id, []).append(score.score)
        assert len(by_competency) == 17
        result = scoring.appraise(by_competency)
        assert appraisal.total_score == result.total
        assert appraisal.final_score == result.final_score_shown
        assert appraisal.category == result.category
        stored = {
            r.competency_id: (r.indicator_total, r.percentage, r.score)
            for r in CompetencyResult.objects.filter(appraisal=appraisal)
        }
        assert stored == {
            line.key: (line.indicator_total, scoring.two_decimals(line.percentage), line.score)
            for line in result.competencies
        }
        assert appraisal.version == (3 if appraisal.status == "acknowledged" else 2)


def test_every_counselor_is_appraised_every_past_semester(district):
    school = School.objects.get(npsn="20530002")
    past = Semester.objects.filter(school=school, end_date__lt=timezone.localdate())
    counselors = User.objects.filter(school=school, role_assignments__role=Role.COUNSELOR)
    for kind in ("self", "principal"):
        assert Appraisal.objects.filter(school=school, kind=kind, semester__in=past).count() == (
            past.count() * counselors.count()
        )
    assert (
        Appraisal.objects.filter(school=school, kind="principal")
        .values("final_score")
        .distinct()
        .count()
        > 1
    )
    assert all(
        Decimal(0) <= score <= Decimal(100)
        for score in Appraisal.objects.values_list("final_score", flat=True)
    )


def test_stored_book_completeness_and_section_versions_are_right(district):
    books = PersonalBook.objects.filter(school__npsn="20530001").prefetch_related("sections")
    values = set()
    for book in books:
        sections = list(book.sections.all())
        assert len(sections) == len(PersonalBookSection.Key.values)
        assert book.completeness == completeness({s.key: s.data for s in sections})
        for section in sections:
            assert section.version == (1 if section.data else 0)
            assert (section.updated_by_id is not None) == bool(section.data)
        values.add(book.completeness)
    assert len(values) > 5  # of varying completeness


def test_a_cases_version_counts_the_moves_to_its_status(district):
    assert transitions_to("new") == 0 and transitions_to("in_progress") == 1
    assert transitions_to("resolved") == transitions_to("referred_out") == 2
    assert transitions_to("closed") == 3
    for case in Case.objects.filter(school__npsn="20530001"):
        assert case.version == transitions_to(case.status)


def test_facility_compliance_is_that_of_the_recorded_states(district):
    for assessment in FacilityAssessment.objects.prefetch_related("conditions"):
        states = [condition.state for condition in assessment.conditions.all()]
        assert assessment.compliance == compliance_of(states)


def test_the_second_demo_school_exists_and_stays_apart(district):
    second = School.objects.get(npsn=SECOND_SCHOOL["npsn"])
    assert User.objects.get(username="kepsek2").school == second
    assert User.objects.get(username="gurubk4").school == second
    assert Student.objects.filter(school=second).count() == 80
    assert Case.objects.filter(school=second).exists()
    kepsek, gurubk1 = User.objects.get(username="kepsek"), User.objects.get(username="gurubk1")
    assert not cases_visible_to(gurubk1).filter(school=second).exists()
    assert not students_visible_to(kepsek).exclude(school=kepsek.school).exists()
    assert (
        not cases_visible_to(User.objects.get(username="gurubk1-20530001"))
        .filter(school__npsn=FIRST_SCHOOL["npsn"])
        .exists()
    )


def test_running_it_again_adds_nothing(district):
    before = _counts()
    again = _district(schools=3, years=2)
    assert again.written == [] and len(again.skipped) == 3
    assert set(again.added.values()) == {0}
    assert _counts() == before


def test_a_larger_district_adds_only_the_new_schools(district):
    first = School.objects.get(npsn="20530001")
    sessions = CounselingSession.objects.filter(school=first).count()
    more = _district(schools=4, years=2)
    assert more.written == ["SMP Negeri 1 Galis"]
    assert more.added["schools"] == 1
    assert CounselingSession.objects.filter(school=first).count() == sessions


def test_the_plain_demo_adds_nothing_to_a_district(district):
    before = _counts()
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert holds_district()
    assert "holds a district" in output.getvalue()
    assert _counts() == before


def test_a_district_keeps_a_demo_school_loaded_before(db):
    call_command("seed_demo", stdout=StringIO())
    demo_students = Student.objects.filter(school__npsn=FIRST_SCHOOL["npsn"]).count()
    report = _district(schools=2, years=1)
    assert report.skipped == [FIRST_SCHOOL["name"]] and report.written == ["SMP Negeri 1 Tlanakan"]
    assert Student.objects.filter(school__npsn=FIRST_SCHOOL["npsn"]).count() == demo_students
    assert not holds_district()


def test_each_school_written_renews_its_cached_figures(db, monkeypatch):
    renewed = []
    monkeypatch.setattr(
        "supervision.district.school_data_changed",
        lambda *, school_id: renewed.append(school_id),
    )
    _district(schools=2, years=1)
    assert sorted(renewed) == sorted(_district_schools().values_list("pk", flat=True))


def test_the_command_prints_what_it_made(db):
    output = StringIO()
    call_command("seed_demo", "--schools", "2", "--years", "1", "--scale", "0.05", stdout=output)
    text = output.getvalue()
    assert "District: 2 schools written, 0 skipped" in text
    sessions = CounselingSession.objects.count()
    assert re.search(rf"^  counseling sessions +{sessions:,}$", text, re.MULTILINE)
    assert "kepsek-<npsn>" in text and DEMO_PASSWORD in text


@pytest.mark.parametrize(
    "arguments",
    [
        ["--years", "2"],
        ["--scale", "0.5"],
        ["--seed", "7"],
        ["--schools", "0"],
        ["--schools", "two"],
        ["--schools", "2", "--years", "11"],
        ["--schools", "2", "--scale", "0"],
        ["--schools", "2", "--scale", "1.5"],
    ],
)
def test_bad_options_are_refused_before_anything_is_written(db, arguments):
    with pytest.raises(CommandError):
        call_command("seed_demo", *arguments, stdout=StringIO(), stderr=StringIO())
    assert not School.objects.exists()


def test_a_full_school_has_the_density_of_the_demo_school(db):
    """At full scale: 900 students in 27 classes, about 1,700 sessions a semester."""
    seed_district(schools=1, years=1)
    school = School.objects.get(npsn=FIRST_SCHOOL["npsn"])
    assert Student.objects.filter(school=school, status="active").count() == 900
    assert Classroom.objects.filter(school=school).count() == 27
    semesters = Semester.objects.filter(school=school, start_date__lte=timezone.localdate())
    past = [s for s in semesters if s.end_date < timezone.localdate()]
    for semester in past:
        sessions = CounselingSession.objects.filter(
            school=school,
            starts_at__date__gte=semester.start_date,
            starts_at__date__lte=semester.end_date,
        ).count()
        assert 1500 <= sessions <= 1800, semester


# --- The pages of the first school on a district database ------------------------------------


def _pages_of(user, school):
    """Every menu page the user is offered, and a record's page of each kind they may open."""
    urls = [reverse(item.url_name) for item in MENU if item.is_offered_to(user)]
    if set(user.role_assignments.values_list("role", flat=True)) & {Role.COUNSELOR}:
        case = Case.objects.filter(counselor=user).order_by("-opened_on").first()
        urls += [
            reverse("counseling:case_detail", args=[case.pk]),
            reverse("counseling:student_detail", args=[case.student_id]),
            reverse("counseling:student_book", args=[case.student_id]),
        ]
    meeting = Meeting.objects.filter(
        school=school, invitations__person=user, minutes_recorded_at__isnull=False
    ).first()
    urls.append(reverse("supervision:meeting_detail", args=[meeting.pk]))
    if user.username == "kepsek":
        visit = SupervisionVisit.objects.filter(school=school, stage="followed_up").first()
        appraisal = Appraisal.objects.filter(school=school, kind="principal").first()
        training = TrainingEvent.objects.filter(school=school).exclude(kind="mgbk").first()
        urls += [
            reverse("supervision:visit_detail", args=[visit.pk]),
            reverse("supervision:appraisal_detail", args=[appraisal.pk]),
            reverse("supervision:competency_profile", args=[appraisal.counselor_id]),
            reverse("staff:training_detail", args=[training.pk]),
            reverse("staff:training_summary"),
        ]
    return urls


@pytest.mark.parametrize("username", ["kepsek", "wakasek", "gurubk1"])
def test_the_first_schools_pages_answer_on_a_district(district, client_for, username):
    user = User.objects.get(username=username)
    client = client_for(user)
    pages = _pages_of(user, user.school)
    assert len(pages) >= 6
    for url in pages:
        # (A BK teacher's competency overview is their own profile.)
        response = client.get(url, follow=True)
        assert response.status_code == 200, (url, response.status_code)
    assert MeetingInvitation.objects.filter(person=user).exists()


def test_a_school_is_written_in_statements_that_do_not_grow_with_its_records(db):
    """Bulk inserts, no statement per record: a school four times as dense takes nearly the
    same statements (a few more batches of bulk_create)."""
    _district(schools=1, years=1)  # the demo's schools, made once

    def written(schools, scale):
        with CaptureQueriesContext(connection) as queries:
            report = _district(schools=schools, years=1, scale=scale)
        assert len(report.written) == 1
        return len(queries), sum(report.added.values())

    small_queries, small_rows = written(2, 0.05)
    large_queries, large_rows = written(3, 0.2)
    assert large_rows > 3 * small_rows
    assert large_queries < 1.25 * small_queries


def _records_of(npsn):
    """What a school holds, without ids or the time of the insert."""
    school = School.objects.get(npsn=npsn)
    return {
        "staff": sorted(User.objects.filter(school=school).values_list("username", "full_name")),
        "students": sorted(
            Student.objects.filter(school=school).values_list(
                "nisn", "full_name", "birth_date", "status", "classroom__name"
            )
        ),
        "books": sorted(
            PersonalBook.objects.filter(school=school).values_list("student__nisn", "completeness")
        ),
        "sessions": sorted(
            CounselingSession.objects.filter(school=school).values_list(
                "starts_at", "strategy", "summary", "counselor__username", "case__student__nisn"
            ),
            key=str,
        ),
        "appraisals": sorted(
            Appraisal.objects.filter(school=school).values_list(
                "counselor__username", "semester__start_date", "kind", "final_score"
            )
        ),
        "meetings": sorted(
            Meeting.objects.filter(school=school).values_list("starts_at", "title", "uid")
        ),
    }


def test_a_schools_records_depend_only_on_its_place_and_the_seed(db):
    """The same school whether the demo's first school is written beside it or was loaded by
    the plain demo before: schools can be added, and runs resumed, without changing others."""
    now = timezone.now()
    rollback = transaction.savepoint()
    seed_district(schools=2, years=2, scale=SCALE, now=now)
    alone = _records_of("20530001")
    transaction.savepoint_rollback(rollback)
    assert not School.objects.exists()

    call_command("seed_demo", stdout=StringIO())
    report = seed_district(schools=2, years=2, scale=SCALE, now=now)
    assert report.written == ["SMP Negeri 1 Tlanakan"]
    assert _records_of("20530001") == alone
    assert alone["sessions"] and alone["appraisals"] and alone["meetings"]


def test_with_debug_on_the_statements_kept_do_not_pile_up_school_after_school(db, settings):
    """Django keeps every statement while DEBUG is on; bulk inserts' are large, and a district
    of fifty schools kept them to 822 MB. The loader lets them go after each school: what is
    kept after one school more or after three more is the same."""
    settings.DEBUG = True
    _district(schools=1, years=1)  # the demo's schools, made once

    def kept_after(schools):
        reset_queries()
        _district(schools=schools, years=1)
        return len(connection.queries)

    after_one_more = kept_after(2)
    assert kept_after(5) == after_one_more
