"""Issue #13: ふりがな and phone numbers are stored as typed; the folded forms are matching keys."""

import pytest
from django.core.exceptions import ValidationError

from core.jp import clean_kana, clean_phone, normalize_kana, normalize_phone


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("かわぐち たろう", "かわぐち たろう"),
        ("カワグチ タロウ", "カワグチ タロウ"),
        (" かわぐち　はなこ ", "かわぐち　はなこ"),
        ("か\u3099", "が"),  # NFC: a combining voiced mark is composed
    ],
)
def test_clean_kana_keeps_what_was_typed(raw, stored):
    assert clean_kana(raw) == stored


def test_clean_kana_refuses_other_scripts():
    with pytest.raises(ValidationError, match="ひらがなまたはカタカナ"):
        clean_kana("川口")


def test_normalize_kana_still_folds_to_katakana_for_matching():
    assert normalize_kana(clean_kana("かわぐち たろう")) == normalize_kana("カワグチ タロウ") == "カワグチ タロウ"


@pytest.mark.parametrize(
    ("raw", "stored", "digits"),
    [
        ("048-258-1110", "048-258-1110", "0482581110"),
        ("０４８－２５８－１１１０", "048-258-1110", "0482581110"),
        ("０４８（２５８）１１１０", "048(258)1110", "0482581110"),
        (" 090ー1234ー5678 ", "090-1234-5678", "09012345678"),
        ("+81-90-1234-5678", "+81-90-1234-5678", "09012345678"),
        ("0482581110", "0482581110", "0482581110"),
    ],
)
def test_clean_phone_keeps_the_hyphens_and_normalize_phone_gives_the_digits(raw, stored, digits):
    assert clean_phone(raw) == stored
    assert normalize_phone(clean_phone(raw)) == digits


def test_clean_phone_refuses_a_short_number():
    with pytest.raises(ValidationError, match="10桁または11桁"):
        clean_phone("048-258")
