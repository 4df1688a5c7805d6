"""The comprehensive plan: めざす姿 → 施策 → 単位施策 → 主な取り組み."""

import re
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    name = models.CharField(_("計画名"), max_length=200)
    municipality = models.CharField(_("団体名"), max_length=50)
    period_label = models.CharField(_("計画期間"), max_length=100, blank=True)
    is_sample = models.BooleanField(
        _("サンプルデータ"),
        default=False,
        help_text=_("実際の計画でない部分を含む場合にオン"),
    )

    class Meta:
        verbose_name = _("総合計画")
        verbose_name_plural = _("総合計画")
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="uniq_plan_name")]

    def __str__(self):
        return self.name


class Vision(models.Model):
    """めざす姿 (a chapter of the basic plan, e.g. VI)."""

    plan = models.ForeignKey(Plan, verbose_name=_("計画"), on_delete=models.CASCADE, related_name="visions")
    code = models.CharField(_("番号"), max_length=10)
    title = models.CharField(_("めざす姿"), max_length=200)
    order = models.PositiveIntegerField(_("表示順"), default=0)
    is_sample = models.BooleanField(_("サンプルデータ"), default=False)

    class Meta:
        verbose_name = _("めざす姿")
        verbose_name_plural = _("めざす姿")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="uniq_vision_code")]

    def __str__(self):
        return f"{self.code} {self.title}"


class Policy(models.Model):
    """施策: the unit submissions are classified to and results are linked to."""

    vision = models.ForeignKey(
        Vision,
        verbose_name=_("めざす姿"),
        on_delete=models.CASCADE,
        related_name="policies",
    )
    code = models.CharField(_("施策コード"), max_length=20, unique=True, help_text=_("例: VI-1"))
    number = models.PositiveIntegerField(_("施策番号"))
    title = models.CharField(_("施策名"), max_length=200)
    basic_policy = models.TextField(_("基本方針"), blank=True)
    related_plans = models.JSONField(_("関連する個別計画"), default=list, blank=True)
    reference_tables = models.JSONField(
        _("参考資料の表"),
        default=list,
        blank=True,
        help_text=_("[{title, note, columns, rows}] の形式"),
    )
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("施策")
        verbose_name_plural = _("施策")
        ordering = ["vision__order", "order", "number"]

    def __str__(self):
        return f"施策{self.code} {self.title}"


