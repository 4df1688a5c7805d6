"""Writes of the 閲覧用の写し: staff 墨塗り (and its withdrawal), and the audit of each generation.

Who may: whoever may work on the case in the workbench
(``consultation_list_for_workbench``: 広聴 and admins, and the case's
department), on submissions they may see. A reason is required; the audit
row records it with the submission and the offsets, never the text withheld.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Consultation
from core.services import audit_record
from feedback.models import Submission
from feedback.selectors import submission_list_visible_to
from nlp.selectors import latest_masked_texts
from opinions.models import InspectionRedaction
from opinions.selectors.inspection import InspectionCopy, passage_locate
from opinions.services.guards import _check_workbench, _lock_case

# What a generation produced, as named in its audit row.
OUTPUT_PRINT = "print"
OUTPUT_CSV = "csv"
OUTPUT_LOG_CSV = "log_csv"
OUTPUT_LABELS = {
    OUTPUT_PRINT: "印刷用ページ",
    OUTPUT_CSV: "原文一覧CSV",
    OUTPUT_LOG_CSV: "墨塗り記録CSV",
}


def _submission_of_case(*, actor, consultation: Consultation, receipt_number: str) -> Submission:
    submission = (
        submission_list_visible_to(user=actor)
        .filter(consultation=consultation, receipt_number=receipt_number.strip())
        .exclude(status=Submission.Status.WITHDRAWN)
        .first()
    )
    if submission is None:
        raise ValidationError({"receipt_number": _("この案件の提出の受付番号を入力してください。")})
    return submission


@transaction.atomic
def inspection_redaction_create(
    *,
    actor,
    consultation: Consultation,
    receipt_number: str,
    scope: str,
    reason: str,
    passage: str = "",
    ip_address: str | None = None,
) -> InspectionRedaction:
    """Withhold a submission, or a passage of its masked text, from the 閲覧用の写し.

    ``passage`` is copied from the copy's text (the masked text) and must be
    there exactly once; it is stored as offsets into the original, so a
    mask inside it is covered whole.
    """
    _check_workbench(actor=actor, consultation=consultation)
    reason = reason.strip()
    errors = {}
    if not reason:
        errors["reason"] = _("墨塗りの理由を入力してください。")
    if scope not in InspectionRedaction.Scope.values:
        errors["scope"] = _("範囲を選んでください。")
    if errors:
        raise ValidationError(errors)
    _lock_case(consultation.pk)  # one decision at a time per case (no two 提出全体 rows)
    submission = _submission_of_case(actor=actor, consultation=consultation, receipt_number=receipt_number)
    start = end = None
    if scope == InspectionRedaction.Scope.SUBMISSION:
        if InspectionRedaction.objects.filter(submission=submission, scope=scope, revoked_at__isnull=True).exists():
            raise ValidationError({"scope": _("この提出はすでに閲覧用の写しから除いています。")})
    else:
        passage = passage.replace("\r\n", "\n").strip()
        if not passage:
            raise ValidationError(
                {"passage": _("墨塗りする部分を、閲覧用の写しの本文からそのまま写して入力してください。")}
            )
        masked = latest_masked_texts(submission_ids=[submission.pk]).get(submission.pk)
        if masked is None:
            raise ValidationError(
                {
                    "passage": _(
                        "この提出はマスク処理が済んでいないため、閲覧用の写しには載りません（一部の墨塗りはできません）。"
                    )
                }
            )
        found = passage_locate(original=submission.body, masked=masked, passage=passage)
        if found is None:
            raise ValidationError(
                {
                    "passage": _(
                        "入力した文が、この提出の本文（マスク済み）に見つかりません。"
                        "閲覧用の写しの本文からそのまま写してください（［墨塗り］の部分は含めないでください）。"
                    )
                }
            )
        if found == "many":
            raise ValidationError(
                {
                    "passage": _(
                        "入力した文が本文に複数あります。前後の文字も含めて、一か所に決まるように入力してください。"
                    )
                }
            )
        start, end = found
    redaction = InspectionRedaction.objects.create(
        consultation=consultation,
        submission=submission,
        scope=scope,
        start=start,
        end=end,
        reason=reason,
        created_by=actor,
        created_by_label=str(actor)[:255],
    )
    audit_record(
        actor=actor,
        action="inspection_redaction.create",
        target=redaction,
        summary=reason,
        after={
            "consultation": consultation.pk,
            "submission": submission.receipt_number,
            "scope": scope,
            "start": start,
            "end": end,
            "reason": reason,
        },
        ip_address=ip_address,
    )
    return redaction


@transaction.atomic
def inspection_redaction_revoke(
    *,
    actor,
    consultation: Consultation,
    redaction_id: int,
    reason: str,
    ip_address: str | None = None,
) -> InspectionRedaction:
    """Withdraw a staff 墨塗り; the row stays in the 墨塗り記録 with who, when and why."""
    _check_workbench(actor=actor, consultation=consultation)
    redaction = (
        InspectionRedaction.objects.select_for_update()
        .filter(
            pk=redaction_id,
            consultation=consultation,
            submission__in=submission_list_visible_to(user=actor),
        )
        .select_related("submission")
        .first()
    )
    if redaction is None:
        raise PermissionDenied(_("この墨塗りを取り消す権限がありません。"))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("取り消しの理由を入力してください。")})
    if redaction.revoked_at is not None:
        raise ValidationError(_("この墨塗りはすでに取り消されています。"))
    redaction.revoked_at = timezone.now()
    redaction.revoked_by = actor
    redaction.revoked_by_label = str(actor)[:255]
    redaction.revoke_reason = reason
    redaction.save(update_fields=["revoked_at", "revoked_by", "revoked_by_label", "revoke_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="inspection_redaction.revoke",
        target=redaction,
        summary=reason,
        before={"revoked_at": None},
        after={"submission": redaction.submission.receipt_number, "reason": reason},
        ip_address=ip_address,
    )
    return redaction


@transaction.atomic
def inspection_copy_generated(
    *,
    actor,
    copy: InspectionCopy,
    output: str,
    ip_address: str | None = None,
) -> None:
    """Audit one generation of the 閲覧用の写し (the page, its CSV or the 墨塗り記録 CSV)."""
    _check_workbench(actor=actor, consultation=copy.consultation)
    audit_record(
        actor=actor,
        action="inspection_copy.generate",
        target=copy.consultation,
        summary=f"閲覧用の写し（{OUTPUT_LABELS[output]}）を作成",
        after={"output": output, "generated_at": copy.generated_at.isoformat(), **copy.counts()},
        ip_address=ip_address,
    )
