"""Per-school cached values (staff.caching): reused until a record of the school changes.

tests/staff/test_caching_redis.py runs these same tests against a real Redis.
"""

import datetime

import pytest
from django.contrib.auth.models import update_last_login
from django.core.cache import cache, caches
from redis.exceptions import ConnectionError as RedisConnectionError

from counseling import cases as case_services
from counseling.book import personal_book_get_or_create, personal_book_section_save
from counseling.importing import read_roster, students_import_apply
from counseling.models import Case, CounselingSession, PersonalBookSection
from counseling.promotion import promotion_apply
from staff import caching
from staff.models import Role
from staff.services import user_set_roles
from tests.counseling.cases_setup import (  # noqa: F401
    at,
    case,
    classroom,
    co_handler,
    foreign_student,
    student,
)
from tests.counseling.test_import import plain_csv
from tests.counseling.test_import import student as import_row
from tests.factories import (
    AcademicYearFactory,
    CollaborationFactory,
    CounselingSessionFactory,
    StudentFactory,
    UserFactory,
)


class Computation:
    """Stands for a costly aggregate: counts its runs and returns a new value each time."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> dict:
        self.runs += 1
        return {"run": self.runs, "sessions": [1, 2, 3]}


@pytest.fixture
def compute():
    return Computation()


def read(school, compute, *, name="figures", semester_id=None):
    return caching.cached_for_school(
        school_id=school.pk, name=name, semester_id=semester_id, compute=compute
    )


def test_a_cached_value_is_reused(school, compute):
    first = read(school, compute)
    assert read(school, compute) == first
    assert compute.runs == 1


def test_values_are_kept_apart_by_name_and_semester(school, compute):
    read(school, compute, name="a", semester_id=1)
    read(school, compute, name="a", semester_id=2)
    read(school, compute, name="b", semester_id=1)
    read(school, compute, name="a", semester_id=1)
    assert compute.runs == 3


def test_each_school_has_its_own_values(school, other_school, compute):
    read(school, compute)
    read(other_school, compute)
    assert compute.runs == 2


def test_a_new_session_of_the_school_invalidates(school, counselor, compute):
    read(school, compute)
    CounselingSessionFactory(counselor=counselor)
    assert read(school, compute)["run"] == 2


def test_a_session_of_another_school_does_not(school, other_school, compute):
    read(school, compute)
    stranger = UserFactory(school=other_school, roles=[Role.COUNSELOR])
    CounselingSessionFactory(counselor=stranger)
    read(school, compute)
    assert compute.runs == 1


def test_a_case_of_another_school_does_not(school, foreign_student, compute):  # noqa: F811
    read(school, compute)
    stranger = UserFactory(school=foreign_student.school, roles=[Role.COUNSELOR])
    case_services.case_open(
        student=foreign_student,
        counselor=stranger,
        co_handlers=[],
        field="personal",
        category=Case.Category.FAMILY,
        source=Case.Source.SELF,
        summary="Sering terlambat.",
        opened_by=stranger,
    )
    read(school, compute)
    assert compute.runs == 1


def test_editing_a_case_through_its_service_invalidates(
    school,
    case,  # noqa: F811
    counselor,
    co_handler,  # noqa: F811
    compute,
):
    read(school, compute)
    # The service writes with a conditional UPDATE, which sends no signal (and the co-handlers
    # stay the same, so no many-to-many signal either).
    case_services.case_update(
        case=case,
        version=case.version,
        counselor=counselor,
        co_handlers=[co_handler],
        field=case.field,
        category=Case.Category.PEERS,
        source=case.source,
        summary=case.summary,
    )
    assert read(school, compute)["run"] == 2


def test_a_case_status_change_invalidates(school, case, compute):  # noqa: F811
    read(school, compute)
    case_services.case_transition(case=case, status=Case.Status.IN_PROGRESS)
    assert read(school, compute)["run"] == 2


def test_editing_a_session_through_its_service_invalidates(school, case, counselor, compute):  # noqa: F811
    session = CounselingSessionFactory(counselor=counselor, case=case, starts_at=at(5))
    read(school, compute)
    case_services.session_update(
        session=session,
        edited_at=session.updated_at,
        starts_at=at(6),
        duration_minutes=30,
        strategy=session.strategy,
        component=session.component,
        field=session.field,
        students=[case.student],
        classroom=None,
        other_participants="",
        summary="Dipindah ke hari berikutnya.",
        follow_up_plan="",
        next_appointment=None,
    )
    assert read(school, compute)["run"] == 2


def test_changing_who_took_part_invalidates(school, case, counselor, classroom, compute):  # noqa: F811
    session = CounselingSessionFactory(counselor=counselor, case=case)
    read(school, compute)
    session.students.add(StudentFactory(school=school, classroom=classroom))
    assert read(school, compute)["run"] == 2


def test_a_co_handler_added_from_the_counselor_side_invalidates(school, case, compute):  # noqa: F811
    colleague = UserFactory(school=school, roles=[Role.COUNSELOR])
    read(school, compute)
    colleague.cases_co_handled.add(case)
    assert read(school, compute)["run"] == 2


def test_collaboration_and_its_removal_invalidate(school, counselor, compute):
    read(school, compute)
    entry = CollaborationFactory(counselor=counselor)
    assert read(school, compute)["run"] == 2
    entry.delete()
    assert read(school, compute)["run"] == 3


def test_saving_a_personal_book_section_invalidates(school, student, counselor, compute):  # noqa: F811
    book = personal_book_get_or_create(student=student)
    section = PersonalBookSection.objects.get(book=book, key=PersonalBookSection.Key.TALENTS)
    read(school, compute)
    personal_book_section_save(
        section=section, data={"hobbies": "Menggambar"}, version=section.version, user=counselor
    )
    assert read(school, compute)["run"] == 2


def test_a_role_change_invalidates_but_signing_in_does_not(school, counselor, compute):
    read(school, compute)
    counselor.is_active = False
    counselor.save()
    read(school, compute)
    assert compute.runs == 2
    update_last_login(None, counselor)  # what signing in saves
    read(school, compute)
    assert compute.runs == 2
    user_set_roles(user=counselor, roles=[Role.COUNSELOR, Role.HOMEROOM_TEACHER])
    read(school, compute)
    assert compute.runs == 3


def test_the_token_is_replaced_again_when_the_transaction_commits(
    school, counselor, compute, django_capture_on_commit_callbacks
):
    """Another request may compute between the change and its commit, from the data before
    the change: what it stored must not be read after the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        CounselingSessionFactory(counselor=counselor)
        read(school, compute)  # as the other request would, before the commit
        read(school, compute)
        assert compute.runs == 1
    read(school, compute)
    assert compute.runs == 2


