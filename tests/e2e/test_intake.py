"""A resident submits through each channel in a real browser; staff enter a paper submission.

Every page visited — forms, error states, confirmation screens, receipts —
is checked with axe-core at WCAG 2.1 A/AA (JIS X 8341-3:2016).
"""

import re

import pytest

from feedback.models import Submission
from tests.accounts.factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory

from .support import (
    axe_check_page,
    clipped_with_text_spacing,
    focused,
    fresh_totp_code,
    log_in,
    tab_to,
    wider_than_viewport,
)

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OPINION = "市民参加の機会を増やしてください。\n平日の夜や休日にも説明会を開いてほしいです。"


def _submit_with_keyboard(page, name: str) -> None:
    """From wherever focus is, Tab to the named button and press Enter once."""
    button = page.get_by_role("button", name=name, exact=True)
    tab_to(page, button)
    page.keyboard.press("Enter")


def _receipt_number(page) -> str:
    expect(page).to_have_url(re.compile(r"/receipt/[^/]+/$"))
    number = page.get_by_test_id("receipt-number").inner_text().strip()
    assert number and page.url.endswith(f"/receipt/{number}/")
    return number


def _assert_error_summary(page, *expected_items: str) -> None:
    """The summary is an alert, has focus (so it is read out first) and links to each field."""
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    assert focused(page)["id"] == "error-summary", focused(page)
    assert page.title().startswith("エラー："), page.title()
    for item in expected_items:
        expect(summary.get_by_role("link", name=re.compile(re.escape(item)))).to_be_visible()
    # Not by colour alone: every field drawn in red also says what is wrong, in words.
    for field in page.locator(".field-error").all():
        expect(field.locator(".error-text")).not_to_be_empty()


