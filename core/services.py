"""Writes shared by every app: the audit log."""

import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

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
) -> AuditEvent:
    """Append an audit row; call inside the transaction of the change."""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=str(actor) if is_user else "anonymous",
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
