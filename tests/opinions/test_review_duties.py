"""Issue #13, "review that a city would accept", for 意見要旨.

職務の分離 (whoever took one review step may not take the next one,
KOE_REVIEW_SEPARATION_OF_DUTIES), a send-back with a required reason at
every step and in the group's 経過, no review without 市の考え方 once a
対応区分 is chosen, and one ungrouped count on the workbench.
"""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.roles import DEPARTMENT_APPROVER, KOUCHOU
from core.models import AuditEvent
from opinions import workflow
from opinions.models import OpinionGroup
from opinions.selectors.groups import opinion_group_actions, opinion_group_review_actions
from opinions.services.answers import opinion_group_review, opinion_group_update, opinion_group_withhold
from opinions.services.seeding import opinion_groups_seed
from tests.accounts.factories import StaffUserFactory

pytestmark = pytest.mark.django_db
Review = OpinionGroup.Review
CHECKED_THEN_APPROVE = (
    "この意見要旨の「広聴確認」を行った本人は、続く「承認」を行えません（職務の分離）。別の広聴担当が行ってください。"
)
REASON_REQUIRED = "差し戻す理由を入力してください。"
RESPONSE_FIRST = "市の考え方を入力してから確認に回してください。"


@pytest.fixture
def group(case, submissions, people):
    consultation, _sections = case
    opinion_groups_seed(actor=people["kouchou"], consultation=consultation)
    group = OpinionGroup.objects.filter(consultation=consultation).first()
    _answer(group, people["staff"])
    return group


def _answer(group, actor, **overrides):
    fields = {
        "summary": "歩道の段差の解消を求める意見",
        "response": "段差の解消を順次進めます。",
        "decision": OpinionGroup.Decision.REFLECTED,
        "revised": False,
        "revised_text": "",
        "section": None,
    }
    return opinion_group_update(actor=actor, group=group, **{**fields, **overrides})


def _page(client, user, group):
    client.force_login(user)
    url = f"/staff/consultations/{group.consultation_id}/workbench/groups/{group.pk}/"
    return client.get(url).content.decode()


def _review_url(group):
    return f"/staff/consultations/{group.consultation_id}/workbench/groups/{group.pk}/review/"


def _api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


# ---- 1. 職務の分離 ----


def test_the_kouchou_who_checked_a_group_may_not_approve_it_too(client, group, people, second_kouchou):
    kouchou = people["kouchou"]
    opinion_group_review(actor=people["kacho"], group=group, action=workflow.APPROVE_DEPARTMENT)
    opinion_group_review(actor=kouchou, group=group, action=workflow.CHECK)
    group.refresh_from_db()

    with pytest.raises(ValidationError) as exc:
        opinion_group_review(actor=kouchou, group=group, action=workflow.APPROVE)
    assert exc.value.code == "separation_of_duties"
    assert exc.value.messages == [CHECKED_THEN_APPROVE]
    group.refresh_from_db()
    assert group.review == Review.KOUCHOU_CHECKED

    # Not offered to them (the page says why), still offered to the other 広聴.
    assert opinion_group_review_actions(user=kouchou, group=group) == [(workflow.SEND_BACK, "差し戻す（理由を入力）")]
    assert workflow.APPROVE in opinion_group_actions(user=second_kouchou, group=group)
    page = _page(client, kouchou, group)
    assert 'value="approve"' not in page and CHECKED_THEN_APPROVE in page
    assert 'value="send_back"' in page
    refused = client.post(_review_url(group), {"review-action": "approve"})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert CHECKED_THEN_APPROVE in refused.content.decode()
    over_api = _api(kouchou).post(f"/api/v1/staff/opinion-groups/{group.pk}/review/", {"action": "approve"})
    assert over_api.status_code == HTTPStatus.BAD_REQUEST
    assert CHECKED_THEN_APPROVE in str(over_api.json())
    page = _page(client, second_kouchou, group)
    assert 'value="approve"' in page and CHECKED_THEN_APPROVE not in page

    assert opinion_group_review(actor=second_kouchou, group=group, action=workflow.APPROVE).review == Review.APPROVED
    approvers = AuditEvent.objects.filter(target_id=str(group.pk), action__startswith="opinion_group.review.")
    assert list(approvers.order_by("pk").values_list("actor_id", flat=True)) == [
        people["kacho"].pk,
        kouchou.pk,
        second_kouchou.pk,
    ]


