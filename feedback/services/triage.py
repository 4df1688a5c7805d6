"""Staff triage writes: assign, confirm topics, change status, notes, PII views."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Department
from core.services import audit_record
from plans.models import Policy

from ..models import InternalNote, Submission
from ..selectors import can_view_personal_data, submission_list_visible_to

TRIAGE_STATUSES = {Submission.Status.RECEIVED, Submission.Status.IN_REVIEW, Submission.Status.ANSWERED, Submission.Status.FILED}


def _locked_visible(*, user, submission_ids: Iterable[int]) -> list[Submission]:
    """Lock the rows the user may change; refuse if any id is out of reach."""
    ids = sorted(set(submission_ids))
    rows = list(submission_list_visible_to(user=user).filter(pk__in=ids).select_for_update(of=("self",)).order_by("pk"))
    if len(rows) != len(ids):
        raise PermissionDenied(_("担当外の提出が含まれているため操作できません。"))
    return rows


@transaction.atomic
def submission_assign(*, actor, submission_ids: Iterable[int], department: Department) -> int:
    """Assign submissions to a 所管課 (広聴 routes; departments may pass on)."""
    rows = _locked_visible(user=actor, submission_ids=submission_ids)
    for submission in rows:
        before = submission.department_id
        submission.department = department
        submission.save(update_fields=["department"])
        audit_record(actor=actor, action="submission.assign", target=submission,
                     before={"department": before}, after={"department": department.pk})
    return len(rows)


@transaction.atomic
def submission_set_status(*, actor, submission_ids: Iterable[int], status: str) -> int:
    if status not in TRIAGE_STATUSES:
        raise ValidationError(_("この状態には変更できません。"))
    rows = _locked_visible(user=actor, submission_ids=submission_ids)
    changed = 0
    for submission in rows:
        if submission.status == Submission.Status.WITHDRAWN or submission.status == status:
            continue
        before = submission.status
        submission.status = status
        submission.save(update_fields=["status"])
        audit_record(actor=actor, action="submission.status", target=submission,
                     before={"status": before}, after={"status": status})
        changed += 1
    return changed


@transaction.atomic
def submission_set_topic(*, actor, submission_ids: Iterable[int], policy: Policy) -> int:
    """Confirm or correct the 施策; each decision becomes a training label."""
    from nlp.services import topic_label_record

    rows = _locked_visible(user=actor, submission_ids=submission_ids)
    for submission in rows:
        before = submission.policy_id
        submission.policy = policy
        submission.save(update_fields=["policy"])
        topic_label_record(submission=submission, label=policy.code, actor=actor)
        audit_record(actor=actor, action="submission.topic", target=submission,
                     before={"policy": before, "suggested": submission.suggested_policy_id},
                     after={"policy": policy.pk})
    return len(rows)


@transaction.atomic
def note_add(*, actor, submission: Submission, text: str) -> InternalNote:
    _locked_visible(user=actor, submission_ids=[submission.pk])
    if not text.strip():
        raise ValidationError(_("メモを入力してください。"))
    note = InternalNote.objects.create(submission=submission, author=actor, text=text.strip())
    audit_record(actor=actor, action="submission.note", target=submission, after={"note": note.pk})
    return note


@transaction.atomic
def personal_data_view(*, actor, submission: Submission, ip_address: str | None = None):
    """Return the submitter's personal data and log the view, or refuse."""
    if not can_view_personal_data(user=actor):
        raise PermissionDenied(_("個人情報を閲覧する権限がありません。"))
    identity = getattr(submission, "identity", None)
    audit_record(actor=actor, action="pii.view", target=submission, ip_address=ip_address,
                 summary="提出者の個人情報を表示")
    return identity


@transaction.atomic
def originals_viewed(*, actor, submissions: Iterable[Submission], ip_address: str | None = None) -> None:
    """Audit the originals just shown to ``actor``: the one rule every page and API call uses.

    Only 広聴 and admins are shown originals; everyone else reads the masked
    copy, so nothing is logged for them. An original holds personal data
    unless the newest analysis's masked copy equals it (masking found
    nothing); not analysed yet counts as holding it. One ``pii.view_original``
    row per submission so shown.
    """
    from ..selectors_workbench_text import latest_masked_texts

    if not can_view_personal_data(user=actor):
        return  # others are shown the masked copy
    shown = {submission.pk: submission for submission in submissions}
    if not shown:
        return
    masked = latest_masked_texts(submission_ids=shown)
    for pk, submission in shown.items():
        if masked.get(pk) == submission.body:
            continue  # no personal data found
        audit_record(actor=actor, action="pii.view_original", target=submission, ip_address=ip_address,
                     summary="個人情報を含む原文を表示")


def original_text_view(*, actor, submission: Submission, ip_address: str | None = None) -> None:
    """Audit one original shown to ``actor`` (see ``originals_viewed``)."""
    originals_viewed(actor=actor, submissions=[submission], ip_address=ip_address)


def submission_apply_analysis(*, submission_id: int, policy_code: str | None, confidence: float | None,
                              group_key: str) -> None:
    """Copy the current model's suggestion onto the submission for the queue."""
    policy_id = Policy.objects.filter(code=policy_code).values_list("pk", flat=True).first() if policy_code else None
    Submission.objects.filter(pk=submission_id).update(
        suggested_policy_id=policy_id, suggestion_confidence=confidence, duplicate_group_key=group_key,
    )


@transaction.atomic
def submissions_add_to_group(*, actor, submission_ids: Iterable[int], group_number: int):
    """Put every item of the selected submissions into a case's 意見要旨.

    A submission not split yet becomes one item (as the workbench does).
    """
    from ..models import OpinionGroup, OpinionItem
    from .workbench import opinion_item_move

    rows = _locked_visible(user=actor, submission_ids=submission_ids)
    if len({s.consultation_id for s in rows}) != 1:
        raise ValidationError(_("意見要旨に加えられるのは、同じ案件の提出だけです。案件で絞り込んでから選んでください。"))
    if any(s.status == Submission.Status.WITHDRAWN for s in rows):
        raise ValidationError(_("取り下げられた提出は意見要旨に加えられません。"))
    group = OpinionGroup.objects.filter(consultation_id=rows[0].consultation_id, number=group_number).first()
    if group is None:
        raise ValidationError(_("この案件に番号%(n)sの意見要旨はありません。") % {"n": group_number})
    OpinionItem.objects.bulk_create([
        OpinionItem(submission=s, order=1, text=s.body, start=0, end=len(s.body), section_id=s.section_id)
        for s in rows if not s.items.exists()
    ])
    item_ids = OpinionItem.objects.filter(submission__in=rows).values_list("pk", flat=True)
    return opinion_item_move(actor=actor, item_ids=list(item_ids), group=group)
