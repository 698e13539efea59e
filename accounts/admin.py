from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import ImportJob, Invitation, Notification, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "role",
        "team",
        "timezone",
        "is_active",
    ]
    list_filter = ["role", "team", "is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    list_select_related = ["team"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Person"),
            {"fields": ["first_name", "last_name", "title", "phone", "language"]},
        ),
        (_("Role"), {"fields": ["role", "team", "start_date"]}),
        (_("Time"), {"fields": ["timezone", "work_days", "work_start", "work_end"]}),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "deactivated_at",
                    "is_staff",
                    "is_superuser",
                    "groups",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "password1", "password2", "role"],
            },
        ),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # offboarding is deactivation: a person's history stays


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "manager", "leaderboard_visible_to_reps"]
    list_select_related = ["manager"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        return False  # a team's meetings and its members' history stay


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_select_related = ["user"]
    exclude = ["secret"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["filename", "status", "total_rows", "imported_count", "created_at"]
    exclude = ["content"]
    readonly_fields = ["errors"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "title", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["user"]
