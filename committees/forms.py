"""Forms of the committees app: the resident's application, the paper entry, and the secretariat's steps."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from committees.models import CommitteeMember, Gender, RecruitmentRound, Residence
from committees.services.applications import essay_clean
from core.forms import KoeForm
from core.wareki import date_parse

RESIDENCE_CHOICES = [(value, label) for value, label in Residence.choices]


class WarekiDateField(forms.CharField):
    """A date typed as 1985-04-01, 1985年4月1日 or 昭和60年4月1日 (全角 digits too)."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        day = date_parse(text)
        if day is None:
            raise ValidationError(
                _("%(label)sは 1985-04-01 や 昭和60年4月1日 のように、実在する日付で入力してください。")
                % {"label": self.label},
                code="date_format",
            )
        return day


class ApplicationForm(KoeForm):
    name = forms.CharField(label=_l("氏名"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    name_kana = forms.CharField(label=_l("ふりがな"), max_length=100, required=False)
    birth_date = WarekiDateField(
        label=_l("生年月日"),
        help_text=_l("年齢の確認に使います。例：1985-04-01、昭和60年4月1日"),
        widget=forms.TextInput(attrs={"autocomplete": "bday", "maxlength": 20}),
    )
    gender = forms.ChoiceField(
        label=_l("性別"),
        choices=Gender.choices,
        initial=Gender.NO_ANSWER,
        widget=forms.RadioSelect,
        help_text=_l("委員の男女構成の集計だけに使います。「回答しない」も選べます。"),
    )
    address = forms.CharField(
        label=_l("住所"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "street-address"})
    )
    phone = forms.CharField(
        label=_l("電話番号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_l("メールアドレス"),
        required=False,
        help_text=_l("受付番号と選考結果をお知らせします。空欄のときはアカウントのメールアドレスに送ります。"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    residence = forms.ChoiceField(label=_l("応募資格の区分"), choices=RESIDENCE_CHOICES, widget=forms.RadioSelect)
    occupation = forms.CharField(label=_l("職業"), max_length=100, required=False)
    activities = forms.CharField(
        label=_l("活動歴（地域活動・ボランティアなど）"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_city_staff = forms.BooleanField(label=_l("私は市の職員です"), required=False)
    is_councillor = forms.BooleanField(label=_l("私は市議会議員です"), required=False)
    essay = forms.CharField(label=_l("小論文"), required=False, widget=forms.Textarea(attrs={"rows": 14}))
    declaration = forms.BooleanField(
        label=_l("募集要項の応募資格を確認し、記入した内容に誤りがないことを申告します"),
        required=True,
        error_messages={"required": _l("応募資格の申告欄を確認し、チェックを入れてください。")},
    )

    def __init__(self, *args, recruitment: RecruitmentRound, **kwargs):
        self.recruitment = recruitment
        super().__init__(*args, **kwargs)
        essay = self.fields["essay"]
        essay.widget.attrs["data-max-chars"] = recruitment.essay_max_chars
        if recruitment.essay_theme:
            essay.required = True
            essay.widget.attrs["aria-required"] = "true"
            essay.label = _("小論文「%(theme)s」") % {"theme": recruitment.essay_theme}
            essay.help_text = _("%(min)s文字以上%(max)s文字以内で書いてください。") % {
                "min": f"{recruitment.essay_min_chars:,}",
                "max": f"{recruitment.essay_max_chars:,}",
            }
        else:
            del self.fields["essay"]
        allowed = set(recruitment.residence_allowed)
        self.fields["residence"].help_text = _("この公募に応募できるのは、%(allowed)sの方です。") % {
            "allowed": "・".join(str(label) for value, label in Residence.choices if value in allowed)
        }
        for name, flag in (
            ("is_city_staff", recruitment.exclude_city_staff),
            ("is_councillor", recruitment.exclude_councillors),
        ):
            if not flag:
                del self.fields[name]

    def clean_essay(self):
        return essay_clean(self.recruitment, self.cleaned_data.get("essay", ""))

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        return {
            key: data.get(key, default)
            for key, default in (
                ("name", ""),
                ("name_kana", ""),
                ("birth_date", None),
                ("gender", Gender.NO_ANSWER),
                ("address", ""),
                ("phone", ""),
                ("email", ""),
                ("residence", ""),
                ("occupation", ""),
                ("activities", ""),
                ("is_city_staff", False),
                ("is_councillor", False),
                ("essay", ""),
                ("declaration", False),
            )
        }


class PaperApplicationForm(ApplicationForm):
    """A paper 申込書 typed in by the secretariat: the essay may be kept on paper, the declaration as written."""

    declaration = forms.BooleanField(label=_l("申込書に応募資格の申告がある"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "essay" in self.fields:
            self.fields["essay"].required = False
            self.fields["essay"].widget.attrs.pop("aria-required", None)
            self.fields["essay"].help_text = _("申込書に添えられた小論文を入力します（紙で保管する場合は空欄）。")
        self.fields["email"].help_text = _("記入があれば、受付番号と選考結果をメールで送ります。")

    def clean_essay(self):
        return essay_clean(self.recruitment, self.cleaned_data.get("essay", ""), required=False)


class RoundForm(KoeForm):
    title = forms.CharField(
        label=_l("募集の名称"), max_length=200, help_text=_l("例：令和8年度 川口市市民参加推進審議会 公募委員")
    )
    seats_offered = forms.IntegerField(label=_l("募集人数"), min_value=1, max_value=99)
    notice_starts_on = forms.DateField(label=_l("受付開始日"), widget=forms.DateInput(attrs={"type": "date"}))
    notice_ends_on = forms.DateField(
        label=_l("受付締切日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_l("3週間以上の募集期間をとります。"),
    )
    term_start = forms.DateField(label=_l("委嘱日（任期の始まり）"), widget=forms.DateInput(attrs={"type": "date"}))
    term_end = forms.DateField(label=_l("任期の終わり"), widget=forms.DateInput(attrs={"type": "date"}))
    selection_method = forms.ChoiceField(
        label=_l("選考方法"), choices=RecruitmentRound.SelectionMethod.choices, widget=forms.RadioSelect
    )
    residence_allowed = forms.MultipleChoiceField(
        label=_l("応募できる区分"),
        choices=[c for c in RESIDENCE_CHOICES if c[0] != Residence.NONE],
        widget=forms.CheckboxSelectMultiple,
    )
    min_age = forms.IntegerField(label=_l("応募できる年齢（以上）"), min_value=0, max_value=120)
    max_concurrent_seats = forms.IntegerField(label=_l("兼職の上限（附属機関等の数）"), min_value=1, max_value=20)
    max_tenure_years = forms.IntegerField(label=_l("同一機関での在任期間の上限（年）"), min_value=1, max_value=50)
    essay_theme = forms.CharField(
        label=_l("小論文のテーマ"), max_length=200, required=False, help_text=_l("空欄のときは小論文を求めません。")
    )
    essay_min_chars = forms.IntegerField(label=_l("小論文の最少字数"), min_value=0, max_value=10000, initial=0)
    essay_max_chars = forms.IntegerField(label=_l("小論文の最大字数"), min_value=1, max_value=10000, initial=800)
    how_to_apply = forms.CharField(
        label=_l("応募方法（紙の申込書の提出先など）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact = forms.CharField(label=_l("問い合わせ先"), max_length=300, required=False)


class AssessmentForm(KoeForm):
    score = forms.DecimalField(
        label=_l("書類選考の評点（0〜100）"), required=False, min_value=0, max_value=100, decimal_places=1
    )
    interview_note = forms.CharField(label=_l("面接の記録"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class LotteryForm(KoeForm):
    seed = forms.CharField(
        label=_l("抽選のシード（任意）"),
        required=False,
        max_length=64,
        help_text=_l(
            "公開抽選でさいころなどから決めた文字列を入力できます。空欄のときは自動で作ります。シードと受付番号があれば、誰でも同じ結果を再現できます。"
        ),
    )


class ExceptionAppointForm(KoeForm):
    """Appointing beyond the 兼職 or 在任期間 cap: the basis and the reason are recorded and the seat is counted."""

    exception_basis = forms.ChoiceField(
        label=_l("例外の区分"),
        choices=CommitteeMember.ExceptionBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _l("例外の区分を選んでください。")},
    )
    exception_reason = forms.CharField(
        label=_l("例外の理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_l(
            "上限を超えて委嘱する理由を300字以内で書きます（例：〇〇の専門的知見をもつ委員が他に得られないため）。"
            "理由は事務局と管理者だけが見られます。公表するのは件数だけです。"
        ),
        error_messages={"required": _l("例外の理由を入力してください。")},
    )
