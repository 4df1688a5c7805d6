"""Issue #15: 調査の運営 — staff issue invitation codes, print the 依頼状, download the
mail-merge CSV, record 督促 waves and read the response rate per wave."""

import csv
import datetime
import io
import re
from http import HTTPStatus

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import DEPARTMENT_STAFF, KOUCHOU
from consultations.models import InvitationCode
from consultations.survey_operations import invitation_codes_issue, reminder_wave_record
from feedback.models import Submission
from feedback.services import AnswerInput, submission_create
from tests.accounts.factories import DepartmentFactory, StaffUserFactory
from tests.consultations.factories import ConsultationFactory, QuestionFactory

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r'<p class="code">([0-9A-Z]{4}-[0-9A-Z]{4})</p>')


@pytest.fixture
def sampled():
    survey = ConsultationFactory(
        survey=True,
        invitation_required=True,
        title="令和8年度 川口市市民意識調査",
        target_population="市内在住の18歳以上の方3,000人",
        department=DepartmentFactory(code="kocho", name="広聴課"),
    )
    survey.question = QuestionFactory(consultation=survey, text="市政に満足していますか")
    return survey


@pytest.fixture
def kouchou():
    return StaffUserFactory(roles=[KOUCHOU])


@pytest.fixture
def staff_client(client, kouchou):
    client.force_login(kouchou)
    return client


def _url(survey, suffix):
    return f"/staff/surveys/{survey.pk}/{suffix}"


def _issue(client, survey, count=20, note=""):
    response = client.post(_url(survey, "invitations/"), {"count": str(count), "note": note})
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()
    assert response["Location"] == _url(survey, "operations/") + "#issued"
    return survey.invitation_batches.latest("issued_at")


def _csv_rows(response) -> list[list[str]]:
    raw = response.content
    assert raw.startswith("\ufeff".encode())  # BOM, for Excel
    assert b"\r\n" in raw
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_staff_issue_20_codes_print_the_sheets_and_download_the_csv(staff_client, sampled):
    batch = _issue(staff_client, sampled, 20, note="住民基本台帳から無作為抽出")
    page = staff_client.get(_url(sampled, "operations/")).content.decode()
    assert "招待コードを20件発行しました。" in page
    assert "第1回の発行（20件）" in page and "住民基本台帳から無作為抽出" in page
    assert f"invitations/sheet/?batch={batch.pk}" in page and f"invitations/codes.csv?batch={batch.pk}" in page

    sheet = staff_client.get(_url(sampled, f"invitations/sheet/?batch={batch.pk}"))
    assert sheet.status_code == HTTPStatus.OK
    assert "no-store" in sheet["Cache-Control"]
    html = sheet.content.decode()
    printed = CODE_RE.findall(html)
    assert len(printed) == len(set(printed)) == 20
    assert html.count('<article class="sheet invitation"') == 20
    assert html.count('<svg role="img" aria-label="回答ページ（招待コード入り）を開くQRコード"') == 20
    assert "通し番号 1 / 20" in html and "通し番号 20 / 20" in html
    assert "「令和8年度 川口市市民意識調査」ご協力のお願い" in html
    assert "市内在住の18歳以上の方3,000人の中から無作為にお選びしました。" in html
    assert "invitation-print.css" in html and "<script" not in html
    # Each stored hash is one of the printed codes; the codes themselves are not stored.
    hashes = set(InvitationCode.objects.filter(batch=batch).values_list("code_hash", flat=True))
    from consultations.services import invitation_code_hash

    assert {invitation_code_hash(code) for code in printed} == hashes

    download = staff_client.get(_url(sampled, f"invitations/codes.csv?batch={batch.pk}"))
    assert download.status_code == HTTPStatus.OK
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    rows = _csv_rows(download)
    assert rows[0] == [
        "通し番号",
        "招待コード",
        "回答ページのアドレス（コード入り）",
        "回答ページのアドレス",
        "回答期限",
    ]
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 21)]
    assert [row[1] for row in rows[1:]] == printed  # the same order as the sheets
    form_url = f"http://127.0.0.1:8000/consultations/{sampled.pk}/submit/"
    assert rows[1][2] == f"{form_url}?code={printed[0].replace('-', '')}" and rows[1][3] == form_url
    assert rows[1][4] == f"{timezone.localtime(sampled.closes_at):%Y-%m-%d}"


