from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import ImportJob, Invitation, Notification, Team, User

AUTONOMY_LEVEL_HELP = _(
    "Change it from the rep's check-ins page or the API (POST "
    "/api/v1/autonomy-changes/), so the reason is kept on their history."
)


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
        (_("Role"), {"fields": ["role", "team", "start_date", "autonomy_level"]}),
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
    # A level changes with a reason, a history row and, for a proven rep, a notice
    # (`meetings.autonomy.autonomy_set`): never by editing the field here.
    readonly_fields = ["autonomy_level"]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "password1", "password2", "role"],
            },
        ),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The admin shows a read-only field's help text from the form's Meta.
        kwargs.setdefault("help_texts", {"autonomy_level": AUTONOMY_LEVEL_HELP})
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            # Reverting to an old version (django-simple-history) saves the whole old
            # row: keep the level as it stands, so it moves only through the rule.
            obj.autonomy_level = (
                User.objects.filter(pk=obj.pk)
                .values_list("autonomy_level", flat=True)
                .get()
            )
        super().save_model(request, obj, form, change)

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
