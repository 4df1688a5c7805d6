"""Workbench services: split, group, answer, approve; counts; audit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEvent
from feedback.models import Submission
from opinions.models import OpinionGroup, OpinionItem
from opinions.selectors.groups import opinion_counts
from opinions.selectors.text import opinion_group_summary_draft
from opinions.services.answers import (
    opinion_group_review,
    opinion_group_update,
    opinion_group_withhold,
)
from opinions.services.groups import opinion_group_merge
from opinions.services.items import opinion_item_move, opinion_items_split
from opinions.services.seeding import opinion_groups_seed
from tests.feedback.factories import submit

from .conftest import MULTI

pytestmark = pytest.mark.django_db


def _actions(target):
    return list(
        AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


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


def test_public_comment_is_split_grouped_answered_and_approved_with_reconciled_counts(
    case, submissions, people, second_kouchou
):
    consultation, sections = case
    staff, kacho, kouchou = people["staff"], people["kacho"], people["kouchou"]

    # Before anything: every submission counts as one item, none is grouped.
    counts = opinion_counts(consultation=consultation)
    assert (counts.submissions, counts.items, counts.ungrouped_items) == (5, 5, 5)
    assert not counts.reconciled

    # Department staff see masked text, so they split along the masked text.
    items = opinion_items_split(
        actor=staff,
        submission=submissions["multi"],
        parts=["歩道の幅を広げてください。", "自転車レーンを青色で塗装してください。"],
    )
    assert [i.text for i in items] == [
        "歩道の幅を広げてください。",
        "自転車レーンを青色で塗装してください。",
    ]
    assert all(MULTI[i.start : i.end] == i.text for i in items)
    submissions["multi"].refresh_from_db()
    assert submissions["multi"].body == MULTI  # the original never changes

    result = opinion_groups_seed(actor=staff, consultation=consultation)
    # 3 campaign copies share a group; 2 split items and 1 e-mail get one each.
    assert (result.groups_created, result.items_grouped) == (4, 6)
    assert opinion_groups_seed(actor=staff, consultation=consultation).groups_created == 0  # idempotent
    counts = opinion_counts(consultation=consultation)
    assert (counts.submissions, counts.items, counts.groups) == (5, 6, 4)
    assert counts.reconciled, counts.issues
    campaign = OpinionGroup.objects.get(campaign_key="campaign-1")
    assert counts.by_group[campaign.pk] == 3  # 同趣旨 3件, not 3 votes
    channels = {c.channel: (c.submissions, c.items) for c in counts.by_channel}
    assert channels == {"web": (2, 3), "post": (1, 1), "fax": (1, 1), "email": (1, 1)}
    assert sum(c.items for c in counts.by_channel) == counts.items == sum(counts.by_group.values())

    # Group the sidewalk-width item with the campaign, then answer every group.
    width = OpinionItem.objects.get(text="歩道の幅を広げてください。")
    emptied = width.group
    opinion_item_move(actor=staff, item_ids=[width.pk], group=campaign)
    assert not OpinionGroup.objects.filter(pk=emptied.pk).exists()  # 0件 groups disappear
    numbers = list(OpinionGroup.objects.filter(consultation=consultation).values_list("number", flat=True))
    assert numbers == [1, 2, 3]
    for group in OpinionGroup.objects.filter(consultation=consultation):
        _answer(group, staff, section=sections[0])
    campaign.refresh_from_db()
    _answer(
        campaign,
        staff,
        revised=True,
        revised_text="段差の解消を優先して進めます。",
        section=sections[0],
    )

    # 課長 → 広聴 → 承認.
    for group in OpinionGroup.objects.filter(consultation=consultation):
        with pytest.raises(PermissionDenied):
            opinion_group_review(actor=staff, group=group, action="approve_department")
        opinion_group_review(actor=kacho, group=group, action="approve_department")
        with pytest.raises(PermissionDenied):
            opinion_group_review(actor=kacho, group=group, action="check")
        opinion_group_review(actor=kouchou, group=group, action="check")
        opinion_group_review(actor=second_kouchou, group=group, action="approve")
    assert set(OpinionGroup.objects.filter(consultation=consultation).values_list("review", flat=True)) == {"approved"}

    counts = opinion_counts(consultation=consultation)
    assert (counts.submissions, counts.items, counts.groups, counts.revised_groups) == (
        5,
        6,
        3,
        1,
    )
    assert counts.by_group[campaign.pk] == 4 and counts.reconciled

    # Every step left an audit row with before/after.
    split_event = AuditEvent.objects.get(action="opinion_item.split", target_id=str(submissions["multi"].pk))
    assert split_event.before == {"items": []} and len(split_event.after["items"]) == 2
    assert _actions(consultation).count("opinion_group.seed") == 1
    assert _actions(campaign) == [
        "opinion_item.move",
        "opinion_group.update",
        "opinion_group.update",
        "opinion_group.review.approve_department",
        "opinion_group.review.check",
        "opinion_group.review.approve",
    ]
    review = AuditEvent.objects.get(action="opinion_group.review.check", target_id=str(campaign.pk))
    assert review.before == {"review": "dept_approved"} and review.after["review"] == "kouchou_checked"
    update = AuditEvent.objects.filter(action="opinion_group.update", target_id=str(campaign.pk)).order_by("id").last()
    assert update.before["revised"] is False and update.after["revised"] is True


def test_final_approval_waits_until_every_item_is_in_a_group(case, submissions, people, second_kouchou):
    consultation, _sections = case
    opinion_groups_seed(actor=people["kouchou"], consultation=consultation)
    group = OpinionGroup.objects.filter(consultation=consultation).first()
    _answer(group, people["staff"])
    opinion_group_review(actor=people["kacho"], group=group, action="approve_department")
    opinion_group_review(actor=people["kouchou"], group=group, action="check")
    late = submit(consultation, body="夜間の照明を増やしてください。", channel="post")  # arrives by post later

    with pytest.raises(ValidationError) as excinfo:
        opinion_group_review(actor=second_kouchou, group=group, action="approve")
    assert "どの意見要旨にも入っていない意見が1件あります。" in excinfo.value.messages[0]

    opinion_groups_seed(actor=people["kouchou"], consultation=consultation)
    assert late.items.get().group is not None
    assert opinion_group_review(actor=second_kouchou, group=group, action="approve").review == "approved"


def test_withdrawn_submissions_are_not_counted(case, submissions, people):
    consultation, _sections = case
    Submission.objects.filter(pk=submissions["other"].pk).update(status=Submission.Status.WITHDRAWN)
    opinion_groups_seed(actor=people["staff"], consultation=consultation)
    counts = opinion_counts(consultation=consultation)
    assert (counts.submissions, counts.items) == (4, 4)
    assert counts.reconciled
    assert not submissions["other"].items.exists()


def test_unapproved_group_cannot_skip_steps_and_send_back_needs_a_reason(case, submissions, people):
    consultation, _sections = case
    opinion_groups_seed(actor=people["staff"], consultation=consultation)
    group = OpinionGroup.objects.filter(consultation=consultation).first()
    with pytest.raises(ValidationError, match="意見の概要・市の考え方・対応区分を入力してから"):
        opinion_group_review(actor=people["kacho"], group=group, action="approve_department")
    _answer(group, people["staff"])
    with pytest.raises(ValidationError):
        opinion_group_review(actor=people["kouchou"], group=group, action="approve")
    opinion_group_review(actor=people["kacho"], group=group, action="approve_department")

    with pytest.raises(ValidationError, match="確認・承認の手続中"):
        _answer(group, people["staff"], summary="書き換え")
    with pytest.raises(ValidationError) as excinfo:
        opinion_group_review(actor=people["kouchou"], group=group, action="send_back")
    assert excinfo.value.message_dict == {"comment": ["差し戻す理由を入力してください。"]}
    opinion_group_review(
        actor=people["kouchou"],
        group=group,
        action="send_back",
        comment="市の考え方に理由を追記してください。",
    )
    group.refresh_from_db()
    assert group.review == "draft"
    event = AuditEvent.objects.get(action="opinion_group.review.send_back")
    assert event.summary == "市の考え方に理由を追記してください。" and event.before == {"review": "dept_approved"}


def test_approver_of_another_department_cannot_approve(case, submissions, people):
    consultation, _sections = case
    opinion_groups_seed(actor=people["staff"], consultation=consultation)
    group = OpinionGroup.objects.filter(consultation=consultation).first()
    _answer(group, people["staff"])
    with pytest.raises(PermissionDenied):
        opinion_group_review(actor=people["outsider_kacho"], group=group, action="approve_department")
    with pytest.raises(PermissionDenied):
        _answer(group, people["outsider"])
    with pytest.raises(PermissionDenied):
        opinion_groups_seed(actor=people["outsider"], consultation=consultation)
    with pytest.raises(PermissionDenied):
        opinion_items_split(
            actor=people["outsider"],
            submission=submissions["multi"],
            parts=["歩道の幅を広げてください。"],
        )


def test_withholding_requires_a_reason_and_is_logged(case, submissions, people):
    consultation, _sections = case
    opinion_groups_seed(actor=people["staff"], consultation=consultation)
    group = OpinionGroup.objects.filter(consultation=consultation).first()
    with pytest.raises(ValidationError) as excinfo:
        opinion_group_withhold(actor=people["staff"], group=group, reason="   ")
    assert excinfo.value.message_dict == {"reason": ["公表しない理由を入力してください。"]}
    group.refresh_from_db()
    assert not group.withheld

    opinion_group_withhold(
        actor=people["staff"],
        group=group,
        reason="特定の個人を誹謗する内容を含むため（第三者の利益を害するおそれ）",
    )
    group.refresh_from_db()
    assert group.withheld and group.withheld_reason.startswith("特定の個人")
    event = AuditEvent.objects.get(action="opinion_group.withhold")
    assert event.before == {"withheld": False, "withheld_reason": ""} and event.after["withheld"] is True
    # A withheld group still counts and can be approved without a published summary.
    counts = opinion_counts(consultation=consultation)
    assert counts.withheld_groups == 1 and counts.items == 5
    opinion_group_review(actor=people["kacho"], group=group, action="approve_department")


def test_split_parts_must_be_contiguous_excerpts_in_order(case, submissions, people):
    multi = submissions["multi"]
    with pytest.raises(ValidationError, match="1番目の部分が原文の連続した一部になっていません"):
        opinion_items_split(
            actor=people["kouchou"],
            submission=multi,
            parts=["歩道の幅を広げて、自転車レーンを"],
        )
    with pytest.raises(ValidationError, match="2番目の部分"):
        opinion_items_split(
            actor=people["kouchou"],
            submission=multi,
            parts=[
                "自転車レーンを青色で塗装してください。",
                "歩道の幅を広げてください。",
            ],
        )
    # 広聴 may see personal data and splits along the original.
    items = opinion_items_split(
        actor=people["kouchou"],
        submission=multi,
        parts=[
            "川口太郎です。\n歩道の幅を広げてください。",
            "自転車レーンを青色で塗装してください。",
        ],
    )
    assert items[0].text == "川口太郎です。\n歩道の幅を広げてください。"
    # Staff without PII access cannot locate the name: they only see ［氏名］.
    with pytest.raises(ValidationError):
        opinion_items_split(actor=people["staff"], submission=multi, parts=["川口太郎です。"])
    # A masked placeholder maps back to the whole name in the original.
    items = opinion_items_split(actor=people["staff"], submission=multi, parts=["［氏名］です。"])
    assert items[0].text == "川口太郎です。"


def test_split_without_masked_text_is_refused_for_staff_without_pii_access(case, people):
    consultation, _sections = case
    fresh = submit(consultation, body="意見1。意見2。", channel="web")
    with pytest.raises(ValidationError, match="マスク処理が済んでいない"):
        opinion_items_split(actor=people["staff"], submission=fresh, parts=["意見1。"])


def test_resplitting_keeps_the_group_of_the_overlapping_item(case, submissions, people):
    consultation, _sections = case
    opinion_groups_seed(actor=people["staff"], consultation=consultation)
    multi = submissions["multi"]
    group = multi.items.get().group
    items = opinion_items_split(
        actor=people["staff"],
        submission=multi,
        parts=["歩道の幅を広げてください。", "自転車レーンを青色で塗装してください。"],
    )
    assert [i.group_id for i in items] == [None, group.pk] or [i.group_id for i in items] == [group.pk, None]
    counts = opinion_counts(consultation=consultation)
    assert counts.items == 6 and counts.ungrouped_items == 1 and not counts.reconciled


def test_merge_keeps_the_merged_texts_in_the_audit_log(case, submissions, people):
    consultation, _sections = case
    opinion_groups_seed(actor=people["staff"], consultation=consultation)
    first, second, *_rest = OpinionGroup.objects.filter(consultation=consultation).order_by("number")
    _answer(second, people["staff"], summary="統合される概要")
    merged = opinion_group_merge(actor=people["staff"], group=first, others=[second])
    assert merged.items.count() == 4
    assert not OpinionGroup.objects.filter(pk=second.pk).exists()
    event = AuditEvent.objects.get(action="opinion_group.merge")
    assert event.before["merged"][str(second.pk)]["summary"] == "統合される概要"
    assert opinion_counts(consultation=consultation).reconciled


def test_summary_draft_starts_from_masked_text(case, submissions, people):
    consultation, _sections = case
    opinion_items_split(
        actor=people["kouchou"],
        submission=submissions["multi"],
        parts=["いつもお世話になっております。川口太郎です。\n歩道の幅を広げてください。"],
    )
    opinion_groups_seed(actor=people["kouchou"], consultation=consultation)
    group = submissions["multi"].items.get().group
    draft = opinion_group_summary_draft(group=group, user=people["staff"])
    assert "川口太郎" not in draft and "［氏名］" in draft


def test_seeding_again_takes_withdrawn_items_out_of_their_groups(case, submissions, people):
    consultation, _sections = case
    opinion_groups_seed(actor=people["staff"], consultation=consultation)
    other_group = submissions["other"].items.get().group
    Submission.objects.filter(pk=submissions["other"].pk).update(status=Submission.Status.WITHDRAWN)
    assert not opinion_counts(consultation=consultation).reconciled  # a 0件 group is left

    opinion_groups_seed(actor=people["staff"], consultation=consultation)
    assert not OpinionGroup.objects.filter(pk=other_group.pk).exists()
    counts = opinion_counts(consultation=consultation)
    assert counts.reconciled and (counts.submissions, counts.items, counts.groups) == (
        4,
        4,
        2,
    )
    assert list(OpinionGroup.objects.filter(consultation=consultation).values_list("number", flat=True)) == [1, 2]
