"""A 市長への手紙 arrives and is routed: open its case, send it to a 課, set its due date."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from core.services import audit_record
from core.text import validate_user_text
from feedback.models import Submission
from letters import workflow
from letters.models import LetterCase
from letters.selectors.case import letter_masked_suggestion
from letters.selectors.inbox import letter_due_on
from letters.services.steps import (
    REPLY_MAX_CHARS,
    case_locked,
    check_no_personal_data,
    set_submission_status,
    transition,
)
from triage.services import submission_assign


def letter_case_open(*, submission) -> LetterCase:
    """Open the 広聴 case of a letter just received (called inside intake's transaction)."""
    return LetterCase.objects.create(submission=submission)


@transaction.atomic
def letter_route(*, actor, case: LetterCase, department: Department, routed_text: str | None = None) -> LetterCase:
    """Send the letter, with personal data masked, to a 課 and set its due date.

    ``routed_text`` is what the 課 will read; it defaults to the masked
    suggestion and must not contain the writer's details.
    """
    case = case_locked(case)
    row = transition(actor=actor, case=case, action=workflow.ROUTE)
    if department.parent_id is None:
        raise ValidationError(_("回付先には部ではなく課を選んでください。"), code="not_a_section")
    text = letter_masked_suggestion(case=case) if routed_text is None else routed_text
    text = validate_user_text(text, max_chars=REPLY_MAX_CHARS, field_label=_("回付用の本文"))
    check_no_personal_data(case.submission, text, _("回付用の本文"))
    before = {
        "status": case.status,
        "department": case.submission.department_id,
        "due_on": case.due_on.isoformat() if case.due_on else None,
    }
    submission_assign(actor=actor, submission_ids=[case.submission_id], department=department)
    submission = Submission.objects.select_related("department").get(pk=case.submission_id)
    set_submission_status(submission, Submission.Status.IN_REVIEW)
    case.submission = submission
    case.status = row.target
    case.routed_by = actor
    case.routed_at = timezone.now()
    case.due_on = letter_due_on(submission=submission)
    case.routed_text = text
    case.save(
        update_fields=[
            "status",
            "routed_by",
            "routed_at",
            "due_on",
            "routed_text",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="letter.route",
        target=case,
        before=before,
        after={
            "status": case.status,
            "department": department.pk,
            "due_on": case.due_on.isoformat(),
        },
    )
    return case
