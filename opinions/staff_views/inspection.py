"""The 閲覧用の写し of a case (行政手続法43条2項): its page of 墨塗り, the printable copy and the CSVs.

Whoever may work on the case in the workbench (広聴, admins, the case's
department; another 課's case is a 404). The copy holds masked text only,
for every reader (``opinions.selectors.inspection``); each generation — the
printable page, the 原文一覧 CSV, the 墨塗り記録 CSV — is an audit row.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_member_required
from accounts.roles import STAFF_WORKING_ROLES
from core.exports import csv_bytes, csv_response
from core.http import client_ip
from core.views import add_service_errors, form_action
from opinions.forms import InspectionRedactionForm, InspectionRevokeForm
from opinions.selectors.inspection import (
    COPY_LABEL,
    REDACTION_MARK,
    inspection_copy_build,
    inspection_redaction_list,
    inspection_submissions,
)
from opinions.services.inspection import (
    OUTPUT_CSV,
    OUTPUT_LOG_CSV,
    OUTPUT_PRINT,
    inspection_copy_generated,
    inspection_redaction_create,
    inspection_redaction_revoke,
)
from opinions.staff_views.base import _consultation

TEMPLATE = "opinions/inspection/manage.html"

COPY_CSV_HEADER = [
    "受付番号",
    "受付日",
    "提出方法",
    "該当箇所",
    "意見（個人情報をマスク済み）",
    "閲覧用の写しから除いた理由",
    "伏せ字にした個人情報",
    "墨塗りの箇所数",
]
LOG_CSV_HEADER = [
    "受付番号",
    "区分",
    "内容",
    "理由",
    "判断",
    "記録者",
    "日時",
    "取り消し日時",
    "取り消した者",
    "取り消しの理由",
]


def _redactions(request, consultation):
    submissions = inspection_submissions(user=request.user, consultation=consultation)
    return list(inspection_redaction_list(consultation=consultation).filter(submission__in=submissions))


def _context(request, consultation, **forms):
    redactions = _redactions(request, consultation)
    active = [r for r in redactions if r.active]
    return {
        "consultation": consultation,
        "submission_count": inspection_submissions(user=request.user, consultation=consultation).count(),
        "redactions": redactions,
        "redaction_mark": REDACTION_MARK,
        "form": forms.get("form") or InspectionRedactionForm(),
        "revoke_form": forms.get("revoke_form") or InspectionRevokeForm(redactions=active, prefix="revoke"),
    }


@staff_member_required(*STAFF_WORKING_ROLES)
def inspection(request, pk):
    """The 閲覧用の写し of a case: what it is, its downloads, staff 墨塗り and their withdrawal."""
    consultation = _consultation(request, pk)
    return render(request, TEMPLATE, _context(request, consultation))


@require_POST
@staff_member_required(*STAFF_WORKING_ROLES)
def inspection_redact(request, pk):
    consultation = _consultation(request, pk)
    form = InspectionRedactionForm(request.POST)

    def act(data):
        redaction = inspection_redaction_create(
            actor=request.user,
            consultation=consultation,
            receipt_number=data["receipt_number"],
            scope=data["scope"],
            passage=data["passage"],
            reason=data["reason"],
            ip_address=client_ip(request),
        )
        return _("%(receipt)s の%(scope)sを閲覧用の写しから除きました（墨塗り記録に載ります）。") % {
            "receipt": redaction.submission.receipt_number,
            "scope": redaction.get_scope_display(),
        }

    return form_action(
        request,
        form,
        act,
        success_url=reverse("staff:workbench_inspection", args=[consultation.pk]),
        template=TEMPLATE,
        context=lambda: {k: v for k, v in _context(request, consultation).items() if k != "form"},
    )


@require_POST
@staff_member_required(*STAFF_WORKING_ROLES)
def inspection_revoke(request, pk):
    consultation = _consultation(request, pk)
    active = [r for r in _redactions(request, consultation) if r.active]
    form = InspectionRevokeForm(request.POST, redactions=active, prefix="revoke")
    if form.is_valid():
        try:
            inspection_redaction_revoke(
                actor=request.user,
                consultation=consultation,
                redaction_id=form.cleaned_data["redaction"],
                reason=form.cleaned_data["reason"],
                ip_address=client_ip(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("墨塗りを取り消しました（取り消しも墨塗り記録に載ります）。"))
            return redirect("staff:workbench_inspection", pk=consultation.pk)
    return render(request, TEMPLATE, _context(request, consultation, revoke_form=form), status=400)


def _generate(request, pk, output):
    consultation = _consultation(request, pk)
    copy = inspection_copy_build(user=request.user, consultation=consultation)
    inspection_copy_generated(actor=request.user, copy=copy, output=output, ip_address=client_ip(request))
    return copy


@staff_member_required(*STAFF_WORKING_ROLES)
def inspection_print(request, pk):
    """The printable 閲覧用の写し: the 原文一覧 (masked), then the 墨塗り記録."""
    copy = _generate(request, pk, OUTPUT_PRINT)
    return render(
        request,
        "opinions/inspection/print.html",
        {
            "consultation": copy.consultation,
            "copy": copy,
            "copy_label": COPY_LABEL,
            "redaction_mark": REDACTION_MARK,
            "generated_by": request.user,
        },
    )


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@staff_member_required(*STAFF_WORKING_ROLES)
def inspection_csv(request, pk):
    """The 原文一覧 as CSV (UTF-8 with BOM, CRLF): masked text only; a withheld one with its reason."""
    copy = _generate(request, pk, OUTPUT_CSV)
    rows = [
        [
            entry.receipt_number,
            entry.received_on.isoformat(),
            entry.channel,
            entry.section,
            entry.text if entry.text is not None else "",
            entry.withheld_reason,
            entry.masked_kinds,
            entry.passages,
        ]
        for entry in copy.entries
    ]
    return csv_response(
        content=csv_bytes(header=COPY_CSV_HEADER, rows=rows),
        filename=f"inspection-copy-{copy.consultation.pk}.csv",
    )


@staff_member_required(*STAFF_WORKING_ROLES)
def inspection_log_csv(request, pk):
    """The 墨塗り記録 as CSV: kinds and reasons, never a masked or withheld value."""
    copy = _generate(request, pk, OUTPUT_LOG_CSV)
    rows = [
        [
            row.receipt_number,
            row.kind_label,
            row.detail,
            row.reason,
            row.decided_by_label,
            row.by,
            _local(row.at),
            _local(row.revoked_at),
            row.revoked_by,
            row.revoke_reason,
        ]
        for row in copy.log
    ]
    return csv_response(
        content=csv_bytes(header=LOG_CSV_HEADER, rows=rows),
        filename=f"inspection-log-{copy.consultation.pk}.csv",
    )
