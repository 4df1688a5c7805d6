"""``{% absolute_url "feedback:my_submissions" %}``: a link on the public site (core.site), for mails."""

from django import template

from core.site import absolute_reverse

register = template.Library()


@register.simple_tag
def absolute_url(viewname, *args):
    return absolute_reverse(viewname, *args)
