from django import template

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


@register.filter
def fiscal_year(year):
    """Render 2025 as '2025年度（令和7年度）'."""
    return fiscal_year_label(year) if year else ""


_ERA_NAMES = {"R": "令和", "H": "平成", "S": "昭和"}


@register.filter
def era_label(label):
    """Render a published 年度 label such as 'R1' as '令和元年度'.

    The plan's own label is kept rather than recomputed from the year,
    because fiscal 2019 is published as R1 (令和元年度), not 平成31年度.
    """
    label = str(label or "")
    era, year = label[:1], label[1:]
    if era in _ERA_NAMES and (year.isdigit() or year == "元"):
        return f"{_ERA_NAMES[era]}{'元' if year in ('1', '元') else year}年度"
    return label
