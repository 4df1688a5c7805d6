"""Forms of the results staff pages: the dashboards' filter (GET) and 結果の公表."""

from django import forms
from django.utils.translation import gettext_lazy as _l

from consultations.models import Consultation
from core.forms import KoeForm
from core.wareki import fiscal_year_label
from nlp import screening
from results.selectors.dashboard import DashboardFilters, stats_fiscal_years

GRAIN_CHOICES = [("month", _l("月別")), ("fiscal_year", _l("年度別"))]


class DashboardFilterForm(KoeForm):
    kind = forms.ChoiceField(
        label=_l("案件の種類"),
        required=False,
        choices=[("", _l("すべて")), *Consultation.Kind.choices],
    )
    fiscal_year = forms.TypedChoiceField(label=_l("年度"), required=False, coerce=int, empty_value=None)
    grain = forms.ChoiceField(label=_l("推移の単位"), required=False, choices=GRAIN_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [("", _l("全期間"))] + [
            (year, fiscal_year_label(year)) for year in stats_fiscal_years()
        ]

    def filters(self, **extra) -> DashboardFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return DashboardFilters(
            kind=data.get("kind", ""),
            fiscal_year=data.get("fiscal_year"),
            grain=data.get("grain") or "month",
            **extra,
        )


class ResultsPublishForm(KoeForm):
    """結果の公表: the 決定日, the 決定版 and the 差異 (行政手続法43条1項), and the 広聴
    override of the personal-data screen. Whether the 決定版 and the 差異 are
    complete is consultations.services.consultation_final_errors' to say."""

    decided_on = forms.DateField(
        label=_l("決定日"),
        help_text=_l("計画・条例等を決定した日（例：2026-03-10）。"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _l("決定日は 2026-03-10 の形で入力してください。")},
    )
    final_url = forms.URLField(
        label=_l("決定版のURL"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_l(
            "決定した計画・条例等を掲載したページ（例：https://www.city.example.jp/plan.html）。ファイルを登録する場合は空でかまいません。"
        ),
        error_messages={"invalid": _l("決定版のURLは https:// から始まる形で入力してください。")},
    )
    final_file = forms.FileField(
        label=_l("決定版のファイル"),
        required=False,
        help_text=_l("決定した計画・条例等のファイル（PDF等）。URLを入力した場合は不要です。"),
    )
    revision_summary = forms.CharField(
        label=_l("案からの修正内容（差異）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_l(
            "提出された意見を踏まえて案から修正した箇所と内容（例：「第3章 2-1 歩道の整備」に自転車通行空間の整備を追記）。"
            "修正していない場合は空にして「修正なし」を選んでください。"
        ),
    )
    unrevised = forms.BooleanField(
        label=_l("修正なし（案のとおり決定した）"),
        required=False,
        help_text=_l("結果のページに「修正なし」と明示します。"),
    )
    screen_override = forms.BooleanField(label=screening.OVERRIDE_LABEL, required=False)
    screen_override_reason = forms.CharField(
        label=screening.OVERRIDE_REASON_LABEL,
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_l("指摘された箇所ごとに、個人を特定しないと判断した理由を書いてください。記録に残ります。"),
    )

    OVERRIDE_FIELDS = (screening.OVERRIDE_FIELD, screening.OVERRIDE_REASON_FIELD)

    def show_override(self) -> bool:
        return screening.override_offered(self)


class SurveyUnpublishForm(KoeForm):
    """調査結果の公表の取り消し: the reason is recorded."""

    reason = forms.CharField(
        label=_l("取り消す理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_l("例：集計に含めていない郵送の回答が見つかったため。記録に残ります。"),
    )


class SurveyMatrixItemForm(KoeForm):
    """One item of the 重要度×満足度 matrix: two 5段階 questions of the survey."""

    label = forms.CharField(
        label=_l("項目名"),
        max_length=100,
        help_text=_l("散布図と表に示す名前（例：地縁活動の支援）。"),
    )
    importance_question = forms.ModelChoiceField(label=_l("重要度の設問"), queryset=None)
    satisfaction_question = forms.ModelChoiceField(label=_l("満足度の設問"), queryset=None)
    policy = forms.ModelChoiceField(label=_l("施策（任意）"), queryset=None, required=False)
    order = forms.IntegerField(label=_l("表示順"), min_value=0, initial=0, required=False)

    def __init__(self, *args, questions, policies, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("importance_question", "satisfaction_question"):
            self.fields[name].queryset = questions
            self.fields[name].label_from_instance = lambda q: f"問{q.number} {q.text[:40]}"
        self.fields["policy"].queryset = policies
