"""Writes for running a sampled survey (#15): issuing invitation codes, voiding
a lost batch, and recording 督促 (reminder) waves.

Services as in consultations.services (keyword-only, atomic, one audit row);
kept in their own module because consultations/services.py is already past
the size at which a module is split by subdomain.

The plain invitation codes are returned once by invitation_codes_issue and
never stored: the database keeps their SHA-256 (invitation_code_hash) and
the batch they came in. What the caller does with them (the staff page keeps
them in the issuing member's session for KOE_INVITATION_CODES_SHOW_MINUTES
to print the 依頼状 and download the mail-merge CSV) is the caller's.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Consultation, InvitationBatch, InvitationCode, ReminderWave
from consultations.services import invitation_code_hash
from core.services import audit_record
from core.text import validate_user_text

# No 0/O, 1/I/L: a code is read off paper and typed in, and these are the
# letters people confuse. 31 symbols × 8 places ≈ 40 bits, so guessing one
# of a few thousand live codes takes billions of tries (and intake is rate-limited).
INVITATION_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
INVITATION_CODE_LENGTH = 8
# One issue at most; a 市民意識調査 samples 2,000–5,000 residents.
INVITATION_BATCH_MAX = 5000
NOTE_MAX_CHARS = 200


def invitation_code_generate() -> str:
    """A new plain code, e.g. 7KQ2MX9D (normalised form: what invitation_code_hash hashes)."""
    return "".join(secrets.choice(INVITATION_CODE_ALPHABET) for _ in range(INVITATION_CODE_LENGTH))


def invitation_code_display(code: str) -> str:
    """The code as printed, in groups of four: 7KQ2-MX9D (intake ignores the hyphen)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True)
class IssuedCodes:
    """One issue: the stored batch and its plain codes, which exist nowhere else."""

    batch: InvitationBatch
    codes: list[str]


def _survey_locked(survey: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=survey.pk)


def _check_survey(survey: Consultation) -> None:
    if survey.kind != Consultation.Kind.SURVEY:
        raise ValidationError(_("招待コードや督促を記録できるのはアンケートだけです。"), code="wrong_kind")


def _note(note: str) -> str:
    try:
        return validate_user_text(note, max_chars=NOTE_MAX_CHARS, field_label=_("備考"), required=False)
    except ValidationError as exc:
        raise ValidationError({"note": exc.messages}) from exc


@transaction.atomic
def invitation_codes_issue(
    *,
    actor,
    survey: Consultation,
    count: int,
    note: str = "",
    ip_address: str | None = None,
) -> IssuedCodes:
    """Issue ``count`` new one-use codes for a sampled survey; return them once.

    Only the hashes are stored, in one InvitationBatch; the plain codes are
    in the returned value and nowhere else, so a code lost before it was
    printed cannot be shown again (void the batch and issue a new one).
    """
    survey = _survey_locked(survey)
    _check_survey(survey)
    if not survey.invitation_required:
        raise ValidationError(
            _(
                "このアンケートは招待コードを使わない設定です。"
                "管理画面で「招待コードが必要（標本調査）」をオンにしてから発行してください。"
            ),
            code="not_sampled",
        )
    if survey.status in (
        Consultation.Status.CLOSED,
        Consultation.Status.PUBLISHED,
        Consultation.Status.WITHDRAWN,
    ):
        raise ValidationError(
            _("募集が終わったアンケート（%(status)s）には招待コードを発行できません。")
            % {"status": survey.get_status_display()},
            code="closed",
        )
    if not isinstance(count, int) or not 1 <= count <= INVITATION_BATCH_MAX:
        raise ValidationError(
            {"count": _("発行数は1以上%(max)s以下の整数で入力してください。") % {"max": f"{INVITATION_BATCH_MAX:,}"}},
            code="count",
        )
    note = _note(note)
    codes: dict[str, str] = {}  # hash → code
    while len(codes) < count:
        fresh = {invitation_code_hash(code): code for code in (invitation_code_generate() for _ in range(count))}
        taken = set(InvitationCode.objects.filter(code_hash__in=fresh).values_list("code_hash", flat=True))
        for digest, code in fresh.items():
            if digest not in taken and len(codes) < count:
                codes.setdefault(digest, code)
    batch = InvitationBatch.objects.create(consultation=survey, count=count, note=note, issued_by=actor)
    InvitationCode.objects.bulk_create(
        (InvitationCode(consultation=survey, batch=batch, code_hash=digest) for digest in codes),
        batch_size=1000,
    )
    audit_record(
        actor=actor,
        action="invitation_codes.issue",
        target=batch,
        summary=f"{survey.title}: {count}",
        after={"survey": survey.pk, "count": count, "note": note},
        ip_address=ip_address,
    )
    return IssuedCodes(batch=batch, codes=list(codes.values()))


