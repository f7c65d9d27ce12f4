"""The operators' view of the supervision app. The shipped data — the facility standard and the
supervision checklist — is edited here; records are never deleted: an item no longer used is
switched off ("in use"), so that old visits and assessments keep what they were scored on."""

from django.contrib import admin
from django.http import HttpRequest

from supervision.models import (
    ActionItem,
    ChecklistItem,
    FacilityAssessment,
    FacilityItem,
    FacilityRequest,
    Meeting,
    SupervisionVisit,
)


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ChecklistItem)
class ChecklistItemAdmin(NoDeleteAdmin):
    list_display = ["text", "focus", "position", "is_active"]
    list_filter = ["focus", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["text"]


@admin.register(FacilityItem)
class FacilityItemAdmin(NoDeleteAdmin):
    list_display = ["name", "category", "code", "position", "is_active"]
    list_filter = ["category", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "code"]


@admin.register(Meeting)
class MeetingAdmin(NoDeleteAdmin):
    list_display = ["title", "school", "kind", "starts_at", "organizer", "cancelled_at"]
    list_filter = ["school", "kind"]
    list_select_related = ["school", "organizer"]
    raw_id_fields = ["organizer"]
    # Minutes and evaluations are the school's to read, not the operators'.
    exclude = ["minutes", "decisions"]


@admin.register(ActionItem)
class ActionItemAdmin(NoDeleteAdmin):
    list_display = ["description", "school", "assignee", "due_on", "status"]
    list_filter = ["school", "status"]
    list_select_related = ["school", "assignee"]
    raw_id_fields = ["meeting", "evaluation", "assignee", "created_by"]


@admin.register(SupervisionVisit)
class SupervisionVisitAdmin(NoDeleteAdmin):
    list_display = ["counselor", "school", "semester", "focus", "stage", "planned_on"]
    list_filter = ["school", "stage", "focus"]
    list_select_related = ["counselor", "school", "semester__academic_year"]
    fields = ["school", "semester", "counselor", "supervisor", "focus", "stage", "planned_on"]
    readonly_fields = fields


@admin.register(FacilityAssessment)
class FacilityAssessmentAdmin(NoDeleteAdmin):
    list_display = ["school", "recorded_at", "compliance", "recorded_by"]
    list_filter = ["school"]
    list_select_related = ["school", "recorded_by"]
    readonly_fields = ["school", "recorded_by", "recorded_at", "compliance", "note"]


@admin.register(FacilityRequest)
class FacilityRequestAdmin(NoDeleteAdmin):
    list_display = ["what", "school", "requested_by", "status", "created_at"]
    list_filter = ["school", "status"]
    list_select_related = ["school", "requested_by"]
    raw_id_fields = ["item", "requested_by", "decided_by"]
