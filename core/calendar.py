"""開庁日 (municipal working days): not 土日, 祝日, 年末年始 or city extras.

Used for 市長への手紙 due dates ("10開庁日以内") and reminders.
"""

import datetime
from functools import lru_cache

import holidays
from django.conf import settings


def _year_end(day: datetime.date) -> bool:
    # 12月29日〜1月3日 are closed in almost every city's 休日条例.
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.Japan(years=year, language="ja").keys())


def _city_closures() -> frozenset[datetime.date]:
    return frozenset(datetime.date.fromisoformat(d) for d in getattr(settings, "KOE_CITY_CLOSED_DAYS", []))


def is_working_day(day: datetime.date) -> bool:
    """True when the city office is open on that day."""
    if day.weekday() >= 5 or _year_end(day):
        return False
    return day not in _national_holidays(day.year) and day not in _city_closures()


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """Return the date `days` working days after `start` (start itself not counted)."""
    step = 1 if days >= 0 else -1
    current, remaining = start, abs(days)
    while remaining:
        current += datetime.timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Count working days after `start` up to and including `end`."""
    if end <= start:
        return -working_days_between(end, start) if end < start else 0
    count, current = 0, start
    while current < end:
        current += datetime.timedelta(days=1)
        count += is_working_day(current)
    return count
