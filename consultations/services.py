"""Writes on consultations: create, open, close, and the timed lifecycle."""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Consultation
from consultations.signals import consultation_closed
from core.services import audit_record


def closing_moment(day: datetime.date) -> datetime.datetime:
    """Return 23:59:59 JST of the closing day (web submissions close then)."""
    tz = timezone.get_default_timezone()
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=tz)


def consultation_check_openable(consultation: Consultation) -> list[str]:
    """Return the reasons a consultation may not open yet (empty when it may)."""
    problems: list[str] = []
    if consultation.kind == Consultation.Kind.LETTER:
        return problems
    if not (consultation.opens_at and consultation.closes_at):
        problems.append(_("募集期間（開始と締切）を設定してください。"))
    elif consultation.closes_at <= consultation.opens_at:
        problems.append(_("締切は開始より後にしてください。"))
    if consultation.kind == Consultation.Kind.PUBLIC_COMMENT:
        if not consultation.announced_on:
            problems.append(_("公示日を設定してください。"))
        if not consultation.submission_address.strip():
            problems.append(_("提出先（郵送・持参・FAX・メール）を記載してください。"))
        if not (consultation.sections.exists() or consultation.attachments.exists()):
            problems.append(_("案の本文（項目）または案の資料を登録してください。"))
        days = consultation.period_days()
        minimum = settings.KOE_MIN_PERIOD_DAYS
        if (
            days is not None
            and days < minimum
            and not consultation.short_period_reason.strip()
        ):
            problems.append(
                _(
                    "意見募集期間が%(days)s日で%(min)s日未満です。期間を短縮する理由を記載してください（理由は公表されます）。"
                )
                % {"days": days, "min": minimum}
            )
    if (
        consultation.kind == Consultation.Kind.SURVEY
        and not consultation.questions.exists()
    ):
        problems.append(_("設問を登録してください。"))
    return problems


@transaction.atomic
def consultation_open(*, consultation: Consultation, actor=None) -> Consultation:
    """Open a consultation now, or schedule it if it starts later."""
    problems = consultation_check_openable(consultation)
    if problems:
        raise ValidationError(problems)
    before = consultation.status
    starts_later = consultation.opens_at and consultation.opens_at > timezone.now()
    consultation.status = (
        Consultation.Status.SCHEDULED if starts_later else Consultation.Status.OPEN
    )
    consultation.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="consultation.open",
        target=consultation,
        before={"status": before},
        after={"status": consultation.status},
    )
    return consultation


@transaction.atomic
def consultation_close(*, consultation: Consultation, actor=None) -> Consultation:
    """Close an open consultation; letters never close."""
    if consultation.is_always_open:
        raise ValidationError(_("市長への手紙は常時受け付けるため締め切れません。"))
    if consultation.status != Consultation.Status.OPEN:
        raise ValidationError(_("募集中の案件だけを締め切れます。"))
    consultation.status = Consultation.Status.CLOSED
    consultation.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="consultation.close",
        target=consultation,
        before={"status": "open"},
        after={"status": "closed"},
    )
    consultation_closed.send(sender=Consultation, consultation=consultation)
    return consultation


def _transition(pk: int, *, source: str, target: str, summary: str) -> bool:
    """Move one consultation between states under a row lock; skip if moved."""
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=pk)
        if consultation.status != source:
            return False
        consultation.status = target
        consultation.save(update_fields=["status", "updated_at"])
        audit_record(
            action=f"consultation.{target}",
            target=consultation,
            summary=summary,
            before={"status": source},
            after={"status": target},
        )
        if target == Consultation.Status.CLOSED:
            # results tallies a closed survey and recomputes its 目標指標.
            consultation_closed.send(sender=Consultation, consultation=consultation)
    return True


def consultation_advance_lifecycle(
    *, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Open scheduled consultations whose start has come; close expired ones."""
    now = now or timezone.now()
    Status = Consultation.Status
    to_open = Consultation.objects.filter(status=Status.SCHEDULED, opens_at__lte=now)
    to_close = Consultation.objects.filter(
        status=Status.OPEN, closes_at__lt=now
    ).exclude(kind=Consultation.Kind.LETTER)
    opened = sum(
        _transition(
            pk,
            source=Status.SCHEDULED,
            target=Status.OPEN,
            summary="開始日時による自動開始",
        )
        for pk in list(to_open.values_list("pk", flat=True))
    )
    closed = sum(
        _transition(
            pk,
            source=Status.OPEN,
            target=Status.CLOSED,
            summary="締切日時による自動締切",
        )
        for pk in list(to_close.values_list("pk", flat=True))
    )
    return {"opened": opened, "closed": closed}


@transaction.atomic
def consultation_results_publish(
    *,
    consultation: Consultation,
    actor,
    decided_on: datetime.date,
    counts: dict,
    ready: bool,
    issues: list[str],
) -> Consultation:
    """Mark a closed パブリック・コメント published with the counts staff approved.

    The caller (results.services.publication) counts the 意見要旨 and says
    whether the table reconciles; the checks of state are made here, under
    the row lock, so two clicks cannot publish twice.
    """
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.kind != Consultation.Kind.PUBLIC_COMMENT:
        raise ValidationError(
            _("結果を公表できるのはパブリック・コメントだけです。"), code="wrong_kind"
        )
    if consultation.status != Consultation.Status.CLOSED:
        raise ValidationError(
            _("募集終了（集計中）の案件だけを結果公表できます。"), code="wrong_state"
        )
    if decided_on is None:
        raise ValidationError({"decided_on": _("決定日を入力してください。")})
    if not ready:
        message = " ".join(
            [
                _(
                    "承認されていない意見要旨があるか、件数が一致していないため公表できません。"
                ),
                *issues,
            ]
        )
        raise ValidationError(message, code="not_ready")
    consultation.status = Consultation.Status.PUBLISHED
    consultation.decided_on = decided_on
    consultation.published_at = timezone.now()
    consultation.results_counts = counts
    consultation.save(
        update_fields=[
            "status",
            "decided_on",
            "published_at",
            "results_counts",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="consultation.publish_results",
        target=consultation,
        before={"status": "closed"},
        after={
            "status": "published",
            "decided_on": decided_on.isoformat(),
            "submissions": counts.get("submissions"),
            "items": counts.get("items"),
            "groups": counts.get("groups"),
        },
    )
    return consultation


def invitation_code_hash(code: str) -> str:
    """The stored form of a survey invitation code (the code itself is never kept)."""
    return hashlib.sha256(code.strip().upper().encode("utf-8")).hexdigest()
