"""The 市長への手紙 form: an opinion or proposal, whether a reply is wanted
and how it is sent, and consent to publish a summary."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from consultations.models import Consultation
from core.text import validate_user_text
from feedback.forms.fields import IdentityFields, opinion_field
from feedback.models import SubmitterIdentity


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
        "address_building",
        "phone",
        "email",
        "publication_consent",
    ]

    def __init__(self, *args, consultation: Consultation, **kwargs):
        self.consultation = consultation
        super().__init__(*args, **kwargs)
        self.fields["body"] = opinion_field(consultation.max_opinion_chars, label=_l("ご意見・ご提案"))
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
