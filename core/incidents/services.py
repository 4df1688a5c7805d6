"""Writes of the 漏えい等事案 register: record, change, 報告, 本人への通知, 終結.

Each write locks the incident, checks the facts, saves and appends one audit
row (core.services.audit_record) whose action is ``incident.<step>``; those
rows are the incident's timeline (core.incidents.selectors.incident_timeline).
A ValidationError names the form field it is about, so the page shows it
beside the field with what was typed.

Who may call these is decided above core: the staff pages
(accounts.incident_views) are for ``accounts.roles.INCIDENT_ROLES`` only
(広聴 and admins, accounts.access.may_handle_incidents). core cannot read
roles, so these functions take the actor as given.
"""

import datetime
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.incidents.models import Incident
from core.incidents.rules import TRIGGER_TEXT, Evaluation, deadlines_compute, triggers_evaluate
from core.services import audit_record, audit_snapshot
from core.text import validate_user_text
from core.wareki import fiscal_year

# Longest text of each field (characters, as core.text counts them).
TEXT_MAX_CHARS = {
    "title": 200,
    "description": 4000,
    "data_items": 1000,
    "systems": 1000,
    "containment": 4000,
    "cause": 4000,
    "prevention": 4000,
    "note": 500,
    "notice_method": 200,
    "notice_difficulty": 2000,
    "notice_substitute": 2000,
    "closing_note": 4000,
}
OPTIONAL_TEXT = frozenset({"cause", "prevention"})
# A clock a few minutes ahead on the staff member's PC is not an error.
FUTURE_SLACK = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class IncidentFacts:
    """What staff record about an incident (the form's fields, by the model's names)."""

    title: str
    discovered_at: datetime.datetime
    description: str
    data_items: str
    persons: int
    systems: str
    containment: str
    sensitive: bool = False
    ordinance_sensitive: bool = False
    financial_harm: bool = False
    improper_purpose: bool = False
    protected: bool = False
    persons_estimated: bool = False
    occurred_at: datetime.datetime | None = None
    cause: str = ""
    prevention: str = ""


FACT_FIELDS = tuple(f.name for f in fields(IncidentFacts))


def _label(name: str) -> str:
    return str(Incident._meta.get_field(name).verbose_name)


def _text(value: str, name: str, *, label: str | None = None, required: bool = True) -> str:
    return validate_user_text(
        value, max_chars=TEXT_MAX_CHARS[name], field_label=label or _label(name), required=required
    )


def _not_in_future(value: datetime.datetime, label: str) -> None:
    if value > timezone.now() + FUTURE_SLACK:
        raise ValidationError(_("%(label)sに未来の日時は入力できません。") % {"label": label})


def _clean_facts(data: IncidentFacts) -> dict:
    """The facts as stored, or a ValidationError per field listing every problem."""
    values, errors = {}, {}
    for name in FACT_FIELDS:
        value = getattr(data, name)
        try:
            if name in TEXT_MAX_CHARS:
                value = _text(value, name, required=name not in OPTIONAL_TEXT)
            elif name == "persons":
                if value is None or value < 1:
                    raise ValidationError(
                        _(
                            "本人の数は1以上の整数で入力してください。分からないときは推定した数を入れ、「推定」を選んでください。"
                        )
                    )
            elif name == "discovered_at":
                if value is None:
                    raise ValidationError(_("発覚日時を入力してください。"))
                _not_in_future(value, _label(name))
            elif name == "occurred_at" and value is not None:
                _not_in_future(value, _label(name))
                if data.discovered_at is not None and value > data.discovered_at:
                    raise ValidationError(
                        _("発生日時は発覚日時より後にできません。分からないときは空欄にしてください。")
                    )
        except ValidationError as exc:
            errors[name] = exc
        values[name] = value
    if errors:
        raise ValidationError(errors)
    return values


def _triggers_summary(evaluation: Evaluation) -> str:
    if evaluation.reportable:
        return "報告対象（" + "・".join(TRIGGER_TEXT[t][1].removeprefix("施行規則") for t in evaluation.triggers) + "）"
    if evaluation.matched:
        return "報告対象外（高度な暗号化等の措置）"
    return "報告対象外"


def _evaluation_record(incident: Incident) -> dict:
    """The judgment and deadlines as of now, for the audit row."""
    evaluation = triggers_evaluate(incident.facts)
    record = {"triggers": [str(t) for t in evaluation.triggers], "reportable": evaluation.reportable}
    if evaluation.reportable:
        deadlines = deadlines_compute(
            discovered_on=timezone.localdate(incident.discovered_at), improper_purpose=evaluation.long_final_term
        )
        record.update(
            preliminary_by=deadlines.preliminary_by.isoformat(),
            final_by=deadlines.final_by.isoformat(),
            final_days=deadlines.final_days,
        )
    return record


