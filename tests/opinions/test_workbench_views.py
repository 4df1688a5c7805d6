"""Workbench pages: plain forms, department isolation, masked text."""

from http import HTTPStatus

import pytest

from core.models import AuditEvent
from opinions.models import OpinionGroup, OpinionItem

from .conftest import CAMPAIGN

pytestmark = pytest.mark.django_db


def _url(consultation, rest=""):
    return f"/staff/consultations/{consultation.pk}/workbench/{rest}"


def _login(client, user):
    client.force_login(user)
    return client


def test_overview_shows_counts_and_the_table(client, case, submissions, people):
    consultation, _sections = case
    _login(client, people["staff"])
    assert client.post(_url(consultation, "seed/")).status_code == HTTPStatus.FOUND
    page = client.get(_url(consultation)).content.decode()
    assert "提出者数" in page and "5人（通）" in page and "5件" in page
    assert "件数は一致しています。" in page
    assert "（同趣旨 3件）" in page
    for heading in (
        "番号",
        "該当箇所",
        "意見の概要",
        "市の考え方",
        "修正の有無",
        "確認状況",
    ):
        assert f'<th scope="col">{heading}</th>' in page
    assert "ウェブフォーム" in page and "郵送" in page and "FAX" in page


def test_a_group_is_answered_and_approved_through_the_pages(client, case, submissions, people):
    consultation, sections = case
    _login(client, people["staff"])
    client.post(_url(consultation, "seed/"))
    group = OpinionGroup.objects.get(campaign_key="campaign-1")
    group_url = _url(consultation, f"groups/{group.pk}/")

    page = client.get(group_url).content.decode()
    assert "意見の概要の下書き（自動作成）" in page
    assert "代表意見と同じ文面です。" in page  # campaign copies are identical

    invalid = client.post(
        group_url,
        {
            "summary": "概要",
            "response": "",
            "decision": "reflected",
            "revised": "on",
            "revised_text": "",
            "section": sections[0].pk,
        },
    )
    assert invalid.status_code == HTTPStatus.BAD_REQUEST
    assert "修正する場合は修正後の文案を入力してください。" in invalid.content.decode()

    saved = client.post(
        group_url,
        {
            "summary": "歩道の段差の解消を求める意見",
            "response": "順次解消します。",
            "decision": "reflected",
            "revised_text": "",
            "section": sections[0].pk,
        },
    )
    assert saved.status_code == HTTPStatus.FOUND
    group.refresh_from_db()
    assert group.summary == "歩道の段差の解消を求める意見" and group.section == sections[0]

    review_url = _url(consultation, f"groups/{group.pk}/review/")
    assert client.post(review_url, {"review-action": "approve_department"}).status_code == HTTPStatus.FORBIDDEN
    _login(client, people["kacho"])
    assert "課長として承認する" in client.get(group_url).content.decode()
    assert client.post(review_url, {"review-action": "approve_department"}).status_code == HTTPStatus.FOUND
    _login(client, people["kouchou"])
    client.post(review_url, {"review-action": "check"})
    group.refresh_from_db()
    assert group.review == "kouchou_checked"
    back = client.post(review_url, {"review-action": "send_back", "review-comment": ""})
    assert back.status_code == HTTPStatus.BAD_REQUEST
    assert "差し戻す理由を入力してください。" in back.content.decode()
    assert AuditEvent.objects.filter(target_id=str(group.pk), action__startswith="opinion_group.review").count() == 2


