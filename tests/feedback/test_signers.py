"""代表者 and 連名 (#15) on the web form, staff entry and CSV import; 方書 and the 町名 suggestions."""

import re
from http import HTTPStatus

import pytest

from accounts.roles import DEPARTMENT_STAFF, KOUCHOU
from core.models import AuditEvent
from feedback.models import Signer, Submission, SubmitterIdentity
from feedback.services import csv_rows_check
from feedback.services.csv_import import CsvImportFailed
from tests.accounts.factories import DepartmentFactory, StaffUserFactory
from tests.consultations.factories import ConsultationFactory

from .factories import submit
from .imports_support import error_set, run_import

pytestmark = pytest.mark.django_db

BODY = "公園の遊具を増やしてください。"


def _url(consultation):
    return f"/consultations/{consultation.pk}/submit/"


def _pc_data(**overrides):
    data = {
        "section": "",
        "section_text": "",
        "body": BODY,
        "submitter_kind": "individual",
        "name": "川口 太郎",
        "name_kana": "",
        "organization": "",
        "representative": "",
        "postcode": "332-8601",
        "address": "川口市青木2-1-1",
        "address_building": "",
        "phone": "",
        "email": "",
    }
    data.update(overrides)
    return data


JOINT = {
    "submitter_kind": "joint",
    "name": "川口 太郎",
    "signer_0_name": "鳩ヶ谷 花子",
    "signer_0_address": "川口市鳩ヶ谷本町2-1-1",
    "signer_1_name": "芝 次郎",
    "signer_1_address": "",
}


# ---- the web form ----


def test_a_joint_submission_of_three_signers_goes_through_the_three_steps(client):
    consultation = ConsultationFactory()
    form = client.get(_url(consultation)).content.decode()
    assert "連名（複数の方のお名前で提出）" in form
    assert 'name="signer_0_name"' in form and "連名者2の氏名" in form

    confirm = client.post(_url(consultation), {**_pc_data(**JOINT), "step": "confirm"})
    page = confirm.content.decode()
    assert confirm.status_code == HTTPStatus.OK, page
    assert "連名者2 鳩ヶ谷 花子（川口市鳩ヶ谷本町2-1-1）、連名者3 芝 次郎" in page
    # Blank rows are not listed as 未入力 on the confirmation page.
    assert "連名者4の氏名" not in page
    assert Submission.objects.count() == 0

    done = client.post(_url(consultation), {**_pc_data(**JOINT), "step": "submit"})
    assert done.status_code == HTTPStatus.FOUND
    identity = Submission.objects.get().identity
    assert identity.submitter_kind == SubmitterIdentity.Kind.JOINT
    assert identity.name == "川口 太郎"
    assert [(s.position, s.name, s.address) for s in identity.signers.all()] == [
        (2, "鳩ヶ谷 花子", "川口市鳩ヶ谷本町2-1-1"),
        (3, "芝 次郎", ""),
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"submitter_kind": "joint"}, "signer_0_name", "ほかの連名者（連名者2）の氏名を1人以上入力してください。"),
        (
            {"submitter_kind": "joint", "name": "", "signer_0_name": "鳩ヶ谷 花子"},
            "name",
            "連名で提出する場合は、連絡先となる方（1人目）の氏名を入力してください。",
        ),
        (
            {"submitter_kind": "individual", "signer_0_name": "鳩ヶ谷 花子"},
            "signer_0_name",
            "連名で提出する場合は、提出者の種別で「連名」を選んでください。",
        ),
        (
            {"submitter_kind": "joint", "signer_0_address": "川口市芝1-1"},
            "signer_0_name",
            "連名者2の住所だけが入力されています。氏名も入力してください。",
        ),
        (
            {"submitter_kind": "organization", "organization": "青木町会"},
            "representative",
            "団体として提出する場合は代表者氏名を入力してください。",
        ),
        (
            {"submitter_kind": "organization", "representative": "青木 一郎"},
            "organization",
            "団体として提出する場合は団体名を入力してください。",
        ),
        (
            {"submitter_kind": "individual", "organization": "青木町会"},
            "organization",
            "団体として提出する場合は、提出者の種別で「団体」を選んでください。",
        ),
    ],
)
def test_a_kind_that_does_not_fit_what_was_typed_is_a_specific_error_and_keeps_it(client, overrides, field, message):
    consultation = ConsultationFactory()
    response = client.post(_url(consultation), {**_pc_data(**overrides), "step": "confirm"})
    page = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in page
    # The error sits at its field and is linked from the summary.
    assert f'id="id_{field}_error"' in page and f'href="#id_{field}_field"' in page
    for value in overrides.values():
        if value and value not in ("joint", "individual", "organization"):
            assert f'value="{value}"' in page
    assert Submission.objects.count() == 0


