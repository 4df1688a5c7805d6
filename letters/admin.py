from django.contrib import admin

from letters.models import PolicyDepartment


@admin.register(PolicyDepartment)
class PolicyDepartmentAdmin(admin.ModelAdmin):
    """施策 → 所管課: the routing suggestion for 市長への手紙."""

    list_display = ("policy", "department")
    autocomplete_fields = ()
