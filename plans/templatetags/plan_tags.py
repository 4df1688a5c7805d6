from django import template
from django.utils import translation

from core.wareki import fiscal_year_label

register = template.Library()


@register.filter
def circled(number):
    """Render 1 as ①, as the plan numbers its キーワード rows (up to ⑳)."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        return number
    return chr(0x2460 + number - 1) if 1 <= number <= 20 else f"({number})"


def _gregorian_label(year: int) -> str | None:
    """'FY2025' on an English page, '2025年度' on a Chinese one (#15); None: the Japanese label."""
    language = (translation.get_language() or "ja").lower()
    if language == "en":
        return f"FY{year}"
    if language.startswith("zh"):
        return f"{year}年度"
    return None


@register.filter
def fiscal_year(year):
    """Render 2025 as '2025年度（令和7年度）'."""
    if not year:
        return ""
    return _gregorian_label(int(year)) or fiscal_year_label(year)


_ERA_NAMES = {"R": "令和", "H": "平成", "S": "昭和"}
# The Gregorian year of each era's year 0 (令和元年 = 2019).
_ERA_OFFSETS = {"R": 2018, "H": 1988, "S": 1925}


@register.filter
def era_label(label):
    """Render a published 年度 label such as 'R1' as '令和元年度'.

    The plan's own label is kept rather than recomputed from the year,
    because fiscal 2019 is published as R1 (令和元年度), not 平成31年度.
    """
    label = str(label or "")
    era, year = label[:1], label[1:]
    if era in _ERA_NAMES and (year.isdigit() or year == "元"):
        gregorian = _gregorian_label(_ERA_OFFSETS[era] + (1 if year == "元" else int(year)))
        return gregorian or f"{_ERA_NAMES[era]}{'元' if year in ('1', '元') else year}年度"
    return label
