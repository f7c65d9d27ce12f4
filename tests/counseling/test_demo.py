"""The demo data of the counseling app: cases, sessions, collaboration and referrals seeded by
seed_demo — idempotent, deterministic, consistent, and showing the study's trend."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from counseling.demo import seed_counseling_records
from counseling.models import (
    Case,
    Collaboration,
    CounselingSession,
    InboundReferral,
    OutboundReferral,
)
from staff.demo import FIRST_SCHOOL, SECOND_SCHOOL
from staff.models import School, Semester, User

TEACHER_OR_PARENT = (
    Collaboration.Partner.PARENT,
    Collaboration.Partner.HOMEROOM_TEACHER,
    Collaboration.Partner.SUBJECT_TEACHER,
)


def _seed() -> None:
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def seeded(db):
    _seed()
    return (
        School.objects.get(npsn=FIRST_SCHOOL["npsn"]),
        School.objects.get(npsn=SECOND_SCHOOL["npsn"]),
    )


def _counts() -> dict[str, int]:
    """Rows of every model of the counseling app and of its many-to-many tables."""
    counts = {}
    for model in apps.get_app_config("counseling").get_models():
        counts[model._meta.label] = model.objects.count()
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            counts[through._meta.label] = through.objects.count()
    return counts


def _history_semesters(school) -> list[Semester]:
    today = timezone.localdate()
    return list(
        Semester.objects.filter(school=school, start_date__lte=today, is_current=False).order_by(
            "start_date"
        )
    )


def test_seed_demo_twice_adds_nothing(seeded):
    first = _counts()
    _seed()
    assert _counts() == first
    assert first["counseling.Case"] > 0


def test_demo_has_about_150_cases_and_600_sessions_for_three_counselors(seeded):
    first, second = seeded
    assert 140 <= Case.objects.filter(school=first).count() <= 160
    assert 560 <= CounselingSession.objects.filter(school=first).count() <= 640
    by_counselor = dict(
        Case.objects.filter(school=first)
        .values_list("counselor__username")
        .annotate(count=Count("pk"))
        .values_list("counselor__username", "count")
    )
    assert set(by_counselor) == {"gurubk1", "gurubk2", "gurubk3"}
    assert min(by_counselor.values()) >= 40
    # Mostly students of their own classes; some co-handled.
    own = Case.objects.filter(school=first, student__classroom__counselor=F("counselor"))
    assert own.count() > Case.objects.filter(school=first).count() / 2
    assert Case.objects.filter(school=first, co_handlers__isnull=False).distinct().count() >= 10
    # The second school: a handful, for gurubk4.
    assert 3 <= Case.objects.filter(school=second).count() <= 10
    assert set(
        Case.objects.filter(school=second).values_list("counselor__username", flat=True)
    ) == {"gurubk4"}


def test_demo_spreads_over_the_history_semesters_and_the_current_one(seeded):
    first, _ = seeded
    semesters = _history_semesters(first)
    assert len(semesters) == 4
    current = Semester.objects.get(school=first, is_current=True)
    for semester in [*semesters, current]:
        cases = Case.objects.filter(
            school=first, opened_on__gte=semester.start_date, opened_on__lte=semester.end_date
        )
        assert cases.count() >= 20, semester
        if semester.is_current:
            assert cases.filter(status__in=Case.OPEN_STATUSES).count() > cases.count() / 2
        else:
            # Old cases are closed, with an outcome.
            assert set(cases.values_list("status", flat=True)) == {Case.Status.CLOSED}
            assert not cases.filter(outcome="").exists()
    strategies = set(
        CounselingSession.objects.filter(school=first).values_list("strategy", flat=True)
    )
    assert strategies == set(CounselingSession.Strategy.values)
    partners = set(
        Collaboration.objects.filter(school=first).values_list("partner_type", flat=True)
    )
    assert partners == set(Collaboration.Partner.values)


def test_demo_trend_later_semesters_show_more_multi_session_cases_and_collaboration(seeded):
    first, _ = seeded
    earliest, *_, latest = _history_semesters(first)

    def multi_session_share(semester) -> float:
        cases = Case.objects.filter(
            school=first, opened_on__gte=semester.start_date, opened_on__lte=semester.end_date
        ).annotate(sessions_count=Count("sessions"))
        return cases.filter(sessions_count__gte=2).count() / cases.count()

    def parent_and_teacher_contacts(semester) -> int:
        return Collaboration.objects.filter(
            school=first,
            partner_type__in=TEACHER_OR_PARENT,
            happened_on__gte=semester.start_date,
            happened_on__lte=semester.end_date,
        ).count()

    assert multi_session_share(latest) > multi_session_share(earliest) + 0.2
    assert parent_and_teacher_contacts(latest) > parent_and_teacher_contacts(earliest) * 1.5
    parents = Q(partner_type=Collaboration.Partner.PARENT)
    assert (
        Collaboration.objects.filter(
            parents, school=first, happened_on__range=(latest.start_date, latest.end_date)
        ).count()
        > Collaboration.objects.filter(
            parents, school=first, happened_on__range=(earliest.start_date, earliest.end_date)
        ).count()
    )


def test_demo_records_are_consistent(seeded):
    now = timezone.now()
    for school in seeded:
        semesters = list(Semester.objects.filter(school=school))

        def in_a_semester(day, semesters=semesters) -> bool:
            return any(s.start_date <= day <= s.end_date for s in semesters)

        cases = Case.objects.filter(school=school).prefetch_related("co_handlers")
        for case in cases:
            assert case.student.school_id == school.pk
            assert in_a_semester(case.opened_on)
            assert case.opened_on <= timezone.localdate()
            if case.status == Case.Status.CLOSED:
                assert case.outcome and case.closed_on >= case.opened_on
        sessions = CounselingSession.objects.filter(school=school).select_related("case")
        sessions = sessions.prefetch_related("students", "case__co_handlers")
        for session in sessions:
            assert session.starts_at < now
            assert in_a_semester(timezone.localtime(session.starts_at).date())
            student_ids = {student.pk for student in session.students.all()}
            assert student_ids
            if session.case is not None:
                case = session.case
                assert case.school_id == session.school_id
                assert session.starts_at.date() >= case.opened_on - datetime.timedelta(days=1)
                handlers = {case.counselor_id} | {u.pk for u in case.co_handlers.all()}
                assert session.counselor_id in handlers
                assert case.student_id in student_ids
            if session.strategy == CounselingSession.Strategy.CLASSICAL_GUIDANCE:
                assert session.classroom_id is not None
            if session.next_appointment is not None:
                assert session.next_appointment > session.starts_at
        for collaboration in Collaboration.objects.filter(school=school):
            assert in_a_semester(collaboration.happened_on)
            assert collaboration.happened_on <= timezone.localdate()
        # New cases have had no session; the others have.
        assert not cases.filter(status=Case.Status.NEW, sessions__isnull=False).exists()
        assert not cases.exclude(status=Case.Status.NEW).filter(sessions__isnull=True).exists()


def test_demo_referrals_from_the_homeroom_and_subject_teacher(seeded):
    first, _ = seeded
    walikelas = User.objects.get(username="walikelas7a")
    gurumapel = User.objects.get(username="gurumapel1")
    for teacher in (walikelas, gurumapel):
        statuses = set(
            InboundReferral.objects.filter(referred_by=teacher).values_list("status", flat=True)
        )
        assert statuses == set(InboundReferral.Status.values), teacher
    # The homeroom teacher refers students of the own class only.
    assert set(
        InboundReferral.objects.filter(referred_by=walikelas).values_list(
            "student__classroom__name", flat=True
        )
    ) == {"VII-A"}
    for referral in InboundReferral.objects.filter(school=first).select_related("case"):
        assert referral.created_at <= timezone.now()
        if referral.status == InboundReferral.Status.ACCEPTED:
            assert referral.case.student_id == referral.student_id
            assert referral.decided_by_id == referral.case.counselor_id
            assert referral.created_at <= referral.decided_at
        elif referral.status == InboundReferral.Status.DECLINED:
            assert referral.decline_reason and referral.decided_at
        else:
            assert not hasattr(referral, "case") or referral.case is None
    outbound = OutboundReferral.objects.filter(school=first).select_related("case")
    assert outbound.count() >= 2
    for referral in outbound:
        assert referral.consent_given_by and referral.consent_relation
        assert referral.consent_date <= referral.referred_on
        assert not referral.consent_form
        assert referral.case.status in (Case.Status.REFERRED_OUT, Case.Status.CLOSED)


def _seed_first_school_at(school, moment) -> int:
    return seed_counseling_records(
        school=school,
        counselors=[User.objects.get(username=f"gurubk{n}") for n in (1, 2, 3)],
        subject_teacher=User.objects.get(username="gurumapel1"),
        homeroom_teacher=User.objects.get(username="walikelas7a"),
        cases_total=150,
        sessions_total=600,
        seed=2026,
        now=moment,
    )


def test_demo_gives_the_counselors_something_to_follow_up(seeded):
    """Seeded as on a Wednesday ten weeks into the current semester, whatever today is."""
    first, _ = seeded
    current = Semester.objects.get(school=first, is_current=True)
    day = current.start_date + datetime.timedelta(weeks=10)
    day += datetime.timedelta(days=(2 - day.weekday()) % 7)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(6, 0)))
    _delete_counseling_records()
    _seed_first_school_at(first, moment)

    coming = CounselingSession.objects.filter(
        school=first,
        next_appointment__gt=moment,
        next_appointment__lte=moment + datetime.timedelta(days=8),
    )
    assert coming.count() >= 5
    assert set(coming.values_list("case__counselor__username", flat=True)) == {
        "gurubk1",
        "gurubk2",
        "gurubk3",
    }
    single_without_follow_up = (
        Case.objects.filter(school=first, status__in=Case.OPEN_STATUSES)
        .annotate(
            sessions_count=Count("sessions"),
            followed=Count(
                "sessions",
                filter=~Q(sessions__follow_up_plan="")
                | Q(sessions__next_appointment__isnull=False),
            ),
        )
        .filter(sessions_count=1, followed=0)
    )
    assert single_without_follow_up.exists()
    assert Case.objects.filter(school=first, status=Case.Status.NEW).exists()


def _delete_counseling_records() -> None:
    CounselingSession.students.through.objects.all().delete()
    Case.co_handlers.through.objects.all().delete()
    OutboundReferral.objects.all().delete()
    Collaboration.objects.all().delete()
    CounselingSession.objects.all().delete()
    Case.objects.all().delete()
    InboundReferral.objects.all().delete()


def _records() -> list:
    return [
        sorted(
            Case.objects.values_list(
                "student__nisn", "counselor__username", "category", "status", "opened_on"
            )
        ),
        sorted(
            CounselingSession.objects.values_list(
                "counselor__username", "starts_at", "strategy", "summary", "next_appointment"
            )
        ),
        sorted(Collaboration.objects.values_list("partner_type", "partner_name", "happened_on")),
        sorted(InboundReferral.objects.values_list("student__nisn", "status", "created_at")),
    ]


def test_demo_records_are_deterministic(seeded):
    first, _ = seeded
    moment = timezone.now().replace(microsecond=0)
    _delete_counseling_records()
    assert _seed_first_school_at(first, moment) == 150
    once = _records()
    assert _seed_first_school_at(first, moment) == 0  # the school has cases: nothing added
    _delete_counseling_records()
    _seed_first_school_at(first, moment)
    assert _records() == once
