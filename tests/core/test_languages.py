"""Residents who read other languages (#15): English, 中文（简体） and やさしい日本語 on the public pages.

The language comes from the header's switcher (Django's set_language, a
cookie), else Accept-Language; staff pages, the admin and the API stay
Japanese whatever was chosen; a submission records the language it was
written in, the staff pages show it and the receipt mail is written in it.
"""

import datetime
import gettext
import re
import shutil
import subprocess
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accounts.roles import ADMIN, KOUCHOU
from consultations.drafts import DraftEdit, consultation_draft_revise
from consultations.models import Consultation
from consultations.services import consultation_close, consultation_withdraw
from core.i18n import html_lang, is_japanese_only
from feedback.models import Submission
from feedback.services import submission_receipt_send
from nlp.models import ThemeRun
from nlp.services import theme_run_publish
from results.matrix import QUADRANT_DESCRIPTIONS, QUADRANT_LABELS, QUADRANT_ORDER
from results.services.survey_matrix import survey_matrix_item_create
from results.services.survey_publication import survey_results_publish
from results.templatetags.matrix_words import quadrant_description, quadrant_name
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory, DraftSectionFactory, QuestionFactory
from tests.feedback.factories import submit
from tests.support.surveys import respond, scale_question

LOCALE = Path(__file__).resolve().parents[2] / "locale"
COOKIE = settings.LANGUAGE_COOKIE_NAME

# What each language says for a few labels of the consultation page and the opinion form.
LABELS = {
    "ja": {"lang": "ja", "detail": "意見を提出する", "form": ["該当箇所", "氏名", "入力内容を確認する", "本文へ移動"]},
    "en": {
        "lang": "en",
        "detail": "Submit a comment",
        "form": ["Part of the draft", "Name", "Check your answers", "Skip to main content"],
    },
    "zh-hans": {"lang": "zh-Hans", "detail": "提交意见", "form": ["相关部分", "姓名", "确认输入内容", "跳到正文"]},
    "ja-easy": {"lang": "ja", "detail": "意見を出す", "form": ["案のどこについてか", "名前", "書いた内容を確認する"]},
}


def _html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def _pc_data(**overrides):
    data = {
        "step": "confirm",
        "section": "",
        "section_text": "",
        "body": "Please add more benches to the parks near the station.",
        "eligibility": "resident",
        "eligibility_detail": "",
        "name": "Maria Santos",
        "name_kana": "まりあ さんとす",
        "organization": "",
        "postcode": "332-8601",
        "address": "川口市青木2-1-1",
        "phone": "",
        "email": "maria@example.com",
    }
    data.update(overrides)
    return data


@pytest.fixture
def consultation(db):
    consultation = ConsultationFactory(title="川口市公園整備計画（案）")
    DraftSectionFactory(consultation=consultation, number="2-1", heading="公園の整備")
    return consultation


# ---- Which language a page is in ----


@pytest.mark.parametrize("code", list(LABELS))
def test_each_language_renders_the_consultation_page_and_the_opinion_form(client, consultation, code):
    client.cookies[COOKIE] = code
    expected = LABELS[code]

    detail = client.get(f"/consultations/{consultation.pk}/")
    assert detail.status_code == HTTPStatus.OK
    assert _html_lang(detail) == expected["lang"]
    assert expected["detail"] in detail.content.decode()
    # What the city wrote stays as written, marked as Japanese.
    assert '<h1 lang="ja">川口市公園整備計画（案）</h1>' in detail.content.decode()

    form = client.get(f"/consultations/{consultation.pk}/submit/")
    page = form.content.decode()
    assert _html_lang(form) == expected["lang"]
    assert form["Content-Language"] == expected["lang"]
    for label in expected["form"]:
        assert label in page, (code, label)
    # The section's own heading is data: never translated.
    assert "2-1 公園の整備" in page


