"""Japanese era (和暦) display alongside the Gregorian date."""

import datetime
import re

from japanera import EraDate

from core.towns import kanji_number


def era_year(value: datetime.date) -> str:
    """Return e.g. '令和8年' or '令和元年' for a date."""
    era_date = EraDate.from_date(value)
    year = int(era_date.strftime("%-Y"))
    return f"{era_date.era.kanji}{'元' if year == 1 else year}年"


def fiscal_year(value: datetime.date) -> int:
    """Return the 年度 (April–March) a date falls in, as a Gregorian year."""
    return value.year if value.month >= 4 else value.year - 1


def fiscal_year_label(year: int) -> str:
    """Return e.g. '2026年度（令和8年度）'."""
    # 2019年度 is officially 令和元年度 although 令和 began on 1 May 2019,
    # so the era is read at 1 May (昭和63年度 and 平成30年度 still come out right).
    label = era_year(datetime.date(year, 5, 1))
    return f"{year}年度（{label[:-1]}年度）"


# Era start dates and their abbreviations, for reading dates typed in 和暦.
ERAS = (
    ("令和", "R", datetime.date(2019, 5, 1), None),
    ("平成", "H", datetime.date(1989, 1, 8), datetime.date(2019, 4, 30)),
    ("昭和", "S", datetime.date(1926, 12, 25), datetime.date(1989, 1, 7)),
    ("大正", "T", datetime.date(1912, 7, 30), datetime.date(1926, 12, 24)),
    ("明治", "M", datetime.date(1868, 10, 23), datetime.date(1912, 7, 29)),
)
_DATE_RE = re.compile(
    r"^(?P<era>[^\d\s]*)\s*(?P<y>元|\d{1,4})\s*[年./\-]\s*(?P<m>\d{1,2})\s*[月./\-]\s*(?P<d>\d{1,2})\s*日?$"
)
_FOLD = str.maketrans("０１２３４５６７８９／－．ー―‐", "0123456789/-.---", "　")


_KANJI_NUMBER_RE = re.compile("[〇一二三四五六七八九十]+")


def _kanji_number(match: re.Match) -> str:
    """七 → 7, 三十一 → 31, 二〇二六 → 2026 (core.towns.kanji_number); anything else is left for the pattern to refuse."""
    value = kanji_number(match[0])
    return match[0] if value is None else str(value)


def date_parse(text: str) -> datetime.date | None:
    """Read a date as residents type it: 1985-04-01, 1985/4/1, 1985年4月1日, 昭和60年4月1日, S60.4.1, 令和元年5月1日,
    令和七年四月一日.

    Returns None for anything else, and for a date its era did not have
    (平成31年5月1日 was 令和元年; 昭和64年1月8日 never was).
    """
    value = (text or "").strip().translate(_FOLD).replace("㍻", "平成").replace("㍼", "昭和").replace("㍽", "大正")
    value = value.replace("㍾", "明治").replace("㋿", "令和")
    value = _KANJI_NUMBER_RE.sub(_kanji_number, value)
    match = _DATE_RE.match(value)
    if not match:
        return None
    era, year_text = match["era"].strip().upper(), match["y"]
    year = 1 if year_text == "元" else int(year_text)
    if era:
        found = next((e for e in ERAS if era in (e[0], e[1])), None)
        if found is None or year < 1:
            return None
        _name, _abbr, start, end = found
        year = start.year + year - 1
    elif year_text == "元" or year < 1000:
        return None
    try:
        day = datetime.date(year, int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    if era and (day < start or (end is not None and day > end)):
        return None
    return day
