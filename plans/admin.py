from django.contrib import admin

from plans.models import (
    Indicator,
    IndicatorValue,
    Plan,
    Policy,
    PolicyTheme,
    UnitPolicy,
    Vision,
)
from plans.services.entities import PLAN_ENTITY_KINDS, plan_entity_delete, plan_entity_save


def _changes(obj, names) -> dict:
    """The form's changed values, as the form has put them on ``obj``."""
    editable = {f.name for f in obj._meta.concrete_fields if f.editable}
    return {name: getattr(obj, name) for name in names if name in editable}


class PlanEntityAdmin(admin.ModelAdmin):
    """Saves and deletes of plan rows, inline ones too, go through plans.services.entities.

    The 施策 and their キーワード are the NLP taxonomy: every change is audited.
    """

    def save_model(self, request, obj, form, change):
        plan_entity_save(
            entity=obj,
            actor=request.user,
            changes=_changes(obj, form.changed_data) if change else {},
        )

    def delete_model(self, request, obj):
        plan_entity_delete(entity=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            plan_entity_delete(entity=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model not in PLAN_ENTITY_KINDS:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            plan_entity_delete(entity=obj, actor=request.user)
        for obj in formset.new_objects:
            plan_entity_save(entity=obj, actor=request.user, changes={})
        for obj, changed in formset.changed_objects:
            plan_entity_save(entity=obj, actor=request.user, changes=_changes(obj, changed))
        formset.save_m2m()
        return None


class VisionInline(admin.TabularInline):
    model = Vision
    extra = 0
    fields = ["order", "code", "title", "is_sample"]


class PolicyInline(admin.TabularInline):
    model = Policy
    extra = 0
    fields = ["order", "code", "number", "title"]
    show_change_link = True


class PolicyThemeInline(admin.StackedInline):
    model = PolicyTheme
    extra = 0


class UnitPolicyInline(admin.StackedInline):
    model = UnitPolicy
    extra = 0
    fields = ["order", "title", "initiatives"]


class IndicatorValueInline(admin.TabularInline):
    """Measured values per 年度 (computed from surveys or entered for statistics)."""

    model = IndicatorValue
    extra = 0
    fields = [
        "fiscal_year",
        "value",
        "n",
        "margin_of_error",
        "method",
        "source_consultation",
        "computed_at",
    ]
    readonly_fields = ["method", "source_consultation", "computed_at"]

    # Values are written by indicator_values_compute (with n and margin).
    def has_add_permission(self, request, obj=None):
        return False


class IndicatorInline(admin.StackedInline):
    model = Indicator
    extra = 0
    fields = [
        "order",
        "name",
        "unit",
        ("baseline_value", "baseline_year_label", "baseline_fiscal_year"),
        ("target_value", "target_text", "target_fiscal_year"),
        ("measurement", "measurement_note"),
        ("survey_method", "include_dont_know"),
        "decimal_places",
    ]


@admin.register(Plan)
class PlanAdmin(PlanEntityAdmin):
    list_display = ["name", "municipality", "period_label", "is_sample"]
    inlines = [VisionInline]


@admin.register(Vision)
class VisionAdmin(PlanEntityAdmin):
    list_display = ["code", "title", "plan", "is_sample"]
    list_filter = ["plan"]
    inlines = [PolicyInline]


@admin.register(Policy)
class PolicyAdmin(PlanEntityAdmin):
    list_display = ["code", "title", "vision"]
    list_filter = ["vision__plan", "vision"]
    search_fields = ["code", "title", "basic_policy"]
    list_select_related = ["vision"]
    inlines = [PolicyThemeInline, UnitPolicyInline, IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(PlanEntityAdmin):
    list_display = [
        "name",
        "policy",
        "unit",
        "baseline_value",
        "baseline_year_label",
        "target_value",
        "target_text",
        "measurement",
    ]
    list_filter = ["measurement", "policy"]
    search_fields = ["name"]
    list_select_related = ["policy"]
    inlines = [IndicatorValueInline]
