"""What the submitter forms share: the identity fields (name, address,
contact) and the opinion text box."""

from django import forms
from django.utils.translation import gettext_lazy as _l

from core.forms import KoeForm
from core.jp import clean_kana, clean_phone, normalize_email, normalize_postcode
from core.text import validate_user_text
from feedback.models import SubmitterIdentity

TEXT_LIMITS = {
    "name": 100,
    "name_kana": 100,
    "organization": 200,
    "address": 300,
    "eligibility_detail": 200,
}


class IdentityFields(KoeForm):
    """Name, address and contact; which are required depends on the case."""

    name = forms.CharField(
        label=_l("氏名"),
        required=False,
        max_length=100,
        help_text=_l("表示できない文字は近い字で入力し、その旨をご意見欄に書き添えてください。"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    name_kana = forms.CharField(
        label=_l("ふりがな"),
        required=False,
        max_length=100,
        help_text=_l("ひらがな・カタカナどちらでも構いません。"),
    )
    organization = forms.CharField(
        label=_l("団体名（団体として提出する場合）"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    postcode = forms.CharField(
        label=_l("郵便番号"),
        required=False,
        max_length=10,
        help_text=_l("7桁の数字（例：332-8601）"),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    address = forms.CharField(
        label=_l("住所"),
        required=False,
        max_length=300,
        help_text=_l("建物名・部屋番号までご記入ください。"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    phone = forms.CharField(
        label=_l("電話番号"),
        required=False,
        max_length=20,
        help_text=_l("例：048-258-1110"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_l("メールアドレス"),
        required=False,
        max_length=254,
        help_text=_l("受付番号をお送りします。"),
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )

    def _clean_text(self, name):
        value = self.cleaned_data.get(name, "")
        return validate_user_text(
            value,
            max_chars=TEXT_LIMITS[name],
            field_label=str(self.fields[name].label),
            required=False,
        )

    def clean_name(self):
        return self._clean_text("name")

    def clean_organization(self):
        return self._clean_text("organization")

    def clean_address(self):
        return self._clean_text("address")

    def clean_name_kana(self):
        # As typed: the help text allows ひらがな or カタカナ.
        return clean_kana(self.cleaned_data.get("name_kana", ""))

    def clean_postcode(self):
        value = self.cleaned_data.get("postcode", "")
        return normalize_postcode(value) if value.strip() else ""

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        return clean_phone(value) if value.strip() else ""

    def clean_email(self):
        value = normalize_email(self.cleaned_data.get("email", ""))
        if value:
            forms.EmailField().clean(value)
        return value

    def identity(self) -> dict:
        keys = [name for name in self.fields if hasattr(SubmitterIdentity, name)]
        return {key: self.cleaned_data.get(key) for key in keys if self.cleaned_data.get(key)}


OPINION_LABEL = _l("ご意見")


def opinion_field(max_chars: int, label=OPINION_LABEL) -> forms.CharField:
    # No max_length on the widget: a browser would silently cut the text;
    # the server counts code points and says how much is over.
    return forms.CharField(
        label=label,
        required=True,
        strip=False,
        help_text=_l("%(max)s文字以内。改行できます。") % {"max": f"{max_chars:,}"},
        widget=forms.Textarea(
            attrs={
                "rows": 12,
                "data-max-chars": max_chars,
                # static/js/charcount.js says the count in the page's language.
                "data-count-text": _l("現在 %(n)s 文字（あと %(left)s 文字）"),
                "data-count-over-text": _l("現在 %(n)s 文字（%(over)s 文字多すぎます）"),
            }
        ),
        error_messages={"required": _l("ご意見を入力してください。")},
    )
