from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from staff.appraisals import framework_activate, framework_copy
from staff.models import (
    AcademicYear,
    AccessLogEntry,
    Competency,
    CompetencyArea,
    CompetencyFramework,
    Indicator,
    RoleAssignment,
    School,
    Semester,
    User,
)


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


# --- The competency framework ------------------------------------------------------------------
# An administrator edits a framework by copying the active version, changing the copy and
# activating it. A version any appraisal was scored on is shown read-only: the appraisals keep
# exactly what they were scored on.


def _in_use(framework: CompetencyFramework | None) -> bool:
    return framework is not None and framework.is_in_use()


class CompetencyAreaInline(admin.TabularInline):
    model = CompetencyArea
    extra = 0
    fields = ["letter", "name"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return not _in_use(obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not _in_use(obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not _in_use(obj)


@admin.register(CompetencyFramework)
class CompetencyFrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "is_active", "in_use"]
    fields = ["name", "version", "is_active", "notes"]
    readonly_fields = ["version", "is_active"]
    inlines = [CompetencyAreaInline]
    actions = ["copy_as_new_version", "make_active"]

    @admin.display(boolean=True, description=_("scored on"))
    def in_use(self, obj: CompetencyFramework) -> bool:
        return obj.is_in_use()

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new version starts as a copy: see the action.
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not _in_use(obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return (
            super().has_delete_permission(request, obj)
            and not _in_use(obj)
            and not (obj is not None and obj.is_active)
        )

    @admin.action(description=_("Copy as a new version"))
    def copy_as_new_version(self, request: HttpRequest, queryset) -> None:
        for framework in queryset.order_by("version"):
            copy = framework_copy(framework=framework)
            self.message_user(
                request,
                _("Version %(version)s made from version %(source)s; edit it, then activate it.")
                % {"version": copy.version, "source": framework.version},
                messages.SUCCESS,
            )

    @admin.action(description=_("Make active for new appraisals"))
    def make_active(self, request: HttpRequest, queryset) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one version."), messages.ERROR)
            return
        try:
            framework = framework_activate(framework=queryset.get())
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        self.message_user(
            request,
            _("Version %(version)s is now active.") % {"version": framework.version},
            messages.SUCCESS,
        )


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["number", "text"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return not _in_use(getattr(obj, "framework", None))

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not _in_use(getattr(obj, "framework", None))

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not _in_use(getattr(obj, "framework", None))


class CompetencyAdminForm(forms.ModelForm):
    class Meta:
        model = Competency
        fields = ["area", "number", "title"]

    def clean_area(self) -> CompetencyArea:
        area = self.cleaned_data["area"]
        if area.framework.is_in_use():
            raise forms.ValidationError(
                _("This version was scored on and can no longer change; copy it first.")
            )
        return area


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    form = CompetencyAdminForm
    list_display = ["number", "title", "area", "framework"]
    list_filter = ["framework"]
    list_select_related = ["area", "framework"]
    ordering = ["-framework__version", "number"]
    inlines = [IndicatorInline]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not _in_use(
            getattr(obj, "framework", None)
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not _in_use(
            getattr(obj, "framework", None)
        )
