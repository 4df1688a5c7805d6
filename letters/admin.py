from django.contrib import admin

from letters.models import LetterCategory, PolicyDepartment
from letters.services.categories import letter_category_delete, letter_category_save


@admin.register(PolicyDepartment)
class PolicyDepartmentAdmin(admin.ModelAdmin):
    """施策 → 所管課: the routing suggestion for 市長への手紙."""

    list_display = ("policy", "department")
    autocomplete_fields = ()


@admin.register(LetterCategory)
class LetterCategoryAdmin(admin.ModelAdmin):
    """分野 of 市長への手紙: the routing form's choices and the dashboard's rows, in this order.

    One no longer used is made inactive (使用中 off): it stays on its letters.
    Every change goes through letters.services.categories and is audited.
    """

    list_display = ("name", "code", "order", "active")
    list_editable = ("order", "active")
    ordering = ("order", "pk")

    def save_model(self, request, obj, form, change):
        letter_category_save(actor=request.user, category=obj)

    def delete_model(self, request, obj):
        letter_category_delete(actor=request.user, category=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            letter_category_delete(actor=request.user, category=obj)
