"""Walk the 市長への手紙 transition table (letters.workflow) row by row.

Each row works for the people it names and is refused, with its Japanese
message, for everyone else; each action is refused from every status that
has no row for it; the selector offers exactly the rows a person may take.
Every test runs for a letter without and with the 市長確認 mark (a row's
``mayor`` says which it is for). Who is who is written down here
independently of the predicates.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from letters import workflow
from letters.models import LetterApproval, LetterCase
from letters.selectors.actions import (
    letter_allowed_actions,
    letter_offers,
    letter_pending_stage,
    letter_transitions_for,
)
from letters.services import (
    letter_file,
    letter_mayor_review_set,
    letter_publish,
    letter_reply_approve,
    letter_reply_draft,
    letter_reply_send,
    letter_route,
)
from tests.letters.factories import letter_category

pytestmark = pytest.mark.django_db
Status = LetterCase.Status
Stage = LetterApproval.Stage
REPLY = "ご意見ありがとうございます。青木町公園には来年度ベンチを3基増設する予定です。"
PEOPLE = ("kouchou", "staff", "kacho", "bucho", "other_staff", "other_kacho", "mayor", "citizen")
# The letter is routed to 公園課 (都市計画部): who is who for it.
WHO = {
    workflow.KOUCHOU: {"kouchou"},
    workflow.KA_STAFF: {"staff", "kacho"},
    workflow.KACHO: {"kacho"},
    workflow.BUCHO: {"bucho"},
    workflow.MAYOR: {"mayor"},  # on a marked letter only: the rows for the 市長 are marked-only
}
TRACKS = (False, True)  # LetterCase.mayor_review


class _Rollback(Exception):
    pass


def _case_at(make_letter, people, org, status, *, mayor_review=False, **kwargs):
    """A letter routed to 公園課 with a draft, put at ``status`` (marked 市長確認が必要 or not)."""
    case = make_letter(**kwargs)
    letter_route(
        actor=people["kouchou"],
        case=case,
        category=letter_category(),
        department=org["koen"],
        mayor_review=mayor_review,
    )
    LetterCase.objects.filter(pk=case.pk).update(status=status, reply_text=REPLY)
    return LetterCase.objects.select_related("submission").get(pk=case.pk)


def _take(action, *, actor, case, org, stage=None):
    if action == workflow.ROUTE:
        return letter_route(actor=actor, case=case, category=letter_category(), department=org["koen"])
    if action == workflow.DRAFT:
        return letter_reply_draft(actor=actor, case=case, text=REPLY)
    if action in (workflow.APPROVE, workflow.SEND_BACK):
        return letter_reply_approve(
            actor=actor,
            case=case,
            approved=action == workflow.APPROVE,
            comment="" if action == workflow.APPROVE else "予定時期を明記してください。",
            stage=stage,
        )
    if action == workflow.SEND:
        return letter_reply_send(actor=actor, case=case)
    if action == workflow.FILE:
        return letter_file(actor=actor, case=case, disposition=LetterCase.Disposition.DEFAMATION)
    if action in (workflow.MARK_MAYOR, workflow.UNMARK_MAYOR):
        return letter_mayor_review_set(actor=actor, case=case, required=action == workflow.MARK_MAYOR)
    if action == workflow.PUBLISH:
        return letter_publish(
            actor=actor,
            case=case,
            summary="公園のベンチの増設について",
            reply_summary="来年度に3基増設する予定です。",
        )
    raise AssertionError(action)


def _status(case):
    return LetterCase.objects.get(pk=case.pk).status


def _refusal(row):
    message = str(workflow.ACTIONS[row.action].refused)
    return message % {"stage": Stage(row.stage).label if row.stage else ""}


ROWS = [
    pytest.param(row, marked, id=f"{row.source}-{row.action}-{'marked' if marked else 'unmarked'}")
    for row in workflow.TRANSITIONS
    for marked in TRACKS
    if row.applies(marked)
]


@pytest.mark.parametrize(("row", "marked"), ROWS)
def test_each_row_works_for_whom_it_names_and_is_refused_for_the_rest(row, marked, make_letter, people, org):
    case = _case_at(make_letter, people, org, row.source, mayor_review=marked)
    for who in PEOPLE:
        actor = people[who]
        if who in WHO[row.who]:
            try:
                with transaction.atomic():
                    _take(row.action, actor=actor, case=case, org=org, stage=row.stage)
                    assert _status(case) == row.target, who
                    raise _Rollback
            except _Rollback:
                pass
        else:
            with pytest.raises(PermissionDenied) as exc:
                _take(row.action, actor=actor, case=case, org=org, stage=row.stage)
            assert str(exc.value) == _refusal(row), who
        assert _status(case) == row.source


@pytest.mark.parametrize("marked", TRACKS)
@pytest.mark.parametrize("action", list(workflow.ACTIONS))
def test_each_action_is_refused_from_every_status_without_a_row(action, marked, make_letter, people, org):
    rule = workflow.ACTIONS[action]
    uniform = workflow.letter_action_who(action)
    actor = people[sorted(WHO[uniform])[0] if uniform else "kouchou"]
    for status in Status.values:
        if workflow.letter_transition(status, action, mayor_review=marked) is not None:
            continue
        case = _case_at(make_letter, people, org, status, mayor_review=marked)
        if action == workflow.SEND and status == Status.SENT:
            # Sending again is not an error: it changes and sends nothing.
            assert _take(action, actor=actor, case=case, org=org).status == Status.SENT
            continue
        if (action, marked) in ((workflow.MARK_MAYOR, True), (workflow.UNMARK_MAYOR, False)):
            # Asking for the mark the letter already has is not an error: nothing changes.
            assert _take(action, actor=actor, case=case, org=org).status == status
            assert LetterCase.objects.get(pk=case.pk).mayor_review is marked
            continue
        with pytest.raises(ValidationError) as exc:
            _take(action, actor=actor, case=case, org=org)
        assert exc.value.messages == [str(rule.wrong_status)], status
        assert exc.value.code == rule.wrong_status_code
        assert _status(case) == status


def test_an_action_only_one_kind_of_user_takes_is_refused_before_the_status(make_letter, people, org):
    case = _case_at(make_letter, people, org, Status.SENT)
    with pytest.raises(PermissionDenied) as exc:
        letter_route(actor=people["staff"], case=case, category=letter_category(), department=org["koen"])
    assert str(exc.value) == "この操作は広聴担当だけが行えます。"
    with pytest.raises(PermissionDenied) as exc:
        letter_reply_draft(actor=people["other_staff"], case=case, text=REPLY)
    assert str(exc.value) == "回答案は回付先の課の職員だけが作成できます。"


def test_a_stale_stage_is_refused_before_who_approves(make_letter, people, org):
    case = _case_at(make_letter, people, org, Status.KACHO_APPROVED)
    with pytest.raises(ValidationError) as exc:
        letter_reply_approve(actor=people["kacho"], case=case, approved=True, stage=Stage.KACHO)
    assert exc.value.code == "wrong_stage"
    assert exc.value.messages == ["この回答案は既に別の段階に進んでいます。画面を更新してください。"]


def test_conditions_of_a_row_are_checked_and_not_offered(make_letter, people, org):
    no_reply = _case_at(make_letter, people, org, Status.ROUTED, reply_requested=False)
    with pytest.raises(ValidationError) as exc:
        letter_reply_draft(actor=people["staff"], case=no_reply, text=REPLY)
    assert exc.value.code == "no_reply"
    assert exc.value.messages == [str(workflow.CONDITIONS[workflow.CAN_REPLY][0])]
    assert workflow.DRAFT not in {r.action for r in letter_transitions_for(user=people["staff"], case=no_reply)}

    no_consent = _case_at(make_letter, people, org, Status.FILED, publication_consent=False)
    with pytest.raises(ValidationError) as exc:
        _take(workflow.PUBLISH, actor=people["kouchou"], case=no_consent, org=org)
    assert exc.value.code == "no_consent"
    assert exc.value.messages == ["提出者が公表に同意していないため公表できません。"]
    assert letter_transitions_for(user=people["kouchou"], case=no_consent) == []


@pytest.mark.parametrize("marked", TRACKS)
@pytest.mark.parametrize("status", Status.values)
def test_the_selector_offers_exactly_the_rows_a_person_may_take(status, marked, make_letter, people, org):
    case = _case_at(make_letter, people, org, status, mayor_review=marked)
    rows = workflow.letter_transitions_from(status, mayor_review=marked)
    for who in PEOPLE:
        expected = [row for row in rows if who in WHO[row.who]]
        assert letter_transitions_for(user=people[who], case=case) == expected, who
        assert [o.action for o in letter_offers(user=people[who], case=case)] == [row.action for row in expected]
        workflow_actions = letter_allowed_actions(user=people[who], case=case) - {
            "print",
            "personal_data",
        }
        assert workflow_actions == {row.action for row in expected}, who
    assert letter_pending_stage(case=case) == next(
        (
            stage
            for source, stage, _w, unmarked, then_marked in workflow.APPROVAL_CHAIN
            if source == status and (then_marked if marked else unmarked) is not None
        ),
        None,
    )


def test_the_table_covers_the_workflow():
    keys = [(t.source, t.action, marked) for t in workflow.TRANSITIONS for marked in TRACKS if t.applies(marked)]
    assert len(keys) == len(set(keys))
    assert set(workflow.OPEN) | set(workflow.CLOSED) == set(Status.values)
    # Only publication (which keeps the status) starts from a closed case.
    assert {t.action for t in workflow.TRANSITIONS if t.source in workflow.CLOSED} == {workflow.PUBLISH}
    assert [stage for _s, stage, *_rest in workflow.APPROVAL_CHAIN] == Stage.values
    assert Stage.values == ["kacho", "bucho", "kouchou", "mayor"]


def _chain(marked):
    """The statuses an approved draft passes through, following APPROVE rows from 回答案作成済み."""
    status, path = Status.DRAFTED, []
    while (row := workflow.letter_transition(status, workflow.APPROVE, mayor_review=marked)) is not None:
        path.append((row.stage, row.target))
        status = row.target
    return path


def test_only_a_marked_letter_has_the_mayors_step_and_it_comes_last():
    assert _chain(False) == [
        (Stage.KACHO, Status.KACHO_APPROVED),
        (Stage.BUCHO, Status.BUCHO_APPROVED),
        (Stage.KOUCHOU, Status.APPROVED),
    ]
    assert _chain(True) == [
        (Stage.KACHO, Status.KACHO_APPROVED),
        (Stage.BUCHO, Status.BUCHO_APPROVED),
        (Stage.KOUCHOU, Status.KOUCHOU_APPROVED),
        (Stage.MAYOR, Status.APPROVED),
    ]
    # Sending starts only where the chain ends, for both.
    assert [t.source for t in workflow.TRANSITIONS if t.action == workflow.SEND] == [Status.APPROVED]
    # An unmarked letter's rows are exactly those of the table without the 市長確認 rows.
    unmarked = [t for t in workflow.TRANSITIONS if t.applies(False)]
    assert {t.who for t in unmarked} == {workflow.KOUCHOU, workflow.KA_STAFF, workflow.KACHO, workflow.BUCHO}
    assert all(t.source != Status.KOUCHOU_APPROVED or t.action == workflow.FILE for t in unmarked)


@pytest.mark.parametrize(
    ("status", "who", "marked"),
    [
        (Status.RECEIVED, "kouchou", False),
        (Status.ROUTED, "staff", False),
        (Status.ROUTED, "kouchou", False),
        (Status.DRAFTED, "kacho", False),
        (Status.KACHO_APPROVED, "bucho", False),
        (Status.BUCHO_APPROVED, "kouchou", False),
        (Status.BUCHO_APPROVED, "kouchou", True),
        (Status.KOUCHOU_APPROVED, "mayor", True),
        (Status.APPROVED, "kouchou", False),
        (Status.SENT, "kouchou", False),
    ],
)
def test_the_case_page_shows_the_offered_actions(client, status, who, marked, make_letter, people, org):
    case = _case_at(make_letter, people, org, status, mayor_review=marked)
    LetterCase.objects.filter(pk=case.pk).update(reply_text="")
    client.force_login(people[who])
    page = client.get(reverse("staff:letter_detail", args=[case.pk])).content.decode()
    offered = letter_offers(user=people[who], case=LetterCase.objects.get(pk=case.pk))
    assert offered
    for offer in offered:
        assert offer.label in page
        if offer.action not in (workflow.APPROVE, workflow.SEND_BACK):
            assert reverse(offer.url_name, args=[case.pk]) in page
    not_offered = {workflow.ROUTE, workflow.DRAFT, workflow.FILE, workflow.PUBLISH} - {o.action for o in offered}
    for action in not_offered:
        assert reverse(workflow.ACTIONS[action].url_name, args=[case.pk]) not in page
