from django import template

from core.forms import invisible_chars_notices

register = template.Library()


@register.simple_tag
def invisible_notices(form) -> list[str]:
    """``{% invisible_notices form as notices %}``: see core.forms.invisible_chars_notices."""
    return invisible_chars_notices(form)
