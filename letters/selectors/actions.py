"""Who may act on a 市長への手紙 case now: the rows of letters.workflow.

The "who" and condition names of the transition table are resolved here
as predicates of (user, case); services refuse with them and the case
page offers the rows they allow.
"""

from dataclasses import dataclass

from accounts.access import can_view_personal_data, gives_mayor_approval
from accounts.roles import DEPARTMENT_APPROVER, DEPARTMENT_ROLES, KOUCHOU, has_role
from letters import workflow
from letters.models import LetterCase
from letters.selectors.case import letter_can_reply


def letter_pending_stage(*, case: LetterCase) -> str | None:
    """Return the approval stage (LetterApproval.Stage) the case waits for, or None."""
    return workflow.letter_stage_awaited(case.status, mayor_review=case.mayor_review)


def letter_is_kouchou(*, user) -> bool:
    return has_role(user, KOUCHOU)


def letter_may_draft(*, user, case: LetterCase) -> bool:
    """True for staff and approvers of the 課 the letter was routed to."""
    department_id = case.submission.department_id
    return bool(department_id and user.department_id == department_id and has_role(user, *DEPARTMENT_ROLES))


def _is_approver_in(user, department_id) -> bool:
    return bool(department_id and user.department_id == department_id and has_role(user, DEPARTMENT_APPROVER))


def letter_is_kacho(*, user, case: LetterCase) -> bool:
    """True for an approver of the 課 the letter was routed to."""
    return _is_approver_in(user, case.submission.department_id)


def letter_is_bucho(*, user, case: LetterCase) -> bool:
    """True for an approver of the 部 above that 課 (a 部 has no parent)."""
    department = case.submission.department
    return bool(
        department is not None and _is_approver_in(user, department.parent_id) and user.department.parent_id is None
    )


def letter_is_mayor(*, user, case: LetterCase) -> bool:
    """True for 市長・秘書課 on a letter 広聴 marked 市長確認が必要."""
    return bool(case.mayor_review) and gives_mayor_approval(user)


# The "who" names of letters.workflow, as predicates of (user, case).
LETTER_WHO = {
    workflow.KOUCHOU: lambda user, case: letter_is_kouchou(user=user),
    workflow.KA_STAFF: lambda user, case: letter_may_draft(user=user, case=case),
    workflow.KACHO: lambda user, case: letter_is_kacho(user=user, case=case),
    workflow.BUCHO: lambda user, case: letter_is_bucho(user=user, case=case),
    workflow.MAYOR: lambda user, case: letter_is_mayor(user=user, case=case),
}
# The condition names of letters.workflow, as predicates of the case.
LETTER_CONDITIONS = {
    workflow.CAN_REPLY: lambda case: letter_can_reply(case=case),
    workflow.CONSENT: lambda case: bool(case.submission.publication_consent),
}


def letter_may(*, user, case: LetterCase, who: str) -> bool:
    """True when the user is ``who`` (a letters.workflow name) for this case."""
    return LETTER_WHO[who](user, case)


def letter_condition_met(*, case: LetterCase, condition: str) -> bool:
    return LETTER_CONDITIONS[condition](case)


def letter_transitions_for(*, user, case: LetterCase) -> list[workflow.Transition]:
    """Return the workflow rows this user may take on this case now, in table order."""
    return [
        row
        for row in workflow.letter_transitions_from(case.status, mayor_review=case.mayor_review)
        if letter_may(user=user, case=case, who=row.who)
        and all(letter_condition_met(case=case, condition=c) for c in row.requires)
    ]


@dataclass(frozen=True)
class LetterOffer:
    """One action the case page offers: a workflow row and where it is taken."""

    action: str
    label: str
    url_name: str
    stage: str | None = None
    post: bool = False  # a button that posts at once (send, 市長確認の指定)


def letter_offers(*, user, case: LetterCase) -> list[LetterOffer]:
    """Return the actions to show on the case page, from the workflow rows."""
    offers = []
    for row in letter_transitions_for(user=user, case=case):
        label = row.label
        if row.action == workflow.DRAFT and case.reply_text:
            # A draft sent back to the 課 is revised, not written afresh.
            label = workflow.letter_transition(LetterCase.Status.DRAFTED, workflow.DRAFT).label
        offers.append(
            LetterOffer(
                action=row.action,
                label=str(label),
                url_name=workflow.ACTIONS[row.action].url_name,
                stage=row.stage,
                post=workflow.ACTIONS[row.action].post,
            )
        )
    return offers


# Pages that are not steps of the workflow: 広聴's print-out of an approved
# or sent reply (it shows the address), and the writer's personal data.
PRINTABLE_STATUSES = (LetterCase.Status.APPROVED, LetterCase.Status.SENT)


def letter_allowed_actions(*, user, case: LetterCase) -> set[str]:
    """Return the names of the workflow actions and pages this user may use now."""
    actions = {row.action for row in letter_transitions_for(user=user, case=case)}
    if letter_is_kouchou(user=user) and case.status in PRINTABLE_STATUSES:
        actions.add("print")
    if can_view_personal_data(user=user):
        actions.add("personal_data")
    return actions
