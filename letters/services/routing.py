"""A 市長への手紙 arrives and is routed: open its case, send it to a 課 with its 分野, set its due date.

広聴 also marks, at routing or later before sending, the letters whose
reply the 市長 must approve (市長確認が必要; the step is letters.workflow's).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from core.services import audit_record
from core.text import validate_user_text
from feedback.models import Submission
from letters import workflow
from letters.models import LetterCase, LetterCategory
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


def _category_check(case: LetterCase, category: LetterCategory | None) -> LetterCategory:
    if category is None:
        raise ValidationError({"category": ValidationError(_("分野を選んでください。"), code="category_required")})
    # An inactive 分野 stays on the letters that have it, and is chosen for no other.
    if not category.active and category.pk != case.category_id:
        raise ValidationError(
            {
                "category": ValidationError(
                    _("分野「%(name)s」は現在使われていません。別の分野を選んでください。"),
                    code="category_inactive",
                    params={"name": category.name},
                )
            }
        )
    return category


@transaction.atomic
def letter_route(
    *,
    actor,
    case: LetterCase,
    department: Department,
    category: LetterCategory | None,
    routed_text: str | None = None,
    mayor_review: bool | None = None,
) -> LetterCase:
    """Send the letter, with personal data masked, to a 課 with its 分野 and set its due date.

    ``category`` (分野) is required. ``routed_text`` is what the 課 will
    read; it defaults to the masked suggestion and must not contain the
    writer's details. ``mayor_review`` sets or clears 市長確認が必要 (None
    keeps the case's).
    """
    case = case_locked(case)
    row = transition(actor=actor, case=case, action=workflow.ROUTE)
    if department.parent_id is None:
        raise ValidationError(_("回付先には部ではなく課を選んでください。"), code="not_a_section")
    category = _category_check(case, category)
    text = letter_masked_suggestion(case=case) if routed_text is None else routed_text
    text = validate_user_text(text, max_chars=REPLY_MAX_CHARS, field_label=_("回付用の本文"))
    check_no_personal_data(case.submission, text, _("回付用の本文"))
    before = {
        "status": case.status,
        "department": case.submission.department_id,
        "due_on": case.due_on.isoformat() if case.due_on else None,
        "category": case.category.code if case.category_id else None,
        "mayor_review": case.mayor_review,
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
    case.category = category
    if mayor_review is not None:
        case.mayor_review = bool(mayor_review)
    case.save(
        update_fields=[
            "status",
            "routed_by",
            "routed_at",
            "due_on",
            "routed_text",
            "category",
            "mayor_review",
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
            "category": category.code,
            "mayor_review": case.mayor_review,
        },
    )
    return case


@transaction.atomic
def letter_mayor_review_set(*, actor, case: LetterCase, required: bool) -> LetterCase:
    """Mark the letter 市長確認が必要 (``required``), or take the mark off.

    Allowed where letters.workflow has a row (回付の後、広聴の承認まで; marking
    a letter 広聴 already approved puts it before the 市長). Asking for what
    the case already is changes nothing.
    """
    case = case_locked(case)
    if case.mayor_review == bool(required):
        return case
    row = transition(actor=actor, case=case, action=workflow.MARK_MAYOR if required else workflow.UNMARK_MAYOR)
    before = {"status": case.status, "mayor_review": case.mayor_review}
    case.mayor_review = bool(required)
    case.status = row.target
    case.save(update_fields=["mayor_review", "status", "updated_at"])
    audit_record(
        actor=actor,
        action=f"letter.{row.action}",
        target=case,
        before=before,
        after={"status": case.status, "mayor_review": case.mayor_review},
    )
    return case
