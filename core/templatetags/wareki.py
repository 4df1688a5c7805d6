import datetime

from django import template
from django.utils import timezone

from core.wareki import era_year

register = template.Library()


def _as_local_date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


@register.filter
def wareki_date(value):
    """Render '2026年11月28日（令和8年）'."""
    if not value:
        return ""
    value = _as_local_date(value)
    return f"{value.year}年{value.month}月{value.day}日（{era_year(value)}）"


@register.filter
def wareki_datetime(value):
    """Render '2026年11月28日（令和8年）23時59分'."""
    if not value:
        return ""
    value = _as_local_date(value)
    return f"{wareki_date(value)}{value.hour}時{value.minute:02d}分"
