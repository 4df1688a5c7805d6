"""The パブリックコメント form: an opinion on the draft, optionally on one
section, with the identity and 提出資格 the consultation asks for."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from consultations.models import Consultation
from core.text import validate_user_text
from feedback.forms.fields import IdentityFields, SubmitterKindMixin, opinion_field
from feedback.models import SubmitterIdentity


class PublicCommentForm(SubmitterKindMixin, IdentityFields):
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

    results_notice = forms.BooleanField(
        label=_l("結果が公表されたら、メールで知らせてほしい"),
        required=False,
        help_text=_l("メールアドレスを入力した方、またはログインしている方に、一度だけお送りします。"),
    )

    field_order = [
        "section",
        "section_text",
        "body",
        "eligibility",
        "eligibility_detail",
        "submitter_kind",
        "name",
        "name_kana",
        "organization",
        "representative",
        "postcode",
        "address",
        "address_building",
        "phone",
        "email",
        "results_notice",
    ]

    def __init__(self, *args, consultation: Consultation, **kwargs):
        self.consultation = consultation
        super().__init__(*args, **kwargs)
        self.fields["body"] = opinion_field(consultation.max_opinion_chars)
        self.add_submitter_kind_fields()
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
        if "name" in required:
            self.fields["name"].help_text = "{} {}".format(
                self.fields["name"].help_text,
                _("団体として提出する場合は、氏名の代わりに団体名と代表者氏名を入力してください。"),
            )
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
        if (
            "name" in self._errors
            and cleaned.get("submitter_kind") == SubmitterIdentity.Kind.ORGANIZATION
            and not (self.data.get("name") or "").strip()
        ):
            # A 団体 is named by its 団体名 and 代表者氏名 (asked for below), not a person's 氏名.
            del self._errors["name"]
            cleaned["name"] = ""
        if "contact" in (self.consultation.required_identity or []) and not (
            cleaned.get("phone") or cleaned.get("email")
        ):
            self.add_error("phone", _("電話番号またはメールアドレスのどちらかを入力してください。"))
        return self.clean_submitter_kinds(cleaned)

    def section_object(self):
        pk = self.cleaned_data.get("section")
        return self.consultation.sections.filter(pk=pk).first() if pk else None
