"""``{{ code|html_lang }}``: the lang attribute for a Django language code (core.i18n)."""

from django import template

from core.i18n import html_lang as _html_lang

register = template.Library()


@register.filter
def html_lang(code):
    return _html_lang(code)
