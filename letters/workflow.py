"""The 市長への手紙 workflow as one table: (status, action, who may, next status).

route (広聴) → draft (回付先の課) → approve by 課長 → 部長 → 広聴 → send (広聴);
any approval may send the draft back to the 課; 広聴 may file a letter
without a reply at any open status, and publish its summary once closed.

Services look a row up to validate an action (``letter_transition`` and
the refusal messages below), selectors list the rows a user may take now
(``letters.selectors.actions.letter_transitions_for``) and the pending
approval stage, and the case page shows the selector's list. "Who may" is
a name resolved by ``letters.selectors.actions.letter_may``; a condition is
a name resolved by ``letter_condition_met``. Nothing here touches the
database.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from letters.models import LetterApproval, LetterCase

Status = LetterCase.Status
Stage = LetterApproval.Stage

# ---- Who may act (see letters.selectors.actions.letter_may) ----
KOUCHOU = "kouchou"  # 広聴担当
KA_STAFF = "ka_staff"  # 職員・課長 of the 課 the letter was routed to
KACHO = "kacho"  # 課長 (an approver) of that 課
BUCHO = "bucho"  # 部長 (an approver) of its 部

# ---- Actions ----
ROUTE = "route"
DRAFT = "draft"
APPROVE = "approve"
SEND_BACK = "send_back"
SEND = "send"
FILE = "file"
PUBLISH = "publish"

# ---- Conditions besides the status (see letter_condition_met) ----
CAN_REPLY = "can_reply"  # a reply was asked for and there is a way to send it
CONSENT = "consent"  # the writer consented to publication


@dataclass(frozen=True)
class Action:
    """How an action is refused and offered (the same for every row of it)."""

    name: str
    # Raised as ValidationError when no row starts at the case's status.
    wrong_status: str
    wrong_status_code: str
    # Raised as PermissionDenied when the user is not the row's "who";
    # ``%(stage)s`` is the approval stage's label.
    refused: str
    # The staff page the action is taken from (url name, args: the case pk).
    url_name: str


ACTIONS = {
    a.name: a
    for a in (
        Action(
            ROUTE,
            _("回答案の作成後や送付・ファイル後は回付先を変更できません。"),
            "wrong_status",
            _("この操作は広聴担当だけが行えます。"),
            "staff:letter_route",
        ),
        Action(
            DRAFT,
            _("この案件は回答案を作成できる状態ではありません。"),
            "wrong_status",
            _("回答案は回付先の課の職員だけが作成できます。"),
            "staff:letter_draft",
        ),
        Action(
            APPROVE,
            _("この案件は承認待ちではありません。"),
            "wrong_stage",
            _("この段階（%(stage)s）の承認者ではありません。"),
            "staff:letter_approve",
        ),
        Action(
            SEND_BACK,
            _("この案件は承認待ちではありません。"),
            "wrong_stage",
            _("この段階（%(stage)s）の承認者ではありません。"),
            "staff:letter_approve",
        ),
        Action(
            SEND,
            _("広聴の確認が済んだ回答だけを送付できます。"),
            "wrong_status",
            _("この操作は広聴担当だけが行えます。"),
            "staff:letter_send",
        ),
        Action(
            FILE,
            _("送付済み・ファイル済みの案件はファイルできません。"),
            "wrong_status",
            _("この操作は広聴担当だけが行えます。"),
            "staff:letter_file",
        ),
        Action(
            PUBLISH,
            _("回答の送付後（またはファイル後）に公表できます。"),
            "wrong_status",
            _("この操作は広聴担当だけが行えます。"),
            "staff:letter_publish",
        ),
    )
}

# Raised as ValidationError when a row's condition does not hold.
CONDITIONS = {
    CAN_REPLY: (
        _("回答希望がないか連絡先がないため、回答しません（広聴担当がファイルします）。"),
        "no_reply",
    ),
    CONSENT: (_("提出者が公表に同意していないため公表できません。"), "no_consent"),
}


@dataclass(frozen=True)
class Transition:
    source: str  # LetterCase.Status
    action: str
    who: str
    target: str  # LetterCase.Status
    label: str  # the button or link offering it
    stage: str | None = None  # LetterApproval.Stage recorded by approve/send_back
    requires: tuple[str, ...] = ()


OPEN = (
    Status.RECEIVED,
    Status.ROUTED,
    Status.DRAFTED,
    Status.KACHO_APPROVED,
    Status.BUCHO_APPROVED,
    Status.APPROVED,
)
CLOSED = (Status.SENT, Status.FILED)
# Where the 所管課 (or its 部) still owes a draft or an approval: reminders go out.
WITH_DEPARTMENT = (
    Status.ROUTED,
    Status.DRAFTED,
    Status.KACHO_APPROVED,
    Status.BUCHO_APPROVED,
)
# The approval chain: the status that waits for a stage, who approves, what follows.
APPROVAL_CHAIN = (
    (Status.DRAFTED, Stage.KACHO, KACHO, Status.KACHO_APPROVED),
    (Status.KACHO_APPROVED, Stage.BUCHO, BUCHO, Status.BUCHO_APPROVED),
    (Status.BUCHO_APPROVED, Stage.KOUCHOU, KOUCHOU, Status.APPROVED),
)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.RECEIVED, ROUTE, KOUCHOU, Status.ROUTED, _("担当課に回付する")),
    Transition(Status.ROUTED, ROUTE, KOUCHOU, Status.ROUTED, _("回付先を変更する")),
    Transition(
        Status.ROUTED,
        DRAFT,
        KA_STAFF,
        Status.DRAFTED,
        _("回答案を作成する"),
        requires=(CAN_REPLY,),
    ),
    Transition(
        Status.DRAFTED,
        DRAFT,
        KA_STAFF,
        Status.DRAFTED,
        _("回答案を修正する"),
        requires=(CAN_REPLY,),
    ),
    *(
        row
        for source, stage, who, target in APPROVAL_CHAIN
        for row in (
            Transition(source, APPROVE, who, target, _("承認する"), stage=stage),
            Transition(
                source,
                SEND_BACK,
                who,
                Status.ROUTED,
                _("差し戻す（理由を入力）"),
                stage=stage,
            ),
        )
    ),
    Transition(
        Status.APPROVED,
        SEND,
        KOUCHOU,
        Status.SENT,
        _("回答を送付する（メール希望はメール送信、郵送希望は郵送済みとして記録）"),
    ),
    *(Transition(source, FILE, KOUCHOU, Status.FILED, _("回答せずファイルする")) for source in OPEN),
    *(
        Transition(
            source,
            PUBLISH,
            KOUCHOU,
            source,
            _("要旨を公表する"),
            requires=(CONSENT,),
        )
        for source in CLOSED
    ),
)

_BY_KEY = {(t.source, t.action): t for t in TRANSITIONS}


def letter_transition(status: str, action: str) -> Transition | None:
    """Return the row for this action from this status, or None."""
    return _BY_KEY.get((status, action))


def letter_transitions_from(status: str) -> list[Transition]:
    """Return the rows that start at this status, in table order."""
    return [t for t in TRANSITIONS if t.source == status]


def letter_action_who(action: str) -> str | None:
    """Return who takes the action when that is the same at every status, else None."""
    who = {t.who for t in TRANSITIONS if t.action == action}
    return who.pop() if len(who) == 1 else None


def letter_stage_awaited(status: str) -> str | None:
    """Return the approval stage a case at this status waits for, or None."""
    row = letter_transition(status, APPROVE)
    return row.stage if row else None
