"""Writes on consultations: create, open, close, and the timed lifecycle."""

import copy
import datetime
import hashlib
import re
import unicodedata
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import CITYWIDE_ROLES, has_role
from consultations.models import Consultation
from consultations.signals import consultation_closed, consultation_results_published
from core.calendar import is_working_day
from core.services import audit_record, audit_snapshot
from core.text import validate_user_text


def closing_moment(day: datetime.date) -> datetime.datetime:
    """Return 23:59:59 JST of the closing day (web submissions close then)."""
    tz = timezone.get_default_timezone()
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=tz)


# Fields an edit may change; status and publication have their own services.
UPDATABLE_FIELDS = tuple(
    f.name
    for f in Consultation._meta.concrete_fields
    if f.editable
    and f.name
    not in {
        "id",
        "status",
        "published_at",
        "results_counts",
        "created_at",
        "updated_at",
        # 取り下げ: consultation_withdraw; 決定版のファイル: results publication.
        "withdrawal_reason",
        "final_file",
    }
)
# The fields whose change re-checks the period rules of an announced case.
PERIOD_FIELDS = ("announced_on", "opens_at", "closes_at", "short_period_reason")
# 決定版 and 差異, recorded with the results (consultation_results_publish).
FINAL_FIELDS = ("final_url", "final_file", "revision_summary", "unrevised")
REVISION_SUMMARY_MAX_CHARS = 4000


def consultation_period_errors(consultation: Consultation) -> dict[str, list[str]]:
    """The period rules, keyed by the field to correct (empty when they hold).

    A パブリック・コメント needs a 公示日, and its 意見募集期間, counted from the
    公示日 to the closing day both included, is at least KOE_MIN_PERIOD_DAYS
    unless a short_period_reason (published with the case) is given.
    """
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if consultation.kind == Consultation.Kind.LETTER:
        return errors
    if not (consultation.opens_at and consultation.closes_at):
        add(
            "opens_at" if consultation.closes_at else "closes_at",
            _("募集期間（開始と締切）を設定してください。"),
        )
    elif consultation.closes_at <= consultation.opens_at:
        add("closes_at", _("締切は開始より後にしてください。"))
    if consultation.kind == Consultation.Kind.PUBLIC_COMMENT:
        if not consultation.announced_on:
            add("announced_on", _("公示日を設定してください。"))
        days = consultation.period_days()
        minimum = settings.KOE_MIN_PERIOD_DAYS
        if days is not None and days < minimum and not consultation.short_period_reason.strip():
            add(
                "closes_at",
                _(
                    "意見募集期間が%(days)s日で%(min)s日未満です。期間を短縮する理由を記載してください（理由は公表されます）。"
                )
                % {"days": days, "min": minimum},
            )
    return errors


def consultation_period_warnings(consultation: Consultation) -> list[str]:
    """Things to reconsider that do not block (#15): a period ending on a day the city is closed.

    Residents who bring or post an opinion on the last day find the office shut
    (土日祝, 12/29–1/3, KOE_CITY_CLOSED_DAYS); cities move the deadline to a 開庁日.
    """
    if consultation.kind == Consultation.Kind.LETTER or not consultation.closes_at:
        return []
    last_day = timezone.localdate(consultation.closes_at)
    if is_working_day(last_day):
        return []
    return [
        _("募集期間の末日（%(date)s）は閉庁日です。持参・郵送の方のために、開庁日を締切にすることを検討してください。")
        % {"date": f"{last_day:%Y年%-m月%-d日}"}
    ]


def consultation_check_openable(consultation: Consultation) -> list[str]:
    """Return the reasons a consultation may not open yet (empty when it may)."""
    problems = [message for messages in consultation_period_errors(consultation).values() for message in messages]
    if consultation.kind == Consultation.Kind.PUBLIC_COMMENT:
        if not consultation.submission_address.strip():
            problems.append(_("提出先（郵送・持参・FAX・メール）を記載してください。"))
        if not (consultation.sections.exists() or consultation.attachments.exists()):
            problems.append(_("案の本文（項目）または案の資料を登録してください。"))
    if consultation.kind == Consultation.Kind.SURVEY and not consultation.questions.exists():
        problems.append(_("設問を登録してください。"))
    return problems


