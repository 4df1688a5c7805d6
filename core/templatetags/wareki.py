import datetime

from django import template
from django.utils import timezone, translation

from core.wareki import era_year

register = template.Library()

# Dates on pages in another language (#15): the 和暦 is for Japanese readers.
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _as_local_date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def _language() -> str:
    return (translation.get_language() or "ja").lower()


@register.filter
def wareki_date(value):
    """Render '2026年11月28日（令和8年）'; '28 November 2026' in English, '2026年11月28日' in Chinese."""
    if not value:
        return ""
    value = _as_local_date(value)
    language = _language()
    if language == "en":
        return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"
    if language.startswith("zh"):
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.year}年{value.month}月{value.day}日（{era_year(value)}）"


@register.filter
def wareki_datetime(value):
    """Render '2026年11月28日（令和8年）23時59分'; '28 November 2026, 23:59' in English."""
    if not value:
        return ""
    value = _as_local_date(value)
    language = _language()
    if language == "en":
        return f"{wareki_date(value)}, {value.hour}:{value.minute:02d}"
    if language.startswith("zh"):
        return f"{wareki_date(value)} {value.hour}:{value.minute:02d}"
    return f"{wareki_date(value)}{value.hour}時{value.minute:02d}分"
