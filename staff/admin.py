from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from staff.models import AcademicYear, AccessLogEntry, RoleAssignment, School, Semester, User


def operators_only(request: HttpRequest) -> bool:
    """The Django admin belongs to the deployment's operators; schools use the application."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = operators_only
admin.site.site_header = _("Ruang BK operations")
admin.site.site_title = _("Ruang BK operations")


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "npsn", "level", "regency"]
    list_filter = ["level"]
    search_fields = ["name", "npsn", "regency"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "school", "is_active", "is_superuser"]
    list_filter = ["school", "is_active", "is_superuser", "role_assignments__role"]
    search_fields = ["username", "full_name", "email", "nip"]
    ordering = ["school", "full_name"]
    list_select_related = ["school"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["full_name", "nip", "email", "school"]}),
        (
            _("Status"),
            {"fields": ["is_active", "must_change_password", "is_staff", "is_superuser"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "full_name", "school", "password1", "password2"],
            },
        ),
    ]


class SemesterInline(admin.TabularInline):
    model = Semester
    extra = 0
    fields = ["number", "start_date", "end_date", "is_current"]


@admin.register(AcademicYear)
class AcademicYearAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "start_date", "end_date", "is_current"]
    list_filter = ["school", "is_current"]
    inlines = [SemesterInline]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "user",
        "school",
        "action",
        "object_type",
        "object_id",
        "client_address",
    ]
    list_filter = ["school", "action"]
    list_select_related = ["user", "school"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
