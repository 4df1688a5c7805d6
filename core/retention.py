"""保存年限: how long each kind of personal record is kept, and the run that ends it.

Each app that holds personal data declares its record kinds in its own
``<app>/retention.py`` with :func:`retention_kind_register` (found like
``admin.py``, by ``autodiscover_modules``), so core — the lowest app — runs
them all without importing the apps above it. A kind says what it is, which
setting gives its years, from when they count, and two functions: ``measure``
(how many records are past the limit, the oldest and newest of their dates)
and ``erase`` (delete or anonymise them; return how many). A kind without
them is declared, not applied: the register and the dry run show it as such.

:func:`retention_apply` runs every kind in one transaction and writes one
audit row per run with the count of each kind (no personal data). Erasing is
idempotent: a record once erased no longer matches ``measure``, so a second
run the same day changes nothing.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from core.services import audit_record
from core.wareki import fiscal_year


@dataclass(frozen=True)
class Affected:
    """Records past their 保存年限: how many, and the span of their dates."""

    count: int = 0
    oldest: datetime.datetime | None = None
    newest: datetime.datetime | None = None


@dataclass(frozen=True)
class RetentionKind:
    key: str
    label: str  # 記録の種類, e.g. 提出者の個人情報
    setting: str  # the settings name holding the years
    counted_from: str  # 起算日, e.g. 案件の募集締切
    action: str  # what happens when the years are over
    measure: Callable[[datetime.datetime], Affected] | None = None
    erase: Callable[[datetime.datetime], int] | None = None
    note: str = ""
    order: int = 100

    @property
    def years(self) -> int:
        return int(getattr(settings, self.setting))

    @property
    def applied(self) -> bool:
        return self.measure is not None and self.erase is not None


@dataclass(frozen=True)
class RetentionOutcome:
    kind: RetentionKind
    cutoff: datetime.datetime
    affected: Affected
    changed: int  # records erased in this run (0 on a dry run or for a declared-only kind)


_KINDS: dict[str, RetentionKind] = {}


def retention_kind_register(kind: RetentionKind) -> RetentionKind:
    """Declare a record kind (called at import of ``<app>/retention.py``)."""
    _KINDS[kind.key] = kind
    return kind


def retention_kinds() -> list[RetentionKind]:
    """Every declared kind, in display order."""
    autodiscover_modules("retention")
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.key))


def retention_kind(key: str) -> RetentionKind | None:
    autodiscover_modules("retention")
    return _KINDS.get(key)


def retention_cutoff(*, years: int, now: datetime.datetime) -> datetime.datetime:
    """Records whose date is before this are past a ``years`` 保存年限 at ``now``.

    With KOE_RETENTION_FROM_NEXT_FISCAL_YEAR (the default) the years count
    from 4月1日 of the fiscal year after the record's date, as 文書管理規程 do:
    a record of 2020-06-01 kept 5 years expires on 2026-04-01, so on that day
    the cutoff is 2021-04-01 (everything of 2020年度 and before is past).
    Otherwise the years count from the day itself.
    """
    if years < 1:
        raise ImproperlyConfigured(f"保存年限は1年以上で指定してください（{years}年が指定されています）。")
    local = timezone.localtime(now)
    if settings.KOE_RETENTION_FROM_NEXT_FISCAL_YEAR:
        start = datetime.datetime(fiscal_year(local.date()) - years, 4, 1)
        return timezone.make_aware(start, timezone.get_default_timezone())
    try:
        return local.replace(year=local.year - years)
    except ValueError:  # 2月29日 in a year that has none
        return local.replace(year=local.year - years, day=28)


def retention_preview(*, now: datetime.datetime | None = None) -> list[RetentionOutcome]:
    """What a run would do now, changing nothing (the dry run)."""
    now = now or timezone.now()
    outcomes = []
    for kind in retention_kinds():
        cutoff = retention_cutoff(years=kind.years, now=now)
        affected = kind.measure(cutoff) if kind.measure else Affected()
        outcomes.append(RetentionOutcome(kind=kind, cutoff=cutoff, affected=affected, changed=0))
    return outcomes


@transaction.atomic
def retention_apply(*, now: datetime.datetime | None = None, source: str = "") -> list[RetentionOutcome]:
    """Erase what is past its 保存年限, every kind, and write one audit row.

    ``source`` says who ran it (``beat``, ``manage.py retention_apply``) and
    goes into the audit row. One transaction: a failure leaves everything as
    it was, and the next run does the whole work again.
    """
    now = now or timezone.now()
    outcomes = []
    for planned in retention_preview(now=now):
        kind = planned.kind
        changed = kind.erase(planned.cutoff) if kind.applied and planned.affected.count else 0
        outcomes.append(RetentionOutcome(kind=kind, cutoff=planned.cutoff, affected=planned.affected, changed=changed))
    audit_record(
        actor_label=f"システム（保存年限の適用：{source or '不明'}）",
        action="retention.apply",
        target_type="retention",
        target_id=timezone.localdate(now).isoformat(),
        summary=_summary(outcomes),
        after={"source": source, "kinds": {o.kind.key: _audit_entry(o) for o in outcomes}},
    )
    return outcomes


def _iso(value: datetime.datetime | None) -> str | None:
    return timezone.localdate(value).isoformat() if value else None


def _audit_entry(outcome: RetentionOutcome) -> dict:
    return {
        "years": outcome.kind.years,
        "cutoff": _iso(outcome.cutoff),
        "applied": outcome.kind.applied,
        "count": outcome.changed,
        "oldest": _iso(outcome.affected.oldest),
        "newest": _iso(outcome.affected.newest),
    }


def _summary(outcomes: list[RetentionOutcome]) -> str:
    parts = [f"{o.kind.label} {o.changed}件" if o.kind.applied else f"{o.kind.label}（未適用）" for o in outcomes]
    return "保存年限を過ぎた個人情報を消去しました：" + "、".join(parts)


def _audit_measure(cutoff: datetime.datetime) -> Affected:
    from django.db.models import Count, Max, Min

    from core.models import AuditEvent

    row = AuditEvent.objects.filter(occurred_at__lt=cutoff).aggregate(
        count=Count("id"), oldest=Min("occurred_at"), newest=Max("occurred_at")
    )
    return Affected(**row)


def _audit_kind() -> RetentionKind:
    """監査ログ: applied through core.services.audit_events_purge_before when it exists."""
    from core import services

    purge = getattr(services, "audit_events_purge_before", None)

    def erase(cutoff: datetime.datetime) -> int:
        return purge(cutoff=cutoff, actor=None, reason="保存年限の適用（core.retention）")

    return RetentionKind(
        key="audit",
        label="監査ログ",
        setting="KOE_RETENTION_YEARS_AUDIT",
        counted_from="記録した日時",
        action="行を削除（削除したこと自体を監査ログに記録）",
        measure=_audit_measure if purge else None,
        erase=erase if purge else None,
        note="" if purge else "監査ログの削除サービスがまだないため、宣言のみで適用していません。",
        order=900,
    )


retention_kind_register(_audit_kind())
