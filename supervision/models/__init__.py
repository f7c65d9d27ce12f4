"""Records of the supervision app: meetings and what comes of them, academic supervision
visits, and the BK room's facilities."""

from supervision.models.facilities import (
    FacilityAssessment,
    FacilityCondition,
    FacilityItem,
    FacilityRequest,
)
from supervision.models.meetings import (
    ActionItem,
    CalendarFeed,
    Meeting,
    MeetingInvitation,
    PerformanceEvaluation,
)
from supervision.models.visits import (
    ChecklistItem,
    SupervisionScore,
    SupervisionVisit,
    VisitChange,
)

__all__ = [
    "ActionItem",
    "CalendarFeed",
    "ChecklistItem",
    "FacilityAssessment",
    "FacilityCondition",
    "FacilityItem",
    "FacilityRequest",
    "Meeting",
    "MeetingInvitation",
    "PerformanceEvaluation",
    "SupervisionScore",
    "SupervisionVisit",
    "VisitChange",
]