def consultation_final_errors(consultation: Consultation, *, revised_groups: int = 0) -> dict[str, list[str]]:
    """What published results need besides the table, keyed by the field to correct (empty when complete).

    行政手続法43条1項4号: the 決定版 (its URL or file) and the 差異 — what
    was changed from the draft because of the opinions, or 「修正なし」
    stated explicitly; 修正なし cannot stand beside ``revised_groups``
    意見要旨 marked 修正あり.
    """
    errors: dict[str, list[str]] = {}
    if not (consultation.final_url.strip() or consultation.final_file):
        errors["final_url"] = [_("決定版（決定した計画・条例等）のURLを入力するか、ファイルを登録してください。")]
    summary = consultation.revision_summary.strip()
    if consultation.unrevised and summary:
        errors["revision_summary"] = [_("「修正なし」を選んだ場合は、修正内容を空にしてください。")]
    elif not consultation.unrevised and not summary:
        errors["revision_summary"] = [_("案からの修正内容を記載するか、「修正なし」を選んでください。")]
    elif consultation.unrevised and revised_groups:
        errors["unrevised"] = [
            _(
                "意見の概要と市の考え方に「修正あり」が%(n)s件あるため、「修正なし」は選べません。修正内容を記載してください。"
            )
            % {"n": revised_groups}
        ]
    return errors


def consultation_check_update(*, consultation: Consultation, changes: dict[str, Any]) -> None:
    """Raise a field-keyed ValidationError if ``changes`` break the period rules.

    Only an announced case (scheduled or open) is checked here, and only when
    a period field changes; a draft is checked when it opens. Published
    results keep their 決定版 and 差異 (consultation_final_errors).
    """
    candidate = copy.copy(consultation)
    for name, value in changes.items():
        setattr(candidate, name, value)
    if consultation.status == Consultation.Status.PUBLISHED and set(changes) & set(FINAL_FIELDS):
        errors = consultation_final_errors(candidate)
        errors.pop("unrevised", None)
        if errors:
            raise ValidationError(errors)
    if consultation.status not in (
        Consultation.Status.SCHEDULED,
        Consultation.Status.OPEN,
    ) or not set(changes) & set(PERIOD_FIELDS):
        return
    errors = consultation_period_errors(candidate)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def consultation_update(*, consultation: Consultation, actor, changes: dict[str, Any]) -> Consultation:
    """Change fields of a consultation (not its status) with an audit row.

    ``changes`` maps field names to new values; only those that differ from
    the stored row are written and audited (before/after). A scheduled or
    open case must still satisfy the period rules afterwards.
    """
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValueError(f"not updatable here: {sorted(unknown)}")
    stored = Consultation.objects.select_for_update().get(pk=consultation.pk)
    changed = {name: value for name, value in changes.items() if getattr(stored, name) != value}
    if not changed:
        return stored
    consultation_check_update(consultation=stored, changes=changed)
    before = audit_snapshot(stored, changed)
    for name, value in changed.items():
        setattr(stored, name, value)
    stored.full_clean(exclude=[f for f in UPDATABLE_FIELDS if f not in changed])
    stored.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        action="consultation.update",
        target=stored,
        summary=stored.title,
        before=before,
        after=audit_snapshot(stored, changed),
    )
    return stored


@transaction.atomic
def consultation_open(*, consultation: Consultation, actor=None) -> Consultation:
    """Open a consultation now, or schedule it if it starts later."""
    problems = consultation_check_openable(consultation)
    if problems:
        raise ValidationError(problems)
    before = consultation.status
    starts_later = consultation.opens_at and consultation.opens_at > timezone.now()
    consultation.status = Consultation.Status.SCHEDULED if starts_later else Consultation.Status.OPEN
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


# 案の取り下げ is possible once a case is announced and until its results are published.
WITHDRAWABLE_STATUSES = (
    Consultation.Status.SCHEDULED,
    Consultation.Status.OPEN,
    Consultation.Status.CLOSED,
)
WITHDRAWAL_REASON_MAX_CHARS = 2000


