"""Japanese era (和暦) display alongside the Gregorian date."""

import datetime

from japanera import EraDate


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
