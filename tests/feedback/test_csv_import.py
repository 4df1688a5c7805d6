"""What a CSV file may contain: every row is checked like the web form, every
problem is a Japanese row or file error, and a bad file imports nothing."""

import datetime

import pytest
from django.utils import timezone

from feedback.models import Submission, SubmissionImport
from tests.consultations.factories import ConsultationFactory, DraftSectionFactory

from .imports_support import FULL_HEADER, error_set, run_import

pytestmark = pytest.mark.django_db

HEADER = "提出方法,到着日,該当箇所,意見,氏名,住所,メールアドレス\r\n"
FAILED = SubmissionImport.Status.FAILED


def test_a_clean_file_imports_every_row_with_its_channel():
    consultation = ConsultationFactory()
    DraftSectionFactory(consultation=consultation, number="3-1")
    raw = (
        HEADER + '郵送,2026/11/20,3-1,"駅前に駐輪場を\r\n増やしてください。",川口 太郎,川口市青木1-1-1,\r\n'
        "FAX,2026-11-21,,公民館の開館時間を延ばしてほしい。,,,\r\n"
    ).encode("utf-8-sig")
    job = run_import(consultation, raw)
    assert job.status == SubmissionImport.Status.DONE
    created = list(Submission.objects.order_by("pk"))
    assert [s.channel for s in created] == ["post", "fax"]
    first = created[0]
    assert first.section.number == "3-1"
    assert first.body == "駅前に駐輪場を\n増やしてください。"
    assert first.identity.name == "川口 太郎"
    assert str(first.received_on) == "2026-11-20"
    assert (job.first_receipt_number, job.last_receipt_number) == (created[0].receipt_number, created[1].receipt_number)


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_rows():
    consultation = ConsultationFactory()
    raw = (
        HEADER + "郵送,2026-11-20,,よい意見です。,,,\r\n"
        "電話,2026-11-20,,電話の意見,,,\r\n"
        "FAX,11月20日,,日付が不正,,,\r\n"
        "持参,2026-11-22,,,,,\r\n"
    ).encode("utf-8")
    job = run_import(consultation, raw)
    assert job.status == FAILED
    assert error_set(job) == {
        (3, "提出方法", "提出方法は 郵送・FAX・電子メール・持参 のいずれかを入力してください。"),
        (
            4,
            "到着日",
            "日付は 2026-11-28、2026/11/28、令和8年11月28日、R8.11.28 のいずれかの形で、"
            "実在する日付を入力してください（平成31年5月1日のように元号にない日付は使えません）。",
        ),
        (5, "意見", "意見を入力してください（空白だけでは送信できません）。"),
    }
    assert Submission.objects.count() == 0


def test_row_numbers_are_excel_rows_even_when_an_opinion_spans_lines():
    raw = (
        HEADER + '郵送,2026-11-20,,"一行目\r\n二行目\r\n三行目",,,\r\n'
        "\r\n"  # a blank row is a row in Excel too
        "電話,2026-11-20,,電話の意見,,,\r\n"
    ).encode("utf-8")
    job = run_import(ConsultationFactory(), raw)
    assert [(e["line"], e["column"]) for e in job.errors] == [(4, "提出方法")]


def test_shift_jis_files_from_excel_are_read():
    consultation = ConsultationFactory()
    raw = (HEADER + "持参,2026-11-20,,窓口で受け取った意見です。,川口 花子,,\r\n").encode("cp932")
    assert run_import(consultation, raw).status == SubmissionImport.Status.DONE
    submission = Submission.objects.get()
    assert (submission.body, submission.channel) == ("窓口で受け取った意見です。", "counter")


def test_a_missing_column_is_reported_on_line_one():
    job = run_import(ConsultationFactory(), "提出方法,意見\r\n郵送,よい\r\n".encode())
    assert [(e["line"], e["column"]) for e in job.errors] == [(1, "到着日")]


IDENTITY_HEADER = "提出方法,到着日,意見,氏名,ふりがな,郵便番号,電話番号,メールアドレス\r\n"