def _number(discovered_at: datetime.datetime) -> str:
    year = fiscal_year(timezone.localdate(discovered_at))
    prefix = f"INC-{year}-"
    taken = Incident.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1:03d}"


@transaction.atomic
def incident_create(*, actor, facts: IncidentFacts, ip_address: str | None = None) -> Incident:
    """Record a new incident; its 報告義務 and deadlines follow from the facts.

    The 事案番号 is INC-<年度 of the 発覚>-<連番>.
    """
    values = _clean_facts(facts)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                incident = Incident.objects.create(
                    number=_number(values["discovered_at"]),
                    recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                    **values,
                )
            break
        except IntegrityError:  # two recorded at once took the same number: count again
            continue
    else:
        raise ValidationError(_("事案番号を決められませんでした。もう一度記録してください。"))
    evaluation = triggers_evaluate(incident.facts)
    audit_record(
        actor=actor,
        action="incident.create",
        target=incident,
        summary=f"{incident.number} {incident.title}：{_triggers_summary(evaluation)}",
        after={**audit_snapshot(incident, FACT_FIELDS), **_evaluation_record(incident)},
        ip_address=ip_address,
    )
    return incident


def _locked_open(incident: Incident) -> Incident:
    stored = Incident.objects.select_for_update().get(pk=incident.pk)
    if not stored.is_open:
        raise ValidationError(_("終結した事案は変更できません（%(number)s）。") % {"number": stored.number})
    return stored


@transaction.atomic
def incident_update(*, actor, incident: Incident, facts: IncidentFacts, ip_address: str | None = None) -> Incident:
    """Change the facts of an open incident; the 報告義務 and deadlines are judged again."""
    stored = _locked_open(incident)
    values = _clean_facts(facts)
    changed = [name for name in FACT_FIELDS if getattr(stored, name) != values[name]]
    if not changed:
        return stored
    before = {**audit_snapshot(stored, changed), **_evaluation_record(stored)}
    was = triggers_evaluate(stored.facts)
    for name in changed:
        setattr(stored, name, values[name])
    stored.save(update_fields=[*changed, "updated_at"])
    now = triggers_evaluate(stored.facts)
    summary = "変更：" + "、".join(_label(name) for name in changed)
    if was.triggers != now.triggers:
        summary += f"。{_triggers_summary(was)} → {_triggers_summary(now)}"
    audit_record(
        actor=actor,
        action="incident.update",
        target=stored,
        summary=summary,
        before=before,
        after={**audit_snapshot(stored, changed), **_evaluation_record(stored)},
        ip_address=ip_address,
    )
    return stored


def _moment(value: datetime.datetime, incident: Incident, label: str) -> None:
    _not_in_future(value, label)
    if value < incident.discovered_at:
        raise ValidationError(_("%(label)sは発覚日時より前にできません。") % {"label": label})


@transaction.atomic
def incident_report_record(
    *, actor, incident: Incident, kind: str, sent_at: datetime.datetime, note: str = "", ip_address: str | None = None
) -> Incident:
    """Record a report sent to the 個人情報保護委員会: the 速報, the 確報, or one serving as both.

    Each is recorded once; a 確報 needs the 速報 first (a first report that
    already holds every item is recorded as both, as the 委員会's guidance
    allows).
    """
    stored = _locked_open(incident)
    if kind not in Incident.Report.values:
        raise ValidationError({"kind": _("報告の種類を選んでください。")})
    errors = {}
    try:
        _moment(sent_at, stored, _("報告した日時"))
    except ValidationError as exc:
        errors["sent_at"] = exc
    try:
        note = _text(note, "note", label=_("報告の備考"), required=False)
    except ValidationError as exc:
        errors["note"] = exc
    if kind in (Incident.Report.PRELIMINARY, Incident.Report.BOTH) and stored.preliminary_reported_at:
        errors["kind"] = _("速報は既に記録されています（%(at)s）。") % {"at": _local(stored.preliminary_reported_at)}
    elif kind in (Incident.Report.FINAL, Incident.Report.BOTH) and stored.final_reported_at:
        errors["kind"] = _("確報は既に記録されています（%(at)s）。") % {"at": _local(stored.final_reported_at)}
    elif kind == Incident.Report.FINAL and not stored.preliminary_reported_at:
        errors["kind"] = _(
            "確報の前に速報を記録してください。1回の報告ですべての事項を報告したときは「速報と確報を兼ねる報告」を選んでください。"
        )
    elif kind == Incident.Report.FINAL and "sent_at" not in errors and sent_at < stored.preliminary_reported_at:
        errors["sent_at"] = _("確報の日時は速報の日時（%(at)s）より後にしてください。") % {
            "at": _local(stored.preliminary_reported_at)
        }
    if errors:
        raise ValidationError(errors)
    update = []
    if kind in (Incident.Report.PRELIMINARY, Incident.Report.BOTH):
        stored.preliminary_reported_at, stored.preliminary_report_note = sent_at, note
        update += ["preliminary_reported_at", "preliminary_report_note"]
    if kind in (Incident.Report.FINAL, Incident.Report.BOTH):
        stored.final_reported_at, stored.final_report_note = sent_at, note
        update += ["final_reported_at", "final_report_note"]
    stored.save(update_fields=[*update, "updated_at"])
    audit_record(
        actor=actor,
        action="incident.report",
        target=stored,
        summary=f"{Incident.Report(kind).label}（{_local(sent_at)}）" + (f"：{note}" if note else ""),
        after={"kind": kind, "sent_at": sent_at.isoformat(), "note": note},
        ip_address=ip_address,
    )
    return stored


