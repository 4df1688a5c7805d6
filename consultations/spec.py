"""Create consultations from a plain dict spec (demo data, city set-up files)."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import Department
from consultations.models import (
    Choice,
    Consultation,
    DraftSection,
    InvitationCode,
    Question,
)
from consultations.services import closing_moment, invitation_code_hash
from core.services import audit_record
from plans.models import Indicator, Policy

# 5-point agreement scale used by 市民意識調査 indicators; 0 = わからない.
AGREEMENT_SCALE = [
    ("そう思う", 5),
    ("ややそう思う", 4),
    ("どちらともいえない", 3),
    ("あまりそう思わない", 2),
    ("そう思わない", 1),
    ("わからない", 0),
]


def _period(spec: dict, today: datetime.date) -> dict:
    if "opens_in_days" not in spec:
        return {}
    opens_on = today + datetime.timedelta(days=spec["opens_in_days"])
    closes_on = opens_on + datetime.timedelta(days=spec["period_days"] - 1)
    tz = timezone.get_default_timezone()
    return {
        "announced_on": opens_on,
        "opens_at": datetime.datetime.combine(opens_on, datetime.time(0, 0), tzinfo=tz),
        "closes_at": closing_moment(closes_on),
    }


def _add_questions(consultation: Consultation, questions: list[dict]) -> None:
    for number, item in enumerate(questions, start=1):
        indicator = None
        if item.get("indicator"):
            policy_code, index = item["indicator"]
            indicator = (
                Indicator.objects.filter(policy__code=policy_code).order_by("order", "id")[index : index + 1].first()
            )
        question = Question.objects.create(
            consultation=consultation,
            number=number,
            text=item["text"],
            kind=item["kind"],
            required=item.get("required", False),
            max_choices=item.get("max_choices"),
            indicator=indicator,
        )
        labels = (
            AGREEMENT_SCALE
            if item["kind"] == Question.Kind.SCALE5
            else [(label, value) for value, label in enumerate(item.get("choices", []), start=1)]
        )
        Choice.objects.bulk_create(
            Choice(question=question, label=label, value=value, order=order)
            for order, (label, value) in enumerate(labels)
        )


@transaction.atomic
def consultation_create_from_spec(
    *, spec: dict, actor=None, today: datetime.date | None = None
) -> tuple[Consultation, list[str]]:
    """Create one consultation with sections/questions; return it and any invitation codes."""
    today = today or timezone.localdate()
    fields = {
        key: spec[key]
        for key in (
            "kind",
            "title",
            "summary",
            "legal_basis",
            "eligibility",
            "required_identity",
            "submission_address",
            "postal_rule",
            "short_period_reason",
            "target_population",
            "sample_size",
            "invitation_required",
            "allow_anonymous_account",
            "status",
            "max_opinion_chars",
        )
        if key in spec
    }
    consultation = Consultation.objects.create(
        department=Department.objects.filter(code=spec.get("department")).first(),
        created_by=actor,
        **fields,
        **_period(spec, today),
    )
    consultation.policies.set(Policy.objects.filter(code__in=spec.get("policies", [])))
    for order, section in enumerate(spec.get("sections", [])):
        DraftSection.objects.create(consultation=consultation, order=order, **section)
    _add_questions(consultation, spec.get("questions", []))
    codes = [secrets.token_hex(4).upper() for _ in range(spec.get("invitation_codes", 0))]
    InvitationCode.objects.bulk_create(
        InvitationCode(consultation=consultation, code_hash=invitation_code_hash(c)) for c in codes
    )
    audit_record(
        actor=actor,
        action="consultation.create",
        target=consultation,
        after={"kind": consultation.kind},
    )
    return consultation, codes
