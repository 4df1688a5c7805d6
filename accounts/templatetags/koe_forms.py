"""Render a bound form field the way site.css and WCAG 2.1 AA expect."""

from django import forms, template

register = template.Library()

_CHOICE_WIDGETS = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.inclusion_tag("accounts/bound_field.html")
def koe_field(field):
    """Render label, help text, errors and the widget wired to them.

    The widget's aria-describedby names the help text and the error so a
    screen reader announces both (WCAG 1.3.1, 3.3.1).
    """
    widget_id = field.id_for_label or field.auto_id
    described_by = []
    if field.help_text:
        described_by.append(f"{widget_id}_helptext")
    if field.errors:
        described_by.append(f"{widget_id}_error")
    attrs = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.field.required:
        attrs["required"] = True
    return {
        "field": field,
        "widget_id": widget_id,
        "widget": field.as_widget(attrs=attrs),
        "is_choice": isinstance(field.field.widget, _CHOICE_WIDGETS),
    }