def test_the_kacho_who_is_also_kouchou_may_not_check_what_they_approved(org, group, people):
    both = StaffUserFactory(roles=[DEPARTMENT_APPROVER, KOUCHOU], department=org["road"])
    opinion_group_review(actor=both, group=group, action=workflow.APPROVE_DEPARTMENT)
    group.refresh_from_db()
    assert workflow.CHECK not in opinion_group_actions(user=both, group=group)
    with pytest.raises(ValidationError) as exc:
        opinion_group_review(actor=both, group=group, action=workflow.CHECK)
    assert exc.value.messages == [
        "この意見要旨の「課長承認」を行った本人は、続く「広聴確認」を行えません（職務の分離）。別の広聴担当が行ってください。"
    ]
    assert opinion_group_review(actor=people["kouchou"], group=group, action=workflow.CHECK).review == (
        Review.KOUCHOU_CHECKED
    )


def test_after_a_send_back_the_steps_start_again(group, people):
    kouchou = people["kouchou"]
    opinion_group_review(actor=people["kacho"], group=group, action=workflow.APPROVE_DEPARTMENT)
    opinion_group_review(actor=kouchou, group=group, action=workflow.CHECK)
    # The one who checked may still send it back (that is no next step).
    opinion_group_review(actor=kouchou, group=group, action=workflow.SEND_BACK, comment="根拠を追記してください。")
    opinion_group_review(actor=people["kacho"], group=group, action=workflow.APPROVE_DEPARTMENT)
    # The step before 広聴確認 is now the 課長's: the same 広聴 may check again.
    assert opinion_group_review(actor=kouchou, group=group, action=workflow.CHECK).review == Review.KOUCHOU_CHECKED


def test_separation_of_duties_can_be_turned_off(settings, group, people):
    settings.KOE_REVIEW_SEPARATION_OF_DUTIES = False
    kouchou = people["kouchou"]
    opinion_group_review(actor=people["kacho"], group=group, action=workflow.APPROVE_DEPARTMENT)
    opinion_group_review(actor=kouchou, group=group, action=workflow.CHECK)
    group.refresh_from_db()
    assert workflow.APPROVE in opinion_group_actions(user=kouchou, group=group)
    assert opinion_group_review(actor=kouchou, group=group, action=workflow.APPROVE).review == Review.APPROVED


def test_the_setting_is_on_by_default():
    from django.conf import settings

    assert settings.KOE_REVIEW_SEPARATION_OF_DUTIES is True


# ---- 2. 差し戻し at every step, with a reason ----


@pytest.mark.parametrize(
    ("state", "who"),
    [
        (Review.DRAFT, "kacho"),
        (Review.DEPARTMENT_APPROVED, "kouchou"),
        (Review.KOUCHOU_CHECKED, "kouchou"),
    ],
)
def test_whoever_may_take_a_step_may_send_back_instead_and_only_with_a_reason(client, state, who, group, people):
    OpinionGroup.objects.filter(pk=group.pk).update(review=state)
    group.refresh_from_db()
    actor = people[who]
    offered = dict(opinion_group_review_actions(user=actor, group=group))
    assert workflow.SEND_BACK in offered and len(offered) == 2
    page = _page(client, actor, group)
    assert 'name="review-action" value="send_back"' in page

    for blank in ("", "  ", "\u3000"):
        with pytest.raises(ValidationError) as exc:
            opinion_group_review(actor=actor, group=group, action=workflow.SEND_BACK, comment=blank)
        assert exc.value.message_dict == {"comment": [REASON_REQUIRED]}
    refused = client.post(_review_url(group), {"review-action": "send_back", "review-comment": " "})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert REASON_REQUIRED in refused.content.decode()
    over_api = _api(actor).post(
        f"/api/v1/staff/opinion-groups/{group.pk}/review/", {"action": "send_back", "comment": ""}
    )
    assert over_api.status_code == HTTPStatus.BAD_REQUEST
    assert over_api.json() == {"comment": [REASON_REQUIRED]}
    group.refresh_from_db()
    assert group.review == state
    assert not AuditEvent.objects.filter(action="opinion_group.review.send_back").exists()


