"""A 市長への手紙 on file: filed as 参考意見 without a reply, and its 要旨 published.

Filing gives the reason no reply is sent; publishing the 意見の要旨 and
回答の要旨 needs the writer's consent and keeps their details out.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_record
from core.text import validate_user_text
from core.wareki import fiscal_year
from feedback.models import Submission
from letters import workflow
from letters.models import LetterCase
from letters.selectors.case import letter_has_contact
from letters.services.steps import case_locked, check_no_personal_data, set_submission_status, transition
from nlp.screening import PublicText, public_text_guard

SUMMARY_MAX_CHARS = 1000
Status = LetterCase.Status


@transaction.atomic
def letter_file(*, actor, case: LetterCase, disposition: str) -> LetterCase:
    """File the letter as 参考意見 without a reply, giving the reason."""
    case = case_locked(case)
    row = transition(actor=actor, case=case, action=workflow.FILE)
    if disposition not in LetterCase.Disposition.values:
        raise ValidationError(_("回答しない理由を選んでください。"), code="disposition_required")
    if disposition == LetterCase.Disposition.NO_REPLY_WANTED and case.submission.reply_requested:
        raise ValidationError(
            _("この手紙は回答を希望しています。別の理由を選んでください。"),
            code="disposition_mismatch",
        )
    if disposition == LetterCase.Disposition.ANONYMOUS and letter_has_contact(case=case):
        raise ValidationError(
            _("この手紙には氏名と連絡先があります。別の理由を選んでください。"),
            code="disposition_mismatch",
        )
    before = case.status
    case.status = row.target
    case.disposition = disposition
    case.save(update_fields=["status", "disposition", "updated_at"])
    set_submission_status(case.submission, Submission.Status.FILED)
    audit_record(
        actor=actor,
        action="letter.file",
        target=case,
        before={"status": before},
        after={"status": case.status, "disposition": disposition},
    )
    return case


@transaction.atomic
def letter_publish(
    *,
    actor,
    case: LetterCase,
    summary: str,
    reply_summary: str = "",
    screen_override: bool = False,
    screen_override_reason: str = "",
    ip_address: str | None = None,
) -> LetterCase:
    """Publish the 意見の要旨 and 回答の要旨, only with the writer's consent.

    The writer's own details are never published. Any other personal data
    or a leftover placeholder of the masked draft (nlp.screening) refuses
    too, unless 広聴 overrides with a reason (audited).
    """
    case = case_locked(case)
    transition(actor=actor, case=case, action=workflow.PUBLISH)
    summary = validate_user_text(summary, max_chars=SUMMARY_MAX_CHARS, field_label=_("意見の要旨"))
    reply_summary = validate_user_text(
        reply_summary,
        max_chars=SUMMARY_MAX_CHARS,
        field_label=_("回答の要旨"),
        required=case.status == Status.SENT,
    )
    check_no_personal_data(case.submission, summary, _("意見の要旨"))
    check_no_personal_data(case.submission, reply_summary, _("回答の要旨"))
    public_text_guard(
        actor=actor,
        texts=[
            PublicText(_("意見の要旨"), summary, "summary"),
            PublicText(_("回答の要旨"), reply_summary, "reply_summary"),
        ],
        target=case,
        override=screen_override,
        override_reason=screen_override_reason,
        ip_address=ip_address,
    )
    before = {"published": case.published}
    case.published = True
    case.published_at = timezone.now()
    case.published_summary = summary
    case.published_reply_summary = reply_summary
    case.published_fiscal_year = fiscal_year(timezone.localdate(case.submission.submitted_at))
    case.save(
        update_fields=[
            "published",
            "published_at",
            "published_summary",
            "published_reply_summary",
            "published_fiscal_year",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="letter.publish",
        target=case,
        before=before,
        after={"published": True, "summary": summary, "reply_summary": reply_summary},
    )
    return case
