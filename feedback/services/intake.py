"""Accept submissions from every channel; commit first, then enqueue.

submission_create is the one door (web, API, staff entry, CSV import, demo
data); also a citizen's withdrawal and the 受付番号 e-mail. The identity is
normalised by feedback.services.identity.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from consultations.models import Choice, Consultation, DraftSection, InvitationCode
from consultations.selectors import (
    consultation_accepts_paper,
    consultation_is_accepting,
    consultation_not_accepting_message,
    draft_version_on,
)
from consultations.services import invitation_code_hash, invitation_code_normalize
from core.i18n import language_supported
from core.queue import enqueue_on_commit
from core.services import audit_record
from core.text import validate_user_text
from feedback.models import (
    Answer,
    Channel,
    ReceiptSequence,
    Signer,
    Submission,
    SubmitterIdentity,
)
from feedback.services.identity import identity_clean
from feedback.signals import submission_received
from feedback.tasks import submission_receipt_send_task


class SubmissionClosed(ValidationError):
    """The consultation does not accept this submission now."""


@dataclass
class AnswerInput:
    question_id: int
    choice_ids: list[int] = field(default_factory=list)
    text: str = ""


def _receipt_placeholder() -> str:
    """A unique stand-in 受付番号 until the real one is issued at the end of the transaction.

    Never visible outside the transaction: it is replaced before commit (and
    rolled back with everything else). ``~`` cannot start a real number.
    """
    return "~" + uuid.uuid4().hex[:31]


def _receipt_number_issue(submission: Submission) -> None:
    """Give ``submission`` the next 受付番号, e.g. PC-2026-000123, as the transaction's last write.

    The sequence's row lock serialises every intake of the prefix until
    commit; taken last, it is held for two UPDATEs and the commit, not for
    the whole intake (validation, identity, answers, audit), so concurrent
    residents at a deadline are not queued behind each other's work.
    """
    number = receipt_numbers_reserve(prefix=submission.consultation.receipt_prefix, count=1)[0]
    Submission.objects.filter(pk=submission.pk).update(receipt_number=number)
    submission.receipt_number = number


def receipt_numbers_reserve(*, prefix: str, count: int) -> list[str]:
    """Issue the next ``count`` 受付番号 at once, under the sequence's row lock.

    Call inside the transaction that stores the submissions (CSV import
    batch): a rollback returns the numbers, so no gap is left.
    """
    year = timezone.localdate().year
    sequence, _created = ReceiptSequence.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    first = sequence.last_number + 1
    sequence.last_number += count
    sequence.save(update_fields=["last_number"])
    return [f"{prefix}-{year}-{number:06d}" for number in range(first, sequence.last_number + 1)]


def _check_accepting(consultation: Consultation, channel: str) -> None:
    if consultation.status == Consultation.Status.WITHDRAWN:
        # 案の取り下げ: no channel, paper included, takes an opinion any more.
        raise SubmissionClosed(consultation_not_accepting_message(consultation), code="withdrawn")
    if channel in Channel.staff_entry():
        if not consultation_accepts_paper(consultation):
            raise SubmissionClosed(
                _("この案件は受付を終了しています（結果公表済みまたは準備中）。"),
                code="closed",
            )
    elif not consultation_is_accepting(consultation):
        raise SubmissionClosed(consultation_not_accepting_message(consultation), code="closed")


def _identity_named(identity: dict) -> bool:
    """The 氏名 requirement: a 団体 needs its name and 代表者 (or a contact's 氏名), a 連名 its first signer."""
    kind = identity.get("submitter_kind", SubmitterIdentity.Kind.INDIVIDUAL)
    if kind == SubmitterIdentity.Kind.ORGANIZATION:
        return bool(identity.get("organization") and (identity.get("representative") or identity.get("name")))
    if kind == SubmitterIdentity.Kind.JOINT:
        return bool(identity.get("name"))
    return bool(identity.get("name") or identity.get("organization"))


def _identity_incomplete(consultation: Consultation, identity: dict) -> bool:
    required = set(consultation.required_identity or [])
    checks = {
        "name": _identity_named(identity),
        "address": bool(identity.get("address")),
        "contact": bool(identity.get("phone") or identity.get("email")),
        "eligibility": bool(identity.get("eligibility")),
    }
    return any(not checks.get(item, True) for item in required)


def _invitation_find(consultation: Consultation, code: str, *, lock: bool = False) -> InvitationCode:
    """Return this consultation's unused invitation with ``code``, else raise why not.

    The code is normalised as issued (consultations.services.invitation_code_normalize):
    lower case, 全角 and hyphens are accepted.
    """
    invitations = InvitationCode.objects.select_for_update() if lock else InvitationCode.objects
    invitation = invitations.filter(consultation=consultation, code_hash=invitation_code_hash(code)).first()
    if invitation is None:
        raise ValidationError(
            _("招待コードが正しくありません。お手元の依頼状に記載のコードをご確認ください。"),
            code="invitation_invalid",
        )
    if invitation.used_at is not None:
        raise ValidationError(
            _("この招待コードは既に回答に使われています。1つのコードで回答できるのは1回です。"),
            code="invitation_used",
        )
    return invitation


def invitation_check(*, consultation: Consultation, code: str) -> str:
    """Check a survey invitation code before the confirmation page; return it normalised.

    Raises the ValidationError submit would (wrong code, already used,
    another survey's code), not keyed: a form field's clean raises it.
    Nothing is marked; submission_create checks again under a row lock and
    consumes the code.
    """
    _invitation_find(consultation, code)
    return invitation_code_normalize(code)


def _consume_invitation(consultation: Consultation, code: str) -> None:
    """Mark the code used; the response keeps no link to it (anonymity)."""
    try:
        invitation = _invitation_find(consultation, code, lock=True)
    except ValidationError as exc:
        raise ValidationError({"invitation_code": exc}) from exc
    # The day only: a time to the second would equal the answer's submitted_at
    # and link the code (which the city's mailing list ties to a person) to it.
    invitation.used_at = datetime.datetime.combine(
        timezone.localdate(), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    invitation.save(update_fields=["used_at"])


def _store_answers(submission: Submission, answers: list[AnswerInput]) -> None:
    if not answers:
        return
    valid_choices = dict(
        Choice.objects.filter(question__consultation=submission.consultation).values_list("id", "question_id")
    )
    for item in answers:
        if not item.choice_ids and not item.text:
            continue
        answer = Answer.objects.create(submission=submission, question_id=item.question_id, text=item.text)
        choice_ids = [cid for cid in item.choice_ids if valid_choices.get(cid) == item.question_id]
        answer.choices.set(choice_ids)


@transaction.atomic
def submission_create(
    *,
    consultation: Consultation,
    channel: str,
    body: str = "",
    author=None,
    entered_by=None,
    identity: dict | None = None,
    section: DraftSection | None = None,
    section_text: str = "",
    reply_requested: bool = False,
    publication_consent: bool = False,
    answers: list[AnswerInput] | None = None,
    attributes: dict | None = None,
    invitation_code: str = "",
    received_on=None,
    ip_address: str | None = None,
    batched: bool = False,
    receipt_number: str = "",
    language: str = "ja",
    results_notice: bool = False,
) -> Submission:
    """Store one submission as received and enqueue its analysis on commit.

    ``batched``: the caller (CSV import) announces its new submissions in
    batches (feedback.signals.submissions_imported), so analysis is queued per
    batch rather than per submission. ``receipt_number``: one the caller
    reserved with receipt_numbers_reserve in this transaction (a batch takes
    the sequence's lock once, not once per row). ``language``: the page's
    language when the resident sent it (the web form passes the active one;
    paper, CSV and the API are Japanese); the receipt mail is written in it.
    ``results_notice``: the resident asked to be told by e-mail when the
    results are published; kept only when there is an address to write to.
    """
    _check_accepting(consultation, channel)
    if body or consultation.kind != Consultation.Kind.SURVEY:
        body = validate_user_text(body, max_chars=consultation.max_opinion_chars, field_label=_("ご意見"))
    if consultation.invitation_required:
        # Web, API and a paper questionnaire typed in by staff alike (#15): the
        # code printed on the 依頼状 is spent once, so nobody answers twice.
        _consume_invitation(consultation, invitation_code)
    identity = identity_clean(identity)
    signers = identity.pop("signers", [])
    submission = Submission(
        consultation=consultation,
        receipt_number=receipt_number or _receipt_placeholder(),
        channel=channel,
        author=author if getattr(author, "is_authenticated", False) else None,
        entered_by=entered_by,
        submitted_at=timezone.now(),
        received_on=received_on,
        section=section,
        section_text=section_text,
        body=body,
        reply_requested=reply_requested,
        publication_consent=publication_consent,
        language=language,
        # The 案の版 it was written against (a paper one: the version of its 到着日).
        draft_version=(
            draft_version_on(consultation, day=received_on)
            if consultation.kind == Consultation.Kind.PUBLIC_COMMENT
            else None
        ),
        identity_incomplete=_identity_incomplete(consultation, identity),
        **(attributes or {}),
    )
    # 結果公表のお知らせ only for a パブリック・コメント and only with an address to write to.
    submission.results_notice = bool(
        results_notice
        and consultation.kind == Consultation.Kind.PUBLIC_COMMENT
        and _receipt_address(submission, identity)
    )
    submission.full_clean(exclude=["receipt_number"])
    submission.save()
    if identity:
        stored = SubmitterIdentity.objects.create(submission=submission, **identity)
        # 連名: the other signers, in the order written (the first is the identity's 氏名).
        Signer.objects.bulk_create(
            [Signer(identity=stored, position=n, **signer) for n, signer in enumerate(signers, start=2)]
        )
    _store_answers(submission, answers or [])
    # Apps above intake act on a new submission here, inside this transaction
    # (letters opens its case) or after commit (nlp queues the analysis).
    submission_received.send(sender=Submission, submission=submission, batched=batched)
    audit_record(
        actor=entered_by or author,
        action="submission.create",
        target=submission,
        summary=f"{consultation.receipt_prefix} {channel}",
        after={"channel": channel},
        ip_address=ip_address,
    )
    if not receipt_number:
        _receipt_number_issue(submission)
    _enqueue_after_commit(submission, notify=bool(_receipt_address(submission, identity)))
    return submission


def _enqueue_after_commit(submission: Submission, *, notify: bool) -> None:
    submission_id = submission.pk
    if notify:
        # Never raises: with the broker down, submission_receipts_sweep_task sends it later.
        enqueue_on_commit(submission_receipt_send_task, submission_id)


@transaction.atomic
def submission_withdraw(*, submission: Submission, actor) -> Submission:
    """Withdraw one's own submission while the consultation is still open."""
    submission = Submission.objects.select_for_update().select_related("consultation").get(pk=submission.pk)
    if submission.author_id is None or submission.author_id != getattr(actor, "pk", None):
        raise ValidationError(_("ご自身が提出した意見だけを取り下げできます。"), code="not_author")
    if submission.status == Submission.Status.WITHDRAWN:
        raise ValidationError(_("この意見は既に取り下げられています。"), code="already_withdrawn")
    if not consultation_is_accepting(submission.consultation):
        raise ValidationError(
            _("募集期間が終了したため取り下げできません。担当課にお問い合わせください。"),
            code="closed",
        )
    before = submission.status
    submission.status = Submission.Status.WITHDRAWN
    submission.withdrawn_at = timezone.now()
    submission.save(update_fields=["status", "withdrawn_at"])
    audit_record(
        actor=actor,
        action="submission.withdraw",
        target=submission,
        before={"status": before},
        after={"status": submission.status},
    )
    return submission


def _receipt_address(submission: Submission, identity: dict | None) -> str:
    """Where the 受付番号 mail goes: the address typed on the form, else the signed-in
    resident's account address (they left the field empty). A survey answer
    sends none (it has no e-mail field and is kept apart from the respondent)."""
    if identity and identity.get("email"):
        return identity["email"]
    author = submission.author
    if author is None or submission.consultation.kind == Consultation.Kind.SURVEY:
        return ""
    return author.email or ""


def _mail_once(rows, *, submission_id: int, template: str, sent_field: str, action: str, **extra) -> bool:
    """Send one of a submission's mails once: lock the row while ``sent_field`` is empty, render
    ``feedback/email/<template>_{subject,body}.txt`` in the language the resident wrote in (a worker has
    no request), send to _receipt_address, stamp ``sent_field``, audit. A repeated call sends nothing."""
    with transaction.atomic():
        submission = (
            rows.select_for_update(of=("self",))
            .select_related("consultation", "identity", "author")
            .filter(pk=submission_id, **{f"{sent_field}__isnull": True})
            .first()
        )
        if submission is None:
            return False
        identity = getattr(submission, "identity", None)
        address = _receipt_address(submission, {"email": identity.email} if identity else None)
        if not address:
            return False
        context = {"submission": submission, "consultation": submission.consultation, **extra}
        with translation.override(language_supported(submission.language)):
            subject = render_to_string(f"feedback/email/{template}_subject.txt", context).strip()
            message = render_to_string(f"feedback/email/{template}_body.txt", context)
        send_mail(subject=subject, message=message, from_email=None, recipient_list=[address])
        setattr(submission, sent_field, timezone.now())
        submission.save(update_fields=[sent_field])
        audit_record(action=action, target=submission)
    return True


def submission_receipt_send(*, submission_id: int) -> bool:
    """E-mail the 受付番号 once; a repeated call sends nothing."""
    return _mail_once(
        Submission.objects.all(),
        submission_id=submission_id,
        template="receipt",
        sent_field="receipt_sent_at",
        action="submission.receipt_sent",
    )


def submission_results_notice_send(*, submission_id: int) -> bool:
    """E-mail once that the results of the consultation are published (the resident asked for it)."""
    rows = Submission.objects.filter(results_notice=True, consultation__status=Consultation.Status.PUBLISHED).exclude(
        status=Submission.Status.WITHDRAWN
    )
    return _mail_once(
        rows,
        submission_id=submission_id,
        template="results_notice",
        sent_field="results_notice_sent_at",
        action="submission.results_notice_sent",
        site_url=settings.KOE_SITE_URL,  # a worker has no request to build the link from
    )