@pytest.mark.parametrize("code", ["en", "zh-hans", "ja-easy"])
def test_other_languages_leave_no_japanese_label_on_the_opinion_form(client, consultation, code):
    client.cookies[COOKIE] = code
    page = client.get(f"/consultations/{consultation.pk}/submit/").content.decode()
    for japanese in ("該当箇所", "入力内容を確認する", "個人情報の利用目的", "ひらがな・カタカナどちらでも"):
        assert japanese not in page, (code, japanese)


def test_an_english_browser_gets_english_without_choosing(client, consultation):
    response = client.get(f"/consultations/{consultation.pk}/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert _html_lang(response) == "en"
    assert "Submit a comment" in response.content.decode()
    # A Chinese browser (zh-CN) gets 简体中文 through Django's zh-hans fallback.
    response = client.get(f"/consultations/{consultation.pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert _html_lang(response) == "zh-Hans"


def test_errors_on_the_form_are_in_the_chosen_language(client, consultation):
    consultation.required_identity = ["name", "address"]
    consultation.save()
    client.cookies[COOKIE] = "en"
    response = client.post(f"/consultations/{consultation.pk}/submit/", _pc_data(name="", address="", body=""))
    page = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "There are 3 problems with your answers" in page
    assert "Name: please fill this in." in page and "Enter your comment." in page
    assert "This field is required" not in page
    assert "<title>Error: " in page


def test_dates_are_written_for_the_reader(client, consultation):
    client.cookies[COOKIE] = "en"
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    assert re.search(
        r"\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d", page
    )
    assert "令和" not in page


# ---- The switcher ----


def test_the_header_switcher_names_each_language_in_itself(client, consultation):
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    switcher = page[page.index('class="container language-switcher"') :]
    switcher = switcher[: switcher.index("</form>")]
    assert 'action="/i18n/setlang/"' in switcher and 'method="post"' in switcher
    assert f'name="next" value="/consultations/{consultation.pk}/"' in switcher
    # The current language is text, not a button; each other is a submit button in its own language.
    assert '<span class="language-current" lang="ja" aria-current="true">日本語</span>' in switcher
    assert 'value="en" lang="en" class="link-button">English</button>' in switcher
    assert 'value="zh-hans" lang="zh-Hans" class="link-button">中文（简体）</button>' in switcher
    assert 'value="ja-easy" lang="ja" class="link-button">やさしい日本語</button>' in switcher


def test_switching_language_persists_in_a_cookie(client, consultation):
    detail = f"/consultations/{consultation.pk}/"
    client.get(detail)  # the CSRF cookie, as a browser would have it
    response = client.post("/i18n/setlang/", {"language": "en", "next": detail})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == detail
    cookie = response.cookies[COOKIE]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) == settings.LANGUAGE_COOKIE_AGE >= 365 * 24 * 3600
    assert cookie["samesite"] == "Lax"

    # Later pages (the cookie is sent back) are English until another choice.
    assert _html_lang(client.get(detail)) == "en"
    assert _html_lang(client.get("/")) == "en"
    client.post("/i18n/setlang/", {"language": "ja-easy", "next": "/"})
    page = client.get(detail).content.decode()
    assert "意見を出す" in page and _html_lang(client.get(detail)) == "ja"


def test_an_unknown_language_is_ignored(client, consultation):
    client.cookies[COOKIE] = "xx"
    assert _html_lang(client.get(f"/consultations/{consultation.pk}/")) == "ja"
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert COOKIE not in response.cookies


def test_the_next_page_must_be_on_this_site(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/"


# ---- Pages that stay Japanese ----


def test_staff_pages_stay_japanese_with_an_english_cookie(client, consultation):
    kouchou = StaffUserFactory(roles=[KOUCHOU])
    submission = submit(consultation, body="駅前の公園にベンチを増やしてください。")
    client.force_login(kouchou)
    client.cookies[COOKIE] = "en"
    for url in ("/staff/", "/staff/queue/", f"/staff/submissions/{submission.pk}/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == HTTPStatus.OK, url
        page = response.content.decode()
        assert _html_lang(response) == "ja", url
        assert response["Content-Language"] == "ja"
        assert "本文へ移動" in page and "Skip to main content" not in page, url
        # No switcher on staff pages: it could not change them.
        assert "language-switcher" not in page, url
    assert "受付一覧" in client.get("/staff/queue/").content.decode()


def test_the_admin_and_the_api_stay_japanese(client, consultation):
    client.cookies[COOKIE] = "en"
    login = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert login["Content-Language"] == "ja"
    answer = client.post(
        f"/api/v1/consultations/{consultation.pk}/submissions/",
        {"body": ["not", "a", "string"]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == HTTPStatus.BAD_REQUEST
    assert "文字列で指定してください。" in answer.content.decode()


def test_an_untranslated_public_page_says_so_in_the_chosen_language(client):
    client.cookies[COOKIE] = "en"
    response = client.get("/privacy/")
    page = response.content.decode()
    assert _html_lang(response) == "ja"
    assert (
        '<p class="message" lang="en" data-testid="japanese-only">This page is only available in Japanese.</p>' in page
    )
    # The switcher is still there, so the visitor can choose again.
    assert "language-switcher" in page
    client.cookies[COOKIE] = "ja"
    assert "japanese-only" not in client.get("/privacy/").content.decode()


def test_japanese_only_paths():
    for path in (
        "/staff/queue/",
        "/admin/",
        "/api/v1/consultations/",
        "/accounts/login/",
        "/results.json",
        "/letter/published.csv",
        "/consultations/3/survey-results.csv",
        "/consultations/3/survey-matrix.csv",
    ):
        assert is_japanese_only(path), path
    for path in (
        "/",
        "/consultations/3/",
        "/consultations/3/submit/",
        "/consultations/3/results/",
        "/consultations/3/survey-results/",
        "/receipt/PC-2026-000001/",
        "/letter/",
        "/plan/",
    ):
        assert not is_japanese_only(path), path


def test_html_lang_of_each_code():
    assert [html_lang(code) for code, _name in settings.LANGUAGES] == ["ja", "en", "zh-Hans", "ja"]
    assert html_lang(None) == "ja" and html_lang("en-gb") == "en-GB"


def test_the_thread_is_back_to_japanese_after_a_request(client, consultation):
    client.cookies[COOKIE] = "en"
    client.get(f"/consultations/{consultation.pk}/")
    # A test client, or a worker thread serving requests, must not keep the last visitor's language.
    assert translation.get_language() == "ja"


# ---- Pages of the features that came after the first translation pass (#15) ----


def _english(client):
    client.cookies[COOKIE] = "en"
    return client


def _en_date(day) -> str:
    return f"{day.day} {day:%B} {day.year}"


def test_a_withdrawn_consultation_says_so_in_english(client, consultation):
    consultation_withdraw(
        actor=StaffUserFactory(roles=[KOUCHOU]),
        consultation=consultation,
        reason="国の制度改正のため、策定を見送ります。",
    )
    today = _en_date(timezone.localdate())
    _english(client)

    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    notice = page[page.index('data-testid="withdrawal-notice"') :]
    notice = notice[: notice.index("</section>")]
    assert ">Draft withdrawn</h2>" in notice
    assert f"On {today} the city withdrew this draft. No plan, by-law or other rule will be made from it." in notice
    assert "<dt>Withdrawn on</dt>" in notice and "<dt>Why it was withdrawn</dt>" in notice
    # The reason is the city's own words, marked as Japanese.
    assert '<dd class="pre-wrap" lang="ja">国の制度改正のため、策定を見送ります。</dd>' in notice
    assert "取り下げ" not in notice

    listing = client.get("/consultations/", {"status": "withdrawn"}).content.decode()
    assert f"Draft withdrawn on {today}. Reason: " in listing and "に案を取り下げました" not in listing

    # The opinion form refuses with the same notice.
    refusal = client.get(f"/consultations/{consultation.pk}/submit/")
    assert refusal.status_code == HTTPStatus.GONE
    assert ">Draft withdrawn</h2>" in refusal.content.decode()


def test_the_draft_history_is_in_english(client, consultation):
    section = consultation.sections.get()
    section.body = "公園の整備を令和9年度までに進めます。"
    consultation_draft_revise(
        actor=StaffUserFactory(roles=[ADMIN], is_superuser=True, is_staff=True),
        consultation=consultation,
        edits=[DraftEdit(obj=section)],
        reason="実施時期が決まったため。",
    )
    page = _english(client).get(f"/consultations/{consultation.pk}/").content.decode()
    assert '<h2 id="draft-history">History of changes</h2>' in page
    assert "The current draft is version 2." in page
    assert '<a href="#draft-history">history of changes</a>' in page
    # The change is named in English; what staff typed stays Japanese, marked so.
    assert 'Changed in the part “<span lang="ja">2-1 公園の整備</span>”: Text' in page
    assert "How this differs from the previous version" in page and "<ins>[Added: " in page
    for japanese in ("変更履歴", "現在の案は", "の本文を変更", "〔追加："):
        assert japanese not in page, japanese


@pytest.fixture
def published_results(db):
    """A published パブリック・コメント with its 決定版 page and an approved theme report."""
    case = ConsultationFactory(
        title="川口市道路整備計画（案）",
        final_url="https://www.city.kawaguchi.lg.jp/doro/keikaku.html",
        revision_summary="段差の解消を優先することを追記しました。",
        decided_on=datetime.date(2026, 3, 10),
    )
    opinions = [submit(case, body="歩道の段差をなくしてください。") for _ in range(2)]
    Consultation.objects.filter(pk=case.pk).update(status=Consultation.Status.PUBLISHED, published_at=timezone.now())
    theme = {
        "id": 0,
        "label": "歩道の段差",
        "key_phrases": ["段差"],
        "members": [s.pk for s in opinions],
        "parent": None,
    }
    run = ThemeRun.objects.create(
        consultation=case,
        status=ThemeRun.Status.DONE,
        finished_at=timezone.now(),
        item_count=2,
        result={"themes": [{**theme, "representatives": [], "size": 2, "units": 2}], "unassigned": []},
        coordinates={str(s.pk): [0.2 * n, 0.5] for n, s in enumerate(opinions)},
    )
    theme_run_publish(actor=StaffUserFactory(roles=[KOUCHOU]), run=run)
    return case


def test_the_results_page_names_the_final_version_and_the_themes_in_english(client, published_results):
    page = _english(client).get(f"/consultations/{published_results.pk}/results/").content.decode()
    final = page[page.index('data-testid="final-version"') :]
    final = final[: final.index("</dd>")]
    assert "<dt>Final version</dt>" in page and "<dt>Changes from the draft</dt>" in page
    assert ">“川口市道路整備計画（案）” as decided (web page)</a>" in final
    assert '<h2 id="themes-heading">Themes in the comments</h2>' in page
    assert "Theme of each comment by receipt number (CSV)" in page
    # The channels are named in English, although the counts were stored in Japanese.
    assert "Web form (people: 2, comments: 2)" in page
    for japanese in ("決定版", "決定した", "意見のテーマ", "テーマの散布図", "ウェブフォーム"):
        assert japanese not in page, japanese


@pytest.mark.parametrize(
    ("code", "labels"),
    [
        (
            "en",
            [
                "An individual",
                "An organisation (give its name and its representative&#x27;s name)",
                "Jointly (in the names of several people)",
            ],
        ),
        ("zh-hans", None),
        ("ja-easy", None),
    ],
)
def test_the_opinion_form_offers_the_submitter_kinds_in_the_chosen_language(client, consultation, code, labels):
    client.cookies[COOKIE] = code
    page = client.get(f"/consultations/{consultation.pk}/submit/").content.decode()
    assert 'name="submitter_kind"' in page
    for label in labels or []:
        assert label in page, label
    for japanese in ("団体（団体名と代表者氏名を入力）", "連名（複数の方のお名前で提出）", "方書（建物名・部屋番号）"):
        assert japanese not in page, (code, japanese)


@pytest.fixture
def published_survey(db):
    survey = ConsultationFactory(
        survey=True, title="市民意識調査（テスト）", closes_at=timezone.now() + datetime.timedelta(days=1)
    )
    yes_no = QuestionFactory(consultation=survey, number=1, text="町会に加入していますか。", labels=["はい", "いいえ"])
    importance, satisfaction = scale_question(survey, number=2), scale_question(survey, number=3)
    for _ in range(6):
        respond(survey, {yes_no: ["はい"], importance: ["そう思う"], satisfaction: ["ややそう思う"]})
    survey_matrix_item_create(
        consultation=survey,
        actor=None,
        label="町会・自治会の支援",
        importance_question=importance,
        satisfaction_question=satisfaction,
    )
    consultation_close(consultation=survey)
    survey_results_publish(consultation=survey, actor=StaffUserFactory(roles=[KOUCHOU]))
    return survey


def test_the_published_survey_results_and_their_matrix_are_in_english(client, published_survey):
    response = _english(client).get(f"/consultations/{published_survey.pk}/survey-results/")
    page = response.content.decode()
    assert _html_lang(response) == "en" and response["Content-Language"] == "en"
    assert 'data-testid="japanese-only"' not in page
    assert '<h2 id="matrix-heading">Importance and satisfaction (priorities among policies)</h2>' in page
    assert "<dt>Valid responses</dt><dd>6 people</dd>" in page
    # The quadrant is named in English; the item's label is the city's, marked as Japanese.
    assert '<th scope="row" lang="ja"><span class="matrix-key">1</span> 町会・自治会の支援</th>' in page
    assert "<td>Keep strong</td>" in page and "<dt>Keep strong</dt>" in page
    assert '<span lang="ja">町会に加入していますか。</span> (one answer)' in page
    for japanese in ("重要度×満足度", "重点維持", "集計結果の見方", "点数のつけ方", "有効回答数"):
        assert japanese not in page, japanese
    # The downloads stay Japanese (machine-read files).
    matrix_csv = client.get(f"/consultations/{published_survey.pk}/survey-matrix.csv")
    assert matrix_csv["Content-Language"] == "ja" and "重点維持" in matrix_csv.content.decode("utf-8-sig")


def test_the_quadrants_are_named_as_the_downloads_name_them_in_japanese():
    for key in QUADRANT_ORDER:
        assert quadrant_name(key) == QUADRANT_LABELS[key]
        assert quadrant_description(key) == QUADRANT_DESCRIPTIONS[key]
    with translation.override("en"):
        assert [quadrant_name(key) for key in QUADRANT_ORDER] == ["Improve first", "Keep strong", "Improve", "Maintain"]


# ---- What a submission records ----


def test_a_submission_made_in_english_records_en_and_the_staff_pages_show_it(
    client, consultation, django_capture_on_commit_callbacks
):
    client.cookies[COOKIE] = "en"
    url = f"/consultations/{consultation.pk}/submit/"
    confirm = client.post(url, _pc_data())
    assert "Check your answers" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _pc_data(step="submit"))
    assert response.status_code == HTTPStatus.FOUND
    submission = Submission.objects.get()
    assert submission.language == "en"
    # The text is stored as written.
    assert submission.body == "Please add more benches to the parks near the station."

    receipt = client.get(response["Location"]).content.decode()
    assert "Receipt number: " in receipt and submission.receipt_number in receipt
    assert '<dd lang="en">Please add more benches' in receipt

    # The receipt mail is in English too.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (
        message.subject
        == f"[Receipt {submission.receipt_number}] We have received your comment on 川口市公園整備計画（案）"
    )
    assert "Thank you for your comment on “川口市公園整備計画（案）”." in message.body
    assert f"Receipt number: {submission.receipt_number}" in message.body
    assert "This address cannot receive replies." in message.body

    staff = client_for_staff(client)
    queue = staff.get("/staff/queue/").content.decode()
    assert re.search(r'<span data-testid="submission-language">（英語）</span>', queue)
    detail = staff.get(f"/staff/submissions/{submission.pk}/").content.decode()
    assert '<dt>提出時の言語</dt><dd data-testid="submission-language">英語</dd>' in detail
    assert 'data-testid="submission-text" lang="en"' in detail


def client_for_staff(client):
    client.cookies[COOKIE] = "en"  # the resident's cookie does not matter on staff pages
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    return client


def test_paper_submissions_are_japanese_and_an_unknown_language_is_refused(consultation):
    assert submit(consultation, channel="post", received_on=datetime.date(2026, 12, 1)).language == "ja"
    with pytest.raises(ValidationError):
        submit(consultation, language="xx")


@pytest.mark.parametrize(
    ("code", "subject", "line"),
    [
        ("ja", "【受付番号 {n}】川口市公園整備計画（案） へのご意見を受け付けました", "受付番号：{n}"),
        ("en", "[Receipt {n}] We have received your comment on 川口市公園整備計画（案）", "Receipt number: {n}"),
        ("zh-hans", "【受理编号 {n}】已受理您对川口市公園整備計画（案）的意见", "受理编号：{n}"),
        ("ja-easy", "【受付番号 {n}】川口市公園整備計画（案） への意見を受け付けました", "受付番号：{n}"),
    ],
)
def test_the_receipt_mail_is_in_the_submitters_language(consultation, code, subject, line):
    submission = submit(consultation, identity={"email": "resident@example.jp"}, language=code)
    mail.outbox.clear()  # eager tasks may have sent it already; send it again on purpose
    Submission.objects.filter(pk=submission.pk).update(receipt_sent_at=None)
    # Sent by a worker, which has no request and whatever language was last active.
    with translation.override("en" if code != "en" else "ja"):
        assert submission_receipt_send(submission_id=submission.pk)
    message = mail.outbox[-1]
    n = submission.receipt_number
    assert message.subject == subject.format(n=n)
    assert line.format(n=n) in message.body


# ---- The compiled catalogs ----


@pytest.mark.parametrize("directory", sorted(p.parent for p in LOCALE.glob("*/LC_MESSAGES/django.po")), ids=str)
def test_the_committed_mo_files_are_up_to_date_with_the_po_files(directory, tmp_path):
    """Compile each .po to a temporary file and compare it, entry by entry, with the committed .mo."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (GNU gettext) が見つからないためスキップ")
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(fresh), str(directory / "django.po")], check=True)
    with fresh.open("rb") as handle:
        expected = gettext.GNUTranslations(handle)._catalog
    with (directory / "django.mo").open("rb") as handle:
        committed = gettext.GNUTranslations(handle)._catalog
    assert committed == expected, "run: manage.py compilemessages (or msgfmt) and commit the .mo"


@pytest.mark.parametrize("code", ["en", "zh_Hans", "ja_Easy"])
def test_every_language_has_the_same_translated_msgids(code):
    """A label translated for one language is translated for all three (no page half in Japanese)."""

    def translated(lang):
        with (LOCALE / lang / "LC_MESSAGES" / "django.mo").open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog
        # A plural entry is keyed (msgid, n): one per plural form of the language.
        return {key[0] if isinstance(key, tuple) else key for key, value in catalog.items() if key and value}

    assert translated(code) == translated("en")
