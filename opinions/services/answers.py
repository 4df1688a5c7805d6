"""Workbench writes that answer and approve 意見要旨 (市の考え方, 対応区分, review, withholding).

Same rules as ``workbench``: access checked through the workbench
selectors, one transaction, an audit row with the values before and after.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from consultations.models import DraftSection
from core.services import audit_record
from feedback.models import Submission
from feedback.selectors import submission_list_visible_to
from opinions.models import OpinionGroup, OpinionItem
from opinions.selectors.groups import (
    can_approve_for_department,
    can_check_as_kouchou,
    opinion_counts,
)
from opinions.services.grouping import (
    _GROUP_FIELDS,
    REVIEW_APPROVE,
    REVIEW_APPROVE_DEPARTMENT,
    REVIEW_CHECK,
    REVIEW_SEND_BACK,
    Review,
    _group_state,
    _lock_group,
)

# ---- Answering ----


@transaction.atomic
def opinion_group_update(
    *,
    actor,
    group: OpinionGroup,
    summary: str,
    response: str,
    decision: str,
    revised: bool,
    revised_text: str,
    section: DraftSection | None,
    representative: OpinionItem | None = None,
) -> OpinionGroup:
    """Save 意見の概要, 市の考え方, 対応区分 and 修正の有無 of a draft group."""
    group = _lock_group(actor=actor, group=group)
    if section is not None and section.consultation_id != group.consultation_id:
        raise ValidationError({"section": _("この案件の該当箇所を選んでください。")})
    if representative is not None and (
        representative.group_id != group.pk
        or not submission_list_visible_to(user=actor)
        .filter(pk=representative.submission_id)
        .exists()
    ):
        raise ValidationError(
            {"representative": _("この意見要旨に含まれる意見を選んでください。")}
        )
    if revised and not revised_text.strip():
        raise ValidationError(
            {"revised_text": _("修正する場合は修正後の文案を入力してください。")}
        )
    before = _group_state(group)
    group.summary = summary.strip()
    group.response = response.strip()
    group.decision = decision
    group.revised = revised
    group.revised_text = revised_text.strip() if revised else ""
    group.section = section
    if representative is not None:
        group.representative = representative
    group.full_clean(exclude=["consultation", "representative"])
    group.save(
        update_fields=[*(f.removesuffix("_id") for f in _GROUP_FIELDS), "updated_at"]
    )
    after = _group_state(group)
    audit_record(
        actor=actor,
        action="opinion_group.update",
        target=group,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )
    return group


def _check_ready_for_approval(group: OpinionGroup) -> None:
    if not group.items.exclude(submission__status=Submission.Status.WITHDRAWN).exists():
        raise ValidationError(_("意見が0件の意見要旨は承認できません。"), code="empty")
    if group.withheld:
        return
    missing = [
        label
        for label, value in (
            ("意見の概要", group.summary),
            ("市の考え方", group.response),
            ("対応区分", group.decision),
        )
        if not value
    ]
    if missing:
        raise ValidationError(
            _("%(fields)sを入力してから承認に回してください。"),
            code="incomplete",
            params={"fields": "・".join(missing)},
        )


@transaction.atomic
def opinion_group_review(
    *, actor, group: OpinionGroup, action: str, comment: str = ""
) -> OpinionGroup:
    """Move a group through 課長承認 → 広聴確認 → 承認, or send it back.

    The 課長 step belongs to an approver of the case's department; the
    広聴 steps to 広聴. Final approval needs every item of the case to be
    in exactly one group, so the counts in the table reconcile.
    """
    group = _lock_group(actor=actor, group=group, draft_only=False)
    consultation = group.consultation
    comment = comment.strip()
    is_kacho = can_approve_for_department(user=actor, consultation=consultation)
    is_kouchou = can_check_as_kouchou(user=actor)
    if action == REVIEW_APPROVE_DEPARTMENT:
        expected, target, allowed = Review.DRAFT, Review.DEPARTMENT_APPROVED, is_kacho
    elif action == REVIEW_CHECK:
        expected, target, allowed = (
            Review.DEPARTMENT_APPROVED,
            Review.KOUCHOU_CHECKED,
            is_kouchou,
        )
    elif action == REVIEW_APPROVE:
        expected, target, allowed = Review.KOUCHOU_CHECKED, Review.APPROVED, is_kouchou
    elif action == REVIEW_SEND_BACK:
        expected, target = group.review, Review.DRAFT
        allowed = is_kouchou or (
            is_kacho and group.review == Review.DEPARTMENT_APPROVED
        )
        if group.review == Review.DRAFT:
            raise ValidationError(
                _("作成中の意見要旨は差し戻せません。"), code="wrong_state"
            )
        if not comment:
            raise ValidationError({"comment": _("差し戻しの理由を入力してください。")})
    else:
        raise ValidationError(_("不明な操作です。"), code="unknown_action")
    if not allowed:
        raise PermissionDenied(_("この段階の確認・承認を行う権限がありません。"))
    if group.review != expected:
        raise ValidationError(
            _("この意見要旨は「%(state)s」のため、この操作はできません。"),
            code="wrong_state",
            params={"state": group.get_review_display()},
        )
    if action == REVIEW_APPROVE_DEPARTMENT:
        _check_ready_for_approval(group)
    if action == REVIEW_APPROVE:
        counts = opinion_counts(consultation=consultation)
        if not counts.reconciled:
            raise ValidationError(
                _("件数が一致しないため承認できません：%(issues)s"),
                code="not_reconciled",
                params={"issues": " ".join(counts.issues)},
            )
    before = group.review
    group.review = target
    group.save(update_fields=["review", "updated_at"])
    audit_record(
        actor=actor,
        action=f"opinion_group.review.{action}",
        target=group,
        summary=comment,
        before={"review": before},
        after={"review": target, "comment": comment},
    )
    return group


@transaction.atomic
def opinion_group_withhold(*, actor, group: OpinionGroup, reason: str) -> OpinionGroup:
    """Mark a group as not to be published (行政手続法43条3項の趣旨).

    Only for harm to a third party or another legitimate reason, which must
    be recorded; the items still count in 意見件数.
    """
    group = _lock_group(actor=actor, group=group)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("公表しない理由を入力してください。")})
    before = _group_state(group)
    group.withheld = True
    group.withheld_reason = reason
    group.save(update_fields=["withheld", "withheld_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="opinion_group.withhold",
        target=group,
        summary=reason,
        before={
            "withheld": before["withheld"],
            "withheld_reason": before["withheld_reason"],
        },
        after={"withheld": True, "withheld_reason": reason},
    )
    return group


@transaction.atomic
def opinion_group_unwithhold(*, actor, group: OpinionGroup) -> OpinionGroup:
    group = _lock_group(actor=actor, group=group)
    if not group.withheld:
        return group
    before = {"withheld": True, "withheld_reason": group.withheld_reason}
    group.withheld = False
    group.withheld_reason = ""
    group.save(update_fields=["withheld", "withheld_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="opinion_group.unwithhold",
        target=group,
        before=before,
        after={"withheld": False, "withheld_reason": ""},
    )
    return group
