"""The 市長への手紙 workflow as one table: (status, action, who may, next status).

route (広聴) → draft (回付先の課) → approve by 課長 → 部長 → 広聴 → send (広聴);
any approval may send the draft back to the 課; 広聴 may file a letter
without a reply at any open status, and publish its summary once closed.

A letter 広聴 marked 市長確認が必要 (``LetterCase.mayor_review``, at routing
or later, before sending) has one more approval: after 広聴's, the 市長 (or
秘書課) approves — or sends back — before it can be sent. A row whose
``mayor`` is True or False is for marked or unmarked letters only; None for
both, so an unmarked letter follows exactly the chain above.

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
MAYOR = "mayor"  # 市長・秘書課 (accounts.roles.MAYOR_ROLES), for a marked letter

# ---- Actions ----
ROUTE = "route"
DRAFT = "draft"
APPROVE = "approve"
SEND_BACK = "send_back"
SEND = "send"
FILE = "file"
PUBLISH = "publish"
MARK_MAYOR = "mark_mayor"  # 市長確認が必要にする (after routing; the route form sets it too)
UNMARK_MAYOR = "unmark_mayor"  # 市長確認を不要にする (until 広聴 has approved)

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
    # Offered as a button that posts at once (no page of its own).
    post: bool = False


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
            post=True,
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
        Action(
            MARK_MAYOR,
            _("市長確認は、回付の後、回答の送付前に指定できます（未回付の手紙は回付の画面で指定します）。"),
            "wrong_status",
            _("この操作は広聴担当だけが行えます。"),
            "staff:letter_mayor_review",
            post=True,
        ),
        Action(
            UNMARK_MAYOR,
            _("市長確認の指定は、広聴が承認する前まで取り消せます。"),
            "wrong_status",
            _("この操作は広聴担当だけが行えます。"),
            "staff:letter_mayor_review",
            post=True,
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
    # True: only letters marked 市長確認が必要; False: only unmarked ones; None: both.
    mayor: bool | None = None

    def applies(self, mayor_review: bool) -> bool:
        return self.mayor is None or self.mayor == mayor_review


OPEN = (
    Status.RECEIVED,
    Status.ROUTED,
    Status.DRAFTED,
    Status.KACHO_APPROVED,
    Status.BUCHO_APPROVED,
    Status.KOUCHOU_APPROVED,
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
# The approval chain: the status that waits for a stage, who approves, and
# what follows for a letter without and with the 市長確認 mark. 広聴's approval
# of a marked letter leads to the 市長's instead of to sending; the 市長's
# stage is for marked letters only (None: no such step without the mark).
APPROVAL_CHAIN = (
    (Status.DRAFTED, Stage.KACHO, KACHO, Status.KACHO_APPROVED, Status.KACHO_APPROVED),
    (Status.KACHO_APPROVED, Stage.BUCHO, BUCHO, Status.BUCHO_APPROVED, Status.BUCHO_APPROVED),
    (Status.BUCHO_APPROVED, Stage.KOUCHOU, KOUCHOU, Status.APPROVED, Status.KOUCHOU_APPROVED),
    (Status.KOUCHOU_APPROVED, Stage.MAYOR, MAYOR, None, Status.APPROVED),
)
# Where 広聴 may still change the 市長確認 mark without routing again (the route
# form sets it at 受付 and 回付済み). Marking an approved letter puts it before
# the 市長; the mark cannot be taken off once 広聴 has approved the reply.
MAYOR_MARKABLE = (Status.ROUTED, Status.DRAFTED, Status.KACHO_APPROVED, Status.BUCHO_APPROVED)

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
        for source, stage, who, unmarked, marked in APPROVAL_CHAIN
        for row in (
            *(
                Transition(source, APPROVE, who, target, _("承認する"), stage=stage, mayor=mayor)
                for mayor, target in ({None: marked} if unmarked == marked else {False: unmarked, True: marked}).items()
                if target is not None
            ),
            # Sent back from any stage, the 課 redoes the draft, mark or not.
            Transition(
                source,
                SEND_BACK,
                who,
                Status.ROUTED,
                _("差し戻す（理由を入力）"),
                stage=stage,
                mayor=None if unmarked else True,
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
    *(
        Transition(source, MARK_MAYOR, KOUCHOU, source, _("市長確認が必要にする"), mayor=False)
        for source in MAYOR_MARKABLE
    ),
    Transition(
        Status.APPROVED,
        MARK_MAYOR,
        KOUCHOU,
        Status.KOUCHOU_APPROVED,
        _("市長確認が必要にする（送付の前に市長の確認を受けます）"),
        mayor=False,
    ),
    *(
        Transition(source, UNMARK_MAYOR, KOUCHOU, source, _("市長確認を不要にする"), mayor=True)
        for source in MAYOR_MARKABLE
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

_BY_KEY = {
    (t.source, t.action, mayor_review): t
    for t in TRANSITIONS
    for mayor_review in (False, True)
    if t.applies(mayor_review)
}


def letter_transition(status: str, action: str, *, mayor_review: bool = False) -> Transition | None:
    """Return the row for this action from this status (for a letter with or without the mark), or None."""
    return _BY_KEY.get((status, action, bool(mayor_review)))


def letter_transitions_from(status: str, *, mayor_review: bool = False) -> list[Transition]:
    """Return the rows that start at this status, in table order."""
    return [t for t in TRANSITIONS if t.source == status and t.applies(bool(mayor_review))]


def letter_action_who(action: str) -> str | None:
    """Return who takes the action when that is the same at every status, else None."""
    who = {t.who for t in TRANSITIONS if t.action == action}
    return who.pop() if len(who) == 1 else None


def letter_stage_awaited(status: str, *, mayor_review: bool = False) -> str | None:
    """Return the approval stage a case at this status waits for, or None."""
    row = letter_transition(status, APPROVE, mayor_review=mayor_review)
    return row.stage if row else None