@transaction.atomic
def invitation_batch_void(*, actor, batch: InvitationBatch, ip_address: str | None = None) -> int:
    """Delete the unused codes of a batch whose sheets were lost or never sent; return how many.

    Codes already used stay (their answers count); the voided ones no longer
    open the form and are no longer in the response rate's denominator.
    """
    batch = InvitationBatch.objects.select_for_update().select_related("consultation").get(pk=batch.pk)
    if batch.voided_at is not None:
        raise ValidationError(_("この発行分は既に無効にしています。"), code="already_voided")
    unused = InvitationCode.objects.select_for_update().filter(batch=batch, used_at__isnull=True)
    voided = len(list(unused.values_list("pk", flat=True)))
    unused.delete()
    batch.voided_at = timezone.now()
    batch.voided_count = voided
    batch.save(update_fields=["voided_at", "voided_count"])
    audit_record(
        actor=actor,
        action="invitation_codes.void",
        target=batch,
        summary=f"{batch.consultation.title}: {voided}",
        before={"count": batch.count},
        after={"voided": voided, "kept_used": batch.count - voided},
        ip_address=ip_address,
    )
    return voided


@transaction.atomic
def reminder_wave_record(
    *,
    actor,
    survey: Consultation,
    sent_on: datetime.date,
    sent_count: int,
    note: str = "",
    ip_address: str | None = None,
) -> ReminderWave:
    """Record one 督促 mailing (発送日, 発送数, 備考) after it was sent."""
    survey = _survey_locked(survey)
    _check_survey(survey)
    errors: dict[str, list[str]] = {}
    if sent_on is None:
        errors["sent_on"] = [_("発送日を入力してください。")]
    elif sent_on > timezone.localdate():
        errors["sent_on"] = [_("発送日が未来の日付になっています。督促は発送した後に記録してください。")]
    elif survey.opens_at and sent_on < timezone.localdate(survey.opens_at):
        errors["sent_on"] = [
            _("発送日が調査の開始日（%(date)s）より前です。")
            % {"date": f"{timezone.localdate(survey.opens_at):%Y年%-m月%-d日}"}
        ]
    elif ReminderWave.objects.filter(consultation=survey, sent_on=sent_on).exists():
        errors["sent_on"] = [
            _(
                "%(date)sに発送した督促は既に記録されています。発送数を変えるには、その記録を削除してから記録し直してください。"
            )
            % {"date": f"{sent_on:%Y年%-m月%-d日}"}
        ]
    if not isinstance(sent_count, int) or sent_count < 1:
        errors["sent_count"] = [_("発送数は1以上の整数で入力してください。")]
    try:
        note = _note(note)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    wave = ReminderWave.objects.create(
        consultation=survey, sent_on=sent_on, sent_count=sent_count, note=note, created_by=actor
    )
    audit_record(
        actor=actor,
        action="reminder_wave.record",
        target=wave,
        summary=survey.title,
        after={"sent_on": sent_on.isoformat(), "sent_count": sent_count, "note": note},
        ip_address=ip_address,
    )
    return wave


@transaction.atomic
def reminder_wave_delete(*, actor, wave: ReminderWave, ip_address: str | None = None) -> None:
    """Remove a wave recorded by mistake (the audit row keeps what it said)."""
    wave = ReminderWave.objects.select_for_update().select_related("consultation").get(pk=wave.pk)
    audit_record(
        actor=actor,
        action="reminder_wave.delete",
        target=wave,
        summary=wave.consultation.title,
        before={"sent_on": wave.sent_on.isoformat(), "sent_count": wave.sent_count, "note": wave.note},
        ip_address=ip_address,
    )
    wave.delete()
