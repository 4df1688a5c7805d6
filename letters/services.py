"""市長への手紙: route → draft → 課長 → 部長 → 広聴 → send, or file; publish.

Every step locks the case row, looks its action up in the table of
``letters.workflow`` (which status it starts from, who may take it, what
else must hold, the status it leads to) and writes an audit row in the
same transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from core.calendar import is_working_day
from core.services import audit_record
from core.text import validate_user_text
from core.wareki import fiscal_year
from feedback.models import Submission
from letters import workflow
from letters.models import LetterApproval, LetterCase
from letters.selectors.staff import (
    letter_condition_met,
    letter_due_on,
    letter_has_contact,
    letter_masked_suggestion,
    letter_may,
    letter_personal_data_in,
    letter_reminder_due_cases,
    letter_reminder_recipients,
    letter_reply_channel,
)
from triage.services import submission_assign

REPLY_MAX_CHARS = 8000
SUMMARY_MAX_CHARS = 1000
Status = LetterCase.Status
Stage = LetterApproval.Stage


def _locked(case: LetterCase) -> LetterCase:
    return (
        LetterCase.objects.select_for_update(of=("self",))
        .select_related("submission", "submission__department")
        .get(pk=case.pk)
    )


def _refused(action: workflow.Action, stage: str | None) -> PermissionDenied:
    label = Stage(stage).label if stage else ""
    return PermissionDenied(str(action.refused) % {"stage": label})


def _require_who(actor, case: LetterCase, action: str) -> None:
    """Refuse early an action only one kind of user ever takes (広聴, the 課)."""
    who = workflow.letter_action_who(action)
    if who is not None and not letter_may(user=actor, case=case, who=who):
        raise _refused(workflow.ACTIONS[action], None)


def _transition(*, actor, case: LetterCase, action: str, stage: str | None = None) -> workflow.Transition:
    """Return the workflow row for ``action`` from the case's status, or refuse.

    The order of refusals: not the kind of user for this action at all
    (PermissionDenied); no row from this status (ValidationError); for an
    approval, the stage the approver saw has passed (ValidationError); not
    the row's approver (PermissionDenied); a condition of the row fails
    (ValidationError).
    """
    rule = workflow.ACTIONS[action]
    _require_who(actor, case, action)
    row = workflow.letter_transition(case.status, action)
    if row is None:
        raise ValidationError(rule.wrong_status, code=rule.wrong_status_code)
    if stage is not None and stage != row.stage:
        raise ValidationError(
            _("この回答案は既に別の段階に進んでいます。画面を更新してください。"),
            code="wrong_stage",
        )
    if not letter_may(user=actor, case=case, who=row.who):
        raise _refused(rule, row.stage)
    for condition in row.requires:
        if not letter_condition_met(case=case, condition=condition):
            message, code = workflow.CONDITIONS[condition]
            raise ValidationError(message, code=code)
    return row


def _check_no_personal_data(submission: Submission, text: str, field_label: str) -> None:
    if letter_personal_data_in(submission=submission, text=text):
        raise ValidationError(
            _("%(field)sに提出者の個人情報（氏名・住所・連絡先など）が含まれています。伏せてから保存してください。"),
            code="personal_data",
            params={"field": field_label},
        )


def _set_submission_status(submission: Submission, status: str) -> None:
    if submission.status != status:
        submission.status = status
        submission.save(update_fields=["status"])


def letter_case_open(*, submission) -> LetterCase:
    """Open the 広聴 case of a letter just received (called inside intake's transaction)."""
    return LetterCase.objects.create(submission=submission)


@transaction.atomic
def letter_route(*, actor, case: LetterCase, department: Department, routed_text: str | None = None) -> LetterCase:
    """Send the letter, with personal data masked, to a 課 and set its due date.

    ``routed_text`` is what the 課 will read; it defaults to the masked
    suggestion and must not contain the writer's details.
    """
    case = _locked(case)
    row = _transition(actor=actor, case=case, action=workflow.ROUTE)
    if department.parent_id is None:
        raise ValidationError(_("回付先には部ではなく課を選んでください。"), code="not_a_section")
    text = letter_masked_suggestion(case=case) if routed_text is None else routed_text
    text = validate_user_text(text, max_chars=REPLY_MAX_CHARS, field_label=_("回付用の本文"))
    _check_no_personal_data(case.submission, text, _("回付用の本文"))
    before = {
        "status": case.status,
        "department": case.submission.department_id,
        "due_on": case.due_on.isoformat() if case.due_on else None,
    }
    submission_assign(actor=actor, submission_ids=[case.submission_id], department=department)
    submission = Submission.objects.select_related("department").get(pk=case.submission_id)
    _set_submission_status(submission, Submission.Status.IN_REVIEW)
    case.submission = submission
    case.status = row.target
    case.routed_by = actor
    case.routed_at = timezone.now()
    case.due_on = letter_due_on(submission=submission)
    case.routed_text = text
    case.save(
        update_fields=[
            "status",
            "routed_by",
            "routed_at",
            "due_on",
            "routed_text",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="letter.route",
        target=case,
        before=before,
        after={
            "status": case.status,
            "department": department.pk,
            "due_on": case.due_on.isoformat(),
        },
    )
    return case


@transaction.atomic
def letter_reply_draft(*, actor, case: LetterCase, text: str) -> LetterCase:
    """Store the 所管課's reply draft and put it up for the 課長."""
    case = _locked(case)
    row = _transition(actor=actor, case=case, action=workflow.DRAFT)
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
    case = _locked(case)
    action = workflow.APPROVE if approved else workflow.SEND_BACK
    row = _transition(actor=actor, case=case, action=action, stage=stage)
    current = row.stage
    comment = (comment or "").strip()
    if not approved and not comment:
        raise ValidationError(_("差し戻す理由をコメントに入力してください。"), code="comment_required")
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
    case = _locked(case)
    _require_who(actor, case, workflow.SEND)
    if case.status == Status.SENT:
        return case
    row = _transition(actor=actor, case=case, action=workflow.SEND)
    case.reply_channel = letter_reply_channel(case=case)
    case.status = row.target
    case.sent_at = timezone.now()
    case.save(update_fields=["reply_channel", "status", "sent_at", "updated_at"])
    _set_submission_status(case.submission, Submission.Status.ANSWERED)
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
        transaction.on_commit(lambda: letter_reply_email_task.delay(case_id))
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


@transaction.atomic
def letter_file(*, actor, case: LetterCase, disposition: str) -> LetterCase:
    """File the letter as 参考意見 without a reply, giving the reason."""
    case = _locked(case)
    row = _transition(actor=actor, case=case, action=workflow.FILE)
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
    _set_submission_status(case.submission, Submission.Status.FILED)
    audit_record(
        actor=actor,
        action="letter.file",
        target=case,
        before={"status": before},
        after={"status": case.status, "disposition": disposition},
    )
    return case


@transaction.atomic
def letter_publish(*, actor, case: LetterCase, summary: str, reply_summary: str = "") -> LetterCase:
    """Publish the 意見の要旨 and 回答の要旨, only with the writer's consent."""
    case = _locked(case)
    _transition(actor=actor, case=case, action=workflow.PUBLISH)
    summary = validate_user_text(summary, max_chars=SUMMARY_MAX_CHARS, field_label=_("意見の要旨"))
    reply_summary = validate_user_text(
        reply_summary,
        max_chars=SUMMARY_MAX_CHARS,
        field_label=_("回答の要旨"),
        required=case.status == Status.SENT,
    )
    _check_no_personal_data(case.submission, summary, _("意見の要旨"))
    _check_no_personal_data(case.submission, reply_summary, _("回答の要旨"))
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


def _remind(case_id: int, kind: str) -> bool:
    field = "reminded_before_at" if kind == "before" else "reminded_overdue_at"
    with transaction.atomic():
        case = (
            LetterCase.objects.select_for_update(of=("self",))
            .select_related("submission", "submission__department")
            .filter(pk=case_id, **{f"{field}__isnull": True})
            .first()
        )
        if case is None:
            return False
        recipients = letter_reminder_recipients(case=case)
        context = {"case": case, "submission": case.submission, "kind": kind}
        if recipients:
            send_mail(
                subject=render_to_string("letters/staff/email/reminder_subject.txt", context).strip(),
                message=render_to_string("letters/staff/email/reminder_body.txt", context),
                from_email=None,
                recipient_list=recipients,
            )
        setattr(case, field, timezone.now())
        case.save(update_fields=[field, "updated_at"])
        audit_record(
            action=f"letter.remind_{kind}",
            target=case,
            summary=f"{len(recipients)}件に通知" if recipients else "通知先の職員がいません",
            after={"recipients": len(recipients)},
        )
    return True


def letter_reminders_send(*, today=None) -> int:
    """Remind 課 2 開庁日 before a due date and once after it; return mails sent.

    Runs only on 開庁日, so a reminder due over a weekend goes out on the
    next working morning. Each case is reminded at most once per kind.
    """
    today = today or timezone.localdate()
    if not is_working_day(today):
        return 0
    before_ids, overdue_ids = letter_reminder_due_cases(today=today)
    sent = sum(_remind(case_id, "before") for case_id in before_ids)
    return sent + sum(_remind(case_id, "overdue") for case_id in overdue_ids)