def test_split_page_shows_masked_text_and_splits_along_it(client, case, submissions, people):
    consultation, _sections = case
    multi = submissions["multi"]
    _login(client, people["staff"])
    url = _url(consultation, f"submissions/{multi.pk}/split/")
    page = client.get(url).content.decode()
    assert "［氏名］" in page and "川口太郎" not in page
    response = client.post(
        url,
        {"parts_text": "歩道の幅を広げてください。\r\n---\r\n自転車レーンを青色で塗装してください。"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert list(multi.items.values_list("text", flat=True)) == [
        "歩道の幅を広げてください。",
        "自転車レーンを青色で塗装してください。",
    ]

    wrong = client.post(url, {"parts_text": "歩道を広げて"})
    assert wrong.status_code == HTTPStatus.BAD_REQUEST
    assert "1番目の部分が原文の連続した一部になっていません" in wrong.content.decode()


def test_member_texts_are_masked_for_staff_without_pii_permission(client, case, submissions, people):
    consultation, _sections = case
    _login(client, people["kouchou"])
    client.post(_url(consultation, "seed/"))
    multi_item = submissions["multi"].items.get()
    campaign = OpinionGroup.objects.get(campaign_key="campaign-1")
    client.post(
        _url(consultation, "move/"),
        {"move-items": [multi_item.pk], "move-target": str(campaign.pk)},
    )
    assert OpinionItem.objects.get(pk=multi_item.pk).group == campaign
    group_url = _url(consultation, f"groups/{campaign.pk}/")

    assert "川口太郎" in client.get(group_url).content.decode()  # 広聴 may see personal data
    _login(client, people["staff"])
    page = client.get(group_url).content.decode()
    assert "川口太郎" not in page and "［氏名］" in page
    assert "個人情報はマスクして表示しています。" in page
    # The diff against the representative is marked in text, not only by colour.
    assert "<ins>〔追加：" in page and "<del>〔削除：" in page
    assert CAMPAIGN[:6] in page


def test_department_user_cannot_open_or_change_another_departments_case(client, case, submissions, people):
    consultation, _sections = case
    _login(client, people["kouchou"])
    client.post(_url(consultation, "seed/"))
    group = OpinionGroup.objects.filter(consultation=consultation).first()
    multi = submissions["multi"]

    _login(client, people["outsider"])
    assert client.get(_url(consultation)).status_code == HTTPStatus.NOT_FOUND
    assert client.get(_url(consultation, f"groups/{group.pk}/")).status_code == HTTPStatus.NOT_FOUND
    assert client.get(_url(consultation, f"submissions/{multi.pk}/split/")).status_code == HTTPStatus.NOT_FOUND
    assert client.post(_url(consultation, "seed/")).status_code == HTTPStatus.NOT_FOUND
    assert client.post(_url(consultation, f"groups/{group.pk}/"), {"summary": "x"}).status_code == HTTPStatus.NOT_FOUND
    assert (
        client.post(_url(consultation, f"groups/{group.pk}/withhold/"), {"withhold-reason": "x"}).status_code
        == HTTPStatus.NOT_FOUND
    )
    assert (
        client.post(
            _url(consultation, f"groups/{group.pk}/review/"),
            {"review-action": "approve_department"},
        ).status_code
        == HTTPStatus.NOT_FOUND
    )
    group.refresh_from_db()
    assert group.summary == "" and not group.withheld and group.review == "draft"


def test_withhold_form_requires_a_reason(client, case, submissions, people):
    consultation, _sections = case
    _login(client, people["staff"])
    client.post(_url(consultation, "seed/"))
    group = OpinionGroup.objects.filter(consultation=consultation).first()
    url = _url(consultation, f"groups/{group.pk}/withhold/")
    response = client.post(url, {"withhold-reason": ""})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "公表しない理由を入力してください。" in response.content.decode()
    assert client.post(url, {"withhold-reason": "第三者の利益を害するおそれ"}).status_code == HTTPStatus.FOUND
    group.refresh_from_db()
    assert group.withheld and AuditEvent.objects.filter(action="opinion_group.withhold").count() == 1


def test_citizens_and_anonymous_users_are_kept_out(client, case):
    consultation, _sections = case
    assert client.get(_url(consultation)).status_code == HTTPStatus.FOUND  # to the login page
    from tests.accounts.factories import UserFactory

    _login(client, UserFactory())
    assert client.get(_url(consultation)).status_code == HTTPStatus.FORBIDDEN


def test_published_table_preview_and_csv_leave_out_withheld_rows(client, case, submissions, people):
    from opinions.services.answers import opinion_group_update, opinion_group_withhold

    consultation, sections = case
    _login(client, people["staff"])
    client.post(_url(consultation, "seed/"))
    campaign, *others = OpinionGroup.objects.filter(consultation=consultation).order_by("number")
    opinion_group_update(
        actor=people["staff"],
        group=campaign,
        summary="段差の解消を求める意見",
        response="順次解消します。",
        decision="reflected",
        revised=True,
        revised_text="段差を解消する。",
        section=sections[0],
    )
    opinion_group_withhold(actor=people["staff"], group=others[0], reason="特定の近隣住民を中傷する内容")

    page = client.get(_url(consultation, "table/")).content.decode()
    assert "プレビューです。" in page and "段差の解消を求める意見" in page and "（同趣旨 3件）" in page
    assert "1項目の意見の概要を公表していません" in page and "特定の近隣住民" not in page

    response = client.get(_url(consultation, "table.csv"))
    body = response.content.decode("utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith("\ufeff番号,該当箇所,意見の概要,同趣旨件数,市の考え方,対応区分,修正の有無,修正後の文案\r\n")
    assert "1,2-1 歩道の整備,段差の解消を求める意見,3,順次解消します。,反映,有,段差を解消する。\r\n" in body
    assert body.count("\r\n") == 1 + len(others)  # header + rows not withheld
    _login(client, people["outsider"])
    assert client.get(_url(consultation, "table.csv")).status_code == HTTPStatus.NOT_FOUND


def test_table_csv_neutralises_formula_injection(client, case, submissions, people):
    import csv
    import io

    from opinions.services.answers import opinion_group_update

    consultation, sections = case
    _login(client, people["staff"])
    client.post(_url(consultation, "seed/"))
    group = OpinionGroup.objects.filter(consultation=consultation).order_by("number").first()
    injection = '=HYPERLINK("http://x")'
    opinion_group_update(
        actor=people["staff"],
        group=group,
        summary=injection,
        response="@SUM(A1)",
        decision="reflected",
        revised=False,
        revised_text="",
        section=sections[0],
    )
    body = client.get(_url(consultation, "table.csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body, newline="")))
    row = next(r for r in rows[1:] if r[0] == str(group.number))
    assert row[2] == "'" + injection and row[4] == "'@SUM(A1)"
    assert injection not in [cell for r in rows for cell in r]


def test_items_routed_to_another_department_stay_hidden_but_counted(client, case, submissions, people, org):
    from triage.services import submission_assign

    consultation, _sections = case
    other = submissions["other"]
    submission_assign(actor=people["kouchou"], submission_ids=[other.pk], department=org["park"])
    _login(client, people["staff"])
    client.post(_url(consultation, "seed/"))
    group = other.items.get().group
    page = client.get(_url(consultation, f"groups/{group.pk}/")).content.decode()
    assert "担当外の提出のため本文は表示できません。" in page
    assert "街路樹の落ち葉" not in page
    # Cannot be selected for moving (the checkbox, not any option whose id happens to match).
    assert f'name="move-items" value="{other.items.get().pk}"' not in page
    assert f'id="move-item-{other.items.get().pk}"' not in page
    overview = client.get(_url(consultation)).content.decode()
    assert "5人（通）" in overview and other.receipt_number not in overview
    assert client.get(_url(consultation, f"submissions/{other.pk}/split/")).status_code == HTTPStatus.NOT_FOUND


def test_kouchou_reading_an_original_with_personal_data_on_the_group_page_is_logged(client, case, submissions, people):
    consultation, _sections = case
    _login(client, people["kouchou"])
    client.post(_url(consultation, "seed/"))
    opened = AuditEvent.objects.filter(action="pii.view_original")
    multi = submissions["multi"]
    group_url = _url(consultation, f"groups/{multi.items.get().group.pk}/")
    assert "川口太郎" in client.get(group_url).content.decode()
    row = opened.get()
    assert (row.actor, row.target_type, row.target_id) == (
        people["kouchou"],
        "feedback.submission",
        str(multi.pk),
    )
    campaign = OpinionGroup.objects.get(campaign_key="campaign-1")
    client.get(_url(consultation, f"groups/{campaign.pk}/"))
    assert opened.count() == 1
    _login(client, people["staff"])
    assert "川口太郎" not in client.get(group_url).content.decode()
    assert opened.count() == 1


def test_the_overview_and_split_pages_log_the_originals_they_show(client, case, submissions, people):
    consultation, _sections = case
    opened = AuditEvent.objects.filter(action="pii.view_original", target_id=str(submissions["multi"].pk))
    _login(client, people["kouchou"])
    assert (
        "川口太郎" in client.get(_url(consultation, f"submissions/{submissions['multi'].pk}/split/")).content.decode()
    )
    assert opened.count() == 1
    saved = client.post(
        _url(consultation, f"submissions/{submissions['multi'].pk}/split/"),
        {"parts_text": "歩道の幅を広げてください。\n---\n自転車レーンを青色で塗装してください。"},
    )
    assert saved.status_code == HTTPStatus.FOUND and opened.count() == 1  # a redirect shows no text
    assert "歩道の幅を広げてください。" in client.get(_url(consultation)).content.decode()  # ungrouped items
    assert opened.count() == 2  # one row per submission shown, not per item
    assert AuditEvent.objects.filter(action="pii.view_original").count() == 2  # campaign copies hold none