@transaction.atomic
def incident_notice_record(
    *,
    actor,
    incident: Incident,
    notice: str,
    notice_at: datetime.datetime,
    method: str = "",
    difficulty: str = "",
    substitute: str = "",
    ip_address: str | None = None,
) -> Incident:
    """Record the 本人への通知 (法68条2項): how the persons were told, or why that was
    difficult and what took its place (e.g. a notice on the city's site and a
    contact desk). Recording again replaces it; the audit rows keep each one."""
    stored = _locked_open(incident)
    errors = {}
    if notice not in Incident.Notice.values:
        raise ValidationError({"notice": _("本人への対応を選んでください。")})
    try:
        _moment(notice_at, stored, _("本人への対応の日時"))
    except ValidationError as exc:
        errors["notice_at"] = exc
    # form field → (model field, typed text); which are needed depends on the choice.
    texts = {
        "method": ("notice_method", method),
        "difficulty": ("notice_difficulty", difficulty),
        "substitute": ("notice_substitute", substitute),
    }
    needed = {"method"} if notice == Incident.Notice.NOTIFIED else {"difficulty", "substitute"}
    cleaned = {}
    for key, (name, value) in texts.items():
        try:
            cleaned[name] = _text(value, name) if key in needed else ""
        except ValidationError as exc:
            errors[key] = exc
    if errors:
        raise ValidationError(errors)
    fields_ = ["notice", "notice_at", *cleaned]
    before = audit_snapshot(stored, fields_) if stored.notice else None
    stored.notice, stored.notice_at = notice, notice_at
    for name, value in cleaned.items():
        setattr(stored, name, value)
    stored.save(update_fields=[*fields_, "updated_at"])
    detail = cleaned["notice_method"] or cleaned["notice_substitute"]
    audit_record(
        actor=actor,
        action="incident.notice",
        target=stored,
        summary=f"{stored.get_notice_display()}（{_local(notice_at)}）：{detail}",
        before=before,
        after=audit_snapshot(stored, fields_),
        ip_address=ip_address,
    )
    return stored


def close_blockers(incident: Incident) -> list[str]:
    """What must be recorded before a reportable incident may be closed (empty: nothing)."""
    if not triggers_evaluate(incident.facts).reportable:
        return []
    missing = []
    if not incident.preliminary_reported_at:
        missing.append(_("個人情報保護委員会への速報"))
    if not incident.final_reported_at:
        missing.append(_("個人情報保護委員会への確報"))
    if not incident.notice:
        missing.append(_("本人への通知（または通知が困難な場合の代替措置）"))
    return missing


@transaction.atomic
def incident_close(*, actor, incident: Incident, note: str, ip_address: str | None = None) -> Incident:
    """Close an incident: what was done and how it ended.

    A reportable incident closes only once both reports and the 本人への対応
    are recorded.
    """
    stored = _locked_open(incident)
    missing = close_blockers(stored)
    if missing:
        raise ValidationError(
            _("報告対象の事案です。終結の前に、次を記録してください：%(missing)s。") % {"missing": "、".join(missing)}
        )
    try:
        note = _text(note, "closing_note")
    except ValidationError as exc:
        raise ValidationError({"note": exc}) from exc
    stored.status, stored.closed_at, stored.closing_note = Incident.Status.CLOSED, timezone.now(), note
    stored.save(update_fields=["status", "closed_at", "closing_note", "updated_at"])
    audit_record(
        actor=actor,
        action="incident.close",
        target=stored,
        summary=f"終結：{note}",
        before={"status": Incident.Status.OPEN},
        after={"status": stored.status, "closed_at": stored.closed_at.isoformat(), "note": note},
        ip_address=ip_address,
    )
    return stored


@transaction.atomic
def incident_export_record(*, actor, count: int, ip_address: str | None = None) -> None:
    """The register was downloaded (its texts may describe persons): one audit row."""
    audit_record(
        actor=actor,
        action="incident.export",
        target_type=Incident._meta.label_lower,
        summary=f"漏えい等事案の記録をCSVで出力（{count}件）",
        after={"count": count},
        ip_address=ip_address,
    )


def _local(value: datetime.datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