def test_the_codes_work_once_on_the_resident_form_opened_from_the_qr_code(staff_client, sampled):
    batch = _issue(staff_client, sampled, 20)
    html = staff_client.get(_url(sampled, f"invitations/sheet/?batch={batch.pk}")).content.decode()
    code = CODE_RE.findall(html)[0]
    resident = Client()
    form_url = f"/consultations/{sampled.pk}/submit/"
    # The QR code's address opens the form with the code filled in.
    opened = resident.get(f"{form_url}?code={code.replace('-', '')}").content.decode()
    assert re.search(rf'name="invitation_code"[^>]*value="{code.replace("-", "")}"', opened)
    answer = {f"q{sampled.question.pk}": str(sampled.question.choices.first().pk), "invitation_code": code}
    assert resident.post(form_url, {**answer, "step": "confirm"}).status_code == HTTPStatus.OK
    assert resident.post(form_url, {**answer, "step": "submit"}).status_code == HTTPStatus.FOUND
    again = resident.post(form_url, {**answer, "step": "confirm"})
    assert again.status_code == HTTPStatus.BAD_REQUEST
    assert "この招待コードは既に回答に使われています。" in again.content.decode()
    assert Submission.objects.filter(consultation=sampled).count() == 1
    assert InvitationCode.objects.filter(batch=batch, used_at__isnull=False).count() == 1


def test_the_plain_codes_are_shown_only_to_the_issuing_session_and_only_for_a_while(staff_client, sampled, settings):
    batch = _issue(staff_client, sampled, 3)
    sheet_url = _url(sampled, f"invitations/sheet/?batch={batch.pk}")
    csv_url = _url(sampled, f"invitations/codes.csv?batch={batch.pk}")
    other = Client()
    other.force_login(StaffUserFactory(roles=[KOUCHOU]))
    for response in (other.get(sheet_url), other.get(csv_url)):
        assert response.status_code == HTTPStatus.OK
        assert "このコードはもう表示できません" in response.content.decode()
        assert not CODE_RE.search(response.content.decode())
    # 「コードを画面から消去する」
    staff_client.post(_url(sampled, "invitations/forget/"), {"batch": str(batch.pk)})
    assert "このコードはもう表示できません" in staff_client.get(sheet_url).content.decode()
    # Past KOE_INVITATION_CODES_SHOW_MINUTES.
    settings.KOE_INVITATION_CODES_SHOW_MINUTES = 0
    later = _issue(staff_client, sampled, 2)
    page = staff_client.get(_url(sampled, "operations/")).content.decode()
    assert f"sheet/?batch={later.pk}" not in page


