"""Form helpers that make every field accessible and errors specific."""

from django import forms
from django.forms.boundfield import BoundField
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.text import invisible_count, normalize_nfc


def required_message(field) -> str:
    """Return e.g. '氏名を入力してください。' or '性別を選んでください。'."""
    label = str(field.label or "")
    # A long label (a survey question) reads badly inside a sentence.
    if not label or len(label) > 20:
        label = _("この項目")
    if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField, forms.FileField)):
        return _("%(label)sを選んでください。") % {"label": label}
    return _("%(label)sを入力してください。") % {"label": label}


def field_described_by(bound_field) -> str:
    """The ids templates/includes/field.html gives a field's error and help: "<id>_error <id>_help".

    The help paragraph is always rendered (empty when the field has none),
    the error paragraph only when the field has errors.
    """
    ids = [f"{bound_field.auto_id}_help"]
    if bound_field.form.is_bound and bound_field.errors:
        ids.insert(0, f"{bound_field.auto_id}_error")
    return " ".join(ids)


class AccessibleBoundField(BoundField):
    """Render aria-describedby from the field's current state, never Django's "<id>_helptext".

    Worked out at render time, so a field a form adds or replaces after
    __init__ (the opinion box, survey questions) is described like the
    others, on first load and after errors; a hidden copy (the confirmation
    page) names nothing, as nothing is rendered for it.
    """

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        given = (attrs or {}).get("aria-describedby")
        attrs = super().build_widget_attrs(attrs, widget)
        if widget.is_hidden or not self.auto_id:
            attrs.pop("aria-describedby", None)
            attrs.pop("aria-invalid", None)
            # The widget's own attrs are merged under these; blank them too.
            if "aria-describedby" in widget.attrs:
                attrs["aria-describedby"] = False
            return attrs
        attrs["aria-describedby"] = given or field_described_by(self)
        if self.form.is_bound and self.errors:
            attrs["aria-invalid"] = "true"
        return attrs


class AccessibleFormMixin:
    """Wire aria-describedby/aria-invalid so screen readers hear help and errors.

    aria-describedby is set when a field is rendered (AccessibleBoundField),
    naming the ids templates/includes/field.html renders; the widget attrs set
    here say the same for code that reads them.
    """

    bound_field_class = AccessibleBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # add_prefix: a prefixed form's ids are id_<prefix>-<name>, as its labels and help.
            field.widget.attrs.setdefault("aria-describedby", f"{self.auto_id % self.add_prefix(name)}_help")
            if field.required:
                field.widget.attrs.setdefault("aria-required", "true")

    def full_clean(self):
        # Fields added after __init__ (per-case forms) get the same messages.
        for field in self.fields.values():
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                field.error_messages["required"] = required_message(field)
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                field_id = self.auto_id % self.add_prefix(name)
                widget.attrs["aria-describedby"] = f"{field_id}_error {field_id}_help"


class KoeForm(AccessibleFormMixin, forms.Form):
    pass


def _display(field, value) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(value, bool):
        return _("はい") if value else _("いいえ")
    choices = {str(k): v for k, v in getattr(field, "choices", [])}
    values = value if isinstance(value, list | tuple) else [value]
    return pgettext("list separator", "、").join(str(choices.get(str(v), v)) for v in values)


def confirmation_rows(form, *, skip=()) -> list[tuple[str, str]]:
    """Return (label, shown value) pairs of a valid form's cleaned data."""
    rows = []
    for name, field in form.fields.items():
        if name in skip:
            continue
        shown = _display(field, form.cleaned_data.get(name))
        rows.append((str(field.label), shown or _("（未入力）")))
    return rows


def invisible_chars_notices(form) -> list[str]:
    """Say, per field, how many invisible characters core.text removed from what was typed.

    The stored text is shown on the confirmation page without them; the
    resident is told, so nothing changes behind their back.
    """
    notices = []
    for name, field in form.fields.items():
        raw = form.data.get(form.add_prefix(name)) if hasattr(form.data, "get") else None
        if not isinstance(raw, str):
            continue
        removed = invisible_count(normalize_nfc(raw))
        if removed:
            notices.append(
                _(
                    "「%(field)s」から、見えない文字（ゼロ幅スペースなど）を%(count)s文字取り除きました。表示される内容は変わりません。"
                )
                % {"field": field.label, "count": removed}
            )
    return notices
