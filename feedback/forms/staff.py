"""Staff entry of submissions received on paper, by FAX, e-mail or at the
窓口: one opinion, one paper questionnaire, or a CSV file of many."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from consultations.models import Consultation, Question
from core.forms import KoeForm
from core.text import validate_user_text
from feedback.forms.fields import IdentityFields, SubmitterKindMixin, opinion_field
from feedback.forms.survey import SurveyForm
from feedback.models import Channel


class StaffEntryForm(SubmitterKindMixin, IdentityFields):
    """Proxy entry of a paper/FAX/e-mail/窓口 submission by staff.

    A パブリック・コメント also takes the 個人・団体・連名 fields; paper is
    kept as received, so a 団体 without its 代表者 is stored and flagged
    要件不備 rather than refused.
    """

    strict_submitter_kind = False

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
        self.fields["body"] = opinion_field(consultation.max_opinion_chars, label=_l("意見（原文のとおり入力）"))
        self.takes_submitter_kind = consultation.kind == Consultation.Kind.PUBLIC_COMMENT
        if self.takes_submitter_kind:
            self.add_submitter_kind_fields()
        self.order_fields([*self.field_order, "submitter_kind", "name", "name_kana", "organization", "representative"])
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

    def clean(self):
        cleaned = super().clean()
        return self.clean_submitter_kinds(cleaned) if self.takes_submitter_kind else cleaned

    def signer_pairs(self):
        return super().signer_pairs() if self.takes_submitter_kind else []


class CsvImportForm(KoeForm):
    file = forms.FileField(
        label=_l("CSVファイル"),
        help_text=_l(
            "1行目は見出し（提出方法,到着日,該当箇所,意見,氏名,ふりがな,団体名,郵便番号,住所,電話番号,メールアドレス,提出資格）。"
            "団体・連名の提出には 提出者の種別（個人・団体・連名）,代表者氏名,方書,連名者2の氏名,連名者2の住所,連名者3の氏名,… の列も使えます。"
            "UTF-8 または Shift_JIS。20,000行・20MBまで。"
        ),
        error_messages={"empty": _l("ファイルが空です。見出し行と1行以上のデータがあるCSVファイルを選んでください。")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.KOE_ATTACHMENT_MAX_BYTES * 4:
            raise ValidationError(_("ファイルが大きすぎます（20MBまで）。分割して取り込んでください。"))
        return upload


class StaffSurveyEntryForm(SurveyForm):
    """A paper questionnaire typed in by staff.

    A sampled survey's questionnaire carries its invitation code, and typing
    it in spends it as the web form does (#15), so nobody answers on paper
    and on the web, or twice on paper. More choices than 「Nつまで」 follow
    the question's rule for paper (Question.over_limit).
    """

    applies_paper_rules = True

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, consultation=consultation, **kwargs)
        if "invitation_code" in self.fields:
            code = self.fields["invitation_code"]
            code.help_text = _l(
                "調査票（または同封の依頼状）に記載された招待コード。誤ったコード・既に使われたコードは登録できません"
                "（1人1回の回答のため）。ハイフン・小文字・全角は区別しません。"
            )
            code.widget.attrs["autocomplete"] = "off"
        for question in self.questions:
            if question.kind == Question.Kind.MULTIPLE and question.max_choices:
                field = self.fields[f"q{question.pk}"]
                field.help_text = _("%(n)sつまで。超えて○が付いている場合：%(rule)s。") % {
                    "n": question.max_choices,
                    "rule": question.get_over_limit_display(),
                }
        channel = forms.ChoiceField(
            label=_l("提出方法"),
            widget=forms.RadioSelect,
            choices=[(c.value, c.label) for c in Channel.staff_entry()],
        )
        received_on = forms.DateField(label=_l("到着日"), widget=forms.DateInput(attrs={"type": "date"}))
        self.fields = {"channel": channel, "received_on": received_on, **self.fields}
