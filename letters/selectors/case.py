"""One 市長への手紙 case's page: its texts, the writer's details, its history.

The letter's original goes to 広聴 and admins only; a 課 reads the copy
広聴 routed, with the writer's details masked. The same details are
looked for in every text staff write, and decide whether and how a reply
can reach the writer.
"""

import re

from django.utils.translation import gettext_lazy as _

from accounts.access import can_view_personal_data
from core.models import AuditEvent
from feedback.models import Submission
from letters.models import LetterCase, PolicyDepartment
from nlp.pii import MASKS, contact_spans, mask
from nlp.selectors import latest_masked_texts

# The masker's own placeholder, so the publication screen (nlp.screening) finds it if left in.
MASK = MASKS["person"]


def _identity_strings(submission: Submission) -> list[str]:
    identity = getattr(submission, "identity", None)
    if identity is None:
        return []
    values = [
        identity.name,
        identity.name_kana,
        identity.address,
        identity.address_building,
        identity.email,
        identity.phone,
        identity.postcode,
        identity.representative,
        identity.organization,
    ]
    # "川口 太郎" is also written "川口太郎"; a lone 姓 is not matched, as it
    # is often a place name too (川口, 青木).
    values += [re.sub(r"[\s\u3000]+", "", v) for v in (identity.name, identity.name_kana) if v]
    return sorted({v.strip() for v in values if v and len(v.strip()) >= 2}, key=len, reverse=True)


def letter_personal_data_in(*, submission: Submission, text: str) -> list[str]:
    """Return the submitter's own details (or e-mail/phone patterns) in text."""
    found = [value for value in _identity_strings(submission) if value in text]
    found += [text[span.start : span.end] for span in contact_spans(text)]
    return found


def letter_masked_suggestion(*, case: LetterCase) -> str:
    """Return the NLP-masked text, or the original with the writer's details hidden."""
    masked = latest_masked_texts(submission_ids=[case.submission_id]).get(case.submission_id)
    text = masked or case.submission.body
    for value in _identity_strings(case.submission):
        text = text.replace(value, MASK)
    return mask(text, contact_spans(text), placeholder=MASK)


def letter_text_for(*, user, case: LetterCase) -> str:
    """Return the original for 広聴 and admins, the masked copy for departments."""
    if can_view_personal_data(user=user):
        return case.submission.body
    return case.routed_text


def letter_suggested_department(*, case: LetterCase):
    """Return the 課 the city maps the letter's 施策 to, or None."""
    submission = case.submission
    policy_id = submission.policy_id or submission.suggested_policy_id
    if policy_id is None:
        return None
    row = PolicyDepartment.objects.select_related("department").filter(policy_id=policy_id).first()
    return row.department if row else None


def letter_can_reply(*, case: LetterCase) -> bool:
    """True when the writer asked for a reply and left a way to send it."""
    submission = case.submission
    identity = getattr(submission, "identity", None)
    if not submission.reply_requested or identity is None or not identity.name:
        return False
    by_mail = bool(identity.email)
    by_post = bool(identity.address and identity.postcode)
    if identity.contact_method == identity.ContactMethod.EMAIL:
        return by_mail
    if identity.contact_method == identity.ContactMethod.POST:
        return by_post
    return by_mail or by_post


def letter_has_contact(*, case: LetterCase) -> bool:
    identity = getattr(case.submission, "identity", None)
    return bool(identity and identity.name and (identity.email or (identity.address and identity.postcode)))


def letter_reply_channel(*, case: LetterCase) -> str:
    """Return "email" or "post" as the writer chose (e-mail when unsaid)."""
    identity = case.submission.identity
    if identity.contact_method:
        return identity.contact_method
    return "email" if identity.email else "post"


HISTORY_LABELS = {
    "letter.route": _("担当課へ回付"),
    "letter.draft": _("回答案を作成"),
    "letter.approve": _("承認"),
    "letter.send_back": _("差し戻し"),
    "letter.send": _("回答を送付"),
    "letter.reply_emailed": _("回答メールを送信"),
    "letter.file": _("回答せずファイル"),
    "letter.publish": _("要旨を公表"),
    "letter.mark_mayor": _("市長確認が必要と指定"),
    "letter.unmark_mayor": _("市長確認の指定を取り消し"),
    "letter.remind_before": _("期限前の通知"),
    "letter.remind_overdue": _("期限超過の通知"),
}


def letter_history(*, case: LetterCase):
    """Return the audit rows of the case, oldest first."""
    return AuditEvent.objects.filter(target_type="letters.lettercase", target_id=str(case.pk)).order_by("pk")


def letter_history_rows(*, case: LetterCase) -> list[dict]:
    """Return the case's history for display, with Japanese labels."""
    return [
        {
            "at": event.occurred_at,
            "actor": event.actor_label if event.actor_id else _("システム"),
            "label": HISTORY_LABELS.get(event.action, event.action),
            "summary": event.summary,
        }
        for event in letter_history(case=case)
    ]
