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
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "period_label", "is_sample"]
    inlines = [VisionInline]


@admin.register(Vision)
class VisionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "plan", "is_sample"]
    list_filter = ["plan"]
    inlines = [PolicyInline]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "vision"]
    list_filter = ["vision__plan", "vision"]
    search_fields = ["code", "title", "basic_policy"]
    list_select_related = ["vision"]
    inlines = [PolicyThemeInline, UnitPolicyInline, IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
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