def test_identity_in_a_file_is_normalised_as_the_web_form_stores_it():
    consultation = ConsultationFactory()
    raw = (
        IDENTITY_HEADER + "郵送,2026-11-20,歩道を広げてほしい。,川口 太郎,かわぐち たろう,"
        "〒３３２－８６０１,０４８（２５８）１１１０,ｔａｒｏ@example.jp\r\n"
    ).encode("utf-8")
    run_import(consultation, raw)
    identity = Submission.objects.get().identity
    assert identity.postcode == "332-8601"
    assert identity.phone == "048(258)1110"  # 全角 folded, written form kept (issue #13)
    assert identity.name_kana == "かわぐち たろう"  # as typed
    assert identity.email == "taro@example.jp"


def test_bad_identity_is_a_row_error_naming_the_column_not_a_database_error():
    consultation = ConsultationFactory()
    raw = (
        IDENTITY_HEADER + "郵送,2026-11-20,よい意見です。,川口 太郎,,332-8601,048-258-1110,\r\n"
        "郵送,2026-11-20,二つ目の意見です。,,,,,not-an-email\r\n"
        "FAX,2026-11-21,三つ目の意見です。,,,332-86011,,\r\n"
        "持参,2026-11-22,四つ目の意見です。,,川口,,048-258,\r\n"
    ).encode("utf-8")
    job = run_import(consultation, raw)
    assert error_set(job) == {
        (3, "メールアドレス", "メールアドレスの形式が正しくありません（例：koe@example.jp）。"),
        (4, "郵便番号", "郵便番号は7桁の数字で入力してください（例：332-8601）。"),
        (5, "ふりがな", "ふりがなは、ひらがなまたはカタカナで入力してください。"),
        (
            5,
            "電話番号",
            "電話番号は市外局番から10桁または11桁で入力してください（例：048-258-1110、090-1234-5678）。",
        ),
    }
    assert Submission.objects.count() == 0


def _row(**cells) -> str:
    """One row of FULL_HEADER with the given cells (by column name) filled in."""
    columns = FULL_HEADER.strip().split(",")
    base = {"提出方法": "郵送", "到着日": "2026-11-20", "意見": "駐輪場を増やしてください。"}
    values = {**base, **cells}
    return ",".join('"' + values.get(c, "").replace('"', '""') + '"' for c in columns) + "\r\n"


def test_hostile_identity_is_a_row_error_as_on_the_web_form():
    """HTML in a name, a header-injecting e-mail, spreadsheet formulas and a
    future 到着日 were imported as they were; each is now a row error."""
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    rows = [
        _row(氏名="<script>alert(1)</script>"),
        _row(メールアドレス="taro@example.jp\nBcc: all@example.jp"),
        _row(住所="+cmd|' /C calc'!A0"),
        _row(メールアドレス="=cmd|x@example.jp"),
        _row(団体名="@SUM(A1:A9)"),
        _row(到着日=tomorrow),
        _row(氏名="川" * 150),
        _row(意見="NULを含む\x00意見"),
        _row(該当箇所="3-1\x00"),
        _row(住所="-"),  # a "none" placeholder is not a formula: this row is fine
    ]
    job = run_import(ConsultationFactory(), (FULL_HEADER + "".join(rows)).encode("utf-8"))
    by_line = {}
    for line, column, message in error_set(job):
        by_line.setdefault(line, []).append((column, message))
    assert set(by_line) == set(range(2, 11)), by_line
    assert by_line[2] == [
        ("氏名", "氏名にHTMLタグ（<…> の形の記述）は使えません。山かっこを全角の〈 〉に置き換えてください。")
    ]
    assert by_line[3] == [("メールアドレス", "メールアドレスの形式が正しくありません（例：koe@example.jp）。")]
    formula = "の先頭に「=」「+」「-」「@」は使えません（表計算ソフトで数式として実行されるおそれがあります）。"
    assert by_line[4] == [("住所", "住所" + formula)]
    assert by_line[5] == [("メールアドレス", "メールアドレス" + formula)]
    assert by_line[6] == [("団体名", "団体名" + formula)]
    assert by_line[7] == [
        ("到着日", f"到着日が未来の日付（{tomorrow}）になっています。郵送・FAX等が届いた日を入力してください。")
    ]
    assert by_line[8] == [("氏名", "氏名は100文字以内で入力してください（現在150文字）。")]
    assert by_line[9][0][0] == "意見" and "制御文字" in by_line[9][0][1]
    assert by_line[10][0][0] == "該当箇所" and "制御文字" in by_line[10][0][1]
    assert Submission.objects.count() == 0
    # Messages never quote the cell, so nothing hostile is stored with the job.
    assert "<script>" not in str(job.errors) and "\x00" not in str(job.errors)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "ファイルが空です"),
        (b"   \r\n", "ファイルが空です"),
        (b"PK\x03\x04\x14\x00\x06\x00binary-xlsx", "CSVファイルではありません（XLSX 形式のようです）"),
        ("提出方法,到着日,意見\r\n".encode("utf-16"), "UTF-16"),
        (b"\x80\xff\xfe\x81\x00\xff" * 10, "文字コードを判別できません"),
        ("提出方法,到着日,意見\r\n".encode(), "見出し行のほかにデータの行がありません"),
        (b"name;date;body\r\na;b;c\r\n", "1行目が見出し行になっていないか、カンマ区切りのCSVではありません"),
        (
            ("提出方法,到着日,意見\r\n" + '郵送,2026-11-20,"' + "長" * 200_000 + '"\r\n').encode(),
            "この行をCSVとして読み取れません",
        ),
        ("提出方法,到着日,意見\r\n郵送,2026-11-20,駅前に,駐輪場を\r\n".encode(), "見出し行より列が多くなっています"),
    ],
    ids=["empty", "blank", "xlsx", "utf16", "binary", "header-only", "not-csv", "huge-field", "unquoted-comma"],
)
def test_files_that_are_not_a_usable_csv_are_a_japanese_error_never_a_crash(raw, expected):
    job = run_import(ConsultationFactory(), raw)
    assert job.status == FAILED
    assert any(expected in e["message"] for e in job.errors), job.errors
    assert Submission.objects.count() == 0


