"""Writes shared by every app: the audit log."""

import datetime
import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

from core.models import AuditEvent


def audit_record(
    *,
    actor=None,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip_address: str | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append an audit row; call inside the transaction of the change.

    The actor is kept as written: its id and its display name now
    (``actor_label`` to name it otherwise), so the row still says who it
    was after the account is deleted.
    """
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    if actor_label is None:
        actor_label = str(actor) if is_user else "anonymous"
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=actor_label[:255],
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        summary=summary[:500],
        before=before,
        after=after,
        ip_address=ip_address,
    )


def audit_snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """JSON-safe values of ``fields`` on ``instance`` for an audit row's before/after.

    Dates and times become ISO strings, decimals strings, foreign keys their
    primary key (under the field's name).
    """
    values = {name: getattr(instance, instance._meta.get_field(name).attname) for name in fields}
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


@transaction.atomic
def audit_events_purge_before(*, cutoff: datetime.datetime, actor=None, reason: str = "") -> int:
    """Delete the audit rows older than ``cutoff`` (保存年限), and record that it was done.

    The one way audit rows are ever removed: the model and its queryset
    refuse deletion, and on PostgreSQL a trigger refuses it too unless the
    transaction sets ``koe.audit_purge`` (core migration 0003), which only
    this function does. The purge writes its own row (``audit.purge``: the
    cutoff, how many rows, why), newer than the cutoff, so it survives.
    Returns the number of rows deleted.
    """
    if cutoff.tzinfo is None:
        raise ValueError("cutoff must be timezone-aware")
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL koe.audit_purge = 'on'")
        cursor.execute(f"DELETE FROM {table} WHERE occurred_at < %s", [cutoff])  # noqa: S608 (table name from the model)
        deleted = cursor.rowcount
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL koe.audit_purge = 'off'")
    audit_record(
        actor=actor,
        action="audit.purge",
        target_type=AuditEvent._meta.label_lower,
        summary=(
            f"保存年限を過ぎた監査ログ {deleted}件を削除（{cutoff.isoformat()} より前）"
            + (f"：{reason}" if reason else "")
        ),
        after={"cutoff": cutoff.isoformat(), "deleted": deleted, "reason": reason},
    )
    return deleted
