"""The Django admin for targets: templates are edited here; targets are read-only.

Targets change only through `targets.services.target_set`, which keeps their history.
"""

from django.contrib import admin

from targets.models import (
    RampChange,
    RepRamp,
    Target,
    TargetTemplate,
    TargetTemplateItem,
)


class TargetTemplateItemInline(admin.TabularInline):
    model = TargetTemplateItem
    extra = 1


@admin.register(TargetTemplate)
class TargetTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default"]
    fields = ["name", "description", "is_default", "ramp_steps"]
    inlines = [TargetTemplateItemInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = [
        "rep",
        "metric",
        "period",
        "amount",
        "effective_from",
        "effective_until",
        "agreed_at",
    ]
    list_filter = ["metric", "period"]
    list_select_related = ["rep", "metric"]
    search_fields = ["rep__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ramps change through `targets.ramp_services`, which records why."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RepRamp)
class RepRampAdmin(ReadOnlyAdmin):
    list_display = ["rep", "starts_on", "ended_on", "template"]
    list_select_related = ["rep", "template"]
    search_fields = ["rep__email"]


@admin.register(RampChange)
class RampChangeAdmin(ReadOnlyAdmin):
    list_display = ["rep", "kind", "reason", "by", "changed_at"]
    list_select_related = ["rep", "by"]
    search_fields = ["rep__email"]
