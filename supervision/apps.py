from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from staff.caching import watch_school_records
        from supervision.models import ActionItem, FacilityAssessment, Meeting, SupervisionVisit

        # The records the principal's dashboard and the period report count, cached per
        # school (staff.caching); services that write with update() say so themselves.
        watch_school_records(Meeting, ActionItem, SupervisionVisit, FacilityAssessment)