def test_nothing_is_kept_right_after_a_change_while_a_replica_may_lag(
    settings, school, counselor, compute
):
    settings.SCHOOL_CACHE_SETTLE_SECONDS = 60
    CounselingSessionFactory(counselor=counselor)
    read(school, compute)
    read(school, compute)
    assert compute.runs == 2


def test_a_lost_token_does_not_bring_back_old_values(school, compute):
    read(school, compute)
    cache.delete(caching._token_key(school.pk))  # evicted, or the cache restarted
    assert read(school, compute)["run"] == 2


def test_an_unreachable_cache_computes_instead_of_failing(monkeypatch, school, counselor, compute):
    def down(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    backend = caches["default"]
    monkeypatch.setattr(backend, "get", down)
    monkeypatch.setattr(backend, "set", down)
    assert read(school, compute)["run"] == 1
    assert read(school, compute)["run"] == 2
    CounselingSessionFactory(counselor=counselor)  # invalidating fails quietly too
    assert CounselingSession.objects.count() == 1


def test_a_record_without_a_school_changes_nothing(school, compute):
    read(school, compute)
    caching.school_data_changed(school_id=None)
    read(school, compute)
    assert compute.runs == 1


def test_values_expire_even_without_changes(school, compute):
    caching.cached_for_school(school_id=school.pk, name="x", compute=compute, timeout=0)
    caching.cached_for_school(school_id=school.pk, name="x", compute=compute, timeout=0)
    assert compute.runs == 2


def test_models_added_later_register_in_one_line(school, compute):
    from staff.models import Semester

    # Semester is registered in staff/apps.py exactly as later models will be.
    read(school, compute)
    semester = Semester.objects.get(school=school)
    semester.end_date = datetime.date(2026, 12, 30)
    semester.save()
    assert read(school, compute)["run"] == 2


def test_a_roster_import_invalidates(school, admin_staff, classroom, compute):  # noqa: F811
    rows = read_roster(
        school=school,
        content=plain_csv([import_row(NISN="0011223344", **{"Rombel Saat Ini": "VII-A"})]),
    )
    read(school, compute)
    students_import_apply(school=school, rows=rows, user=admin_staff)  # bulk inserts
    assert read(school, compute)["run"] == 2


def test_the_promotion_invalidates(school, student, compute):  # noqa: F811
    next_year = AcademicYearFactory(
        school=school,
        name="2027/2028",
        start_date=datetime.date(2027, 7, 1),
        end_date=datetime.date(2028, 6, 30),
        is_current=False,
    )
    read(school, compute)
    promotion_apply(  # moves the students with one UPDATE
        school=school, source_year=student.classroom.academic_year, target_year=next_year
    )
    assert read(school, compute)["run"] == 2
