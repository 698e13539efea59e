"""The Django admin for meetings: a meeting is cancelled, never deleted.

A meeting's notes, attendance and action items, and a rep's autonomy changes, are
history: the admin edits them but has no delete for them.
"""

from django.contrib import admin

from meetings.models import (
    ActionItem,
    AgendaItem,
    AutonomyChange,
    Meeting,
    MeetingSeries,
    Participant,
)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ["user"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "status", "organiser", "team"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    raw_id_fields = ["organiser", "rep", "series"]
    inlines = [ParticipantInline, AgendaItemInline]

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead (status): the notes and action items stay


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "recurrence",
        "timezone",
        "local_time",
        "starts_on",
        "ends_on",
    ]
    raw_id_fields = ["organiser", "participants"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["text", "owner", "due_date", "done_at"]
    raw_id_fields = ["meeting", "owner", "created_by"]

    def has_delete_permission(self, request, obj=None):
        return False  # mark it done instead


@admin.register(AutonomyChange)
class AutonomyChangeAdmin(admin.ModelAdmin):
    list_display = ["rep", "from_level", "to_level", "reason", "changed_at", "by"]
    raw_id_fields = ["rep", "by"]

    # The history is written by `meetings.autonomy.autonomy_set` alone: a row added or
    # edited here would tell a story the level never took.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