def test_the_kacho_sends_a_draft_back_and_the_reason_is_in_the_history(client, group, people):
    reason = "市の考え方に、段差解消の対象路線と時期を書いてください。"
    assert "課長として承認する" in _page(client, people["kacho"], group)
    sent = client.post(_review_url(group), {"review-action": "send_back", "review-comment": reason})
    assert sent.status_code == HTTPStatus.FOUND
    group.refresh_from_db()
    assert group.review == Review.DRAFT  # back with its 担当, still editable
    event = AuditEvent.objects.get(action="opinion_group.review.send_back", target_id=str(group.pk))
    assert event.summary == reason and event.after == {"review": "draft", "comment": reason}
    assert event.actor_id == people["kacho"].pk

    page = _page(client, people["staff"], group)
    history = page[page.index('id="history"') :]
    assert "差し戻し" in history and f"理由：{reason}" in history
    assert str(people["kacho"]) in history


def test_a_send_back_by_kouchou_after_approval_is_in_the_history(client, group, people, second_kouchou):
    opinion_group_review(actor=people["kacho"], group=group, action=workflow.APPROVE_DEPARTMENT)
    opinion_group_review(actor=people["kouchou"], group=group, action=workflow.CHECK)
    opinion_group_review(actor=second_kouchou, group=group, action=workflow.APPROVE)
    opinion_group_review(actor=second_kouchou, group=group, action=workflow.SEND_BACK, comment="誤字を訂正します。")
    page = _page(client, people["staff"], group)
    history = page[page.index('id="history"') :]
    for step in (
        "課長承認（課長承認済み）",
        "広聴確認（広聴確認済み）",
        "承認（承認済み）",
        "理由：誤字を訂正します。",
    ):
        assert step in history, step


# ---- 3. 対応区分 without 市の考え方 ----


def test_a_decision_without_a_response_is_saved_as_a_draft_but_not_sent_for_review(client, group, people):
    _answer(group, people["staff"], response="")  # saving the draft is fine
    group.refresh_from_db()
    assert group.decision == OpinionGroup.Decision.REFLECTED and group.response == ""
    with pytest.raises(ValidationError) as exc:
        opinion_group_review(actor=people["kacho"], group=group, action=workflow.APPROVE_DEPARTMENT)
    assert exc.value.messages == [RESPONSE_FIRST]
    client.force_login(people["kacho"])
    refused = client.post(_review_url(group), {"review-action": "approve_department"})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert RESPONSE_FIRST in refused.content.decode()
    group.refresh_from_db()
    assert group.review == Review.DRAFT


def test_a_withheld_group_with_a_decision_needs_its_response_too(group, people):
    _answer(group, people["staff"], response="", summary="")
    opinion_group_withhold(actor=people["staff"], group=group, reason="第三者の利益を害するおそれがあるため")
    group.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        opinion_group_review(actor=people["kacho"], group=group, action=workflow.APPROVE_DEPARTMENT)
    assert exc.value.messages == [RESPONSE_FIRST]
    _answer(group, people["staff"], response="", summary="", decision="")
    group.refresh_from_db()
    assert opinion_group_review(actor=people["kacho"], group=group, action=workflow.APPROVE_DEPARTMENT).review == (
        Review.DEPARTMENT_APPROVED
    )


# ---- 4. The ungrouped count and "ありません" agree ----


def test_the_workbench_says_ありません_only_when_nothing_is_ungrouped(client, case, submissions, people):
    consultation, _sections = case
    client.force_login(people["kouchou"])
    url = f"/staff/consultations/{consultation.pk}/workbench/"
    # Five submissions, none split or grouped: counted as 5 ungrouped 意見, none listed as an item.
    page = client.get(url).content.decode()
    section = page[page.index('id="ungrouped"') : page.index('id="submissions"')]
    assert "どの意見要旨にも入っていない意見が5件あります。" in section
    assert "うち5件は分割していない提出です" in section
    assert "ありません" not in section

    opinion_groups_seed(actor=people["kouchou"], consultation=consultation)
    page = client.get(url).content.decode()
    section = page[page.index('id="ungrouped"') : page.index('id="submissions"')]
    assert "ありません" in section
    assert "どの意見要旨にも入っていない意見が" not in page[page.index('id="counts"') :]
