"""The 意見要旨 review as one table: (review state, action, who may, next state).

作成中 → 課長承認 (the 課長 of the case's department) → 広聴確認 → 承認
(both 広聴). Whoever may take a step may instead send the group back with a
reason: the 課長 a 作成中 group back to its 担当 (it stays 作成中, the
reason is recorded) or one it approved, 広聴 from any later state. The
person who took one step may not take the next (職務の分離,
KOE_REVIEW_SEPARATION_OF_DUTIES; ``FORWARD`` are the steps it covers).
Withholding a group from the published table, and undoing it, are steps of
a group that is still 作成中, open to anyone who works on the case.

``opinions.services.answers`` looks a row up to validate a step,
``opinions.selectors.groups`` lists the rows a user may take now, and the
workbench page shows that list. "Who may" names are resolved by
``opinions.selectors.groups.opinion_group_may``. A row's ``checks`` are run
by the service when the step is taken (their messages say what is missing:
empty fields, counts that do not reconcile); the page still offers the step.
A step refused under 職務の分離 is not offered to that person (the page
says why) and is refused by the service as well.
Nothing here touches the database.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from opinions.models import OpinionGroup

Review = OpinionGroup.Review

# ---- Who may act (see opinions.selectors.groups.opinion_group_may) ----
KACHO = "kacho"  # an approver (課長) of the department responsible for the case
KOUCHOU = "kouchou"  # 広聴担当
WORKBENCH = "workbench"  # anyone who may work on the case's 意見の整理

# ---- Actions (the values posted by the page and the API) ----
APPROVE_DEPARTMENT = "approve_department"
CHECK = "check"
APPROVE = "approve"
SEND_BACK = "send_back"
WITHHOLD = "withhold"
UNWITHHOLD = "unwithhold"
REVIEW_ACTIONS = (APPROVE_DEPARTMENT, CHECK, APPROVE, SEND_BACK)
# The forward steps, in order, with the names the messages use for them.
FORWARD = (APPROVE_DEPARTMENT, CHECK, APPROVE)
STEP_NAMES = {
    APPROVE_DEPARTMENT: _("課長承認"),
    CHECK: _("広聴確認"),
    APPROVE: _("承認"),
}

# ---- Checks run when a step is taken (see opinions.services.answers) ----
READY = "ready"  # it has items, (unless withheld) 概要・考え方・対応区分, a 対応区分 only with its 考え方
RECONCILED = "reconciled"  # every item of the case is in exactly one group

# States in which a group's text and items may change (edit, split, move,
# merge, withhold); a group under review must be sent back first.
EDITABLE = (Review.DRAFT,)


@dataclass(frozen=True)
class Action:
    """How an action is refused (the same for every row of it)."""

    name: str
    # Raised as ValidationError when no row starts at the group's state;
    # ``%(state)s`` is the state's label.
    wrong_state: str
    wrong_state_code: str
    # Raised as PermissionDenied when the user is none of the row's "who".
    refused: str
    needs_comment: bool = False


_WRONG_STATE = _("この意見要旨は「%(state)s」のため、この操作はできません。")
_NOT_EDITABLE = _("確認・承認の手続中の意見要旨は変更できません。変更するには差し戻してください。")
_REFUSED = _("この段階の確認・承認を行う権限がありません。")

ACTIONS = {
    a.name: a
    for a in (
        Action(APPROVE_DEPARTMENT, _WRONG_STATE, "wrong_state", _REFUSED),
        Action(CHECK, _WRONG_STATE, "wrong_state", _REFUSED),
        Action(APPROVE, _WRONG_STATE, "wrong_state", _REFUSED),
        Action(SEND_BACK, _WRONG_STATE, "wrong_state", _REFUSED, needs_comment=True),
        Action(
            WITHHOLD,
            _NOT_EDITABLE,
            "not_draft",
            _("この案件の意見要旨を編集する権限がありません。"),
        ),
        Action(
            UNWITHHOLD,
            _NOT_EDITABLE,
            "not_draft",
            _("この案件の意見要旨を編集する権限がありません。"),
        ),
    )
}
COMMENT_REQUIRED = _("差し戻す理由を入力してください。")
# Raised as ValidationError when the person who took the step that brought
# the group to its state tries the next one (KOE_REVIEW_SEPARATION_OF_DUTIES).
SEPARATION_REFUSED = _(
    "この意見要旨の「%(previous)s」を行った本人は、続く「%(step)s」を行えません"
    "（職務の分離）。別の%(who)sが行ってください。"
)
UNKNOWN_ACTION = _("不明な操作です。")


@dataclass(frozen=True)
class Transition:
    source: str  # OpinionGroup.Review
    action: str
    who: tuple[str, ...]  # any of these may take it
    target: str  # OpinionGroup.Review
    label: str  # the button offering it
    checks: tuple[str, ...] = ()


_SEND_BACK_LABEL = _("差し戻す（理由を入力）")

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        Review.DRAFT,
        APPROVE_DEPARTMENT,
        (KACHO,),
        Review.DEPARTMENT_APPROVED,
        _("課長として承認する"),
        checks=(READY,),
    ),
    Transition(Review.DRAFT, SEND_BACK, (KACHO,), Review.DRAFT, _SEND_BACK_LABEL),
    Transition(
        Review.DEPARTMENT_APPROVED,
        CHECK,
        (KOUCHOU,),
        Review.KOUCHOU_CHECKED,
        _("広聴として確認する"),
    ),
    Transition(
        Review.KOUCHOU_CHECKED,
        APPROVE,
        (KOUCHOU,),
        Review.APPROVED,
        _("承認する（公表内容を確定）"),
        checks=(RECONCILED,),
    ),
    Transition(
        Review.DEPARTMENT_APPROVED,
        SEND_BACK,
        (KACHO, KOUCHOU),
        Review.DRAFT,
        _SEND_BACK_LABEL,
    ),
    Transition(Review.KOUCHOU_CHECKED, SEND_BACK, (KOUCHOU,), Review.DRAFT, _SEND_BACK_LABEL),
    Transition(Review.APPROVED, SEND_BACK, (KOUCHOU,), Review.DRAFT, _SEND_BACK_LABEL),
    Transition(
        Review.DRAFT,
        WITHHOLD,
        (WORKBENCH,),
        Review.DRAFT,
        _("公表しない意見要旨にする"),
    ),
    Transition(
        Review.DRAFT,
        UNWITHHOLD,
        (WORKBENCH,),
        Review.DRAFT,
        _("公表する扱いに戻す"),
    ),
)

_BY_KEY = {(t.source, t.action): t for t in TRANSITIONS}


def opinion_transition(state: str, action: str) -> Transition | None:
    """Return the row for this action from this review state, or None."""
    return _BY_KEY.get((state, action))


def opinion_transitions_from(state: str) -> list[Transition]:
    """Return the rows that start at this review state, in table order."""
    return [t for t in TRANSITIONS if t.source == state]


def opinion_action_who(action: str) -> tuple[str, ...] | None:
    """Return who takes the action when that is the same at every state, else None."""
    who = {t.who for t in TRANSITIONS if t.action == action}
    return who.pop() if len(who) == 1 else None


def opinion_review_waits_for(state: str) -> tuple[str, ...]:
    """Return who takes the next forward review step from this state (none once 承認)."""
    for row in opinion_transitions_from(state):
        if row.action in REVIEW_ACTIONS and row.action != SEND_BACK:
            return row.who
    return ()
