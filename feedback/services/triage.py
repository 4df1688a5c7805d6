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


def submission_apply_analysis(*, submission_id: int, policy_code: str | None, confidence: float | None,
                              group_key: str) -> None:
    """Copy the current model's suggestion onto the submission for the queue."""
    policy_id = Policy.objects.filter(code=policy_code).values_list("pk", flat=True).first() if policy_code else None
    Submission.objects.filter(pk=submission_id).update(
        suggested_policy_id=policy_id, suggestion_confidence=confidence, duplicate_group_key=group_key,
    )