def test_an_organisation_is_stored_with_its_representative(client):
    consultation = ConsultationFactory(required_identity=["name"])
    data = _pc_data(submitter_kind="organization", name="", organization="青木町会", representative="青木 一郎")
    assert client.post(_url(consultation), {**data, "step": "submit"}).status_code == HTTPStatus.FOUND
    submission = Submission.objects.get()
    identity = submission.identity
    assert (identity.submitter_kind, identity.organization, identity.representative) == (
        "organization",
        "青木町会",
        "青木 一郎",
    )
    assert not submission.identity_incomplete


def test_more_signer_rows_keep_what_was_typed_and_judge_nothing_yet(client):
    consultation = ConsultationFactory()
    filled = {**_pc_data(**JOINT, body=""), **{f"signer_{i}_name": f"連名 {i}" for i in range(5)}}
    response = client.post(_url(consultation), {**filled, "signer_rows": "5", "step": "more_signers"})
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    # Five more rows, the ten signers' names still there, and no error for the empty opinion yet.
    assert 'name="signer_9_name"' in page and 'name="signer_10_name"' not in page
    assert all(f'value="連名 {i}"' in page for i in range(5))
    assert 'name="signer_rows" value="10"' in page
    assert 'class="error-summary"' not in page and 'class="error-text"' not in page
    assert re.search(r'<details class="signers" id="signers" open>', page)


def test_the_opinion_form_keeps_the_building_apart_and_offers_the_citys_towns(client):
    consultation = ConsultationFactory()
    form = client.get(_url(consultation)).content.decode()
    # 住所 and 方書 are two fields with their own labels and autocomplete tokens.
    assert '<label for="id_address_building">方書（建物名・部屋番号）' in form
    assert re.search(r'<input[^>]*name="address"[^>]*autocomplete="address-line1"', form)
    assert re.search(r'<input[^>]*name="address_building"[^>]*autocomplete="address-line2"', form)
    # The 町名 come from the city's own list, as a <datalist> the address field names.
    assert re.search(r'<input[^>]*name="address"[^>]*list="id_address_towns"', form)
    options = re.findall(r'<option value="([^"]+)"></option>', form.split('<datalist id="id_address_towns">')[1])
    assert len(options) == 272 and "川口市青木二丁目" in options and "川口市大字安行領根岸" in options
    assert "Geolonia 住所データ" in form and "CC BY 4.0" in form

    data = _pc_data(address="川口市青木２丁目１－１", address_building="川口ハイツ 203号室")
    assert client.post(_url(consultation), {**data, "step": "submit"}).status_code == HTTPStatus.FOUND
    identity = Submission.objects.get().identity
    assert identity.address == "川口市青木２丁目１－１"  # as typed
    assert identity.address_building == "川口ハイツ 203号室"
    assert identity.address_town == "青木二丁目"  # for matching
    assert identity.full_address == "川口市青木２丁目１－１　川口ハイツ 203号室"


def test_an_address_in_another_city_gets_no_town():
    identity = submit(identity={"name": "蕨 一郎", "address": "埼玉県蕨市中央1-1-1"}).identity
    assert identity.address_town == ""


def test_the_api_infers_an_organisation_and_takes_its_representative(client):
    consultation = ConsultationFactory()
    response = client.post(
        f"/api/v1/consultations/{consultation.pk}/submissions/",
        {
            "body": BODY,
            "identity": {"organization": "青木町会", "representative": "青木 一郎", "address_building": "集会所"},
        },
        content_type="application/json",
    )
    assert response.status_code == HTTPStatus.CREATED, response.content
    identity = Submission.objects.get().identity
    assert (identity.submitter_kind, identity.representative, identity.address_building) == (
        "organization",
        "青木 一郎",
        "集会所",
    )


# ---- staff entry ----


def _entry(client, consultation, **data):
    staff = StaffUserFactory(roles=[KOUCHOU])
    client.force_login(staff)
    return client.post(
        f"/staff/consultations/{consultation.pk}/entry/",
        {"channel": "post", "received_on": "2026-11-20", "body": "紙で届いた意見です。", **data},
    )


