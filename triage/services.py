"""Staff triage writes: assign, confirm topics, change status, notes, PII views."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import can_view_personal_data
from accounts.models import Department
from core.services import audit_record
from feedback.models import Submission
from feedback.selectors import submission_analysis_texts, submission_list_visible_to
from feedback.services import submission_triage_update
from nlp.selectors import latest_masked_texts
from nlp.services import topic_label_record
from plans.models import Policy
from triage.models import InternalNote

TRIAGE_STATUSES = {
    Submission.Status.RECEIVED,
    Submission.Status.IN_REVIEW,
    Submission.Status.ANSWERED,
    Submission.Status.FILED,
}


def submissions_lock_visible(*, user, submission_ids: Iterable[int]) -> list[Submission]:
    """Lock the rows the user may change; refuse if any id is out of reach."""
    ids = sorted(set(submission_ids))
    rows = list(submission_list_visible_to(user=user).filter(pk__in=ids).select_for_update(of=("self",)).order_by("pk"))
    if len(rows) != len(ids):
        raise PermissionDenied(_("担当外の提出が含まれているため操作できません。"))
    return rows


@transaction.atomic
def submission_assign(*, actor, submission_ids: Iterable[int], department: Department) -> int:
    """Assign submissions to a 所管課 (広聴 routes; departments may pass on)."""
    rows = submissions_lock_visible(user=actor, submission_ids=submission_ids)
    for submission in rows:
        submission_triage_update(submission=submission, actor=actor, field="department", value=department)
    return len(rows)


@transaction.atomic
def submission_set_status(*, actor, submission_ids: Iterable[int], status: str) -> int:
    if status not in TRIAGE_STATUSES:
        raise ValidationError(_("この状態には変更できません。"))
    rows = submissions_lock_visible(user=actor, submission_ids=submission_ids)
    return sum(
        submission_triage_update(submission=submission, actor=actor, field="status", value=status)
        for submission in rows
        if submission.status != Submission.Status.WITHDRAWN
    )


@transaction.atomic
def submission_set_topic(*, actor, submission_ids: Iterable[int], policy: Policy) -> int:
    """Confirm or correct the 施策; each decision becomes a training label."""
    rows = submissions_lock_visible(user=actor, submission_ids=submission_ids)
    for submission in rows:
        submission_triage_update(
            submission=submission,
            actor=actor,
            field="policy",
            value=policy,
            before_extra={"suggested": submission.suggested_policy_id},
        )
        topic_label_record(submission=submission, label=policy.code, actor=actor)
    return len(rows)


@transaction.atomic
def note_add(*, actor, submission: Submission, text: str) -> InternalNote:
    submissions_lock_visible(user=actor, submission_ids=[submission.pk])
    if not text.strip():
        raise ValidationError(_("メモを入力してください。"))
    note = InternalNote.objects.create(submission=submission, author=actor, text=text.strip())
    audit_record(
        actor=actor,
        action="submission.note",
        target=submission,
        after={"note": note.pk},
    )
    return note


@transaction.atomic
def personal_data_view(*, actor, submission: Submission, ip_address: str | None = None):
    """Return the submitter's personal data and log the view, or refuse."""
    if not can_view_personal_data(user=actor):
        raise PermissionDenied(_("個人情報を閲覧する権限がありません。"))
    identity = getattr(submission, "identity", None)
    audit_record(
        actor=actor,
        action="pii.view",
        target=submission,
        ip_address=ip_address,
        summary="提出者の個人情報を表示",
    )
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
    if not can_view_personal_data(user=actor):
        return  # others are shown the masked copy
    shown = {submission.pk: submission for submission in submissions}
    if not shown:
        return
    masked = latest_masked_texts(submission_ids=shown)
    differing = [pk for pk, submission in shown.items() if masked.get(pk) != submission.body]
    # A survey response has no body: it was masked (and is shown) as its
    # 自由記述 answers, so masking found nothing when the masked copy equals
    # that text. Only those are read again (a letter's page costs no query more).
    answered = [pk for pk in differing if pk in masked and not shown[pk].body]
    texts = submission_analysis_texts(submission_ids=answered) if answered else {}
    for pk in differing:
        submission = shown[pk]
        if pk in texts and masked[pk] == texts[pk]:
            continue  # no personal data found
        audit_record(
            actor=actor,
            action="pii.view_original",
            target=submission,
            ip_address=ip_address,
            summary="個人情報を含む原文を表示",
        )


def original_text_view(*, actor, submission: Submission, ip_address: str | None = None) -> None:
    """Audit one original shown to ``actor`` (see ``originals_viewed``)."""
    originals_viewed(actor=actor, submissions=[submission], ip_address=ip_address)
