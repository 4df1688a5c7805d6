"""Reads of the 漏えい等事案 register: rows with their deadlines, the timeline, the CSV.

The days left are counted in calendar days from today (Asia/Tokyo) to the
day each term ends; the wording (``Term.text``) is the same on the list,
the detail page and in the CSV, so no page says it in colour alone.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import csv_bytes
from core.incidents.models import Incident
from core.incidents.rules import (
    PRELIMINARY_GUIDANCE_DAYS,
    TRIGGER_TEXT,
    Deadlines,
    Evaluation,
    days_left,
    deadlines_compute,
    triggers_evaluate,
)
from core.models import AuditEvent


@dataclass(frozen=True)
class Term:
    """One report and the day it is due: the 速報 (a target of the guidance) or the 確報."""

    kind: str  # Incident.Report.PRELIMINARY or FINAL
    due: datetime.date
    done_at: datetime.datetime | None
    today: datetime.date

    @property
    def label(self) -> str:
        return str(Incident.Report(self.kind).label)

    @property
    def guidance(self) -> bool:
        """True for the 速報: 「速やかに」, with the guidance's 3–5 days as the target."""
        return self.kind == Incident.Report.PRELIMINARY

    @property
    def pending(self) -> bool:
        return self.done_at is None

    @property
    def days_left(self) -> int:
        return days_left(self.due, self.today)

    @property
    def overdue(self) -> bool:
        return self.pending and self.days_left < 0

    @property
    def text(self) -> str:
        """「あと3日」「本日が期限」「期限を2日過ぎています」, or when it was sent."""
        if not self.pending:
            return _("報告済み（%(at)s）") % {"at": f"{timezone.localtime(self.done_at):%Y-%m-%d %H:%M}"}
        n = self.days_left
        if self.guidance:
            if n > 0:
                return _("目安まであと%(n)s日") % {"n": n}
            if n == 0:
                return _("本日が目安の最終日")
            return _("目安を%(n)s日過ぎています") % {"n": -n}
        if n > 0:
            return _("あと%(n)s日") % {"n": n}
        if n == 0:
            return _("本日が期限")
        return _("期限を%(n)s日過ぎています") % {"n": -n}


@dataclass(frozen=True)
class IncidentRow:
    incident: Incident
    evaluation: Evaluation
    deadlines: Deadlines | None  # None: not reportable
    terms: tuple[Term, ...]

    @property
    def pending_terms(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.pending) if self.incident.is_open else ()

    @property
    def overdue(self) -> bool:
        return any(t.overdue for t in self.pending_terms)

    @property
    def preliminary(self) -> Term | None:
        return next((t for t in self.terms if t.kind == Incident.Report.PRELIMINARY), None)

    @property
    def final(self) -> Term | None:
        return next((t for t in self.terms if t.kind == Incident.Report.FINAL), None)

    @property
    def trigger_items(self) -> list[dict]:
        """Each item of 施行規則43条 with whether it is met, for the detail page."""
        return [
            {"text": text, "where": where, "met": trigger in self.evaluation.matched}
            for trigger, (text, where) in TRIGGER_TEXT.items()
        ]

    @property
    def obligation_text(self) -> str:
        if self.evaluation.reportable:
            items = "・".join(TRIGGER_TEXT[t][1].removeprefix("施行規則43条") for t in self.evaluation.triggers)
            return _("報告対象（施行規則43条%(items)s）") % {"items": items}
        if self.evaluation.matched:
            return _("報告対象外（高度な暗号化等の措置）")
        return _("報告対象外")

    @property
    def next_step(self) -> str:
        """What is left to do, in words."""
        incident = self.incident
        if not incident.is_open:
            return _("終結")
        if not self.evaluation.reportable:
            return _("終結の記録待ち（報告義務なし）")
        if not incident.preliminary_reported_at:
            return _("速報待ち")
        if not incident.final_reported_at:
            return _("確報待ち")
        if not incident.notice:
            return _("本人への通知待ち")
        return _("終結の記録待ち")

    @property
    def sort_key(self) -> tuple:
        """Overdue first (most overdue first), then the nearest term, then the rest; older first."""
        pending = self.pending_terms
        discovered = self.incident.discovered_at.timestamp()
        if pending:
            nearest = min(t.days_left for t in pending)
            return (0 if nearest < 0 else 1, nearest, discovered)
        return (2 if self.evaluation.reportable else 3, 0, discovered)


def incident_row(incident: Incident, *, today: datetime.date | None = None) -> IncidentRow:
    """The incident with its 報告義務 and, when reportable, its two terms."""
    today = today or timezone.localdate()
    evaluation = triggers_evaluate(incident.facts)
    if not evaluation.reportable:
        return IncidentRow(incident=incident, evaluation=evaluation, deadlines=None, terms=())
    deadlines = deadlines_compute(
        discovered_on=timezone.localdate(incident.discovered_at), improper_purpose=evaluation.long_final_term
    )
    terms = (
        Term(Incident.Report.PRELIMINARY, deadlines.preliminary_by, incident.preliminary_reported_at, today),
        Term(Incident.Report.FINAL, deadlines.final_by, incident.final_reported_at, today),
    )
    return IncidentRow(incident=incident, evaluation=evaluation, deadlines=deadlines, terms=terms)


