"""Forms validate only; the views hand cleaned data to the services."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from consultations.models import Consultation
from core.forms import KoeForm
from core.jp import normalize_email, normalize_kana, normalize_phone, normalize_postcode
from core.models import District
from core.text import validate_user_text
from feedback.models import AgeBand, Channel, Gender, ResidenceYears, SubmitterIdentity

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
        return normalize_kana(self.cleaned_data.get("name_kana", ""))

    def clean_postcode(self):
        value = self.cleaned_data.get("postcode", "")
        return normalize_postcode(value) if value.strip() else ""

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        return normalize_phone(value) if value.strip() else ""

    def clean_email(self):
        value = normalize_email(self.cleaned_data.get("email", ""))
        if value:
            forms.EmailField().clean(value)
        return value

    def identity(self) -> dict:
        keys = [name for name in self.fields if hasattr(SubmitterIdentity, name)]
        return {key: self.cleaned_data.get(key) for key in keys if self.cleaned_data.get(key)}


OPINION_LABEL = _l("ご意見")


def _opinion_field(max_chars: int, label=OPINION_LABEL) -> forms.CharField:
    # No max_length on the widget: a browser would silently cut the text;
    # the server counts code points and says how much is over.
    return forms.CharField(
        label=label,
        required=True,
        strip=False,
        help_text=_l("%(max)s文字以内。改行できます。") % {"max": f"{max_chars:,}"},
        widget=forms.Textarea(attrs={"rows": 12, "data-max-chars": max_chars}),
        error_messages={"required": _l("ご意見を入力してください。")},
    )


class PublicCommentForm(IdentityFields):
    section = forms.ChoiceField(
        label=_l("該当箇所"),
        required=False,
        help_text=_l("ご意見が案のどの部分に関するものかを選んでください。"),
    )
    section_text = forms.CharField(label=_l("該当箇所（ページ・項目など）"), required=False, max_length=200)
    eligibility = forms.ChoiceField(label=_l("提出できる方の区分"), required=False, widget=forms.RadioSelect)
    eligibility_detail = forms.CharField(
        label=_l("区分の詳細（勤務先・学校名・利害関係の内容など）"),
        required=False,
        max_length=200,
    )

    field_order = [
        "section",
        "section_text",
        "body",
        "eligibility",
        "eligibility_detail",
        "name",
        "name_kana",
        "organization",
        "postcode",
        "address",
        "phone",
        "email",
    ]

    def __init__(self, *args, consultation: Consultation, **kwargs):
        self.consultation = consultation
        super().__init__(*args, **kwargs)
        self.fields["body"] = _opinion_field(consultation.max_opinion_chars)
        self.fields["section"].choices = [("", _("案全体・特定の箇所なし"))] + [
            (str(s.pk), f"{s.number} {s.heading}") for s in consultation.sections.all()
        ]
        labels = dict(Consultation.Eligibility.choices)
        self.fields["eligibility"].choices = [(c, labels.get(c, c)) for c in consultation.eligibility or []]
        if not consultation.eligibility:
            del self.fields["eligibility"], self.fields["eligibility_detail"]
        self.order_fields(self.field_order)
        required = set(consultation.required_identity or [])
        for name, key in (
            ("name", "name"),
            ("address", "address"),
            ("eligibility", "eligibility"),
        ):
            if key in required and name in self.fields:
                self.fields[name].required = True
        if "contact" in required:
            self.fields["phone"].help_text = _("電話番号またはメールアドレスのどちらかは必須です。")

    def clean_body(self):
        return validate_user_text(
            self.cleaned_data.get("body", ""),
            max_chars=self.consultation.max_opinion_chars,
            field_label=_("ご意見"),
        )

    def clean(self):
        cleaned = super().clean()
        if "contact" in (self.consultation.required_identity or []) and not (
            cleaned.get("phone") or cleaned.get("email")
        ):
            self.add_error("phone", _("電話番号またはメールアドレスのどちらかを入力してください。"))
        return cleaned

    def section_object(self):
        pk = self.cleaned_data.get("section")
        return self.consultation.sections.filter(pk=pk).first() if pk else None


class LetterForm(IdentityFields):
    body = forms.CharField()  # replaced in __init__
    reply_requested = forms.TypedChoiceField(
        label=_l("回答を希望しますか"),
        choices=[("yes", _l("希望する")), ("no", _l("希望しない"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _l("回答の希望の有無を選んでください。")},
    )
    contact_method = forms.ChoiceField(
        label=_l("回答の送付方法"),
        required=False,
        widget=forms.RadioSelect,
        choices=SubmitterIdentity.ContactMethod.choices,
        help_text=_l("回答を希望する場合に選んでください。"),
    )
    publication_consent = forms.BooleanField(
        label=_l("個人が特定されない形に要約して公表してもよい"),
        required=False,
        help_text=_l("公表する場合も、氏名・住所などの個人情報は公表しません。"),
    )
    field_order = [
        "body",
        "reply_requested",
        "contact_method",
        "name",
        "name_kana",
        "postcode",
        "address",
        "phone",
        "email",
        "publication_consent",
    ]

    def __init__(self, *args, consultation: Consultation, **kwargs):
        self.consultation = consultation
        super().__init__(*args, **kwargs)
        self.fields["body"] = _opinion_field(consultation.max_opinion_chars, label=_l("ご意見・ご提案"))
        del self.fields["organization"]
        self.order_fields(self.field_order)

    def clean_body(self):
        return validate_user_text(
            self.cleaned_data.get("body", ""),
            max_chars=self.consultation.max_opinion_chars,
            field_label=_("ご意見・ご提案"),
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("reply_requested"):
            return cleaned
        if not cleaned.get("name"):
            self.add_error("name", _("回答を希望する場合は氏名を入力してください。"))
        method = cleaned.get("contact_method")
        if not method:
            self.add_error("contact_method", _("回答の送付方法を選んでください。"))
        elif method == "email" and not cleaned.get("email") and "email" not in self.errors:
            self.add_error(
                "email",
                _("メールでの回答を希望する場合はメールアドレスを入力してください。"),
            )
        elif method == "post":
            if not cleaned.get("address") and "address" not in self.errors:
                self.add_error("address", _("郵送での回答を希望する場合は住所を入力してください。"))
            if not cleaned.get("postcode") and "postcode" not in self.errors:
                self.add_error(
                    "postcode",
                    _("郵送での回答を希望する場合は郵便番号を入力してください。"),
                )
        return cleaned


class StaffEntryForm(IdentityFields):
    """Proxy entry of a paper/FAX/e-mail/窓口 submission by staff."""

    channel = forms.ChoiceField(
        label=_l("提出方法"),
        choices=[(c.value, c.label) for c in Channel.staff_entry()],
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(
        label=_l("到着日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_l("郵送・FAX・メールが届いた日、または窓口で受け取った日"),
    )
    section_text = forms.CharField(label=_l("該当箇所（ページ・項目など）"), required=False, max_length=200)
    reply_requested = forms.BooleanField(label=_l("回答希望あり"), required=False)
    publication_consent = forms.BooleanField(label=_l("公表に同意あり"), required=False)
    eligibility = forms.CharField(label=_l("提出資格の区分"), required=False, max_length=20)
    field_order = ["channel", "received_on", "section_text", "body"]

    def __init__(self, *args, consultation: Consultation, **kwargs):
        self.consultation = consultation
        super().__init__(*args, **kwargs)
        self.fields["body"] = _opinion_field(consultation.max_opinion_chars, label=_l("意見（原文のとおり入力）"))
        self.order_fields(self.field_order)
        # Staff type in someone else's details: the browser must not offer
        # the staff member's own name and e-mail.
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "off"

    def clean_body(self):
        return validate_user_text(
            self.cleaned_data.get("body", ""),
            max_chars=self.consultation.max_opinion_chars,
            field_label=_("意見"),
        )


class CsvImportForm(KoeForm):
    file = forms.FileField(
        label=_l("CSVファイル"),
        help_text=_l(
            "1行目は見出し（提出方法,到着日,該当箇所,意見,氏名,ふりがな,団体名,郵便番号,住所,電話番号,メールアドレス,提出資格）。UTF-8 または Shift_JIS。"
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.KOE_ATTACHMENT_MAX_BYTES * 4:
            raise ValidationError(_("ファイルが大きすぎます（20MBまで）。分割して取り込んでください。"))
        return upload


class RespondentAttributesForm(KoeForm):
    """年代・性別・地区・居住年数 (all optional; 「回答しない」 is offered)."""

    age_band = forms.ChoiceField(
        label=_l("年代"),
        choices=AgeBand.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    gender = forms.ChoiceField(
        label=_l("性別"),
        choices=Gender.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    district = forms.ModelChoiceField(
        label=_l("お住まいの地区"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_l("選択してください（市外・回答しない場合は空欄）"),
    )
    residence_years = forms.ChoiceField(
        label=_l("居住年数"),
        choices=ResidenceYears.choices,
        required=False,
        widget=forms.RadioSelect,
    )
