"""What a member of staff sees on a submission's page."""

from accounts.access import can_view_personal_data
from core.models import AuditEvent
from core.text import text_diff
from feedback.models import Submission
from feedback.selectors import submission_analysis_texts, submission_list_visible_to
from nlp.selectors import latest_analysis


def shown_text(*, submission: Submission, user, analysis=None) -> str:
    """Return the original for PII-permitted staff, else the masked text.

    Both are the text analysis reads: the body, then a survey response's
    自由記述 answers (``submission_analysis_texts``), so 広聴 read what
    departments read the masked copy of.
    """
    if can_view_personal_data(user=user):
        return submission_analysis_texts(submission_ids=[submission.pk]).get(submission.pk, submission.body)
    analysis = analysis if analysis is not None else latest_analysis(submission)
    if analysis is not None and analysis.masked_text:
        return analysis.masked_text
    return "（個人情報のマスク処理が完了していないため、本文を表示できません）"


def submission_detail_context(*, submission: Submission, user) -> dict:
    analysis = latest_analysis(submission)
    text = shown_text(submission=submission, user=user, analysis=analysis)
    group = []
    diff = []
    if submission.duplicate_group_key:
        # Groups are per consultation, and only members the viewer may open
        # are listed (a 受付番号 that would 404 is not shown).
        members = list(
            submission_list_visible_to(user=user)
            .filter(
                consultation_id=submission.consultation_id,
                duplicate_group_key=submission.duplicate_group_key,
            )
            .order_by("submitted_at", "id")[:50]
        )
        group = members
        representative = members[0] if members else None
        if representative is not None and representative.pk != submission.pk:
            rep_text = shown_text(submission=representative, user=user)
            diff = text_diff(base=rep_text, other=text)
    history = AuditEvent.objects.filter(target_type="feedback.submission", target_id=str(submission.pk)).order_by(
        "occurred_at"
    )
    return {
        "submission": submission,
        "analysis": analysis,
        "text": text,
        "group_members": group,
        "diff": diff,
        "history": history,
        "notes": submission.notes.select_related("author"),
    }
