"""What a member of staff sees on a submission's page."""

import difflib

from core.models import AuditEvent

from .models import Submission
from .selectors import can_view_personal_data


def latest_analysis(submission: Submission):
    return submission.analyses.order_by("-analysed_at", "-id").first()


def shown_text(*, submission: Submission, user, analysis=None) -> str:
    """Return the original for PII-permitted staff, else the masked text."""
    if can_view_personal_data(user=user):
        return submission.body
    analysis = analysis if analysis is not None else latest_analysis(submission)
    if analysis is not None and analysis.masked_text:
        return analysis.masked_text
    return "（個人情報のマスク処理が完了していないため、本文を表示できません）"


def diff_ops(base: str, other: str) -> list[tuple[str, str]]:
    """Return [(op, text)] with op in equal/insert/delete, character level."""
    matcher = difflib.SequenceMatcher(a=base, b=other, autojunk=False)
    ops = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("equal", base[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            ops.append(("delete", base[i1:i2]))
        if tag in ("insert", "replace"):
            ops.append(("insert", other[j1:j2]))
    return ops


def submission_detail_context(*, submission: Submission, user) -> dict:
    analysis = latest_analysis(submission)
    text = shown_text(submission=submission, user=user, analysis=analysis)
    group = []
    diff = []
    if submission.duplicate_group_key:
        members = list(Submission.objects.filter(duplicate_group_key=submission.duplicate_group_key)
                       .order_by("submitted_at", "id")[:50])
        group = members
        representative = members[0] if members else None
        if representative is not None and representative.pk != submission.pk:
            rep_text = shown_text(submission=representative, user=user)
            diff = diff_ops(rep_text, text)
    history = AuditEvent.objects.filter(target_type="feedback.submission", target_id=str(submission.pk)).order_by("occurred_at")
    return {
        "submission": submission, "analysis": analysis, "text": text, "group_members": group, "diff": diff,
        "history": history, "notes": submission.notes.select_related("author"),
    }
