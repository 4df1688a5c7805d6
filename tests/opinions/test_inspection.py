"""閲覧用の写し (行政手続法43条2項) and its 墨塗り記録: masked text only, staff 墨塗り, access, audit."""

import csv
import io
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied

from core.models import AuditEvent
from feedback.models import Submission
from nlp.models import SubmissionAnalysis
from nlp.pii import find_pii, mask
from opinions.models import InspectionRedaction, OpinionItem
from opinions.selectors.inspection import REDACTION_MARK, passage_locate, redact_passages
from opinions.services.answers import opinion_group_withhold
from opinions.services.inspection import inspection_redaction_create
from opinions.services.seeding import opinion_groups_seed
from tests.feedback.factories import submit

pytestmark = pytest.mark.django_db

NAMED = "川口太郎です。電話は048-123-4567です。歩道の段差をなくしてください。"
THIRD_PARTY = "近所の方が毎晩うるさいので困っています。公園の照明を増やしてください。"
MISSED_PHONE = "連絡先は090-1111-2222です。街路樹を剪定してください。"
UNANALYSED = "駅前の駐輪場を増やしてください。"
WITHDRAWN = "取り下げた意見です。"


def _analyse(submission, masked=None):
    """Store the analysis the engine would: the real detector's spans and masks."""
    spans = find_pii(submission.body)
    return SubmissionAnalysis.objects.create(
        submission=submission,
        model_version="test-1",
        masked_text=mask(submission.body, spans) if masked is None else masked,
        pii_spans=[{"start": s.start, "end": s.end, "type": s.type} for s in spans],
    )


@pytest.fixture
def copy_case(case):
    consultation, sections = case
    named = submit(consultation, body=NAMED, channel="web", section=sections[0])
    _analyse(named)
    third = submit(consultation, body=THIRD_PARTY, channel="post", section_text="第3章 公園")
    _analyse(third)
    missed = submit(consultation, body=MISSED_PHONE, channel="fax")
    _analyse(missed, masked=MISSED_PHONE)  # an older analysis that missed the phone number
    unanalysed = submit(consultation, body=UNANALYSED, channel="email")
    withdrawn = submit(consultation, body=WITHDRAWN, channel="web")
    _analyse(withdrawn)
    Submission.objects.filter(pk=withdrawn.pk).update(status=Submission.Status.WITHDRAWN)
    return {
        "consultation": consultation,
        "named": named,
        "third": third,
        "missed": missed,
        "unanalysed": unanalysed,
        "withdrawn": withdrawn,
    }


def _url(consultation, rest=""):
    return f"/staff/consultations/{consultation.pk}/workbench/{rest}"


def _csv(response):
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _redact(client, consultation, **data):
    return client.post(_url(consultation, "inspection/redact/"), data)


# ---- Texts ----


def test_redacted_passages_cover_masks_whole_and_merge():
    original = "私は川口太郎です。歩道を広げてください。電話は048-123-4567です。"
    masked = "私は〇〇です。歩道を広げてください。電話はXXX-XXXX-XXXXです。"
    start, end = passage_locate(original=original, masked=masked, passage="〇〇です。歩道")
    assert original[start:end] == "川口太郎です。歩道"
    assert redact_passages(original=original, masked=masked, spans=[(start, end)]) == (
        f"私は{REDACTION_MARK}を広げてください。電話はXXX-XXXX-XXXXです。"
    )
    both = [(start, end), (original.index("電話"), original.index("です。", original.index("電話")))]
    assert redact_passages(original=original, masked=masked, spans=both) == (
        f"私は{REDACTION_MARK}を広げてください。{REDACTION_MARK}です。"
    )
    assert passage_locate(original=original, masked=masked, passage="川口太郎") is None  # not in the masked text
    assert passage_locate(original=original, masked=masked, passage="です。") == "many"


# ---- The copy and its CSVs ----


