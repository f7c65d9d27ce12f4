"""The operators' view of counseling records: read-mostly, and never a delete.

Schools work in the application; these pages exist for support and data repair.
"""

from django.contrib import admin
from django.http import HttpRequest

from counseling.models import (
    Case,
    Classroom,
    Collaboration,
    CounselingSession,
    InboundReferral,
    OutboundReferral,
    PersonalBook,
    Student,
)


class NoDeleteAdmin(admin.ModelAdmin):
    """Counseling records are closed or archived, never deleted."""

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Classroom)
class ClassroomAdmin(NoDeleteAdmin):
    list_display = ["name", "school", "academic_year", "grade", "homeroom_teacher", "counselor"]
    list_filter = ["school", "academic_year", "grade"]
    list_select_related = ["school", "academic_year", "homeroom_teacher", "counselor"]
    raw_id_fields = ["homeroom_teacher", "counselor"]


@admin.register(Student)
class StudentAdmin(NoDeleteAdmin):
    list_display = ["full_name", "nisn", "nis", "school", "classroom", "status"]
    list_filter = ["school", "status"]
    search_fields = ["full_name", "nisn", "nis"]
    list_select_related = ["school", "classroom"]
    raw_id_fields = ["classroom"]


@admin.register(PersonalBook)
class PersonalBookAdmin(NoDeleteAdmin):
    list_display = ["student", "school", "completeness", "updated_at"]
    list_filter = ["school"]
    list_select_related = ["student", "school"]
    raw_id_fields = ["student"]
    # The content stays out of the operators' pages: it is the counselors' to read.
    fields = ["student", "school", "completeness"]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(NoDeleteAdmin):
    list_display = ["student", "school", "field", "category", "status", "counselor", "opened_on"]
    list_filter = ["school", "status", "field"]
    list_select_related = ["student", "school", "counselor"]
    fields = [
        "student",
        "school",
        "field",
        "category",
        "source",
        "status",
        "counselor",
        "opened_on",
        "closed_on",
        "is_archived",
    ]
    readonly_fields = ["student", "school"]
    raw_id_fields = ["counselor"]


@admin.register(CounselingSession)
class CounselingSessionAdmin(NoDeleteAdmin):
    list_display = ["starts_at", "school", "strategy", "counselor", "case"]
    list_filter = ["school", "strategy"]
    list_select_related = ["school", "counselor", "case"]
    # Confidential notes are never shown to operators.
    fields = [
        "school",
        "case",
        "counselor",
        "starts_at",
        "duration_minutes",
        "strategy",
        "component",
        "field",
    ]
    readonly_fields = fields


@admin.register(Collaboration)
class CollaborationAdmin(NoDeleteAdmin):
    list_display = ["happened_on", "school", "counselor", "partner_type", "method"]
    list_filter = ["school", "partner_type", "method"]
    list_select_related = ["school", "counselor"]
    fields = ["school", "counselor", "partner_type", "method", "happened_on"]
    readonly_fields = fields


@admin.register(InboundReferral)
class InboundReferralAdmin(NoDeleteAdmin):
    list_display = ["student", "school", "referred_by", "status", "created_at"]
    list_filter = ["school", "status"]
    list_select_related = ["student", "school", "referred_by"]
    fields = ["student", "school", "referred_by", "status", "decided_at"]
    readonly_fields = fields


@admin.register(OutboundReferral)
class OutboundReferralAdmin(NoDeleteAdmin):
    list_display = ["case", "school", "service", "institution", "referred_on"]
    list_filter = ["school", "service"]
    list_select_related = ["case__student", "school"]
    fields = ["case", "school", "service", "institution", "referred_on"]
    readonly_fields = fields
