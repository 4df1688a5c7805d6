"""The pages: a resident applies (form → confirm → 受付番号), the secretariat works its own committee only, each view of a person is audited."""

import datetime

import pytest
from django.urls import reverse

from committees.models import Application
from core.models import AuditEvent
from tests.committees.factories import ApplicationFactory, close_notice, past_round

pytestmark = pytest.mark.django_db

FORM = {
    "name": "川口 花子",
    "name_kana": "かわぐち はなこ",
    "birth_date": "昭和60年4月1日",
    "gender": "female",
    "address": "川口市青木2-1-1",
    "phone": "048-000-0000",
    "email": "",
    "residence": "lives",
    "occupation": "会社員",
    "activities": "町会の役員",
    "essay": "市民の声が届く市政にしたいと考えて応募します。",
    "declaration": "on",
}


def test_the_index_lists_open_rounds_and_the_registry(client, city):
    response = client.get(reverse("committees:index"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "市民参加推進審議会 公募委員" in page and "環境審議会" in page and "協働推進課" in page


def test_the_notice_shows_the_fields_japanese_practice_lists(client, city):
    page = client.get(reverse("committees:round", args=[city["round_a"].pk])).content.decode()
    for field in (
        "応募資格",
        "募集人数",
        "委嘱時期・任期",
        "会議の開催頻度",
        "報酬",
        "受付期間",
        "応募方法",
        "委員の決定方法",
        "問い合わせ先",
    ):
        assert field in page, field


def test_applying_needs_sign_in(client, city):
    response = client.get(reverse("committees:apply", args=[city["round_a"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_resident_applies_through_confirmation_and_sees_the_receipt(client, city):
    client.force_login(city["resident"])
    url = reverse("committees:apply", args=[city["round_a"].pk])
    form = client.get(url).content.decode()
    assert 'data-max-chars="400"' in form and "小論文「市民参加について」" in form
    confirm = client.post(url, {**FORM, "step": "confirm"})
    assert confirm.status_code == 200 and "応募内容の確認" in confirm.content.decode()
    assert not Application.objects.exists()
    done = client.post(url, {**FORM, "step": "submit"})
    application = Application.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "committees:application_receipt", args=[application.receipt_number]
    )
    assert application.birth_date == datetime.date(1985, 4, 1) and application.email == "hanako@example.jp"
    receipt = client.get(done["Location"]).content.decode()
    assert application.receipt_number in receipt and "応募資格を満たしています" in receipt
    mine = client.get(reverse("committees:my_applications")).content.decode()
    assert application.receipt_number in mine and "選考中" in mine


def test_bad_input_is_named_in_japanese_and_what_was_typed_is_kept(client, city):
    client.force_login(city["resident"])
    url = reverse("committees:apply", args=[city["round_a"].pk])
    response = client.post(
        url, {**FORM, "birth_date": "平成31年5月1日", "essay": "短い", "declaration": "", "step": "confirm"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "入力内容に3件の問題があります" in page
    assert "生年月日は 1985-04-01 や 昭和60年4月1日 のように、実在する日付で入力してください。" in page
    assert "小論文は10文字以上で書いてください（現在2文字）。" in page
    assert "応募資格の申告欄を確認し、チェックを入れてください。" in page
    assert 'value="川口市青木2-1-1"' in page


def test_an_ineligible_resident_is_told_why_and_still_counted(client, city):
    client.force_login(city["resident"])
    url = reverse("committees:apply", args=[city["round_a"].pk])
    client.post(url, {**FORM, "residence": "none", "step": "submit"})
    application = Application.objects.get()
    assert not application.eligible
    receipt = client.get(reverse("committees:application_receipt", args=[application.receipt_number])).content.decode()
    assert "応募資格を満たしていません" in receipt and "応募資格の区分に当たりません" in receipt


def test_another_resident_cannot_open_someone_s_receipt(client, city):
    application = ApplicationFactory(round=city["round_a"], applicant=city["resident"])
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("committees:application_receipt", args=[application.receipt_number])).status_code == 404


def test_user_text_is_escaped(client, city):
    ApplicationFactory(round=city["round_a"], name="<script>alert(1)</script>")
    client.force_login(city["secretariat_a"])
    page = client.get(reverse("staff:committee_round", args=[city["round_a"].pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("who", ["secretariat_b", "kouchou"])
def test_only_the_committee_s_secretariat_and_admins_see_its_applicants(client, city, who):
    application = ApplicationFactory(round=city["round_a"], name="応募 秘子")
    client.force_login(city[who])
    pages = [
        reverse("staff:committee_round", args=[city["round_a"].pk]),
        reverse("staff:committee_application", args=[application.pk]),
        reverse("staff:committee_detail", args=[city["a"].pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert "応募 秘子" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="pii.view").exists()


def test_the_secretariat_s_views_of_applicants_are_audited(client, city):
    application = ApplicationFactory(round=city["round_a"], name="応募 秘子")
    for who in ("secretariat_a", "admin"):
        client.force_login(city[who])
        assert "応募 秘子" in client.get(reverse("staff:committee_round", args=[city["round_a"].pk])).content.decode()
        assert "応募 秘子" in client.get(reverse("staff:committee_application", args=[application.pk])).content.decode()
    rows = AuditEvent.objects.filter(action="pii.view").order_by("pk")
    assert [(r.actor_id, r.summary) for r in rows] == [
        (city["secretariat_a"].pk, "応募者の一覧を表示"),
        (city["secretariat_a"].pk, "応募書類を表示"),
        (city["admin"].pk, "応募者の一覧を表示"),
        (city["admin"].pk, "応募書類を表示"),
    ]
    client.force_login(city["secretariat_b"])
    listing = client.get(reverse("staff:committee_list")).content.decode()
    assert "環境審議会" in listing and "市民参加推進審議会" not in listing


def test_the_secretariat_runs_a_lottery_appoints_and_decides(client, city):
    recruitment = city["round_a"]
    recruitment.selection_method = "lottery"
    recruitment.save()
    applications = [ApplicationFactory(round=recruitment, email=f"p{n}@example.jp") for n in range(3)]
    close_notice(recruitment)
    client.force_login(city["secretariat_a"])
    response = client.post(reverse("staff:committee_round_lottery", args=[recruitment.pk]), {"seed": "dice-3-5-1"})
    assert response.status_code == 302
    recruitment.refresh_from_db()
    first = Application.objects.get(round=recruitment, receipt_number=recruitment.lottery_order[0])
    client.post(reverse("staff:committee_application_appoint", args=[first.pk]))
    client.post(reverse("staff:committee_round_decide", args=[recruitment.pk]))
    page = client.get(reverse("staff:committee_round", args=[recruitment.pk])).content.decode()
    assert "dice-3-5-1" in page and "選考結果確定" in page
    assert Application.objects.get(pk=first.pk).outcome == "appointed"
    assert {a.outcome for a in Application.objects.exclude(pk=first.pk)} == {"not_appointed"}
    assert len(applications) == 3


def test_a_paper_application_is_entered_by_the_secretariat(client, city):
    client.force_login(city["secretariat_a"])
    response = client.post(
        reverse("staff:committee_round_paper", args=[city["round_a"].pk]), {**FORM, "essay": "", "declaration": "on"}
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.channel == "paper" and application.applicant is None


def test_the_result_letter_prints_for_an_applicant_without_mail(client, city):
    application = ApplicationFactory(round=city["round_a"], email="", outcome="not_appointed", notice_method="letter")
    client.force_login(city["secretariat_a"])
    page = client.get(reverse("staff:committee_application_letter", args=[application.pk])).content.decode()
    assert "選考結果について（通知）" in page and application.name in page
    client.post(reverse("staff:committee_application_letter", args=[application.pk]))
    application.refresh_from_db()
    assert application.notified_at is not None


def test_the_ratio_page_and_its_files(client, city):
    ApplicationFactory(round=city["round_a"])
    page = client.get(reverse("committees:ratios")).content.decode()
    assert "年度別の公募件数・募集人数・応募者数・応募倍率" in page and "女性委員比率の目標" in page
    csv = client.get(reverse("committees:ratios_csv"))
    assert csv.content.startswith(b"\xef\xbb\xbf") and "応募倍率（全体）" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("committees:ratios_xlsx"))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_ratio_page_and_api_narrow_to_one_committee(client, city):
    past_round(2024, 2, 5, committee=city["a"])
    past_round(2024, 4, 2, committee=city["b"])
    whole = client.get("/api/v1/committees/ratios/").json()
    only_a = client.get(f"/api/v1/committees/ratios/?committee={city['a'].pk}").json()
    assert next(y for y in whole["years"] if y["fiscal_year"] == 2024)["ratio_all"] == 1.17  # 7 / 6
    assert next(y for y in only_a["years"] if y["fiscal_year"] == 2024)["ratio_all"] == 2.5
    page = client.get(reverse("committees:ratios"), {"committee": city["a"].pk}).content.decode()
    assert "「市民参加推進審議会」の公募だけを集計しています。" in page and "2.50倍" in page
    assert client.get(reverse("committees:ratios"), {"committee": "99999999999999"}).status_code == 404
    assert client.get("/api/v1/committees/ratios/?committee=x").status_code == 404


def test_the_ratio_page_counts_appointments_by_gender(client, city):
    from committees.models import Application

    recruitment = past_round(2024, 3, 0, committee=city["a"])
    for gender in ("female", "female", "male"):
        ApplicationFactory(round=recruitment, gender=gender, outcome=Application.Outcome.APPOINTED)
    page = client.get(reverse("committees:ratios")).content.decode()
    row = next(r for r in page.split("</tr>") if '<th scope="row">市民参加推進審議会</th><td>' in r and "倍" in r)
    assert "2／1／0" in row


def test_the_application_form_starts_from_the_account_s_name(client, city):
    resident = city["resident"]
    resident.display_name = "川口 花子"
    resident.save(update_fields=["display_name"])
    client.force_login(resident)
    page = client.get(reverse("committees:apply", args=[city["round_a"].pk])).content.decode()
    assert 'value="川口 花子"' in page
