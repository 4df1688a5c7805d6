from django.contrib import admin

from feedback.models import Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: submissions are evidence; changes go through services."""

    list_display = (
        "receipt_number",
        "consultation",
        "channel",
        "status",
        "submitted_at",
        "identity_incomplete",
    )
    list_filter = ("channel", "status", "consultation__kind", "identity_incomplete")
    search_fields = ("receipt_number",)
    date_hierarchy = "submitted_at"
    # Personal data (SubmitterIdentity) is deliberately not shown here; it is
    # visible only on logged staff views.
    exclude = ("author", "entered_by")
    readonly_fields = [f.name for f in Submission._meta.fields if f.name not in ("author", "entered_by")]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