def test_staff_enter_a_joint_paper_submission(client):
    consultation = ConsultationFactory()
    response = _entry(client, consultation, **JOINT, signer_2_name="元郷 三郎")
    assert response.status_code == HTTPStatus.FOUND
    identity = Submission.objects.get().identity
    assert identity.submitter_kind == "joint"
    assert list(identity.signers.values_list("name", flat=True)) == ["鳩ヶ谷 花子", "芝 次郎", "元郷 三郎"]


def test_staff_keep_a_paper_organisation_without_its_representative_and_it_is_flagged(client):
    consultation = ConsultationFactory(required_identity=["name"])
    response = _entry(client, consultation, submitter_kind="organization", organization="青木町会")
    assert response.status_code == HTTPStatus.FOUND
    submission = Submission.objects.get()
    assert submission.identity.organization == "青木町会"
    assert submission.identity_incomplete  # 要件不備: no 代表者


def test_the_staff_form_offers_more_signer_rows(client):
    consultation = ConsultationFactory()
    response = _entry(client, consultation, submitter_kind="joint", step="more_signers")
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert 'name="signer_9_name"' in page and "連名者の入力欄を増やす" in page
    assert Submission.objects.count() == 0


def test_a_letter_entry_has_no_joint_fields(client):
    letter = ConsultationFactory(letter=True)
    staff = StaffUserFactory(roles=[KOUCHOU])
    client.force_login(staff)
    page = client.get(f"/staff/consultations/{letter.pk}/entry/").content.decode()
    assert 'name="signer_0_name"' not in page and 'name="submitter_kind"' not in page
    assert 'name="address_building"' in page


# ---- CSV import ----

JOINT_HEADER = (
    "提出方法,到着日,意見,提出者の種別,氏名,団体名,代表者氏名,住所,方書,連名者2の氏名,連名者2の住所,連名者3の氏名\r\n"
)


def test_a_csv_file_carries_organisations_signers_and_the_building():
    consultation = ConsultationFactory()
    raw = (
        JOINT_HEADER + "郵送,2026-11-20,連名の意見です。,連名,川口 太郎,,,川口市青木2-1-1,青木荘101,"
        "鳩ヶ谷 花子,川口市鳩ヶ谷本町2-1-1,芝 次郎\r\n"
        "FAX,2026-11-20,団体の意見です。,団体,,青木町会,青木 一郎,川口市青木三丁目5,,,,\r\n"
        # No 種別: 連名 because 連名者 are given.
        "郵送,2026-11-21,種別なしの連名。,,元郷 三郎,,,,,前川 四郎,,\r\n"
    ).encode("utf-8")
    rows = csv_rows_check(consultation=consultation, raw=raw)
    first = rows[0].fields["identity"]
    assert first["submitter_kind"] == "joint" and first["address_building"] == "青木荘101"
    assert first["signers"] == [{"name": "鳩ヶ谷 花子", "address": "川口市鳩ヶ谷本町2-1-1"}, {"name": "芝 次郎"}]
    assert rows[1].fields["identity"]["representative"] == "青木 一郎"
    assert rows[2].fields["identity"]["submitter_kind"] == "joint"

    job = run_import(consultation, raw)
    assert job.status == "done", job.errors
    stored = {s.body: s.identity for s in Submission.objects.all()}
    joint = stored["連名の意見です。"]
    assert [s.name for s in joint.signers.all()] == ["鳩ヶ谷 花子", "芝 次郎"]
    assert (joint.address, joint.address_building, joint.address_town) == ("川口市青木2-1-1", "青木荘101", "青木二丁目")
    assert stored["団体の意見です。"].submitter_kind == "organization"
    assert stored["団体の意見です。"].address_town == "青木三丁目"
    assert Signer.objects.count() == 3


def test_bad_kinds_and_signers_in_a_csv_file_name_the_row_and_column():
    consultation = ConsultationFactory()
    raw = (
        JOINT_HEADER + "郵送,2026-11-20,意見1,組合,川口 太郎,,,,,,,\r\n"
        "郵送,2026-11-20,意見2,個人,川口 太郎,,,,,鳩ヶ谷 花子,,\r\n"
        "郵送,2026-11-20,意見3,連名,川口 太郎,,,,,,川口市芝1-1,\r\n"
        "郵送,2026-11-20,意見4,団体,,,青木 一郎,,,,,\r\n"
    ).encode("utf-8")
    job = run_import(consultation, raw)
    assert job.status == "failed"
    assert error_set(job) == {
        (2, "提出者の種別", "提出者の種別は 個人・団体・連名 のいずれかを入力してください。"),
        (3, "連名者", "連名者が入力されています。連名で提出する場合は、提出者の種別で「連名」を選んでください。"),
        (4, "連名者", "連名者2の住所だけが入力されています。氏名も入力してください。"),
        (5, "団体名", "団体として提出する場合は団体名を入力してください。"),
    }
    assert Submission.objects.count() == 0


