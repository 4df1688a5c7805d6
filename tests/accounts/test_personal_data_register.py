"""個人情報ファイル簿: built from the models' declarations, so it cannot drift from the code."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps

from accounts.personal_data import (
    HEADER,
    declaration_errors,
    register_csv,
    register_entries,
    register_markdown,
    undeclared_personal_fields,
)
from accounts.roles import KOUCHOU
from core.personal_data import PersonalData, looks_personal
from feedback.models import SubmitterIdentity

from .factories import StaffUserFactory, UserFactory


def _entry(label):
    return next(entry for entry in register_entries(with_counts=False) if entry.label == label)


# ---- the drift guards ----


def test_every_field_that_looks_personal_is_declared():
    # A new field named like personal data (氏名・住所・電話・メール・生年月日 …)
    # must be added to its model's PERSONAL_DATA, or to NOT_PERSONAL with a reason.
    assert undeclared_personal_fields() == []


def test_every_declaration_names_real_fields_roles_and_retention_kinds():
    assert declaration_errors() == []


def test_the_name_heuristic():
    for name in ("name", "display_name", "name_kana", "address", "ip_address", "email", "phone", "birth_date", "fax"):
        assert looks_personal(name), name
    for name in ("codename", "body", "status", "telemetry", "submitted_at"):
        assert not looks_personal(name), name


@isolate_apps("committees")
def test_an_undeclared_birth_date_is_caught():
    class Applicant(models.Model):  # noqa: DJ008 - a throwaway model
        PERSONAL_DATA = PersonalData(
            file="応募者",
            purpose="選考",
            fields=("name",),
            subjects="応募者",
            retention=("application",),
            seen_by=(KOUCHOU,),
        )
        name = models.CharField(max_length=10)
        birth_date = models.DateField()

        class Meta:
            app_label = "committees"

    assert undeclared_personal_fields([Applicant]) == ["committees.applicant.birth_date"]


@isolate_apps("committees")
def test_a_declaration_with_a_missing_field_or_unknown_role_is_an_error():
    class Broken(models.Model):  # noqa: DJ008 - a throwaway model
        PERSONAL_DATA = PersonalData(
            file="壊れた宣言",
            purpose="テスト",
            fields=("phone",),
            subjects="なし",
            retention=("no_such_kind",),
            seen_by=("governor",),
        )

        class Meta:
            app_label = "committees"

    errors = declaration_errors([Broken])
    assert "committees.broken: 項目 phone がありません" in errors
    assert "committees.broken: 役割 governor は不明です" in errors
    assert "committees.broken: 保存年限の種類 no_such_kind は不明です" in errors


# ---- what the register says ----


def test_the_submitters_identity_is_listed_with_its_fields_retention_and_viewers(settings):
    settings.KOE_RETENTION_YEARS_SUBMISSION_IDENTITY = 7
    entry = _entry("feedback.submitteridentity")

    assert entry.declaration.file == "提出者の個人情報"
    labels = [str(SubmitterIdentity._meta.get_field(n).verbose_name) for n in ("name", "address", "phone", "email")]
    assert set(labels) <= set(entry.field_labels)
    assert any(text.startswith("提出者の個人情報：7年（案件の募集締切") for text in entry.retention)
    assert "広聴担当" in entry.seen_by and "システム管理者" in entry.seen_by
    assert "所管課職員" not in entry.seen_by


def test_every_holder_of_personal_data_is_in_the_register():
    labels = {entry.label for entry in register_entries(with_counts=False)}

    assert labels >= {
        "accounts.user",
        "account.emailaddress",
        "feedback.submission",
        "feedback.submitteridentity",
        "letters.lettercase",
        "nlp.submissionanalysis",
        "triage.internalnote",
        "core.auditevent",
    }


def test_a_declared_but_unapplied_retention_says_so():
    entry = _entry("core.auditevent")
    assert any(text.startswith("監査ログ：") for text in entry.retention)


@pytest.mark.django_db
def test_the_register_counts_records():
    UserFactory()
    assert _entry("accounts.user").count is None
    entry = next(e for e in register_entries() if e.label == "accounts.user")
    assert entry.count == 1


@pytest.mark.django_db
def test_csv_is_utf8_with_bom_crlf_and_japanese_headings():
    content = register_csv()

    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADER)
    assert "\r\n" in text
    assert "提出者の個人情報" in text


@pytest.mark.django_db
def test_markdown_has_a_section_per_record_kind():
    text = register_markdown()

    assert text.startswith("# 個人情報ファイル簿")
    assert "## 提出者の個人情報" in text
    assert "| 利用目的 |" in text and "| 保存期間 |" in text


# ---- the page and the command ----


@pytest.mark.django_db
def test_staff_read_the_register_and_download_it(client, roles):
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))

    page = client.get("/staff/personal-data/")
    download = client.get("/staff/personal-data/?format=csv")

    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>個人情報ファイル簿</h1>" in html and "提出者の個人情報" in html and "利用目的" in html
    assert download["Content-Type"].startswith("text/csv")
    assert download.content.startswith("\ufeff".encode())


@pytest.mark.django_db
def test_residents_cannot_open_the_staff_register(client):
    client.force_login(UserFactory())
    assert client.get("/staff/personal-data/").status_code == 403


@pytest.mark.django_db
def test_the_command_prints_markdown_or_csv(tmp_path):
    out = StringIO()
    call_command("personal_data_register", stdout=out)
    assert "## 提出者の個人情報" in out.getvalue()

    target = tmp_path / "register.csv"
    call_command("personal_data_register", "--format", "csv", "--no-counts", "-o", str(target), stderr=StringIO())
    assert target.read_bytes().startswith("\ufeff".encode())
    assert "提出者の個人情報" in target.read_bytes().decode("utf-8-sig")


@pytest.mark.django_db
def test_the_staff_home_links_to_the_register(client, roles):
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    assert 'href="/staff/personal-data/"' in client.get("/staff/").content.decode()
