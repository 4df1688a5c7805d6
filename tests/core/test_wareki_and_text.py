import datetime

import pytest
from django.core.exceptions import ValidationError

from core.jp import normalize_kana, normalize_phone, normalize_postcode
from core.templatetags.wareki import wareki_date
from core.wareki import era_year, fiscal_year, fiscal_year_label


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (datetime.date(2019, 4, 30), "平成31年"),
        (datetime.date(2019, 5, 1), "令和元年"),
        (datetime.date(2026, 11, 28), "令和8年"),
        (datetime.date(1989, 1, 7), "昭和64年"),
        (datetime.date(1989, 1, 8), "平成元年"),
    ],
)
def test_era_year_follows_the_era_boundaries(day, label):
    assert era_year(day) == label


@pytest.mark.parametrize(
    ("year", "label"),
    [
        (2019, "2019年度（令和元年度）"),
        (2018, "2018年度（平成30年度）"),
        (1988, "1988年度（昭和63年度）"),
        (2026, "2026年度（令和8年度）"),
    ],
)
def test_fiscal_year_labels_match_official_usage(year, label):
    assert fiscal_year_label(year) == label


def test_fiscal_year_runs_april_to_march():
    assert fiscal_year(datetime.date(2027, 3, 31)) == 2026
    assert fiscal_year(datetime.date(2027, 4, 1)) == 2027


def test_dates_show_gregorian_with_era():
    assert wareki_date(datetime.date(2026, 11, 28)) == "2026年11月28日（令和8年）"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("3328601", "332-8601"),
        ("３３２－８６０１", "332-8601"),
        ("〒332ー8601", "332-8601"),
    ],
)
def test_postcodes_are_normalised(raw, stored):
    assert normalize_postcode(raw) == stored


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("048-258-1110", "0482581110"),
        ("（０４８）２５８－１１１０", "0482581110"),
        ("090 1234 5678", "09012345678"),
        ("+81 90-1234-5678", "09012345678"),
        ("0120-123-456", "0120123456"),
    ],
)
def test_phone_numbers_are_normalised(raw, stored):
    assert normalize_phone(raw) == stored


@pytest.mark.parametrize("raw", ["12345", "048-258", "abc-defg-hijk", "1234567890"])
def test_impossible_phone_numbers_are_rejected_in_japanese(raw):
    with pytest.raises(ValidationError, match="電話番号は市外局番から10桁または11桁"):
        normalize_phone(raw)


def test_furigana_becomes_full_width_katakana():
    assert normalize_kana("かわぐち ﾀﾛｳ") == "カワグチ タロウ"
    with pytest.raises(ValidationError, match="ひらがなまたはカタカナ"):
        normalize_kana("川口")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1985-04-01", "1985-04-01"),
        ("1985/4/1", "1985-04-01"),
        ("1985年4月1日", "1985-04-01"),
        ("昭和60年4月1日", "1985-04-01"),
        ("S60.4.1", "1985-04-01"),
        ("r7.4.1", "2025-04-01"),
        ("令和元年5月1日", "2019-05-01"),
        ("H31.4.30", "2019-04-30"),
        ("H1.1.8", "1989-01-08"),
        ("２００８年４月２日", "2008-04-02"),
        ("㍻2年1月1日", "1990-01-01"),
        ("令和七年四月一日", "2025-04-01"),  # 漢数字, as on paper forms
        ("昭和六十年十二月三十一日", "1985-12-31"),
        ("平成元年十月十日", "1989-10-10"),
        ("二〇二六年十一月二十日", "2026-11-20"),
        ("令和七年十三月一日", None),
        ("令和七年百月一日", None),
        ("平成31年5月1日", None),  # 令和元年 by then
        ("昭和64年1月8日", None),  # 平成 began that day
        ("2019-02-30", None),
        ("元年5月1日", None),  # no era named
        ("そのうち", None),
    ],
)
def test_dates_typed_in_western_or_japanese_eras(typed, expected):
    from core.wareki import date_parse

    parsed = date_parse(typed)
    assert (parsed.isoformat() if parsed else None) == expected