def test_a_first_signer_column_is_refused_on_the_header_line():
    consultation = ConsultationFactory()
    raw = "提出方法,到着日,意見,連名者1の氏名\r\n郵送,2026-11-20,意見,川口 太郎\r\n".encode()
    with pytest.raises(CsvImportFailed) as failed:
        csv_rows_check(consultation=consultation, raw=raw)
    assert [(e.line, e.column) for e in failed.value.errors] == [(1, "連名者1の氏名")]
    assert "1人目は「氏名」列に入力します" in failed.value.errors[0].message


# ---- who sees the signers ----


def test_only_kouchou_see_the_signers_and_each_view_is_audited(client):
    kyodo = DepartmentFactory(code="kyodo", name="協働推進課")
    consultation = ConsultationFactory(department=kyodo)
    submission = submit(
        consultation,
        identity={
            "submitter_kind": "joint",
            "name": "川口 太郎",
            "address": "川口市青木2-1-1",
            "address_building": "青木荘101",
            "signers": [{"name": "鳩ヶ谷 花子", "address": "川口市鳩ヶ谷本町2-1-1"}, {"name": "芝 次郎"}],
        },
    )
    url = f"/staff/submissions/{submission.pk}/personal-data/"
    client.force_login(StaffUserFactory(roles=[DEPARTMENT_STAFF], department=kyodo))
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    kouchou = StaffUserFactory(roles=[KOUCHOU])
    client.force_login(kouchou)
    page = client.get(url).content.decode()
    assert "連名者（3人）" in page
    assert "鳩ヶ谷 花子" in page and "川口市鳩ヶ谷本町2-1-1" in page and "芝 次郎" in page
    assert "青木荘101" in page and "青木二丁目" in page
    assert AuditEvent.objects.filter(action="pii.view", actor=kouchou, target_id=str(submission.pk)).exists()
    # Never on a public page: the consultation page shows no submitter.
    assert "鳩ヶ谷 花子" not in client.get(f"/consultations/{consultation.pk}/").content.decode()


def test_signers_are_erased_with_the_identity():
    from feedback.services.retention import submission_identities_erase

    submission = submit(identity={"name": "川口 太郎", "signers": [{"name": "鳩ヶ谷 花子"}]})
    assert Signer.objects.count() == 1
    submission_identities_erase(submission_ids=[submission.pk])
    assert Signer.objects.count() == 0 and not SubmitterIdentity.objects.exists()


# ---- staff search by 町名 ----


def test_kouchou_find_submitters_by_town_however_the_chome_was_written(client):
    consultation = ConsultationFactory()
    numbers = {
        address: submit(consultation, identity={"name": "某", "address": address}).receipt_number
        for address in ("川口市青木二丁目1番1号", "川口市青木２－３－４", "川口市青木3-1-1", "埼玉県蕨市青木2-1")
    }
    client.force_login(StaffUserFactory(roles=[KOUCHOU]))
    for query in ("青木2丁目", "青木二丁目", "青木２丁目", "川口市青木2-"):
        page = client.get("/staff/queue/", {"town": query}).content.decode()
        found = {address for address, number in numbers.items() if number in page}
        assert found == {"川口市青木二丁目1番1号", "川口市青木２－３－４"}, query
    page = client.get("/staff/queue/", {"town": "青木"}).content.decode()
    assert {a for a, n in numbers.items() if n in page} == {
        "川口市青木二丁目1番1号",
        "川口市青木２－３－４",
        "川口市青木3-1-1",
    }
    assert "町名の候補" in page and "CC BY 4.0" in page


def test_department_staff_have_no_town_search(client):
    kyodo = DepartmentFactory(code="kyodo", name="協働推進課")
    consultation = ConsultationFactory(department=kyodo)
    mine = submit(consultation, identity={"name": "某", "address": "川口市青木2-1-1"})
    client.force_login(StaffUserFactory(roles=[DEPARTMENT_STAFF], department=kyodo))
    page = client.get("/staff/queue/", {"town": "芝1丁目", "consultation": consultation.pk}).content.decode()
    assert 'name="town"' not in page
    # The parameter is ignored, so the address cannot be probed by trying towns.
    assert mine.receipt_number in page
