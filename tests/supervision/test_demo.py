"""The demo school's supervision records: four semesters of history that a principal can read
a story from, added once."""

from io import StringIO

import pytest
from django.core.management import call_command

from staff.models import School
from supervision.models import (
    ActionItem,
    FacilityAssessment,
    FacilityRequest,
    Meeting,
    MeetingInvitation,
    PerformanceEvaluation,
    SupervisionScore,
    SupervisionVisit,
)
from supervision.selectors import (
    facility_compliance_by_semester,
    overdue_action_items_count,
    visits_by_stage,
)

MODELS = [
    Meeting,
    MeetingInvitation,
    ActionItem,
    PerformanceEvaluation,
    SupervisionVisit,
    SupervisionScore,
    FacilityAssessment,
    FacilityRequest,
]


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())
    return School.objects.get(npsn="20526101")


def test_seed_demo_twice_adds_no_supervision_records(demo):
    first = {model.__name__: model.objects.count() for model in MODELS}
    call_command("seed_demo", stdout=StringIO())
    assert {model.__name__: model.objects.count() for model in MODELS} == first


def test_demo_has_the_history_the_issue_asks_for(demo):
    meetings = Meeting.objects.filter(school=demo)
    held = meetings.filter(minutes_recorded_at__isnull=False)
    assert held.filter(kind="coordination").count() >= 20  # monthly, over four semesters
    assert held.filter(kind="limited_evaluation").count() >= 4
    assert held.filter(kind="coaching", title__icontains="buku pribadi").count() >= 4
    assert PerformanceEvaluation.objects.filter(school=demo).count() >= 12
    assert overdue_action_items_count(demo) > 0
    assert ActionItem.objects.filter(school=demo, status="done").exists()
    stages = {
        stage
        for stage, count in visits_by_stage(demo, demo.semesters.get(is_current=True)).items()
        if count
    }
    assert len(stages) >= 2  # the current semester's visits are under way
    trend = [
        value for _semester, value in facility_compliance_by_semester(demo) if value is not None
    ]
    assert len(trend) >= 5 and trend == sorted(trend) and trend[-1] > trend[0]
    assert set(FacilityRequest.objects.values_list("status", flat=True)) == {
        "submitted",
        "approved",
        "rejected",
        "fulfilled",
    }
    # The second school has none of it.
    assert not Meeting.objects.exclude(school=demo).exists()
