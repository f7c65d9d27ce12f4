"""staff.bulk: many rows in few statements, the rows exactly as given."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from counseling.models import CounselingSession, PersonalBookSection
from staff.bulk import analyze, insert, insert_rows
from staff.models import AcademicYear, School
from tests.factories import CounselingSessionFactory, PersonalBookFactory, StudentFactory

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_inserted_rows_get_their_ids_and_keep_their_values(db):
    schools = insert(
        School,
        [
            School(npsn=f"3000000{number}", name=f"SMP Negeri {number}", level="SMP")
            for number in range(3)
        ],
    )
    assert all(school.pk for school in schools)
    stored = School.objects.in_bulk([school.pk for school in schools])
    assert [stored[school.pk].npsn for school in schools] == ["30000000", "30000001", "30000002"]


def test_creation_times_given_are_kept_and_missing_ones_are_now(db):
    long_ago = datetime(2022, 7, 18, 9, 30, tzinfo=JAKARTA)
    before = timezone.now()
    dated, undated = insert(
        School,
        [
            School(
                npsn="30000010", name="A", level="SMP", created_at=long_ago, updated_at=long_ago
            ),
            School(npsn="30000011", name="B", level="SMP"),
        ],
    )
    dated.refresh_from_db()
    undated.refresh_from_db()
    assert dated.created_at == long_ago and dated.updated_at == long_ago
    assert before <= undated.created_at <= timezone.now()
    # Saving normally stamps the time again afterwards.
    dated.save()
    assert dated.updated_at > long_ago


def test_a_foreign_key_to_an_object_inserted_before_takes_its_id(db):
    school = School(npsn="30000020", name="C", level="SMP")
    year = AcademicYear(
        school=school, name="2025/2026", start_date=date(2025, 7, 1), end_date=date(2026, 6, 30)
    )
    insert(School, [school])
    insert(AcademicYear, [year])
    assert AcademicYear.objects.get(pk=year.pk).school_id == school.pk


def test_text_and_json_arrive_as_written(db):
    """Tabs, new lines, backslashes and quotes, in text and in JSON."""
    awkward = 'Baris satu\tkolom\nbaris dua \\ garis miring "kutip" \\N bukan kosong'
    school = insert(School, [School(npsn="30000030", name=awkward, level="SMP")])[0]
    assert School.objects.get(pk=school.pk).name == awkward
    book = PersonalBookFactory()
    data = {"notes": awkward, "child_order": 2, "list": ["a\tb", None], "empty": ""}
    insert(PersonalBookSection, [PersonalBookSection(book=book, key="notes", data=data)])
    assert PersonalBookSection.objects.get(book=book, key="notes").data == data


def test_rows_without_ids_and_link_rows_are_written(db):
    book = PersonalBookFactory()
    insert(
        PersonalBookSection,
        [PersonalBookSection(book=book, key=key) for key in ("identity", "family")],
    )
    assert PersonalBookSection.objects.filter(book=book).count() == 2

    session = CounselingSessionFactory(starts_at=timezone.now() - timedelta(days=1))
    students = StudentFactory.create_batch(3, school=session.school, classroom=None)
    written = insert_rows(
        CounselingSession.students.through,
        ["counselingsession_id", "student_id"],
        ((session.pk, student.pk) for student in students),
    )
    assert written == 3
    assert set(session.students.values_list("pk", flat=True)) >= {s.pk for s in students}


def test_nothing_to_insert_is_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert(School, []) == []


def test_analyze_gives_postgresql_the_statistics_of_a_bulk_load(db, django_assert_num_queries):
    insert(School, [School(npsn=f"300001{n:02d}", name="S", level="SMP") for n in range(40)])
    if connection.vendor != "postgresql":
        with django_assert_num_queries(0):  # SQLite keeps no such statistics
            analyze([School])
        return
    analyze([School])
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", ["staff_school"])
        assert cursor.fetchone()[0] >= 40