def incident_rows_open(*, today: datetime.date | None = None) -> list[IncidentRow]:
    """Open incidents, overdue first, then by the nearest term."""
    rows = [incident_row(i, today=today) for i in Incident.objects.filter(status=Incident.Status.OPEN)]
    return sorted(rows, key=lambda row: row.sort_key)


def incident_rows_closed(*, today: datetime.date | None = None) -> list[IncidentRow]:
    """Closed incidents, the latest closed first."""
    closed = Incident.objects.filter(status=Incident.Status.CLOSED).order_by("-closed_at", "-id")
    return [incident_row(i, today=today) for i in closed]


@dataclass(frozen=True)
class IncidentCounts:
    open: int
    overdue: int


def incident_counts(*, today: datetime.date | None = None) -> IncidentCounts:
    """How many incidents are open and how many of them are past a term (the staff home's card)."""
    rows = incident_rows_open(today=today)
    return IncidentCounts(open=len(rows), overdue=sum(1 for row in rows if row.overdue))


TIMELINE_LABELS = {
    "incident.create": "事案を記録",
    "incident.update": "内容を変更",
    "incident.report": "個人情報保護委員会への報告を記録",
    "incident.notice": "本人への対応を記録",
    "incident.close": "終結",
}


def incident_timeline(*, incident: Incident) -> list[dict]:
    """The incident's audit rows, oldest first, with Japanese labels."""
    events = AuditEvent.objects.filter(target_type=Incident._meta.label_lower, target_id=str(incident.pk)).order_by(
        "occurred_at", "pk"
    )
    return [
        {
            "at": event.occurred_at,
            "actor": event.actor_label if event.actor_id else _("システム"),
            "label": TIMELINE_LABELS.get(event.action, event.action),
            "summary": event.summary,
        }
        for event in events
    ]


CSV_HEADER = (
    "事案番号",
    "件名",
    "状態",
    "発覚日時",
    "発生日時",
    "報告義務",
    "要配慮個人情報",
    "条例要配慮個人情報",
    "財産的被害のおそれ",
    "不正の目的のおそれ",
    "高度な暗号化等の措置",
    "本人の数",
    "本人の数は推定",
    "速報の目安（最終日）",
    "速報の日時",
    "確報の期限",
    "確報の日時",
    "期限までの残り",
    "本人への対応",
    "本人への対応の日時",
    "通知の方法",
    "通知が困難な理由",
    "代替措置",
    "終結日時",
    "事案の概要",
    "漏えい等した個人情報の項目",
    "関係するシステム・ページ",
    "被害の拡大防止の措置",
    "原因",
    "再発防止策",
    "終結の記録",
)


def _when(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _yes(value: bool) -> str:
    return "はい" if value else "いいえ"


def _csv_row(row: IncidentRow) -> list:
    i = row.incident
    remaining = "／".join(f"{t.label}：{t.text}" for t in row.pending_terms)
    return [
        i.number,
        i.title,
        i.get_status_display(),
        _when(i.discovered_at),
        _when(i.occurred_at),
        row.obligation_text,
        _yes(i.sensitive),
        _yes(i.ordinance_sensitive),
        _yes(i.financial_harm),
        _yes(i.improper_purpose),
        _yes(i.protected),
        i.persons,
        _yes(i.persons_estimated),
        row.deadlines.preliminary_by.isoformat() if row.deadlines else "",
        _when(i.preliminary_reported_at),
        row.deadlines.final_by.isoformat() if row.deadlines else "",
        _when(i.final_reported_at),
        remaining,
        i.get_notice_display(),
        _when(i.notice_at),
        i.notice_method,
        i.notice_difficulty,
        i.notice_substitute,
        _when(i.closed_at),
        i.description,
        i.data_items,
        i.systems,
        i.containment,
        i.cause,
        i.prevention,
        i.closing_note,
    ]


def incident_register_csv(*, today: datetime.date | None = None) -> tuple[bytes, int]:
    """The whole register as CSV (UTF-8 with BOM, CRLF; core.exports), oldest first, and its row count."""
    rows = [incident_row(i, today=today) for i in Incident.objects.order_by("discovered_at", "id")]
    return csv_bytes(header=CSV_HEADER, rows=[_csv_row(r) for r in rows]), len(rows)


# For the page's explanation of the 速報 target.
GUIDANCE_FIRST_DAY, GUIDANCE_LAST_DAY = PRELIMINARY_GUIDANCE_DAYS