def test_more_rows_than_the_limit_is_refused_before_any_row_is_checked(monkeypatch):
    from feedback.services import csv_import

    monkeypatch.setattr(csv_import, "MAX_ROWS", 5)
    raw = (HEADER + "郵送,2026-11-20,,よい意見です。,,,\r\n" * 6).encode()
    job = run_import(ConsultationFactory(), raw)
    assert [(e["line"], e["message"]) for e in job.errors] == [
        (0, "一度に取り込めるのは5行までです。ファイルを分割して取り込んでください。")
    ]
    assert Submission.objects.count() == 0
    # Blank rows do not count towards the limit, and are not data.
    raw = (HEADER + "郵送,2026-11-20,,よい意見です。,,,\r\n,,,,,,\r\n" * 5).encode()
    assert run_import(ConsultationFactory(), raw).created_count == 5


def test_a_case_no_longer_accepting_paper_imports_nothing():
    consultation = ConsultationFactory(status="published")
    job = run_import(consultation, (HEADER + "郵送,2026-11-20,,よい意見です。,,,\r\n").encode())
    assert job.status == FAILED
    assert job.errors[0]["message"] == "この案件は受付を終了しています（結果公表済みまたは準備中）。"
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("R7.4.1", "2025-04-01"),
        ("令和7年4月1日", "2025-04-01"),
        ("令和元年5月1日", "2019-05-01"),
        ("H31.4.30", "2019-04-30"),
        ("2025/4/1 10:30", "2025-04-01"),
    ],
)
def test_the_arrival_date_may_be_written_in_wareki(typed, stored):
    """#15: 窓口 files carry 和暦; an era date that never was (平成31年5月1日) is refused."""
    consultation = ConsultationFactory()
    raw = (HEADER + f"郵送,{typed},,公園を増やしてください。,,,\r\n").encode("utf-8")
    job = run_import(consultation, raw)
    assert job.status == SubmissionImport.Status.DONE, job.errors
    assert str(Submission.objects.get().received_on) == stored


def test_an_era_date_that_never_was_is_refused():
    consultation = ConsultationFactory()
    raw = (HEADER + "郵送,平成31年5月1日,,公園を増やしてください。,,,\r\n").encode("utf-8")
    job = run_import(consultation, raw)
    assert job.status == FAILED and [e["column"] for e in job.errors] == ["到着日"]
