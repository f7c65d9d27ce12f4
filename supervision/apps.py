from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from staff.caching import watch_school_records
        from supervision.models import (
            ActionItem,
            FacilityAssessment,
            FacilityRequest,
            Meeting,
            MeetingInvitation,
            PerformanceEvaluation,
            SupervisionVisit,
        )

        # The records that dashboards and reports count, cached per school (staff.caching).
        # Services that write with update() or bulk inserts call school_data_changed themselves.
        watch_school_records(
            Meeting,
            ActionItem,
            PerformanceEvaluation,
            SupervisionVisit,
            FacilityAssessment,
            FacilityRequest,
        )
        watch_school_records(
            MeetingInvitation, school_id_of=lambda invitation: invitation.meeting.school_id
        )
