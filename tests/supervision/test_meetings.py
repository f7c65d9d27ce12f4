"""After the meeting: attendance, minutes, decisions and action items; the evaluations of a
limited meeting; concurrent edits; the calendar; query counts of the calendar and the meeting
page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from staff.models import Role
from supervision.models import ActionItem, Meeting, MeetingInvitation, PerformanceEvaluation
from tests.factories import (
    ActionItemFactory,
    DisseminationReportFactory,
    MeetingFactory,
    TrainingEventFactory,
    TrainingParticipationFactory,
    UserFactory,
    framework_competencies,
)
from tests.supervision.conftest import local


@pytest.fixture
def held(vice_principal, counselor, homeroom_teacher):
    """A coordination meeting that took place yesterday."""
    start = timezone.now() - datetime.timedelta(days=1)
    return MeetingFactory(
        organizer=vice_principal,
        invitees=[counselor, homeroom_teacher],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )


def _minutes_post(meeting, **overrides):
    data = {
        "version": str(meeting.version),
        "minutes": "Program semester dibahas.",
        "decisions": "Jadwal layanan klasikal disepakati.",
    }
    for invitation in meeting.invitations.all():
        data[f"attendance_{invitation.person_id}"] = "present"
    data.update(overrides)
    return data


def test_organizer_records_attendance_and_minutes(
    client_for, vice_principal, counselor, homeroom_teacher, held
):
    url = reverse("supervision:meeting_minutes", args=[held.pk])
    response = client_for(vice_principal).post(
        url, _minutes_post(held, **{f"attendance_{homeroom_teacher.pk}": "excused"})
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.has_minutes and held.minutes == "Program semester dibahas."
    attendance = dict(held.invitations.values_list("person__username", "attendance"))
    assert attendance == {
        vice_principal.username: "present",
        counselor.username: "present",
        homeroom_teacher.username: "excused",
    }
    page = client_for(counselor).get(reverse("supervision:meeting_detail", args=[held.pk]))
    assert "Jadwal layanan klasikal disepakati." in page.content.decode()


def test_minutes_name_the_dissemination_reports_presented(
    client_for, vice_principal, counselor, subject_teacher, school, other_school, held
):
    report = DisseminationReportFactory(
        participation=TrainingParticipationFactory(
            event=TrainingEventFactory(school=school, title="Bimtek Konseling Kelompok"),
            counselor=counselor,
        )
    )
    foreign = DisseminationReportFactory(
        participation=TrainingParticipationFactory(
            event=TrainingEventFactory(school=other_school),
            counselor=UserFactory(school=other_school, roles=[Role.COUNSELOR]),
        )
    )
    url = reverse("supervision:meeting_minutes", args=[held.pk])
    refused = client_for(vice_principal).post(
        url, _minutes_post(held, dissemination_reports=[str(foreign.pk)])
    )
    assert refused.status_code == 200
    assert "dissemination_reports" in refused.context["form"].errors
    assert not held.dissemination_reports.exists()

    response = client_for(vice_principal).post(
        url, _minutes_post(held, dissemination_reports=[str(report.pk)])
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert list(report.presented_at_meetings.all()) == [held]
    assert report.shared_on == timezone.localtime(held.starts_at).date()
    meeting_page = client_for(counselor).get(reverse("supervision:meeting_detail", args=[held.pk]))
    assert "Bimtek Konseling Kelompok" in meeting_page.content.decode()
    # Every staff member reads the report and where it was shared: the meeting's kind and day
    # (its title and minutes stay with its invitees, whom its page lets in).
    report_page = client_for(subject_teacher).get(
        reverse("staff:dissemination_detail", args=[report.pk])
    )
    shared = report_page.content.decode().split('data-testid="shared-at"')[1].split("</section>")[0]
    assert held.get_absolute_url() in shared and held.title not in shared


def test_minutes_need_every_invitee_marked_and_the_minutes_written(
    client_for, vice_principal, counselor, held
):
    url = reverse("supervision:meeting_minutes", args=[held.pk])
    data = _minutes_post(held, minutes="")
    data.pop(f"attendance_{counselor.pk}")
    response = client_for(vice_principal).post(url, data)
    assert response.status_code == 200
    assert {"minutes", f"attendance_{counselor.pk}"} <= set(response.context["form"].errors)
    held.refresh_from_db()
    assert not held.has_minutes


def test_the_minutes_form_shows_the_meeting_it_records(
    client_for, vice_principal, counselor, homeroom_teacher, held
):
    held.title = "Koordinasi awal semester"
    held.agenda = "1. Program semester\n2. Jadwal klasikal"
    held.place = "Ruang rapat guru"
    held.save()
    response = client_for(vice_principal).get(
        reverse("supervision:meeting_minutes", args=[held.pk])
    )
    html = response.content.decode()
    start = html.index('data-testid="meeting-summary"')
    summary = html[start : html.index("</section>", start)]
    assert "Koordinasi awal semester" in summary and "Ruang rapat guru" in summary
    assert "1. Program semester<br>2. Jadwal klasikal" in summary
    assert timezone.localtime(held.starts_at).strftime("%H:%M") in summary
    invitees = summary[summary.index('data-testid="summary-invitees"') :]
    for person in (vice_principal, counselor, homeroom_teacher):
        assert person.full_name in invitees
    assert 'data-testid="attendance-legend"' in html


def test_minutes_wait_until_the_meeting_began(client_for, vice_principal, counselor, next_week):
    future = MeetingFactory(organizer=vice_principal, starts_at=local(next_week, 9))
    response = client_for(vice_principal).get(
        reverse("supervision:meeting_minutes", args=[future.pk])
    )
    assert response.status_code == 302
    response = client_for(vice_principal).post(
        reverse("supervision:meeting_minutes", args=[future.pk]), _minutes_post(future)
    )
    future.refresh_from_db()
    assert not future.has_minutes


def test_two_editors_of_the_minutes_do_not_overwrite_each_other(
    client_for, vice_principal, principal, held
):
    url = reverse("supervision:meeting_minutes", args=[held.pk])
    first = _minutes_post(held, minutes="Versi wakasek.")
    second = _minutes_post(held, minutes="Versi kepala sekolah.")
    assert client_for(vice_principal).post(url, first).status_code == 302
    response = client_for(principal).post(url, second)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="yours">Versi kepala sekolah.' in html
    assert 'data-testid="theirs">Versi wakasek.' in html
    held.refresh_from_db()
    assert held.minutes == "Versi wakasek."


def test_meeting_edit_refuses_a_stale_version(client_for, vice_principal, principal, next_week):
    meeting = MeetingFactory(organizer=vice_principal, starts_at=local(next_week, 9))
    url = reverse("supervision:meeting_edit", args=[meeting.pk])
    form = {
        "kind": meeting.kind,
        "title": "Judul baru",
        "day": next_week.isoformat(),
        "start_time": "09:00",
        "end_time": "10:00",
        "place": meeting.place,
        "agenda": "",
        "people": [str(principal.pk)],
        "version": "0",
    }
    assert client_for(vice_principal).post(url, form).status_code == 302
    response = client_for(principal).post(
        url, {**form, "title": "Judul lain", "start_time": "13:00", "end_time": "14:00"}
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert (meeting.title, meeting.version) == ("Judul baru", 1)
    # The other person's version is in the form (to save again knowingly), and where the two
    # differ is listed side by side: the title and the times, nothing else.
    assert response.context["form"]["title"].value() == "Judul baru"
    assert response.context["form"]["version"].value() == 1
    rows = {
        str(row["label"]): (row["theirs"], row["yours"]) for row in response.context["differences"]
    }
    assert rows == {
        "Judul": ("Judul baru", "Judul lain"),
        "Mulai pukul": ("09:00", "13:00"),
        "Selesai pukul": ("10:00", "14:00"),
    }
    html = response.content.decode()
    assert 'data-testid="theirs">Judul baru' in html and 'data-testid="yours">Judul lain' in html


def test_cancelled_meeting_can_no_longer_change(client_for, vice_principal, next_week):
    meeting = MeetingFactory(organizer=vice_principal, starts_at=local(next_week, 9))
    Meeting.objects.filter(pk=meeting.pk).update(cancelled_at=timezone.now())
    response = client_for(vice_principal).get(
        reverse("supervision:meeting_edit", args=[meeting.pk])
    )
    assert response.status_code == 302


# Action items


def test_organizer_adds_an_action_item_and_the_assignee_marks_it_done(
    client_for, vice_principal, homeroom_teacher, held
):
    response = client_for(vice_principal).post(
        reverse("supervision:action_item_create", args=[held.pk]),
        {
            "item-description": "Rekap keterlambatan kelas VII",
            "item-assignee": str(homeroom_teacher.pk),
            "item-due_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get(description="Rekap keterlambatan kelas VII")
    assert (item.meeting, item.assignee, item.is_confidential) == (held, homeroom_teacher, False)
    teacher = client_for(homeroom_teacher)
    listing = teacher.get(reverse("supervision:my_action_items")).content.decode()
    assert "Rekap keterlambatan kelas VII" in listing
    teacher.post(reverse("supervision:action_item_status", args=[item.pk]), {"status": "done"})
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE and item.completed_at is not None


def test_an_action_item_may_name_the_competency_it_strengthens(
    client_for, vice_principal, counselor, held
):
    (competency,) = framework_competencies([13])
    response = client_for(vice_principal).post(
        reverse("supervision:action_item_create", args=[held.pk]),
        {
            "item-description": "Menyusun program BK semester genap",
            "item-assignee": str(counselor.pk),
            "item-due_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
            "item-competency": str(competency.pk),
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert item.competency == competency
    listing = client_for(counselor).get(reverse("supervision:my_action_items"))
    assert str(competency) in listing.content.decode()


def test_action_item_needs_what_who_and_when(client_for, vice_principal, held):
    response = client_for(vice_principal).post(
        reverse("supervision:action_item_create", args=[held.pk]),
        {"item-description": " ", "item-assignee": "", "item-due_on": "kemarin"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"description", "assignee", "due_on"}
    assert not ActionItem.objects.exists()


def test_another_person_cannot_mark_someone_elses_item(
    client_for, counselor, homeroom_teacher, held
):
    item = ActionItemFactory(meeting=held, assignee=homeroom_teacher)
    response = client_for(counselor).post(
        reverse("supervision:action_item_status", args=[item.pk]), {"status": "done"}
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN


def test_overdue_items_are_highlighted_in_the_list(client_for, homeroom_teacher, held):
    ActionItemFactory(
        meeting=held,
        assignee=homeroom_teacher,
        description="Terlambat",
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    ActionItemFactory(
        meeting=held,
        assignee=homeroom_teacher,
        description="Masih lama",
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    client = client_for(homeroom_teacher)
    html = client.get(reverse("supervision:my_action_items")).content.decode()
    assert html.count('class="table-danger"') == 1
    overdue = client.get(reverse("supervision:my_action_items") + "?status=overdue")
    assert [i.description for i in overdue.context["items"]] == ["Terlambat"]


def test_action_item_edit_refuses_a_stale_version(client_for, vice_principal, principal, held):
    item = ActionItemFactory(meeting=held, assignee=vice_principal)
    url = reverse("supervision:action_item_edit", args=[item.pk])
    form = {
        "description": "Versi satu",
        "assignee": str(vice_principal.pk),
        "due_on": "2026-12-01",
        "version": "0",
    }
    assert client_for(vice_principal).post(url, form).status_code == 302
    response = client_for(principal).post(url, {**form, "description": "Versi dua"})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.description == "Versi satu"


# Limited evaluation


@pytest.fixture
def limited(vice_principal, principal, counselor, colleague):
    start = timezone.now() - datetime.timedelta(hours=3)
    return MeetingFactory(
        organizer=vice_principal,
        kind=Meeting.Kind.LIMITED_EVALUATION,
        invitees=[principal, counselor, colleague],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )


def test_principal_evaluates_a_counselor_and_agrees_actions(
    client_for, principal, counselor, colleague, vice_principal, limited
):
    client = client_for(principal)
    detail = client.get(reverse("supervision:meeting_detail", args=[limited.pk]))
    assert {c.pk for c in detail.context["to_evaluate"]} == {counselor.pk, colleague.pk}
    response = client.post(
        reverse("supervision:evaluation_edit", args=[limited.pk, counselor.pk]),
        {"went_well": "Kolaborasi baik.", "to_improve": "Buku pribadi.", "version": ""},
    )
    evaluation = PerformanceEvaluation.objects.get(meeting=limited, counselor=counselor)
    assert response["Location"] == reverse("supervision:evaluation_detail", args=[evaluation.pk])
    client.post(
        reverse("supervision:evaluation_action_create", args=[evaluation.pk]),
        {"description": "Melengkapi buku pribadi", "due_on": "2026-12-15"},
    )
    item = ActionItem.objects.get(evaluation=evaluation)
    assert (item.assignee, item.is_confidential, item.meeting) == (counselor, True, limited)
    # The counselor reads it and has the item; the vice principal who organized sees neither.
    own = client_for(counselor)
    assert (
        own.get(reverse("supervision:evaluation_detail", args=[evaluation.pk])).status_code == 200
    )
    assert (
        "Melengkapi buku pribadi"
        in own.get(reverse("supervision:my_action_items")).content.decode()
    )
    organizer = client_for(vice_principal)
    assert (
        organizer.get(reverse("supervision:evaluation_detail", args=[evaluation.pk])).status_code
        == 404
    )
    everyone = organizer.get(reverse("supervision:my_action_items") + "?everyone=1&status=all")
    assert "Melengkapi buku pribadi" not in everyone.content.decode()


def test_only_invited_counselors_are_evaluated(client_for, principal, limited, school):
    stranger = UserFactory(school=school, roles=["counselor"])
    response = client_for(principal).get(
        reverse("supervision:evaluation_edit", args=[limited.pk, stranger.pk])
    )
    assert response.status_code == 404


def test_evaluation_needs_both_texts(client_for, principal, counselor, limited):
    response = client_for(principal).post(
        reverse("supervision:evaluation_edit", args=[limited.pk, counselor.pk]),
        {"went_well": "", "to_improve": ""},
    )
    assert response.status_code == 200
    assert not PerformanceEvaluation.objects.exists()


def test_evaluations_only_in_limited_evaluation_meetings(client_for, principal, counselor, held):
    response = client_for(principal).get(
        reverse("supervision:evaluation_edit", args=[held.pk, counselor.pk])
    )
    assert response.status_code == 404


# The calendar


def test_calendar_shows_own_meetings_by_week_and_month(client_for, counselor, vice_principal):
    day = datetime.date(2026, 10, 14)
    MeetingFactory(
        organizer=vice_principal,
        invitees=[counselor],
        title="Rapat Oktober",
        starts_at=local(day, 9),
    )
    MeetingFactory(organizer=vice_principal, title="Rapat tanpa konselor", starts_at=local(day, 11))
    client = client_for(counselor)
    week = client.get(reverse("supervision:calendar") + "?day=2026-10-15")
    assert [m.title for d in week.context["days"] for m in d.meetings] == ["Rapat Oktober"]
    assert week.context["period"].first_day == datetime.date(2026, 10, 12)
    month = client.get(reverse("supervision:calendar") + "?view=month&day=2026-10-30")
    assert month.context["period"].first_day == datetime.date(2026, 10, 1)
    assert month.context["period"].last_day == datetime.date(2026, 10, 31)
    assert "Rapat Oktober" in month.content.decode()
    other_week = client.get(reverse("supervision:calendar") + "?day=2026-10-22")
    assert other_week.context["days"] == []


def test_calendar_ignores_a_bad_day(client_for, counselor):
    assert client_for(counselor).get(reverse("supervision:calendar") + "?day=x").status_code == 200


# Query counts


def _grow(vice_principal, people, day, meetings):
    for number in range(meetings):
        meeting = MeetingFactory(
            organizer=vice_principal,
            invitees=people,
            starts_at=local(day + datetime.timedelta(days=number % 5), 8 + number % 8),
        )
        for person in people[:2]:
            ActionItemFactory(meeting=meeting, assignee=person)


def test_calendar_query_count_does_not_grow(
    client_for, vice_principal, counselor, school, django_assert_num_queries
):
    day = datetime.date(2026, 10, 12)
    people = [counselor, *(UserFactory(school=school) for _ in range(3))]
    client = client_for(vice_principal)
    url = reverse("supervision:calendar") + "?view=month&day=2026-10-01&all=1"
    client.get(url)
    _grow(vice_principal, people, day, 2)
    # session, user, roles, the month's meetings with their organizers, meetings awaiting
    # minutes, the person's feed
    with django_assert_num_queries(6):
        small = client.get(url)
    _grow(vice_principal, people, day, 20)
    with django_assert_num_queries(6):
        large = client.get(url)
    assert sum(len(d.meetings) for d in large.context["days"]) == 22
    assert sum(len(d.meetings) for d in small.context["days"]) == 2


def test_meeting_page_query_count_does_not_grow(
    client_for, vice_principal, school, django_assert_num_queries
):
    people = [UserFactory(school=school, roles=[Role.COUNSELOR]) for _ in range(3)]
    start = timezone.now() - datetime.timedelta(days=1)
    meeting = MeetingFactory(
        organizer=vice_principal,
        invitees=people,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )

    def grow(persons):
        for person in persons:
            ActionItemFactory(meeting=meeting, assignee=person)
            meeting.dissemination_reports.add(
                DisseminationReportFactory(
                    participation=TrainingParticipationFactory(
                        event=TrainingEventFactory(school=school), counselor=person
                    )
                )
            )

    grow(people)
    client = client_for(vice_principal)
    url = reverse("supervision:meeting_detail", args=[meeting.pk])
    client.get(url)
    # session, user, roles, the meeting with its organizer, may the user manage it, the
    # invitations with their people, the action items with their assignees and competencies,
    # the dissemination reports presented with their events and delegates; for the action-item
    # form: the people one may assign an item to, the competencies one may name
    with django_assert_num_queries(10):
        client.get(url)
    more = [UserFactory(school=school, roles=[Role.COUNSELOR]) for _ in range(30)]
    MeetingInvitation.objects.bulk_create(
        MeetingInvitation(meeting=meeting, person=p) for p in more
    )
    grow(more)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["invitations"]) == 34
    assert len(response.context["action_items"]) == 33
    assert len(response.context["presented_reports"]) == 33