def test_the_copy_holds_masked_text_only_with_receipt_date_channel_and_section(client, copy_case, people):
    consultation = copy_case["consultation"]
    client.force_login(people["kouchou"])  # 広聴 may read originals, but the copy never holds one
    page = client.get(_url(consultation, "inspection/print/"))
    assert page.status_code == HTTPStatus.OK
    html = page.content.decode()
    for secret in ("川口太郎", "048-123-4567", "090-1111-2222", WITHDRAWN):
        assert secret not in html
    assert "〇〇です。電話はXXX-XXXX-XXXXです。歩道の段差をなくしてください。" in html
    assert THIRD_PARTY in html
    assert "閲覧用（個人情報をマスク済み）" in html and "「川口市道路整備計画（案）」" in html
    assert "inspection-print.css" in html and 'class="running-header"' in html
    for receipt in ("named", "third", "missed", "unanalysed"):
        assert copy_case[receipt].receipt_number in html
    assert copy_case["withdrawn"].receipt_number not in html
    assert "2-1 歩道の整備" in html and "第3章 公園" in html
    assert "ウェブフォーム" in html and "郵送" in html and "FAX" in html and "電子メール" in html
    # Withheld with the reason, never the text: the screen's finding and the missing masking.
    assert "マスク後の本文に電話番号 1件と思われる記述が残っているため（内容は表示しません）" in html
    assert "個人情報のマスク処理が済んでいないため" in html and UNANALYSED not in html
    assert "取り下げられた1件を除く" in html
    # The 墨塗り記録 at the end: the kinds masked, not the values.
    log = html[html.index('id="log-title"') :]
    assert "氏名 1件、電話番号 1件" in log and "システム（個人情報の自動マスク）" in log

    rows = _csv(client.get(_url(consultation, "inspection.csv")))
    assert rows[0][:5] == ["受付番号", "受付日", "提出方法", "該当箇所", "意見（個人情報をマスク済み）"]
    by_receipt = {row[0]: row for row in rows[1:]}
    assert len(by_receipt) == 4
    named = by_receipt[copy_case["named"].receipt_number]
    assert named[2:5] == [
        "ウェブフォーム",
        "2-1 歩道の整備",
        "〇〇です。電話はXXX-XXXX-XXXXです。歩道の段差をなくしてください。",
    ]
    assert named[6] == "氏名 1件、電話番号 1件"
    missed = by_receipt[copy_case["missed"].receipt_number]
    assert missed[4] == "" and "電話番号" in missed[5]
    assert by_receipt[copy_case["unanalysed"].receipt_number][4] == ""
    assert "川口太郎" not in "".join(map(str, rows)) and "090-1111-2222" not in "".join(map(str, rows))

    log_rows = _csv(client.get(_url(consultation, "inspection-log.csv")))
    assert log_rows[0][:6] == ["受付番号", "区分", "内容", "理由", "判断", "記録者"]
    kinds = {(row[0], row[1]) for row in log_rows[1:]}
    assert (copy_case["named"].receipt_number, "個人情報の伏せ字") in kinds
    assert (copy_case["missed"].receipt_number, "提出全体を除外") in kinds
    assert (copy_case["unanalysed"].receipt_number, "提出全体を除外") in kinds
    flat = "".join("".join(row) for row in log_rows)
    assert "川口太郎" not in flat and "048-123-4567" not in flat and "090-1111-2222" not in flat


def test_each_generation_is_an_audit_row(client, copy_case, people):
    consultation = copy_case["consultation"]
    client.force_login(people["staff"])
    client.get(_url(consultation, "inspection/print/"))
    client.get(_url(consultation, "inspection.csv"))
    client.get(_url(consultation, "inspection-log.csv"))
    client.get(_url(consultation, "inspection/"))  # the page of 墨塗り generates nothing
    events = AuditEvent.objects.filter(action="inspection_copy.generate").order_by("pk")
    assert [e.after["output"] for e in events] == ["print", "csv", "log_csv"]
    first = events[0]
    assert first.actor_id == people["staff"].pk
    assert first.target_type == "consultations.consultation" and first.target_id == str(consultation.pk)
    assert first.after["submissions"] == 4 and first.after["withheld"] == 2
    # Masked text only is shown: no original was read.
    assert not AuditEvent.objects.filter(action="pii.view_original").exists()


