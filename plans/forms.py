"""Forms of the staff page for statistic 目標指標 values."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _l

from core.forms import KoeForm
from plans.models import Indicator, IndicatorComparison, IndicatorValue
from plans.services.indicator_values import STAFF_SOURCES, fiscal_year_parse, indicator_value_parse


class _IndicatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.policy.code} {obj.name}（{obj.unit}）"


class IndicatorValueForm(KoeForm):
    indicator = _IndicatorChoice(
        label=_l("目標指標"),
        queryset=Indicator.objects.filter(measurement=Indicator.Measurement.STATISTIC)
        .select_related("policy")
        .order_by("policy__order", "order"),
        help_text=_l("統計・業務データで測る指標だけを選べます（市民意識調査の指標は回答から自動で算出します）。"),
    )
    fiscal_year = forms.CharField(label=_l("年度"), max_length=20, help_text=_l("例：2024、R6、令和6年度"))
    value = forms.CharField(label=_l("値"), max_length=30, help_text=_l("例：58.3。単位は付けなくてかまいません。"))
    source = forms.ChoiceField(
        label=_l("出典の種類"),
        choices=[(code, label) for code, label in IndicatorValue.Source.choices if code in STAFF_SOURCES],
        widget=forms.RadioSelect,
        help_text="",
    )
    source_detail = forms.CharField(
        label=_l("出典"), required=False, max_length=200, help_text=_l("例：川口市統計書（令和6年版）表3-2")
    )
    note = forms.CharField(label=_l("備考"), required=False, max_length=300, help_text=_l("算出方法の変更など"))

    def clean_fiscal_year(self):
        return fiscal_year_parse(self.cleaned_data["fiscal_year"])

    def clean(self):
        data = super().clean()
        indicator = data.get("indicator")
        if indicator is not None and "value" in data:
            try:
                data["value"] = indicator_value_parse(data["value"], indicator=indicator)
            except ValidationError as exc:
                self.add_error("value", exc)
        return data


class IndicatorValuesImportForm(KoeForm):
    file = forms.FileField(
        label=_l("CSVファイル"),
        help_text=_l(
            "1行目は「施策コード,指標名,年度,値,出典の種類,出典,備考」。"
            "出典の種類は 統計書・業務データ・その他。誤りが1行でもあれば何も取り込みません。"
        ),
    )


class IndicatorComparisonForm(KoeForm):
    indicator = _IndicatorChoice(
        label=_l("目標指標"),
        queryset=Indicator.objects.filter(measurement=Indicator.Measurement.STATISTIC)
        .select_related("policy")
        .order_by("policy__order", "order"),
        help_text=_l("目標が「中核市の平均」「県内の上位」のように他の団体との比較で書かれた指標に使います。"),
    )
    fiscal_year = forms.CharField(label=_l("年度"), max_length=20, help_text=_l("例：2024、R6、令和6年度"))
    kind = forms.ChoiceField(
        label=_l("比較の種類"), choices=IndicatorComparison.Kind.choices, widget=forms.RadioSelect, help_text=""
    )
    value = forms.CharField(
        label=_l("平均値"), required=False, max_length=30, help_text=_l("「比較する団体の平均値」のときに入力します。")
    )
    rank = forms.IntegerField(
        label=_l("順位"), required=False, min_value=1, help_text=_l("「順位」のときに入力します。")
    )
    group_size = forms.IntegerField(
        label=_l("比較する団体の数"), required=False, min_value=1, help_text=_l("例：埼玉県内の市町村なら63")
    )
    source_detail = forms.CharField(
        label=_l("出典"), max_length=200, help_text=_l("例：中核市市長会 都市要覧（令和6年度）")
    )

    def clean_fiscal_year(self):
        return fiscal_year_parse(self.cleaned_data["fiscal_year"])

    def clean(self):
        data = super().clean()
        indicator = data.get("indicator")
        if indicator is not None and data.get("value"):
            try:
                data["value"] = indicator_value_parse(data["value"], indicator=indicator)
            except ValidationError as exc:
                self.add_error("value", exc)
        else:
            data["value"] = None
        return data