def test_issue_form_errors_keep_what_was_typed(staff_client, sampled):
    response = staff_client.post(_url(sampled, "invitations/"), {"count": "6000", "note": "二回目の抽出"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert "入力内容に1件の問題があります" in page
    assert "発行する数は1回に5,000までです。" in page
    assert 'value="6000"' in page and 'value="二回目の抽出"' in page
    assert not InvitationCode.objects.exists()
    open_survey = ConsultationFactory(survey=True)
    refused = staff_client.post(_url(open_survey, "invitations/"), {"count": "5"})
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert "招待コードを使わない設定です" in refused.content.decode()


def test_a_lost_batch_is_voided_from_the_page(staff_client, sampled, kouchou):
    lost = invitation_codes_issue(actor=kouchou, survey=sampled, count=5)
    response = staff_client.post(_url(sampled, "invitations/void/"), {"batch": str(lost.batch.pk)})
    assert response.status_code == HTTPStatus.FOUND
    page = staff_client.get(_url(sampled, "operations/")).content.decode()
    assert "発行分の未使用のコード5件を無効にしました。" in page
    assert "に未使用の5件を無効化" in page
    assert not InvitationCode.objects.filter(consultation=sampled).exists()


def test_only_kouchou_and_admins_run_a_survey(client, sampled):
    client.force_login(StaffUserFactory(roles=[DEPARTMENT_STAFF], department=sampled.department))
    assert client.get(_url(sampled, "operations/")).status_code == HTTPStatus.FORBIDDEN
    assert client.post(_url(sampled, "invitations/"), {"count": "5"}).status_code == HTTPStatus.FORBIDDEN
    assert not InvitationCode.objects.exists()


def _respond(survey, code, *, received_on=None):
    channel = "post" if received_on else "web"
    answers = [AnswerInput(survey.question.pk, choice_ids=[survey.question.choices.first().pk])]
    return submission_create(
        consultation=survey, channel=channel, answers=answers, invitation_code=code, received_on=received_on
    )


def test_response_rate_before_and_after_each_reminder_wave(staff_client, sampled, kouchou):
    codes = invitation_codes_issue(actor=kouchou, survey=sampled, count=10).codes
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    # Two paper questionnaires that arrived yesterday (entered today), then a 督促 today, then three on the web.
    _respond(sampled, codes[0], received_on=yesterday)
    _respond(sampled, codes[1], received_on=yesterday)
    reminder_wave_record(actor=kouchou, survey=sampled, sent_on=today, sent_count=8, note="礼状兼督促はがき")
    for code in codes[2:5]:
        _respond(sampled, code)
    page = staff_client.get(_url(sampled, "operations/")).content.decode()
    table = page[page.index('id="wave-rates-caption"') : page.index("</table>", page.index('id="wave-rates-caption"'))]
    assert "発行した招待コード 10件に対する割合" in table
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    cells = [re.sub(r"<[^>]+>", "|", row) for row in rows]
    before = next(c for c in cells if "督促の前（依頼状の発送後）" in c)
    wave = next(c for c in cells if "第1回督促（8通）" in c)
    total = next(c for c in cells if "合計" in c)
    assert "2件" in before and "20.0%" in before
    assert f"{yesterday:%Y年%-m月%-d日}" in before  # the day before the wave ends the first period
    assert "3件" in wave and "30.0%" in wave and "5件" in wave and "50.0%" in wave and "礼状兼督促はがき" in wave
    assert "5件" in total and "50.0%" in total
    assert "回収率（使用された招待コード ÷ 発行した招待コード）" in page and "50.0%（5 / 10）" in page


def test_reminder_form_errors_are_shown_with_what_was_typed(staff_client, sampled):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = staff_client.post(
        _url(sampled, "reminders/"), {"sent_on": tomorrow.isoformat(), "sent_count": "120", "note": "はがき"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert "発送日が未来の日付になっています。督促は発送した後に記録してください。" in page
    assert 'value="120"' in page and 'value="はがき"' in page
    ok = staff_client.post(
        _url(sampled, "reminders/"), {"sent_on": timezone.localdate().isoformat(), "sent_count": "120"}
    )
    assert ok.status_code == HTTPStatus.FOUND
    wave = sampled.reminder_waves.get()
    staff_client.post(_url(sampled, "reminders/delete/"), {"wave": str(wave.pk)})
    assert not sampled.reminder_waves.exists()


def test_the_results_page_shows_the_waves_and_links_to_the_operations_page(staff_client, sampled, kouchou):
    reminder_wave_record(actor=kouchou, survey=sampled, sent_on=timezone.localdate(), sent_count=8)
    page = staff_client.get(f"/staff/surveys/{sampled.pk}/results/").content.decode()
    assert "督促の前後ごとの回収率" in page and "第1回督促（8通）" in page
    assert _url(sampled, "operations/") in page
