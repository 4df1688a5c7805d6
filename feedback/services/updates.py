"""Writes to a stored submission after intake. The text itself never changes:
only what staff decide about it (所管課, 状態, 施策) and what the analysis suggests."""

from django.db import transaction

from core.services import audit_record
from feedback.models import Submission
from plans.models import Policy

# The fields triage may change, with the audit action for each.
TRIAGE_FIELDS = {
    "department": "submission.assign",
    "status": "submission.status",
    "policy": "submission.topic",
}


@transaction.atomic
def submission_triage_update(
    *,
    submission: Submission,
    actor,
    field: str,
    value,
    before_extra: dict | None = None,
) -> bool:
    """Set one triage field (a model instance or a status value); audit it; return whether it changed."""
    if field not in TRIAGE_FIELDS:
        raise ValueError(f"not a triage field: {field}")
    attname = Submission._meta.get_field(field).attname
    before = getattr(submission, attname)
    setattr(submission, field, value)
    after = getattr(submission, attname)
    if before == after:
        return False
    submission.save(update_fields=[field])
    audit_record(
        actor=actor,
        action=TRIAGE_FIELDS[field],
        target=submission,
        before={field: before, **(before_extra or {})},
        after={field: after},
    )
    return True


def submission_suggestion_apply(
    *,
    submission_id: int,
    policy_code: str | None,
    confidence: float | None,
    group_key: str,
) -> None:
    """Copy the current model's suggestion onto the submission for the queue (nlp calls this)."""
    policy_id = Policy.objects.filter(code=policy_code).values_list("pk", flat=True).first() if policy_code else None
    Submission.objects.filter(pk=submission_id).update(
        suggested_policy_id=policy_id,
        suggestion_confidence=confidence,
        duplicate_group_key=group_key,
    )