def _assert_reflows(page) -> None:
    """1.4.10: the page still fits at 320 CSS px (a phone, or 400% zoom); 1.4.12 at that width."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = wider_than_viewport(page)
    assert not overflow, f"content wider than 320px: {overflow[:5]}"
    axe_check_page(page)
    clipped = clipped_with_text_spacing(page)  # 1.4.12 (leaves the spacing applied)
    assert not clipped, f"text cut off with WCAG 1.4.12 spacing: {clipped[:5]}"
    page.set_viewport_size(size)


def test_public_comment_from_detail_page_to_receipt(live_server, page, axe_check, city):
    consultation = city["public_comment"]
    page.goto(f"{live_server.url}/consultations/{consultation.pk}/")
    axe_check(page)

    tab_to(page, page.get_by_role("link", name="意見を提出する"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(consultation.title)
    axe_check(page)

    page.get_by_label("該当箇所", exact=False).first.select_option(label="3-1 施策の方向 市民参加の機会の拡充")
    page.get_by_label("ご意見").focus()
    page.keyboard.type(OPINION.split("\n")[0])
    page.keyboard.press("Enter")  # a newline inside the textarea, not a submit
    page.keyboard.type(OPINION.split("\n")[1])
    page.get_by_role("group", name="提出できる方の区分").get_by_label("市内に在住").check()
    page.get_by_label(re.compile("^氏名")).fill("川口 太郎")
    page.get_by_label("ふりがな").fill("かわぐち たろう")
    page.get_by_label("郵便番号").fill("３３２−８６０１")
    page.get_by_label(re.compile("^住所")).fill("川口市青木2-1-1")
    page.get_by_label("メールアドレス").fill("taro@example.jp")
    _submit_with_keyboard(page, "入力内容を確認する")

    expect(page.get_by_role("heading", level=1)).to_have_text("入力内容の確認")
    expect(page.locator("dl.summary")).to_contain_text("332-8601")  # normalised and shown back
    expect(page.locator("dl.summary")).to_contain_text("平日の夜や休日にも")
    assert Submission.objects.count() == 0
    axe_check(page)
    _assert_reflows(page)

    _submit_with_keyboard(page, "送信する")
    number = _receipt_number(page)
    axe_check(page)

    submission = Submission.objects.get(receipt_number=number)
    assert submission.channel == "web"
    assert submission.consultation == consultation
    assert submission.body == OPINION
    assert submission.section.number == "3-1"
    assert submission.identity.name == "川口 太郎"
    assert submission.identity.postcode == "332-8601"


def test_errors_are_summarised_announced_and_keep_the_typed_text(live_server, page, axe_check, city):
    consultation = city["public_comment"]
    type(consultation).objects.filter(pk=consultation.pk).update(max_opinion_chars=40)
    too_long = "説明会の資料を事前に公開してください。" * 3  # 57 characters
    page.goto(f"{live_server.url}/consultations/{consultation.pk}/submit/")

    page.get_by_label("ご意見").fill(too_long)
    page.get_by_label(re.compile("^住所")).fill("川口市青木2-1-1")
    _submit_with_keyboard(page, "入力内容を確認する")

    _assert_error_summary(page, "ご意見", "氏名")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("40文字以内")
    expect(page.get_by_label("ご意見")).to_have_value(too_long)
    expect(page.get_by_label(re.compile("^住所"))).to_have_value("川口市青木2-1-1")
    expect(page.get_by_label("ご意見")).to_have_attribute("aria-invalid", "true")
    # The message is tied to the field, not only shown in red.
    described_by = page.get_by_label("ご意見").get_attribute("aria-describedby").split()
    assert "id_body_error" in described_by
    expect(page.locator("#id_body_error")).to_contain_text("40文字以内")
    axe_check(page)
    _assert_reflows(page)

    # Following the summary's link with the keyboard puts the focus on the field itself (#13).
    summary.get_by_role("link", name=re.compile("ご意見")).focus()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_body", focused(page)

    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("説明会の資料を事前に公開してください。")
    page.get_by_label(re.compile("^氏名")).fill("川口 花子")
    _submit_with_keyboard(page, "入力内容を確認する")
    expect(page.get_by_role("heading", level=1)).to_have_text("入力内容の確認")

    # Back to the form from the confirmation screen: everything is still there.
    _submit_with_keyboard(page, "入力画面に戻って修正する")
    expect(page.get_by_label("ご意見")).to_have_value("説明会の資料を事前に公開してください。")
    expect(page.get_by_label(re.compile("^氏名"))).to_have_value("川口 花子")
    assert page.locator("#error-summary").count() == 0
    axe_check(page)
    assert Submission.objects.count() == 0


def test_letter_to_the_mayor_with_the_keyboard_only(live_server, page, axe_check, city):
    page.goto(f"{live_server.url}/letter/")
    axe_check(page)
    tab_to(page, page.get_by_role("link", name="手紙を書く"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("市長への手紙を書く")
    axe_check(page)

    # Asking for a reply without saying where to send it is an error.
    tab_to(page, page.get_by_label("ご意見・ご提案"))
    page.keyboard.type("駅前の駐輪場を増やしてください。")
    page.keyboard.press("Tab")  # 回答を希望しますか: first radio
    page.keyboard.press("Space")
    assert page.get_by_label("希望する", exact=True).is_checked()
    _submit_with_keyboard(page, "入力内容を確認する")
    _assert_error_summary(page, "氏名", "回答の送付方法")
    expect(page.get_by_label("ご意見・ご提案")).to_have_value("駅前の駐輪場を増やしてください。")
    expect(page.get_by_label("希望する", exact=True)).to_be_checked()
    axe_check(page)

    # Arrow keys move within a radio group; Tab moves between fields.
    tab_to(
        page,
        page.get_by_role("group", name=re.compile("回答の送付方法")).get_by_role("radio").first,
    )
    page.keyboard.press("Space")
    group = page.get_by_role("group", name=re.compile("回答の送付方法"))
    email_choice = group.get_by_role("radio", name=re.compile("メール"))
    for _ in range(4):
        if email_choice.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(email_choice).to_be_checked()
    tab_to(page, page.get_by_label(re.compile("^氏名")))
    page.keyboard.type("鳩ヶ谷 一郎")
    tab_to(page, page.get_by_label("メールアドレス"))
    page.keyboard.type("ichiro@example.jp")
    tab_to(page, page.get_by_role("checkbox", name=re.compile("公表してもよい")))
    page.keyboard.press("Space")
    _submit_with_keyboard(page, "入力内容を確認する")

    expect(page.get_by_role("heading", level=1)).to_have_text("入力内容の確認")
    expect(page.locator("dl.summary")).to_contain_text("ichiro@example.jp")
    axe_check(page)
    _submit_with_keyboard(page, "送信する")
    number = _receipt_number(page)
    expect(page.get_by_role("status")).to_contain_text(number)
    axe_check(page)

    submission = Submission.objects.get(receipt_number=number)
    assert submission.channel == "web"
    assert submission.consultation == city["letter"]
    assert submission.reply_requested is True and submission.publication_consent is True
    assert submission.identity.contact_method == "email"
    assert submission.identity.email == "ichiro@example.jp"


def test_signed_in_resident_answers_the_survey_and_finds_it_in_my_page(live_server, page, axe_check, city):
    survey = city["survey"]
    resident = UserFactory(email="hanako@example.jp")
    page.goto(f"{live_server.url}/accounts/login/")
    axe_check(page)
    log_in(page, live_server.url, email=resident.email, password=DEFAULT_PASSWORD)
    expect(page).to_have_url(re.compile(r"/mypage/submissions/$"))
    axe_check(page)

    page.goto(f"{live_server.url}/consultations/{survey.pk}/")
    tab_to(page, page.get_by_role("link", name="アンケートに回答する"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(survey.title)
    assert page.title().startswith(f"「{survey.title}」への回答"), page.title()
    axe_check(page)

    questions = list(survey.questions.order_by("number"))
    required = [q for q in questions if q.required]
    _submit_with_keyboard(page, "入力内容を確認する")
    _assert_error_summary(page, *[f"問{q.number}" for q in required])
    axe_check(page)

    def group(q):
        return page.get_by_role("group", name=re.compile(f"^問{q.number}\\s"))

    for q in questions:
        if q.kind in ("scale5", "single"):
            group(q).get_by_role("radio").first.check()
        elif q.kind == "multiple":
            for box in group(q).get_by_role("checkbox").all()[:4]:
                box.check()
        elif q.kind == "free_text":
            page.get_by_label(re.compile(f"^問{q.number}\\s")).fill("図書館の開館時間を延ばしてほしい。")
    page.get_by_role("group", name="年代").get_by_label("40歳代").check()
    page.get_by_label("お住まいの地区").select_option(index=1)
    _submit_with_keyboard(page, "入力内容を確認する")

    # Four boxes ticked where three are allowed: the error names the limit and the count.
    multiple = next(q for q in questions if q.kind == "multiple")
    _assert_error_summary(page, f"問{multiple.number}")
    expect(page.locator("#error-summary")).to_contain_text("3つまで")
    expect(group(multiple).get_by_role("checkbox").nth(3)).to_be_checked()
    axe_check(page)
    group(multiple).get_by_role("checkbox").nth(3).uncheck()
    _submit_with_keyboard(page, "入力内容を確認する")

    expect(page.get_by_role("heading", level=1)).to_have_text("入力内容の確認")
    axe_check(page)
    _submit_with_keyboard(page, "送信する")
    number = _receipt_number(page)
    axe_check(page)

    submission = Submission.objects.get(receipt_number=number)
    assert submission.channel == "web"
    assert submission.author == resident
    assert submission.consultation == survey
    assert submission.answers.count() == len(questions)
    assert submission.age_band == "40s"

    page.get_by_role("link", name="提出した意見の一覧へ").click()
    expect(page.get_by_role("table")).to_contain_text(number)
    axe_check(page)

    # Withdrawing is one keyboard press on a button that names the receipt number.
    tab_to(page, page.get_by_role("button", name=f"{number} を取り下げる"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(f"受付番号 {number} の意見を取り下げました")
    axe_check(page)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.WITHDRAWN


def test_staff_member_enters_a_paper_submission(live_server, page, axe_check, city):
    from accounts.roles import KOUCHOU

    consultation = city["public_comment"]
    staff = StaffUserFactory(roles=[KOUCHOU])
    log_in(page, live_server.url, email=staff.email, password=DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("2段階認証")
    axe_check(page)
    page.get_by_label(re.compile("コード")).fill(fresh_totp_code(staff.totp_secret))
    page.get_by_role("button", name="ログインする").click()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()

    page.goto(f"{live_server.url}/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("職員用ページ")
    axe_check(page)
    page.get_by_role("link", name=f"{consultation.title} に入力").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("紙・FAX・メール・窓口の意見の入力")
    axe_check(page)

    page.get_by_label("意見（原文のとおり入力）").fill("手書きの意見：公民館の予約をネットでできるようにしてほしい。")
    _submit_with_keyboard(page, "登録する")
    _assert_error_summary(page, "提出方法", "到着日")
    expect(page.get_by_label("意見（原文のとおり入力）")).to_have_value(
        "手書きの意見：公民館の予約をネットでできるようにしてほしい。"
    )
    axe_check(page)

    page.get_by_role("group", name=re.compile("提出方法")).get_by_label("郵送").check()
    page.get_by_label("到着日").fill("2026-11-20")
    page.get_by_label(re.compile("^氏名")).fill("青木 三郎")
    page.get_by_label(re.compile("^住所")).fill("川口市青木1-1-1")
    _submit_with_keyboard(page, "登録する")

    message = page.get_by_role("status")
    expect(message).to_contain_text("で登録しました")
    number = re.search(r"受付番号 (\S+) で登録しました", message.inner_text()).group(1)
    axe_check(page)

    submission = Submission.objects.get(receipt_number=number)
    assert submission.channel == "post"
    assert submission.entered_by == staff
    assert submission.author is None
    assert submission.consultation == consultation
    assert submission.identity.name == "青木 三郎"

    # The same consultation by CSV: the upload hands over to the import's
    # progress page; a bad row is reported there (and focused), nothing is imported.
    page.goto(f"{live_server.url}/staff/")
    page.get_by_role("link", name=f"{consultation.title} に取込").click()
    axe_check(page)
    header = "提出方法,到着日,該当箇所,意見,氏名,ふりがな,団体名,郵便番号,住所,電話番号,メールアドレス,提出資格\n"
    bad = header + "電話,2026-11-21,,電話で聞いた意見,,,,,,,,\n"
    page.get_by_label("CSVファイル").set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": bad.encode("utf-8")}]
    )
    _submit_with_keyboard(page, "取り込む")
    expect(page.get_by_role("heading", level=1)).to_contain_text("CSV一括取込の状況")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("取り込みませんでした")
    expect(alert.get_by_role("table")).to_contain_text("提出方法")
    expect(page.get_by_role("status")).to_contain_text("どの行も取り込んでいません")
    assert page.title().startswith("エラー："), page.title()
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "alert"
    axe_check(page)
    assert Submission.objects.filter(consultation=consultation).count() == 1

    page.get_by_role("link", name="CSV一括取込の画面へ戻る").click()
    good = header + "FAX,2026-11-21,3-1,FAXで届いた意見です。,,,,,,,,\n"
    page.get_by_label("CSVファイル").set_input_files(
        files=[{"name": "good.csv", "mimeType": "text/csv", "buffer": good.encode("utf-8")}]
    )
    _submit_with_keyboard(page, "取り込む")
    expect(page.get_by_role("status")).to_contain_text("完了：1件を取り込みました")
    axe_check(page)
    # The same file again is refused, with a link to the earlier import.
    page.get_by_role("link", name="CSV一括取込の画面へ戻る").click()
    expect(page.get_by_role("table")).to_contain_text("good.csv")
    page.get_by_label("CSVファイル").set_input_files(
        files=[{"name": "again.csv", "mimeType": "text/csv", "buffer": good.encode("utf-8")}]
    )
    _submit_with_keyboard(page, "取り込む")
    expect(page.get_by_role("alert")).to_contain_text(
        "同じファイルを二度取り込むと意見が重複するため、受け付けません。"
    )
    expect(page.get_by_role("link", name="以前の取り込み（good.csv）の結果を見る")).to_be_visible()
    axe_check(page)
    assert Submission.objects.filter(consultation=consultation, channel="fax", entered_by=staff).count() == 1


def test_a_sampled_resident_answers_with_a_typed_code_on_a_phone(live_server, browser, axe_check, city):
    """#13: the invitation code is checked on the first screen (a wrong one at once),
    and a code typed in lower case with its hyphen is accepted."""
    from consultations.models import Consultation
    from consultations.services import invitation_code_hash

    survey = Consultation.objects.get(kind=Consultation.Kind.SURVEY, invitation_required=True)
    survey.invitation_codes.create(code_hash=invitation_code_hash("C0FFEE12"))
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/consultations/{survey.pk}/submit/")
    questions = list(survey.questions.order_by("number"))
    for q in questions:
        if q.kind in ("scale5", "single"):
            page.get_by_role("group", name=re.compile(f"^問{q.number}\\s")).get_by_role("radio").first.check()
    page.get_by_label(re.compile("招待コード")).fill("DEADBEEF")
    page.get_by_role("button", name="入力内容を確認する").click()
    expect(page.locator("#error-summary")).to_contain_text("招待コードが正しくありません。")
    axe_check(page)
    page.get_by_label(re.compile("招待コード")).fill("c0ff-ee12")
    page.get_by_role("button", name="入力内容を確認する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("入力内容の確認")
    axe_check(page)
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
    page.get_by_role("button", name="送信する").click()
    number = _receipt_number(page)
    axe_check(page)
    assert Submission.objects.get(receipt_number=number).consultation == survey
    assert survey.invitation_codes.filter(used_at__isnull=False).count() == 1
    context.close()