@transaction.atomic
def consultation_withdraw(
    *, actor, consultation: Consultation, reason: str, ip_address: str | None = None
) -> Consultation:
    """Withdraw a draft: the city will not make the 命令等 (行政手続法43条4項).

    The fact, the date and the reason are published with the title and the
    公示日 on the case's page, in the list and in the Atom feed; from then on
    the web form, the API and staff entry refuse submissions. Only 広聴 and
    admins (CITYWIDE_ROLES), from 公開予定, 募集中
    or 募集終了; a reason is required.
    """
    if not has_role(actor, *CITYWIDE_ROLES):
        raise PermissionDenied(_("案の取り下げは、広聴担当またはシステム管理者だけが行えます。"))
    stored = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if stored.is_always_open:
        raise ValidationError(_("市長への手紙は取り下げできません。"), code="wrong_kind")
    if stored.status not in WITHDRAWABLE_STATUSES:
        messages = {
            Consultation.Status.WITHDRAWN: _("この案件は既に取り下げられています。"),
            Consultation.Status.PUBLISHED: _("結果を公表した案件は取り下げできません。"),
            Consultation.Status.DRAFT: _(
                "準備中（公示前）の案件は取り下げではなく、管理画面で修正または削除してください。"
            ),
        }
        raise ValidationError(messages[stored.status], code="wrong_state")
    try:
        reason = validate_user_text(reason, max_chars=WITHDRAWAL_REASON_MAX_CHARS, field_label=_("取り下げの理由"))
    except ValidationError as exc:
        raise ValidationError({"reason": exc}) from exc
    before = stored.status
    stored.status = Consultation.Status.WITHDRAWN
    stored.withdrawal_reason = reason
    stored.withdrawn_at = timezone.now()
    stored.save(update_fields=["status", "withdrawal_reason", "withdrawn_at", "updated_at"])
    audit_record(
        actor=actor,
        action="consultation.withdraw",
        target=stored,
        summary=f"{stored.title}：{reason}",
        before={"status": before},
        after={"status": stored.status, "reason": reason, "withdrawn_at": stored.withdrawn_at.isoformat()},
        ip_address=ip_address,
    )
    return stored


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