class PolicyTheme(models.Model):
    """One numbered row (①, ②…) of キーワード with its 主な背景事象."""

    policy = models.ForeignKey(Policy, verbose_name=_("施策"), on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveIntegerField(_("番号"))
    keywords = models.JSONField(_("キーワード"), default=list)
    backgrounds = models.JSONField(_("主な背景事象"), default=list)

    class Meta:
        verbose_name = _("キーワードと背景事象")
        verbose_name_plural = _("キーワードと背景事象")
        ordering = ["policy", "number"]
        constraints = [models.UniqueConstraint(fields=["policy", "number"], name="uniq_policy_theme")]

    def __str__(self):
        return f"{self.policy.code} ({self.number})"


class UnitPolicy(models.Model):
    """単位施策 with its 主な取り組み."""

    policy = models.ForeignKey(
        Policy,
        verbose_name=_("施策"),
        on_delete=models.CASCADE,
        related_name="unit_policies",
    )
    title = models.CharField(_("単位施策"), max_length=200)
    initiatives = models.JSONField(_("主な取り組み"), default=list)
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("単位施策")
        verbose_name_plural = _("単位施策")
        ordering = ["policy", "order"]
        constraints = [models.UniqueConstraint(fields=["policy", "title"], name="uniq_unit_policy_title")]

    def __str__(self):
        return self.title


class Indicator(models.Model):
    """目標指標 with its baseline and target."""

    class Measurement(models.TextChoices):
        SURVEY = "survey", _("市民意識調査")
        STATISTIC = "statistic", _("統計・業務データ")
        COMMITTEES = "committees", _("附属機関の公募実績（自動集計）")

    class SurveyMethod(models.TextChoices):
        # Keys match plans.indicator_math (TOP2, SCORE, MEAN).
        TOP2 = "top2", _("上位2段階の割合（%）")
        SCORE = "score", _("満足度スコア（満足率−不満率）")
        MEAN = "mean", _("加重平均（+2〜−2）")

    policy = models.ForeignKey(
        Policy,
        verbose_name=_("施策"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    name = models.CharField(_("指標名"), max_length=200)
    unit = models.CharField(_("単位"), max_length=20)
    baseline_value = models.DecimalField(_("現状値"), max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_year_label = models.CharField(
        _("現状値の年度"),
        max_length=40,
        blank=True,
        help_text=_("例: R2, H27～R1の平均値"),
    )
    baseline_fiscal_year = models.PositiveIntegerField(_("現状値の年度（西暦）"), null=True, blank=True)
    target_value = models.DecimalField(_("目標値"), max_digits=12, decimal_places=2, null=True, blank=True)
    target_text = models.CharField(
        _("目標値（文言）"),
        max_length=100,
        blank=True,
        help_text=_("例: 現状値を上回る"),
    )
    target_fiscal_year = models.PositiveIntegerField(_("目標年度（西暦）"), default=2025)
    measurement = models.CharField(
        _("測定方法"),
        max_length=20,
        choices=Measurement.choices,
        default=Measurement.STATISTIC,
    )
    measurement_note = models.CharField(_("測定方法の説明"), max_length=300, blank=True)
    survey_method = models.CharField(
        _("集計方法（市民意識調査）"),
        max_length=10,
        choices=SurveyMethod.choices,
        default=SurveyMethod.TOP2,
    )
    include_dont_know = models.BooleanField(
        _("「わからない」を分母に含める"),
        default=False,
        help_text=_("無回答は常に分母に含めません"),
    )
    # Published figures keep their precision (58.0, 88.60); DecimalField
    # alone would print every value with two places.
    decimal_places = models.PositiveSmallIntegerField(_("表示する小数点以下の桁数"), default=1)
    order = models.PositiveIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("目標指標")
        verbose_name_plural = _("目標指標")
        ordering = ["policy", "order"]
        constraints = [models.UniqueConstraint(fields=["policy", "name"], name="uniq_indicator_name")]

    def __str__(self):
        return f"{self.name} [{self.unit}]"

    def _format(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        return f"{value:.{self.decimal_places}f}"

    @property
    def baseline_display(self) -> str:
        return self._format(self.baseline_value)

    @property
    def target_display(self) -> str:
        """Return the numeric target, or the worded one (e.g. 現状値を上回る)."""
        return self._format(self.target_value) or self.target_text

    @property
    def baseline_year_is_single(self) -> bool:
        """Tell whether the label names one 年度 (R2) rather than a period."""
        return bool(re.fullmatch(r"[RHS](元|\d{1,2})", self.baseline_year_label))


class IndicatorValue(models.Model):
    """A measured value of a 目標指標 for one 年度 (one row per indicator and year)."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("目標指標"),
        on_delete=models.CASCADE,
        related_name="values",
    )
    fiscal_year = models.PositiveIntegerField(_("年度（西暦）"))
    value = models.DecimalField(_("値"), max_digits=12, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(_("分子"), max_digits=12, decimal_places=2, null=True, blank=True)
    n = models.PositiveIntegerField(_("回答者数（分母）"), default=0)
    margin_of_error = models.DecimalField(_("誤差（95%）"), max_digits=8, decimal_places=2, null=True, blank=True)

    class Source(models.TextChoices):
        SURVEY = "survey", _("市民意識調査")
        STATISTICS = "statistics", _("統計書")
        OPERATIONS = "operations", _("業務データ")
        OTHER = "other", _("その他")
        COMMITTEES = "committees", _("附属機関の公募実績")

    # Empty for a statistic value: only survey values have a 集計方法.
    method = models.CharField(_("集計方法"), max_length=10, choices=Indicator.SurveyMethod.choices, blank=True)
    include_dont_know = models.BooleanField(_("「わからない」を分母に含めた"), default=False)
    source = models.CharField(_("出典の種類"), max_length=12, choices=Source.choices, default=Source.SURVEY)
    source_detail = models.CharField(
        _("出典"), max_length=200, blank=True, help_text=_("例: 川口市統計書（令和6年版）表3-2、収納課 業務統計")
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("入力した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("調査"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicator_values",
    )
    computed_at = models.DateTimeField(_("算出日時"))

    class Meta:
        verbose_name = _("目標指標の実績値")
        verbose_name_plural = _("目標指標の実績値")
        ordering = ["indicator", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "fiscal_year"], name="uniq_indicator_value_year"),
        ]

    def __str__(self):
        return f"{self.indicator_id}:{self.fiscal_year}={self.value}"

    @property
    def places(self) -> int:
        """Shares and scores print 1 decimal (40.0), the weighted mean 2 (0.60);
        a statistic value as the indicator's own figures (経常収支比率 95.3, 団体数 412)."""
        if self.source == self.Source.COMMITTEES:
            return 2  # 応募倍率 is published to two places (committees.ratios)
        if not self.method:
            return self.indicator.decimal_places
        return 2 if self.method == Indicator.SurveyMethod.MEAN else 1

    @property
    def value_display(self) -> str:
        return "" if self.value is None else f"{self.value:.{self.places}f}"

    @property
    def margin_display(self) -> str:
        return "" if self.margin_of_error is None else f"{self.margin_of_error:.2f}"


class IndicatorComparison(models.Model):
    """A reference figure a worded target compares with (中核市の平均, 県内の順位),
    entered with its source for one 年度."""

    class Kind(models.TextChoices):
        AVERAGE = "average", _("比較する団体の平均値")
        RANK = "rank", _("順位")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("目標指標"), on_delete=models.CASCADE, related_name="comparisons"
    )
    fiscal_year = models.PositiveIntegerField(_("年度（西暦）"))
    kind = models.CharField(_("比較の種類"), max_length=10, choices=Kind.choices)
    value = models.DecimalField(_("平均値"), max_digits=12, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("順位"), null=True, blank=True)
    group_size = models.PositiveIntegerField(_("比較する団体の数"), null=True, blank=True)
    source_detail = models.CharField(
        _("出典"), max_length=200, help_text=_("例: 総務省 市町村別決算状況調（令和5年度）")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("入力した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("入力日時"), auto_now=True)

    class Meta:
        verbose_name = _("目標指標の比較値")
        verbose_name_plural = _("目標指標の比較値")
        ordering = ["indicator", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "fiscal_year", "kind"], name="uniq_indicator_comparison"),
        ]

    def __str__(self):
        return f"{self.indicator_id}:{self.fiscal_year}:{self.kind}"
