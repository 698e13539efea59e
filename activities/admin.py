"""The Django admin for activities: metrics are managed here; entries are read-only.

Activities and deals change only through `activities.services`, which keeps the day
tallies in step, so the admin shows them (with their history) but does not edit them.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from activities.models import Activity, Contact, DayTally, Deal, Metric


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    """Admins add custom activity metrics and retire them (untick "active")."""

    list_display = ["slug", "name", "kind", "unit", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]
    readonly_fields = ["kind", "unit"]
    search_fields = ["slug", "name"]

    def get_readonly_fields(self, request, obj=None):
        return ["slug", "kind", "unit"] if obj else ["kind", "unit"]

    def has_delete_permission(self, request, obj=None):
        return False  # retire instead: history keeps pointing at the metric


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnlyHistoryAdmin):
    list_display = ["occurred_at", "local_date", "rep", "metric", "quantity", "source"]
    list_filter = ["metric", "source"]
    list_select_related = ["rep", "metric"]
    date_hierarchy = "occurred_at"
    search_fields = ["rep__email"]


@admin.register(Deal)
class DealAdmin(ReadOnlyHistoryAdmin):
    list_display = ["closed_at", "local_date", "rep", "title", "amount"]
    list_select_related = ["rep"]
    search_fields = ["rep__email", "title"]


@admin.register(DayTally)
class DayTallyAdmin(ReadOnlyHistoryAdmin):
    list_display = ["local_date", "rep", "metric", "quantity", "amount"]
    list_filter = ["metric"]
    list_select_related = ["rep", "metric"]
    search_fields = ["rep__email"]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "company", "owner", "email", "phone"]
    list_select_related = ["owner"]
    search_fields = ["name", "company", "email", "owner__email"]
