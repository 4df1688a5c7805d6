"""The reply to a 市長への手紙: the 課's draft, 課長 → 部長 → 広聴 (→ 市長) approval, sending it.

An e-mailed reply is queued on commit and delivered once by
``letter_reply_email_deliver``; a posted one is only recorded as sent. One
whose mail could not be queued is found again by ``letter_replies_sweep``.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.queue import enqueue, enqueue_on_commit
from core.services import audit_record
from core.text import validate_user_text
from feedback.models import Submission
from letters import workflow
from letters.models import LetterApproval, LetterCase
from letters.selectors.case import letter_reply_channel
from letters.services.steps import (
    REPLY_MAX_CHARS,
    case_locked,
    require_who,
    set_submission_status,
    transition,
)

Status = LetterCase.Status
Stage = LetterApproval.Stage


@transaction.atomic
def letter_reply_draft(*, actor, case: LetterCase, text: str) -> LetterCase:
    """Store the 所管課's reply draft and put it up for the 課長."""
    case = case_locked(case)
    row = transition(actor=actor, case=case, action=workflow.DRAFT)
    text = validate_user_text(text, max_chars=REPLY_MAX_CHARS, field_label=_("回答案"))
    before = {"status": case.status, "reply_text": case.reply_text}
    case.reply_text = text
    case.status = row.target
    case.save(update_fields=["reply_text", "status", "updated_at"])
    audit_record(
        actor=actor,
        action="letter.draft",
        target=case,
        before=before,
        after={"status": case.status, "reply_text": text},
    )
    return case


@transaction.atomic
def letter_reply_approve(
    *,
    actor,
    case: LetterCase,
    approved: bool,
    comment: str = "",
    stage: str | None = None,
) -> LetterApproval:
    """Approve the draft at its current stage, or send it back to the 課.

    ``stage``, when given, is the stage the approver saw; a case that has
    moved on since is refused rather than approved at another stage.
    """
    case = case_locked(case)
    action = workflow.APPROVE if approved else workflow.SEND_BACK
    row = transition(actor=actor, case=case, action=action, stage=stage)
    current = row.stage
    comment = (comment or "").strip()
    if not approved and not comment:
        raise ValidationError(_("差し戻す理由を入力してください。"), code="comment_required")
    before = case.status
    case.status = row.target
    case.save(update_fields=["status", "updated_at"])
    approval = LetterApproval.objects.create(
        case=case, stage=current, approver=actor, approved=approved, comment=comment
    )
    audit_record(
        actor=actor,
        action=f"letter.{action}",
        target=case,
        summary=f"{Stage(current).label}：{comment}" if comment else str(Stage(current).label),
        before={"status": before},
        after={"status": case.status, "stage": current, "approved": approved},
    )
    return approval


@transaction.atomic
def letter_reply_send(*, actor, case: LetterCase) -> LetterCase:
    """Send the approved reply by e-mail (after commit), or record it as posted.

    Calling it again for a sent case changes nothing and sends nothing.
    """
    case = case_locked(case)
    require_who(actor, case, workflow.SEND)
    if case.status == Status.SENT:
        return case
    row = transition(actor=actor, case=case, action=workflow.SEND)
    case.reply_channel = letter_reply_channel(case=case)
    case.status = row.target
    case.sent_at = timezone.now()
    case.save(update_fields=["reply_channel", "status", "sent_at", "updated_at"])
    set_submission_status(case.submission, Submission.Status.ANSWERED)
    audit_record(
        actor=actor,
        action="letter.send",
        target=case,
        before={"status": row.source},
        after={"status": case.status, "channel": case.reply_channel},
    )
    if case.reply_channel == "email":
        from letters.tasks import letter_reply_email_task

        case_id = case.pk
        # Never raises: with the broker down, letter_replies_sweep_task sends it later.
        enqueue_on_commit(letter_reply_email_task, case_id)
    return case


def letter_reply_email_deliver(*, case_id: int) -> bool:
    """E-mail a sent reply once; a repeated call sends nothing."""
    with transaction.atomic():
        case = (
            LetterCase.objects.select_for_update(of=("self",))
            .select_related("submission", "submission__consultation", "submission__identity")
            .filter(
                pk=case_id,
                status=Status.SENT,
                reply_channel="email",
                reply_emailed_at__isnull=True,
            )
            .first()
        )
        identity = getattr(case.submission, "identity", None) if case else None
        if case is None or identity is None or not identity.email:
            return False
        context = {"case": case, "submission": case.submission, "identity": identity}
        send_mail(
            subject=render_to_string("letters/staff/email/reply_subject.txt", context).strip(),
            message=render_to_string("letters/staff/email/reply_body.txt", context),
            from_email=None,
            recipient_list=[identity.email],
        )
        case.reply_emailed_at = timezone.now()
        case.save(update_fields=["reply_emailed_at", "updated_at"])
        audit_record(action="letter.reply_emailed", target=case)
    return True


def letter_replies_sweep(*, now=None) -> int:
    """Queue the e-mail of replies that were sent but never e-mailed (broker down then).

    Same window as the receipts sweep (KOE_MAIL_SWEEP_AFTER_MINUTES after
    sending, up to KOE_MAIL_SWEEP_WITHIN_HOURS); delivery is idempotent.
    """
    from letters.tasks import letter_reply_email_task

    now = now or timezone.now()
    ids = list(
        LetterCase.objects.filter(
            status=Status.SENT,
            reply_channel="email",
            reply_emailed_at__isnull=True,
            sent_at__gte=now - datetime.timedelta(hours=settings.KOE_MAIL_SWEEP_WITHIN_HOURS),
            sent_at__lte=now - datetime.timedelta(minutes=settings.KOE_MAIL_SWEEP_AFTER_MINUTES),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for case_id in ids:
        if not enqueue(letter_reply_email_task, case_id):
            break
    return len(ids)