# ---- Staff 墨塗り ----


def test_a_staff_withholding_shows_in_the_copy_and_the_log_with_its_reason(client, copy_case, people):
    consultation, third = copy_case["consultation"], copy_case["third"]
    client.force_login(people["staff"])
    response = _redact(
        client,
        consultation,
        receipt_number=third.receipt_number,
        scope="passage",
        passage="近所の方が毎晩うるさいので困っています。",
        reason="第三者の生活状況に関する記述のため",
    )
    assert response.status_code == HTTPStatus.FOUND
    redaction = InspectionRedaction.objects.get()
    assert (redaction.start, redaction.end) == (0, len("近所の方が毎晩うるさいので困っています。"))
    event = AuditEvent.objects.get(action="inspection_redaction.create")
    assert event.summary == "第三者の生活状況に関する記述のため" and event.actor_id == people["staff"].pk
    assert "うるさい" not in str(event.after)  # the audit row holds offsets, not the text withheld

    html = client.get(_url(consultation, "inspection/print/")).content.decode()
    assert f"{REDACTION_MARK}公園の照明を増やしてください。" in html
    assert "うるさい" not in html
    log = html[html.index('id="log-title"') :]
    assert "本文の一部を墨塗り" in log and "第三者の生活状況に関する記述のため" in log
    assert "職員の判断" in log and str(people["staff"]) in log

    log_rows = _csv(client.get(_url(consultation, "inspection-log.csv")))
    staff_rows = [row for row in log_rows[1:] if row[4] == "職員の判断"]
    assert staff_rows == [
        [
            third.receipt_number,
            "本文の一部を墨塗り",
            "本文の一部（20文字）",
            "第三者の生活状況に関する記述のため",
            "職員の判断",
            str(people["staff"]),
            staff_rows[0][6],
            "",
            "",
            "",
        ]
    ]
    assert staff_rows[0][6]  # when

    # Withdrawn with a reason: the text is back, the log keeps both.
    response = client.post(
        _url(consultation, "inspection/revoke/"),
        {"revoke-redaction": redaction.pk, "revoke-reason": "記述は公知の事実であったため"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert AuditEvent.objects.filter(action="inspection_redaction.revoke").count() == 1
    html = client.get(_url(consultation, "inspection/print/")).content.decode()
    assert THIRD_PARTY in html
    log = html[html.index('id="log-title"') :]
    assert "（取り消し済み）" in log and "記述は公知の事実であったため" in log


def test_a_whole_submission_withheld_by_staff_shows_its_reason(client, copy_case, people):
    consultation, named = copy_case["consultation"], copy_case["named"]
    client.force_login(people["kacho"])
    response = _redact(
        client,
        consultation,
        receipt_number=named.receipt_number,
        scope="submission",
        reason="特定の個人への誹謗中傷を含むため",
    )
    assert response.status_code == HTTPStatus.FOUND
    rows = _csv(client.get(_url(consultation, "inspection.csv")))
    row = next(r for r in rows if r[0] == named.receipt_number)
    assert row[4] == "" and row[5] == "職員の判断：特定の個人への誹謗中傷を含むため"
    html = client.get(_url(consultation, "inspection/print/")).content.decode()
    assert "歩道の段差をなくしてください" not in html
    again = _redact(client, consultation, receipt_number=named.receipt_number, scope="submission", reason="再度")
    assert again.status_code == HTTPStatus.BAD_REQUEST
    assert "すでに閲覧用の写しから除いています" in again.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scope": "passage", "passage": "毎晩", "reason": ""}, "墨塗りの理由を入力してください。"),
        ({"scope": "passage", "passage": "", "reason": "理由"}, "そのまま写して入力してください"),
        ({"scope": "passage", "passage": "存在しない文", "reason": "理由"}, "見つかりません"),
        ({"scope": "passage", "passage": "。", "reason": "理由"}, "複数あります"),
    ],
)
def test_a_redaction_needs_a_reason_and_a_passage_found_once(client, copy_case, people, data, message):
    consultation = copy_case["consultation"]
    client.force_login(people["staff"])
    response = _redact(client, consultation, receipt_number=copy_case["third"].receipt_number, **data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    assert not InspectionRedaction.objects.exists()
    assert not AuditEvent.objects.filter(action="inspection_redaction.create").exists()


def test_a_receipt_number_of_another_case_is_refused(client, copy_case, people):
    other = submit(body="別の案件への意見です。")
    client.force_login(people["staff"])
    response = _redact(
        client, copy_case["consultation"], receipt_number=other.receipt_number, scope="submission", reason="理由"
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "この案件の提出の受付番号を入力してください。" in response.content.decode()


def test_the_items_of_a_withheld_opinion_group_are_blacked_out(client, copy_case, people):
    consultation, third = copy_case["consultation"], copy_case["third"]
    opinion_groups_seed(actor=people["staff"], consultation=consultation)
    group = OpinionItem.objects.get(submission=third).group
    opinion_group_withhold(actor=people["staff"], group=group, reason="第三者の利益を害するおそれ")
    client.force_login(people["staff"])
    html = client.get(_url(consultation, "inspection/print/")).content.decode()
    assert THIRD_PARTY not in html and REDACTION_MARK in html
    log = html[html.index('id="log-title"') :]
    assert f"意見要旨 {group.number} の意見" in log and "公表しない意見要旨（第三者の利益を害するおそれ）" in log


def test_the_workbench_links_the_copy(client, copy_case, people):
    client.force_login(people["staff"])
    page = client.get(_url(copy_case["consultation"])).content.decode()
    assert f'href="{_url(copy_case["consultation"], "inspection/")}"' in page
    manage = client.get(_url(copy_case["consultation"], "inspection/")).content.decode()
    assert "閲覧用の写しを表示・印刷する" in manage and "対象の提出：4件" in manage


# ---- Access ----

ROUTES_GET = ("inspection/", "inspection/print/", "inspection.csv", "inspection-log.csv")


def test_another_department_gets_404_and_residents_are_refused(client, copy_case, people, resident):
    consultation = copy_case["consultation"]
    client.force_login(people["outsider"])
    for rest in ROUTES_GET:
        assert client.get(_url(consultation, rest)).status_code == HTTPStatus.NOT_FOUND
    assert (
        _redact(
            client, consultation, receipt_number=copy_case["third"].receipt_number, scope="submission", reason="x"
        ).status_code
        == HTTPStatus.NOT_FOUND
    )
    with pytest.raises(PermissionDenied):
        inspection_redaction_create(
            actor=people["outsider"],
            consultation=consultation,
            receipt_number=copy_case["third"].receipt_number,
            scope="submission",
            reason="x",
        )
    client.force_login(resident)
    for rest in ROUTES_GET:
        assert client.get(_url(consultation, rest)).status_code == HTTPStatus.FORBIDDEN
    client.logout()
    for rest in ROUTES_GET:
        response = client.get(_url(consultation, rest))
        assert response.status_code == HTTPStatus.FOUND and "/accounts/login/" in response["Location"]
    assert not AuditEvent.objects.filter(action__startswith="inspection_").exists()
    assert not InspectionRedaction.objects.exists()


def test_department_staff_get_only_their_submissions_and_are_told(client, copy_case, people, org):
    consultation = copy_case["consultation"]
    Submission.objects.filter(pk=copy_case["third"].pk).update(department=org["child"])
    client.force_login(people["staff"])
    html = client.get(_url(consultation, "inspection/print/")).content.decode()
    assert copy_case["third"].receipt_number not in html
    assert "ほかの課に振り分けられた提出が1件あり" in html
    client.force_login(people["kouchou"])
    assert copy_case["third"].receipt_number in client.get(_url(consultation, "inspection/print/")).content.decode()
