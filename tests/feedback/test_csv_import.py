import pytest

from feedback.models import Submission
from feedback.services import CsvImportFailed, submission_import_csv
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory, DraftSectionFactory

pytestmark = pytest.mark.django_db

HEADER = "提出方法,到着日,該当箇所,意見,氏名,住所,メールアドレス\r\n"


def test_a_clean_file_imports_every_row_with_its_channel():
    consultation = ConsultationFactory()
    DraftSectionFactory(consultation=consultation, number="3-1")
    raw = (
        HEADER + '郵送,2026/11/20,3-1,"駅前に駐輪場を\r\n増やしてください。",川口 太郎,川口市青木1-1-1,\r\n'
        "FAX,2026-11-21,,公民館の開館時間を延ばしてほしい。,,,\r\n"
    ).encode("utf-8-sig")
    created = submission_import_csv(consultation=consultation, raw=raw, actor=StaffUserFactory())
    assert [s.channel for s in created] == ["post", "fax"]
    first = Submission.objects.get(pk=created[0].pk)
    assert first.section.number == "3-1"
    assert first.body == "駅前に駐輪場を\n増やしてください。"
    assert first.identity.name == "川口 太郎"
    assert str(first.received_on) == "2026-11-20"


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_rows():
    consultation = ConsultationFactory()
    raw = (
        HEADER + "郵送,2026-11-20,,よい意見です。,,,\r\n"
        "電話,2026-11-20,,電話の意見,,,\r\n"
        "FAX,11月20日,,日付が不正,,,\r\n"
        "持参,2026-11-22,,,,,\r\n"
    ).encode("utf-8")
    with pytest.raises(CsvImportFailed) as excinfo:
        submission_import_csv(consultation=consultation, raw=raw, actor=StaffUserFactory())
    errors = {(e.line, e.message) for e in excinfo.value.errors}
    assert (
        3,
        "提出方法は 郵送・FAX・電子メール・持参 のいずれかを入力してください。",
    ) in errors
    assert (4, "日付は 2026-11-28 または 2026/11/28 の形で入力してください。") in errors
    assert (5, "ご意見を入力してください（空白だけでは送信できません）。") in errors
    assert Submission.objects.count() == 0


def test_shift_jis_files_from_excel_are_read():
    consultation = ConsultationFactory()
    raw = (HEADER + "持参,2026-11-20,,窓口で受け取った意見です。,川口 花子,,\r\n").encode("cp932")
    created = submission_import_csv(consultation=consultation, raw=raw, actor=StaffUserFactory())
    assert created[0].body == "窓口で受け取った意見です。"
    assert created[0].channel == "counter"


def test_a_missing_column_is_reported_on_line_one():
    with pytest.raises(CsvImportFailed) as excinfo:
        submission_import_csv(
            consultation=ConsultationFactory(),
            raw="提出方法,意見\r\n".encode(),
            actor=StaffUserFactory(),
        )
    assert [(e.line, e.column) for e in excinfo.value.errors] == [(1, "到着日")]


IDENTITY_HEADER = "提出方法,到着日,意見,氏名,ふりがな,郵便番号,電話番号,メールアドレス\r\n"


def test_identity_in_a_file_is_normalised_as_the_web_form_stores_it():
    consultation = ConsultationFactory()
    raw = (
        IDENTITY_HEADER + "郵送,2026-11-20,歩道を広げてほしい。,川口 太郎,かわぐち たろう,"
        "〒３３２－８６０１,０４８（２５８）１１１０,ｔａｒｏ@example.jp\r\n"
    ).encode("utf-8")
    created = submission_import_csv(consultation=consultation, raw=raw, actor=StaffUserFactory())
    identity = Submission.objects.get(pk=created[0].pk).identity
    assert identity.postcode == "332-8601"
    assert identity.phone == "0482581110"
    assert identity.name_kana == "カワグチ タロウ"
    assert identity.email == "taro@example.jp"


def test_bad_identity_is_a_row_error_naming_the_column_not_a_database_error():
    consultation = ConsultationFactory()
    raw = (
        IDENTITY_HEADER + "郵送,2026-11-20,よい意見です。,川口 太郎,,332-8601,048-258-1110,\r\n"
        "郵送,2026-11-20,二つ目の意見です。,,,,,not-an-email\r\n"
        "FAX,2026-11-21,三つ目の意見です。,,,332-86011,,\r\n"
        "持参,2026-11-22,四つ目の意見です。,,川口,,048-258,\r\n"
    ).encode("utf-8")
    with pytest.raises(CsvImportFailed) as excinfo:
        submission_import_csv(consultation=consultation, raw=raw, actor=StaffUserFactory())
    errors = {(e.line, e.column, e.message) for e in excinfo.value.errors}
    assert errors == {
        (
            3,
            "メールアドレス",
            "メールアドレスの形式が正しくありません（例：koe@example.jp）。",
        ),
        (4, "郵便番号", "郵便番号は7桁の数字で入力してください（例：332-8601）。"),
        (5, "ふりがな", "ふりがなは、ひらがなまたはカタカナで入力してください。"),
        (
            5,
            "電話番号",
            "電話番号は市外局番から10桁または11桁で入力してください（例：048-258-1110、090-1234-5678）。",
        ),
    }
    assert Submission.objects.count() == 0
