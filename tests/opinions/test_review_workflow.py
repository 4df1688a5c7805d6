"""Walk the 意見要旨 review table (opinions.workflow) row by row.

Each row works for the people it names and is refused, with its Japanese
message, for everyone else; each action is refused from every state that
has no row for it; the selector offers exactly the rows a person may take.
Who is who is written down here independently of the predicates.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from opinions import workflow
from opinions.models import OpinionGroup
from opinions.selectors.groups import (
    opinion_group_actions,
    opinion_group_review_actions,
    opinion_group_transitions_for,
)
from opinions.services.answers import (
    opinion_group_review,
    opinion_group_unwithhold,
    opinion_group_update,
    opinion_group_withhold,
)
from opinions.services.seeding import opinion_groups_seed

pytestmark = pytest.mark.django_db
Review = OpinionGroup.Review
PEOPLE = ("staff", "kacho", "kouchou", "outsider", "outsider_kacho")
# The case belongs to 道路課: who is who for it.
WHO = {
    workflow.KACHO: {"kacho"},
    workflow.KOUCHOU: {"kouchou"},
    workflow.WORKBENCH: {"staff", "kacho", "kouchou"},
}
NOT_ON_THE_CASE = "この案件の意見要旨を編集する権限がありません。"


class _Rollback(Exception):
    pass


@pytest.fixture
def group_at(case, submissions, people):
    consultation, _sections = case
    opinion_groups_seed(actor=people["kouchou"], consultation=consultation)
    group = OpinionGroup.objects.filter(consultation=consultation).first()
    opinion_group_update(
        actor=people["staff"],
        group=group,
        summary="歩道の段差の解消を求める意見",
        response="段差の解消を順次進めます。",
        decision=OpinionGroup.Decision.REFLECTED,
        revised=False,
        revised_text="",
        section=None,
    )

    def at(state, **fields):
        OpinionGroup.objects.filter(pk=group.pk).update(review=state, **fields)
        return OpinionGroup.objects.get(pk=group.pk)

    return at


def _who_may(who: tuple[str, ...]) -> set[str]:
    return set().union(*(WHO[w] for w in who))


def _take(action, *, actor, group):
    if action == workflow.WITHHOLD:
        return opinion_group_withhold(actor=actor, group=group, reason="第三者の利益を害するおそれがあるため")
    if action == workflow.UNWITHHOLD:
        return opinion_group_unwithhold(actor=actor, group=group)
    return opinion_group_review(actor=actor, group=group, action=action, comment="理由を明記してください。")


def _fresh(group):
    return OpinionGroup.objects.get(pk=group.pk)


ROWS = [pytest.param(row, id=f"{row.source}-{row.action}") for row in workflow.TRANSITIONS]


@pytest.mark.parametrize("row", ROWS)
def test_each_row_works_for_whom_it_names_and_is_refused_for_the_rest(row, group_at, people):
    withheld = row.action == workflow.UNWITHHOLD
    group = group_at(row.source, withheld=withheld, withheld_reason="理由" * withheld)
    for who in PEOPLE:
        actor = people[who]
        if who in _who_may(row.who):
            try:
                with transaction.atomic():
                    _take(row.action, actor=actor, group=group)
                    after = _fresh(group)
                    assert after.review == row.target, who
                    if row.action in (workflow.WITHHOLD, workflow.UNWITHHOLD):
                        assert after.withheld is (row.action == workflow.WITHHOLD)
                    raise _Rollback
            except _Rollback:
                pass
        else:
            with pytest.raises(PermissionDenied) as exc:
                _take(row.action, actor=actor, group=group)
            on_the_case = who in WHO[workflow.WORKBENCH]
            expected = str(workflow.ACTIONS[row.action].refused) if on_the_case else NOT_ON_THE_CASE
            assert str(exc.value) == expected, who
        assert _fresh(group).review == row.source


@pytest.mark.parametrize("action", list(workflow.ACTIONS))
def test_each_action_is_refused_from_every_state_without_a_row(action, group_at, people):
    rule = workflow.ACTIONS[action]
    uniform = workflow.opinion_action_who(action)
    actor = people[sorted(_who_may(uniform))[0] if uniform else "kouchou"]
    for state in Review.values:
        if workflow.opinion_transition(state, action) is not None:
            continue
        group = group_at(state)
        with pytest.raises(ValidationError) as exc:
            _take(action, actor=actor, group=group)
        label = dict(Review.choices)[state]
        assert exc.value.messages == [str(rule.wrong_state) % {"state": label}], state
        assert exc.value.code == rule.wrong_state_code
        assert _fresh(group).review == state


def test_send_back_needs_a_reason_before_who_is_checked(group_at, people):
    group = group_at(Review.KOUCHOU_CHECKED)
    for who in ("kouchou", "kacho"):
        with pytest.raises(ValidationError) as exc:
            opinion_group_review(actor=people[who], group=group, action=workflow.SEND_BACK, comment=" ")
        assert exc.value.message_dict == {"comment": ["差し戻す理由を入力してください。"]}


def test_unknown_actions_and_withholding_are_not_review_steps(group_at, people):
    group = group_at(Review.DRAFT)
    for action in ("publish", workflow.WITHHOLD):
        with pytest.raises(ValidationError) as exc:
            opinion_group_review(actor=people["kouchou"], group=group, action=action)
        assert exc.value.code == "unknown_action"
        assert exc.value.messages == ["不明な操作です。"]


def test_the_checks_of_a_row_run_when_it_is_taken(group_at, people):
    group = group_at(Review.DRAFT, summary="")
    with pytest.raises(ValidationError) as exc:
        opinion_group_review(actor=people["kacho"], group=group, action=workflow.APPROVE_DEPARTMENT)
    assert exc.value.code == "incomplete"
    # Still offered: the message says what is missing.
    assert workflow.APPROVE_DEPARTMENT in opinion_group_actions(user=people["kacho"], group=group)


@pytest.mark.parametrize("state", Review.values)
def test_the_selector_offers_exactly_the_rows_a_person_may_take(state, group_at, people):
    group = group_at(state)
    rows = workflow.opinion_transitions_from(state)
    for who in PEOPLE:
        expected = [row for row in rows if who in _who_may(row.who)]
        assert opinion_group_transitions_for(user=people[who], group=group) == expected
        assert opinion_group_actions(user=people[who], group=group) == {row.action for row in expected}
        assert opinion_group_review_actions(user=people[who], group=group) == [
            (row.action, str(row.label)) for row in expected if row.action in workflow.REVIEW_ACTIONS
        ], who


def test_the_table_covers_the_review():
    keys = [(t.source, t.action) for t in workflow.TRANSITIONS]
    assert len(keys) == len(set(keys))
    forward = [
        (t.source, t.target)
        for t in workflow.TRANSITIONS
        if t.action in workflow.REVIEW_ACTIONS and t.action != workflow.SEND_BACK
    ]
    assert forward == [
        (Review.DRAFT, Review.DEPARTMENT_APPROVED),
        (Review.DEPARTMENT_APPROVED, Review.KOUCHOU_CHECKED),
        (Review.KOUCHOU_CHECKED, Review.APPROVED),
    ]
    # Whoever may take a step may send the group back from there instead (the
    # 課長 a 作成中 group back to its 担当), and 広聴 once it is approved.
    assert {t.source for t in workflow.TRANSITIONS if t.action == workflow.SEND_BACK} == set(Review.values)
    for t in workflow.TRANSITIONS:
        if t.action in workflow.FORWARD:
            send_back = workflow.opinion_transition(t.source, workflow.SEND_BACK)
            assert set(t.who) <= set(send_back.who), t
    assert all(
        t.source in workflow.EDITABLE
        for t in workflow.TRANSITIONS
        if t.action in (workflow.WITHHOLD, workflow.UNWITHHOLD)
    )


@pytest.mark.parametrize(
    ("state", "who"),
    [
        (Review.DRAFT, "kacho"),
        (Review.DEPARTMENT_APPROVED, "kouchou"),
        (Review.KOUCHOU_CHECKED, "kouchou"),
        (Review.APPROVED, "kouchou"),
        (Review.DEPARTMENT_APPROVED, "staff"),
    ],
)
def test_the_group_page_shows_the_offered_steps(client, state, who, group_at, people, case):
    consultation, _sections = case
    group = group_at(state)
    client.force_login(people[who])
    page = client.get(f"/staff/consultations/{consultation.pk}/workbench/groups/{group.pk}/").content.decode()
    offered = opinion_group_review_actions(user=people[who], group=group)
    for action, label in offered:
        assert f'value="{action}"' in page and label in page
    for row in workflow.TRANSITIONS:
        if row.action in workflow.REVIEW_ACTIONS and (row.action, str(row.label)) not in offered:
            assert f'name="review-action" value="{row.action}"' not in page
    assert ('id="withhold"' in page) is (state in workflow.EDITABLE)
    if not offered:
        assert "次の確認・承認は広聴担当が行います。" in page
