"""Taking one step of letters.workflow, shared by every 市長への手紙 service.

Every step locks the case row, looks its action up in the table of
``letters.workflow`` (which status it starts from, who may take it, what
else must hold, the status it leads to) and refuses otherwise; the
services then write an audit row in the same transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from feedback.models import Submission
from letters import workflow
from letters.models import LetterApproval, LetterCase
from letters.selectors.actions import letter_condition_met, letter_may
from letters.selectors.case import letter_personal_data_in

REPLY_MAX_CHARS = 8000
Stage = LetterApproval.Stage


def case_locked(case: LetterCase) -> LetterCase:
    return (
        LetterCase.objects.select_for_update(of=("self",))
        .select_related("submission", "submission__department")
        .get(pk=case.pk)
    )


def refused(action: workflow.Action, stage: str | None) -> PermissionDenied:
    label = Stage(stage).label if stage else ""
    return PermissionDenied(str(action.refused) % {"stage": label})


def require_who(actor, case: LetterCase, action: str) -> None:
    """Refuse early an action only one kind of user ever takes (広聴, the 課)."""
    who = workflow.letter_action_who(action)
    if who is not None and not letter_may(user=actor, case=case, who=who):
        raise refused(workflow.ACTIONS[action], None)


def transition(*, actor, case: LetterCase, action: str, stage: str | None = None) -> workflow.Transition:
    """Return the workflow row for ``action`` from the case's status, or refuse.

    The order of refusals: not the kind of user for this action at all
    (PermissionDenied); no row from this status (ValidationError); for an
    approval, the stage the approver saw has passed (ValidationError); not
    the row's approver (PermissionDenied); a condition of the row fails
    (ValidationError).
    """
    rule = workflow.ACTIONS[action]
    require_who(actor, case, action)
    row = workflow.letter_transition(case.status, action, mayor_review=case.mayor_review)
    if row is None:
        raise ValidationError(rule.wrong_status, code=rule.wrong_status_code)
    if stage is not None and stage != row.stage:
        raise ValidationError(
            _("この回答案は既に別の段階に進んでいます。画面を更新してください。"),
            code="wrong_stage",
        )
    if not letter_may(user=actor, case=case, who=row.who):
        raise refused(rule, row.stage)
    for condition in row.requires:
        if not letter_condition_met(case=case, condition=condition):
            message, code = workflow.CONDITIONS[condition]
            raise ValidationError(message, code=code)
    return row


def check_no_personal_data(submission: Submission, text: str, field_label: str) -> None:
    if letter_personal_data_in(submission=submission, text=text):
        raise ValidationError(
            _("%(field)sに提出者の個人情報（氏名・住所・連絡先など）が含まれています。伏せてから保存してください。"),
            code="personal_data",
            params={"field": field_label},
        )


def set_submission_status(submission: Submission, status: str) -> None:
    if submission.status != status:
        submission.status = status
        submission.save(update_fields=["status"])
