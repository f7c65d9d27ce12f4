from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounselingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "counseling"
    verbose_name = _("Counseling")

    def ready(self) -> None:
        from counseling.models import (
            Case,
            Classroom,
            Collaboration,
            CounselingSession,
            InboundReferral,
            OutboundReferral,
            PersonalBook,
            PersonalBookSection,
            Student,
        )
        from staff.caching import watch_school_records

        # The records that dashboards and reports count, cached per school (staff.caching).
        watch_school_records(
            Classroom,
            Student,
            PersonalBook,
            Case,
            CounselingSession,
            Collaboration,
            InboundReferral,
            OutboundReferral,
        )
        watch_school_records(
            PersonalBookSection, school_id_of=lambda section: section.book.school_id
        )
