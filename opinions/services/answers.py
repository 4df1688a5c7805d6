"""Workbench writes that answer and approve 意見要旨 (市の考え方, 対応区分, review, withholding).

Same rules as the other workbench writes: access checked through the
workbench selectors (``opinions.services.guards``), one transaction, an
audit row with the values before and after.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from consultations.models import Consultation, DraftSection
from core.services import audit_record
from feedback.models import Submission
from feedback.selectors import submission_list_visible_to
from nlp.screening import public_text_guard
from opinions import workflow
from opinions.models import OpinionGroup, OpinionItem
from opinions.selectors.groups import (
    opinion_counts,
    opinion_group_may,
    opinion_group_public_texts,
    opinion_group_separation_refusal,
)
from opinions.services.groups import _GROUP_FIELDS, _group_state
from opinions.services.guards import _lock_group

# The review steps (rows of opinions.workflow), as posted by the page and the API.
REVIEW_APPROVE_DEPARTMENT = workflow.APPROVE_DEPARTMENT
REVIEW_CHECK = workflow.CHECK
REVIEW_APPROVE = workflow.APPROVE
REVIEW_SEND_BACK = workflow.SEND_BACK
REVIEW_ACTIONS = workflow.REVIEW_ACTIONS

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
        or not submission_list_visible_to(user=actor).filter(pk=representative.submission_id).exists()
    ):
        raise ValidationError({"representative": _("この意見要旨に含まれる意見を選んでください。")})
    if revised and not revised_text.strip():
        raise ValidationError({"revised_text": _("修正する場合は修正後の文案を入力してください。")})
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
    group.save(update_fields=[*(f.removesuffix("_id") for f in _GROUP_FIELDS), "updated_at"])
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
    fields = (("意見の概要", group.summary), ("市の考え方", group.response), ("対応区分", group.decision))
    if group.withheld:
        # Not published, so nothing is needed, except that a 対応区分 once
        # chosen is explained by a 市の考え方 (saved as a draft, not sent on).
        fields = (("市の考え方", group.response),) if group.decision else ()
    missing = [label for label, value in fields if not value.strip()]
    if missing:
        raise ValidationError(
            _("%(fields)sを入力してから確認に回してください。"),
            code="incomplete",
            params={"fields": "・".join(missing)},
        )


def _check_reconciled(group: OpinionGroup) -> None:
    counts = opinion_counts(consultation=group.consultation)
    if not counts.reconciled:
        raise ValidationError(
            _("件数が一致しないため承認できません：%(issues)s"),
            code="not_reconciled",
            params={"issues": " ".join(counts.issues)},
        )


# The checks named by opinions.workflow rows, run when the step is taken.
_CHECKS = {
    workflow.READY: _check_ready_for_approval,
    workflow.RECONCILED: _check_reconciled,
}


def _transition(*, actor, group: OpinionGroup, action: str, comment: str = "") -> workflow.Transition:
    """Return the workflow row for ``action`` from the group's state, or refuse.

    The order of refusals: an unknown action; not the kind of user for this
    action at all (PermissionDenied); no row from this state
    (ValidationError); a send-back without a reason; none of the row's
    "who" (PermissionDenied); the person who took the previous step taking
    the next (職務の分離, ValidationError); a failed check of the row
    (ValidationError).
    """
    rule = workflow.ACTIONS.get(action)
    if rule is None:
        raise ValidationError(workflow.UNKNOWN_ACTION, code="unknown_action")
    who = workflow.opinion_action_who(action)
    if who is not None and not opinion_group_may(user=actor, group=group, who=who):
        raise PermissionDenied(str(rule.refused))
    row = workflow.opinion_transition(group.review, action)
    if row is None:
        raise ValidationError(
            rule.wrong_state,
            code=rule.wrong_state_code,
            params={"state": group.get_review_display()},
        )
    if rule.needs_comment and not comment:
        raise ValidationError({"comment": workflow.COMMENT_REQUIRED})
    if not opinion_group_may(user=actor, group=group, who=row.who):
        raise PermissionDenied(str(rule.refused))
    separation = opinion_group_separation_refusal(user=actor, group=group, row=row)
    if separation:
        raise ValidationError(separation, code="separation_of_duties")
    for check in row.checks:
        _CHECKS[check](group)
    return row


@transaction.atomic
def opinion_group_review(
    *,
    actor,
    group: OpinionGroup,
    action: str,
    comment: str = "",
    screen_override: bool = False,
    screen_override_reason: str = "",
    ip_address: str | None = None,
) -> OpinionGroup:
    """Move a group through 課長承認 → 広聴確認 → 承認, or send it back.

    The steps, who takes each and what it needs are the rows of
    ``opinions.workflow``: the 課長 step belongs to an approver of the
    case's department, the 広聴 steps to 広聴, and whoever took one step
    may not take the next (KOE_REVIEW_SEPARATION_OF_DUTIES). A send-back
    needs a reason, kept in the audit row (the group's 経過). Final
    approval needs every item of the case to be in exactly one group, so
    the counts in the table reconcile.

    When the case's results are already published, the final approval puts
    the group's texts on the public table at once (a correction sent back
    and approved again), so they pass the personal-data screen first, as at
    publication (nlp.screening; 広聴 may override with a reason).
    """
    group = _lock_group(actor=actor, group=group, draft_only=False)
    comment = comment.strip()
    if action not in workflow.REVIEW_ACTIONS:
        raise ValidationError(workflow.UNKNOWN_ACTION, code="unknown_action")
    row = _transition(actor=actor, group=group, action=action, comment=comment)
    if (
        row.target == OpinionGroup.Review.APPROVED
        and not group.withheld
        and group.consultation.status == Consultation.Status.PUBLISHED
    ):
        public_text_guard(
            actor=actor,
            texts=opinion_group_public_texts(group=group),
            target=group,
            override=screen_override,
            override_reason=screen_override_reason,
            ip_address=ip_address,
        )
    before = group.review
    group.review = row.target
    group.save(update_fields=["review", "updated_at"])
    audit_record(
        actor=actor,
        action=f"opinion_group.review.{action}",
        target=group,
        summary=comment,
        before={"review": before},
        after={"review": row.target, "comment": comment},
    )
    return group


@transaction.atomic
def opinion_group_withhold(*, actor, group: OpinionGroup, reason: str) -> OpinionGroup:
    """Mark a group as not to be published (行政手続法43条3項の趣旨).

    Only for harm to a third party or another legitimate reason, which must
    be recorded; the items still count in 意見件数.
    """
    group = _lock_group(actor=actor, group=group, draft_only=False)
    _transition(actor=actor, group=group, action=workflow.WITHHOLD)
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
    group = _lock_group(actor=actor, group=group, draft_only=False)
    _transition(actor=actor, group=group, action=workflow.UNWITHHOLD)
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
