from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "staff"
    verbose_name = _("Staff and school")

    def ready(self) -> None:
        from staff import signals  # noqa: F401
        from staff.caching import watch_school_records
        from staff.models import (
            Appraisal,
            RoleAssignment,
            Semester,
            TrainingEvent,
            TrainingParticipation,
            User,
        )

        # Who is a counselor of the school, and which semester is current, shape its figures;
        # signing in (last_login) does not.
        watch_school_records(User, Semester, ignored_fields=["last_login"])
        watch_school_records(
            RoleAssignment, school_id_of=lambda assignment: assignment.user.school_id
        )
        # Appraisals, training and MGBK: counted by the principal's dashboard and the period
        # report. Their services that write with update() or in bulk say so themselves.
        watch_school_records(Appraisal, TrainingEvent, TrainingParticipation)
