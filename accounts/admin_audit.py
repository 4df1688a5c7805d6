from django.contrib import admin
from django.utils import timezone

from accounts.roles import ADMIN, has_role
from core.exports import csv_bytes, csv_response
from core.http import client_ip
from core.models import AuditEvent, District
from core.services import audit_record

AUDIT_CSV_HEADER = [
    "日時",
    "操作者",
    "操作",
    "対象種別",
    "対象ID",
    "概要",
    "変更前",
    "変更後",
    "IPアドレス",
    # The actor's user id as written: it still names them after the account is deleted.
    "操作者ID",
]


@admin.action(description="選択した監査ログをCSVで書き出す")
def export_audit_csv(modeladmin, request, queryset):
    """Export as UTF-8 CSV with BOM (opens in Excel); the export itself is logged."""
    events = queryset.order_by("occurred_at", "id")
    rows = [
        [
            timezone.localtime(e.occurred_at).isoformat(),
            e.actor_label,
            e.action,
            e.target_type,
            e.target_id,
            e.summary,
            e.before or "",
            e.after or "",
            e.ip_address or "",
            e.actor_id or "",
        ]
        for e in events
    ]
    content = csv_bytes(header=AUDIT_CSV_HEADER, rows=rows)
    audit_record(
        actor=request.user,
        action="audit.export",
        target_type="core.auditevent",
        summary=f"{len(rows)}件をCSVで書き出し",
        ip_address=client_ip(request),
    )
    return csv_response(content=content, filename=f"audit-{timezone.localdate():%Y%m%d}.csv")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "occurred_at",
        "actor_label",
        "actor_id",
        "action",
        "target_type",
        "target_id",
        "summary",
    )
    list_filter = ("action", "target_type")
    search_fields = ("actor_label", "action", "target_type", "target_id", "summary")
    date_hierarchy = "occurred_at"
    actions = [export_audit_csv]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in AuditEvent._meta.fields]

    # The admin role reads the log whatever model permissions its group has.
    def has_module_permission(self, request):
        return has_role(request.user, ADMIN)

    def has_view_permission(self, request, obj=None):
        return has_role(request.user, ADMIN)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order")