def consultation_advance_lifecycle(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Open scheduled consultations whose start has come; close expired ones."""
    now = now or timezone.now()
    Status = Consultation.Status
    to_open = Consultation.objects.filter(status=Status.SCHEDULED, opens_at__lte=now)
    to_close = Consultation.objects.filter(status=Status.OPEN, closes_at__lt=now).exclude(kind=Consultation.Kind.LETTER)
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
    final_url: str | None = None,
    final_file=None,
    revision_summary: str | None = None,
    unrevised: bool | None = None,
) -> Consultation:
    """Mark a closed パブリック・コメント published with the counts staff approved.

    The caller (results.services.publication) counts the 意見要旨 and says
    whether the table reconciles; the checks of state are made here, under
    the row lock, so two clicks cannot publish twice. The 決定版 (URL or
    file) and the 差異 (修正内容, or 修正なし) are stored with it; one left
    as None keeps what the case already holds (entered in the admin), and
    consultation_final_errors must find nothing.
    """
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.kind != Consultation.Kind.PUBLIC_COMMENT:
        raise ValidationError(_("結果を公表できるのはパブリック・コメントだけです。"), code="wrong_kind")
    if consultation.status != Consultation.Status.CLOSED:
        raise ValidationError(_("募集終了（集計中）の案件だけを結果公表できます。"), code="wrong_state")
    if decided_on is None:
        raise ValidationError({"decided_on": _("決定日を入力してください。")})
    if not ready:
        message = " ".join(
            [
                _("承認されていない意見要旨があるか、件数が一致していないため公表できません。"),
                *issues,
            ]
        )
        raise ValidationError(message, code="not_ready")
    if final_url is not None:
        consultation.final_url = final_url.strip()
    if final_file:
        consultation.final_file = final_file
    if revision_summary is not None:
        try:
            consultation.revision_summary = validate_user_text(
                revision_summary,
                max_chars=REVISION_SUMMARY_MAX_CHARS,
                field_label=_("案からの修正内容"),
                required=False,
            )
        except ValidationError as exc:
            raise ValidationError({"revision_summary": exc}) from exc
    if unrevised is not None:
        consultation.unrevised = unrevised
    errors = consultation_final_errors(consultation, revised_groups=counts.get("revised_groups") or 0)
    if errors:
        raise ValidationError(errors, code="final_missing")
    consultation.status = Consultation.Status.PUBLISHED
    consultation.decided_on = decided_on
    consultation.published_at = timezone.now()
    consultation.results_counts = counts
    consultation.full_clean(exclude=[f.name for f in Consultation._meta.fields if f.name != "final_url"])
    consultation.save(
        update_fields=[
            "status",
            "decided_on",
            "published_at",
            "results_counts",
            *FINAL_FIELDS,
            "updated_at",
        ]
    )
    # Apps above tell the residents who asked (feedback's 結果公表のお知らせ), after commit.
    consultation_results_published.send(sender=Consultation, consultation=consultation)
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
            "final_url": consultation.final_url,
            "final_file": consultation.final_file.name,
            "revision_summary": consultation.revision_summary,
            "unrevised": consultation.unrevised,
        },
    )
    return consultation


@transaction.atomic
def consultation_survey_results_publish(*, consultation: Consultation, actor, counts: dict) -> Consultation:
    """Mark a closed survey's results published with the tally staff approved.

    The caller (results.services.survey_publication) tallies the answers and
    passes what the public page will show (``counts``: respondents, when
    tallied); the state is checked here under the row lock.
    """
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.kind != Consultation.Kind.SURVEY:
        raise ValidationError(_("調査結果を公表できるのはアンケートだけです。"), code="wrong_kind")
    if consultation.status != Consultation.Status.CLOSED:
        raise ValidationError(_("募集終了（集計中）のアンケートだけを結果公表できます。"), code="wrong_state")
    consultation.status = Consultation.Status.PUBLISHED
    consultation.published_at = timezone.now()
    consultation.results_counts = counts
    consultation.save(update_fields=["status", "published_at", "results_counts", "updated_at"])
    audit_record(
        actor=actor,
        action="consultation.publish_survey_results",
        target=consultation,
        before={"status": "closed"},
        after={"status": "published", **counts},
    )
    return consultation


@transaction.atomic
def consultation_survey_results_unpublish(*, consultation: Consultation, actor, reason: str) -> Consultation:
    """Take a survey's published results down again (back to 募集終了), with a reason."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.kind != Consultation.Kind.SURVEY:
        raise ValidationError(_("公表を取り消せるのはアンケートの調査結果だけです。"), code="wrong_kind")
    if consultation.status != Consultation.Status.PUBLISHED:
        raise ValidationError(_("公表されていない調査結果は取り消せません。"), code="wrong_state")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("公表を取り消す理由を入力してください。")}, code="reason_required")
    before = {
        "status": "published",
        "published_at": consultation.published_at.isoformat() if consultation.published_at else None,
        **(consultation.results_counts or {}),
    }
    consultation.status = Consultation.Status.CLOSED
    consultation.published_at = None
    consultation.results_counts = None
    consultation.save(update_fields=["status", "published_at", "results_counts", "updated_at"])
    audit_record(
        actor=actor,
        action="consultation.unpublish_survey_results",
        target=consultation,
        summary=reason,
        before=before,
        after={"status": "closed", "reason": reason},
    )
    return consultation


# Hyphen look-alikes and spaces a resident may type inside a code (e9e1-326b,
# ０７ＥＤ　ＣＤ５３); generated codes are 8 upper-case hex digits without them.
_INVITATION_CODE_SEPARATORS_RE = re.compile(r"[\s\-－﹣−‐⁃‑‒–—﹘―⎯⏤ーｰ─━]")


def invitation_code_normalize(code: str) -> str:
    """A survey invitation code as issued: NFKC, upper case, no hyphens or spaces.

    e9e1-326b and ０７ＥＤ　ＣＤ５３ are read as E9E1326B and 07EDCD53.
    """
    text = unicodedata.normalize("NFKC", code or "")
    return _INVITATION_CODE_SEPARATORS_RE.sub("", text).upper()


def invitation_code_hash(code: str) -> str:
    """The stored form of a survey invitation code (the code itself is never kept).

    Hashes the normalised code, so a code typed in lower case, in 全角 or
    with hyphens finds the same row; issued codes are already in that form,
    so their stored hashes are unchanged.
    """
    return hashlib.sha256(invitation_code_normalize(code).encode("utf-8")).hexdigest()
