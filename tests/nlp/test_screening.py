"""The screen every staff-written text passes before it is published (nlp.screening)."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from accounts.roles import ADMIN, DEPARTMENT_APPROVER, DEPARTMENT_STAFF, KOUCHOU
from core.models import AuditEvent
from nlp.pii import MASKS, placeholder_spans
from nlp.screening import OVERRIDE_FIELD, OVERRIDE_REASON_FIELD, PublicText, public_text_guard, public_text_screen
from tests.accounts.factories import StaffUserFactory

LABEL = "市の考え方（意見番号 3）"
# (text, the span the screen must name, its kind, the kind's name in the message)
FOUND = [
    ("ご連絡は048-222-1111までお願いします。", "048-222-1111", "phone", "電話番号"),
    ("詳しくは taro@example.jp へ。", "taro@example.jp", "email", "メールアドレス"),
    ("〒332-8601 の方からのご意見です。", "〒332-8601", "postcode", "郵便番号"),
    ("川口市青木2-1-1にお住まいの方のご意見です。", "川口市青木2-1-1", "address", "住所"),
    ("山田太郎さんのご意見を踏まえ検討します。", "山田太郎", "person", "氏名"),
    ("個人番号は123456789018です。", "123456789018", "mynumber", "マイナンバー（個人番号）"),
    ("1985年11月23日生まれの方のご意見です。", "1985年11月23日", "birthdate", "生年月日"),
]


@pytest.mark.parametrize(("text", "span", "kind", "kind_label"), FOUND, ids=[f[2] for f in FOUND])
def test_each_kind_of_personal_data_is_found_and_named(text, span, kind, kind_label):
    [finding] = public_text_screen([PublicText(LABEL, text, "response")])
    assert (finding.kind, finding.found, finding.field) == (kind, span, "response")
    assert text[finding.start : finding.end] == span
    assert finding.message == f"{LABEL}に{kind_label}「{span}」が含まれています。"


def test_the_unedited_masked_draft_is_found_by_its_placeholders():
    findings = public_text_screen([PublicText("意見の概要（意見番号 1）", "電話 XXX-XXXX-XXXX の〇〇です")])
    assert [(f.kind, f.found) for f in findings] == [("placeholder", "XXX-XXXX-XXXX"), ("placeholder", "〇〇")]
    assert findings[0].message == (
        "意見の概要（意見番号 1）に伏せ字「XXX-XXXX-XXXX」が残っています。自動作成の下書きを編集してください。"
    )


@pytest.mark.parametrize("placeholder", sorted(set(MASKS.values())))
def test_every_placeholder_the_masker_writes_is_found(placeholder):
    # One source of truth: whatever nlp.pii.mask writes, the screen finds.
    text = f"ご意見（{placeholder}）について"
    assert [text[s.start : s.end] for s in placeholder_spans(text)] == [placeholder]


def test_full_width_placeholders_are_found_at_their_original_offsets():
    text = "電話ＸＸＸ－ＸＸＸＸ－ＸＸＸＸまで"
    assert [text[s.start : s.end] for s in placeholder_spans(text)] == ["ＸＸＸ－ＸＸＸＸ－ＸＸＸＸ"]


@pytest.mark.parametrize(
    "text",
    [
        "歩道の段差の解消を順次進めます。",
        "市としては、ご意見を踏まえ、道路課において歩道の整備を進めてまいります。",
        "川口市道路整備計画（案）の第2章を修正します。",
        "来年度、ベンチを3基増設します。",
        "",
    ],
)
def test_ordinary_answers_pass(text):
    assert public_text_screen([PublicText(LABEL, text)]) == []


def test_findings_of_several_texts_keep_their_own_labels():
    findings = public_text_screen(
        [PublicText("意見の概要（意見番号 1）", "〇〇"), PublicText("市の考え方（意見番号 2）", "048-222-1111")]
    )
    assert [f.label for f in findings] == ["意見の概要（意見番号 1）", "市の考え方（意見番号 2）"]


# ---- The guard: refuse, or 広聴's audited override ----

TEXTS = [PublicText("意見の要旨", "連絡は048-222-1111まで", "summary")]


@pytest.fixture
def target(db):
    return StaffUserFactory(roles=[DEPARTMENT_STAFF])  # any model instance will do as the audited target


@pytest.mark.django_db
def test_a_finding_refuses_with_the_message_beside_its_field(target):
    with pytest.raises(ValidationError) as exc:
        public_text_guard(actor=StaffUserFactory(roles=[KOUCHOU]), texts=TEXTS, target=target)
    errors = exc.value.message_dict
    assert errors["summary"] == ["意見の要旨に電話番号「048-222-1111」が含まれています。"]
    assert "広聴担当は" in errors[NON_FIELD_ERRORS][0]
    assert not AuditEvent.objects.filter(action="public_text.screen_override").exists()


@pytest.mark.django_db
def test_kouchou_overrides_with_a_reason_and_it_is_audited(target):
    kouchou = StaffUserFactory(roles=[KOUCHOU])
    found = public_text_guard(
        actor=kouchou,
        texts=TEXTS,
        target=target,
        override=True,
        override_reason="市の代表番号であり個人の番号ではない",
        ip_address="203.0.113.9",
    )
    assert [f.found for f in found] == ["048-222-1111"]
    event = AuditEvent.objects.get(action="public_text.screen_override")
    assert event.actor_id == kouchou.pk and event.ip_address == "203.0.113.9"
    assert (event.target_type, event.target_id) == ("accounts.user", str(target.pk))
    assert event.summary == "市の代表番号であり個人の番号ではない"
    assert event.after["findings"] == [
        {"field": "意見の要旨", "kind": "phone", "text": "048-222-1111", "start": 3, "end": 15}
    ]


@pytest.mark.django_db
def test_an_override_needs_a_reason(target):
    with pytest.raises(ValidationError) as exc:
        public_text_guard(
            actor=StaffUserFactory(roles=[KOUCHOU]), texts=TEXTS, target=target, override=True, override_reason=" "
        )
    assert exc.value.message_dict[OVERRIDE_REASON_FIELD] == ["公表して差し支えない理由を入力してください。"]
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [DEPARTMENT_STAFF, DEPARTMENT_APPROVER, ADMIN])
def test_nobody_but_kouchou_may_override(target, role):
    with pytest.raises(ValidationError) as exc:
        public_text_guard(
            actor=StaffUserFactory(roles=[role]), texts=TEXTS, target=target, override=True, override_reason="確認済み"
        )
    assert exc.value.message_dict[OVERRIDE_FIELD] == ["個人情報の指摘を確認して公表できるのは広聴担当だけです。"]
    assert "summary" in exc.value.message_dict
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_clean_text_passes_without_an_audit_row(target):
    clean = [PublicText("意見の要旨", "公園のベンチを増やしてほしい。", "summary")]
    assert public_text_guard(actor=StaffUserFactory(roles=[DEPARTMENT_STAFF]), texts=clean, target=target) == []
    assert not AuditEvent.objects.exists()
