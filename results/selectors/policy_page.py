"""Reads for the public page of one 施策 (plan text, 目標指標 progress, linked opinions)."""

import functools
import math
import operator
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from consultations.models import Consultation
from opinions.models import OpinionGroup
from opinions.selectors.groups import opinion_group_item_counts
from plans.models import Indicator, IndicatorComparison, IndicatorValue, Policy
from results.selectors.published import (
    consultation_list_published,
    published_counts,
    result_rows,
)

# Consultations shown publicly next to a 施策 (drafts and withdrawn hidden).
PUBLIC_CONSULTATION_STATUSES = ("open", "closed", "published")
# A 施策 can gather hundreds of 意見要旨 over the plan period; the page
# shows the newest ones and links every case's full results page.
POLICY_OPINION_GROUP_LIMIT = 50
# Worded targets of the plan that the measured values settle:
# 現状値を上回る (the latest value), 今後5年の平均値が現状値を上回る (the mean of
# the N 年度 up to the target year) and 90%台前半 (a range). Comparisons with
# other cities (中核市の平均, 県内の上位) need figures the site does not hold.
WHOLE_TARGET_TEXT = re.compile(r"^\s*現状値を上回る\s*$")
MEAN_TARGET_TEXT = re.compile(r"^\s*今後\s*(\d+)\s*年(?:間)?の平均値が現状値を上回る\s*$")
RANGE_TARGET_TEXT = re.compile(r"^\s*(\d+)\s*%?\s*台\s*(前半|後半)\s*$")
# 中核市の平均 / 県内の上位: judged against a reference figure staff enter with
# its source (plans.IndicatorComparison) for the latest value's 年度.
AVERAGE_TARGET_TEXT = re.compile(r"^\s*(\S+)の平均\s*$")
UPPER_TARGET_TEXT = re.compile(r"^\s*(\S+)の上位\s*$")
# The plan does not define 上位; the site reads it as the top third of the
# group and says so beside the verdict.
UPPER_SHARE = Fraction(1, 3)


def policy_consultations_public(*, policy: Policy) -> QuerySet:
    """Return the policy's consultations residents may see, newest first."""
    return policy.consultations.filter(status__in=PUBLIC_CONSULTATION_STATUSES).order_by("-opens_at", "-pk")


# ---- 目標指標: latest measured value against the baseline and the target ----


@dataclass(frozen=True)
class IndicatorProgress:
    """One 目標指標 row of the public page.

    ``rule`` says how the target is read: ``at_least`` / ``at_most`` a
    numeric target, ``above_baseline`` for 現状値を上回る, ``worded`` for
    a target that the latest value alone cannot settle, or "" without a
    measured value. ``achieved`` is None whenever it cannot be judged.
    """

    indicator: Indicator
    values: list[IndicatorValue]
    latest: IndicatorValue | None
    difference: str
    difference_within_margin: bool
    rule: str
    achieved: bool | None
    # The target in words for the rules the template does not word itself
    # (mean_above_baseline, range): what is compared with what, and why a
    # verdict cannot be given yet.
    explanation: str = ""

    @property
    def point_unit(self) -> str:
        return _point_unit(self.indicator, self.latest)

    @property
    def value_unit(self) -> str:
        # The weighted mean is on the +2…−2 scale, not in the plan's unit.
        return "" if self.latest and self.latest.method == Indicator.SurveyMethod.MEAN else self.indicator.unit


def _point_unit(indicator: Indicator, value: IndicatorValue | None) -> str:
    """Return the unit of a difference: percentages differ in ポイント."""
    if indicator.unit == "%" or (value and value.method != Indicator.SurveyMethod.TOP2):
        return "ポイント"
    return indicator.unit


def _signed(number: Decimal, places: int) -> str:
    # U+2212 rather than a hyphen, so that it is read as マイナス.
    text = f"{abs(number):.{places}f}"
    if number > 0:
        return "+" + text
    return "\u2212" + text if number < 0 else "±" + text


def _target_rule(indicator: Indicator) -> str:
    if indicator.target_value is not None:
        # A target below the baseline (事故件数, 待機児童数) is met by going down.
        baseline = indicator.baseline_value
        return "at_most" if baseline is not None and indicator.target_value < baseline else "at_least"
    if indicator.baseline_value is not None and WHOLE_TARGET_TEXT.match(indicator.target_text):
        return "above_baseline"
    if indicator.baseline_value is not None and MEAN_TARGET_TEXT.match(indicator.target_text):
        return "mean_above_baseline"
    if RANGE_TARGET_TEXT.match(indicator.target_text):
        return "range"
    if AVERAGE_TARGET_TEXT.match(indicator.target_text):
        return "reference_average"
    if UPPER_TARGET_TEXT.match(indicator.target_text):
        return "reference_rank"
    return "worded"


def _comparison(indicator: Indicator, fiscal_year: int, kind: str) -> IndicatorComparison | None:
    # Through all(): comparisons are prefetched by policy_list_public().
    return next((c for c in indicator.comparisons.all() if c.fiscal_year == fiscal_year and c.kind == kind), None)


def _average_judgement(indicator: Indicator, latest: IndicatorValue) -> tuple[bool | None, str]:
    group = AVERAGE_TARGET_TEXT.match(indicator.target_text).group(1)
    target = _("目標は%(group)sの平均以上") % {"group": group}
    reference = _comparison(indicator, latest.fiscal_year, IndicatorComparison.Kind.AVERAGE)
    if reference is None:
        return None, target + _("。%(year)s年度の%(group)sの平均値が入力されていません") % {
            "year": latest.fiscal_year,
            "group": group,
        }
    return latest.value >= reference.value, target + _(
        "。%(year)s年度の平均は %(value)s%(unit)s（出典：%(source)s）"
    ) % {
        "year": latest.fiscal_year,
        "value": f"{reference.value:.{latest.places}f}",
        "unit": indicator.unit,
        "source": reference.source_detail,
    }


def _rank_judgement(indicator: Indicator, latest: IndicatorValue) -> tuple[bool | None, str]:
    group = UPPER_TARGET_TEXT.match(indicator.target_text).group(1)
    target = _("目標は%(group)sの上位（上位3分の1以内）") % {"group": group}
    reference = _comparison(indicator, latest.fiscal_year, IndicatorComparison.Kind.RANK)
    if reference is None:
        return None, target + _("。%(year)s年度の%(group)sでの順位が入力されていません") % {
            "year": latest.fiscal_year,
            "group": group,
        }
    limit = math.ceil(reference.group_size * UPPER_SHARE)
    return reference.rank <= limit, target + _(
        "。%(year)s年度は%(size)s団体中%(rank)s位（%(limit)s位以内が上位、出典：%(source)s）"
    ) % {
        "year": latest.fiscal_year,
        "size": reference.group_size,
        "rank": reference.rank,
        "limit": limit,
        "source": reference.source_detail,
    }


def _range_bounds(indicator: Indicator) -> tuple[Decimal, Decimal]:
    """90%台前半 → [90, 95); 90%台後半 → [95, 100): the decade's lower or upper half."""
    match = RANGE_TARGET_TEXT.match(indicator.target_text)
    start = Decimal(match.group(1))
    step = Decimal(10) ** (len(match.group(1)) - 1) if start >= 10 else Decimal(1)
    low = start if match.group(2) == "前半" else start + step / 2
    return low, low + step / 2


def _range_judgement(indicator: Indicator, latest: IndicatorValue) -> tuple[bool, str]:
    low, high = _range_bounds(indicator)
    unit = indicator.unit
    words = _("目標は%(text)s：%(low)s%(unit)s以上%(high)s%(unit)s未満") % {
        "text": indicator.target_text.strip(),
        "low": f"{low:.1f}",
        "high": f"{high:.1f}",
        "unit": unit,
    }
    return low <= latest.value < high, words


def _mean_judgement(indicator: Indicator, values: list[IndicatorValue]) -> tuple[bool | None, str]:
    """今後N年の平均値が現状値を上回る: the mean of the N 年度 ending with the target year.

    Judged only once every year of the window has a value; before that the
    mean so far is shown and the verdict waits.
    """
    years = int(MEAN_TARGET_TEXT.match(indicator.target_text).group(1))
    last = indicator.target_fiscal_year
    first = last - years + 1
    # A 年度 the committees app records without a figure (no 公募 that year)
    # has been counted: the mean is over the years that had one.
    recorded = [
        v
        for v in values
        if first <= v.fiscal_year <= last and (v.value is not None or v.source == IndicatorValue.Source.COMMITTEES)
    ]
    window = [v.value for v in recorded if v.value is not None]
    unit = indicator.unit
    target = _("目標は%(first)s〜%(last)s年度の%(years)s年間の平均値が現状値 %(baseline)s%(unit)s を上回ること") % {
        "first": first,
        "last": last,
        "years": years,
        "baseline": indicator.baseline_display,
        "unit": unit,
    }
    if not window:
        return None, target + _("。この期間の実績値はまだありません")
    mean = sum(window) / len(window)
    # At the precision of the values themselves (応募倍率: two places).
    places = max([indicator.decimal_places] + [v.places for v in recorded if v.value is not None])
    mean_text = f"{mean:.{places}f}{unit}"
    if len(recorded) < years:
        return None, target + _("。%(years)s年分のうち%(done)s年分の平均は %(mean)s") % {
            "years": years,
            "done": len(recorded),
            "mean": mean_text,
        }
    return mean > indicator.baseline_value, target + _("。%(years)s年間の平均は %(mean)s") % {
        "years": years,
        "mean": mean_text,
    }


def _achieved(rule: str, indicator: Indicator, value: Decimal) -> bool | None:
    if rule == "at_least":
        return value >= indicator.target_value
    if rule == "at_most":
        return value <= indicator.target_value
    if rule == "above_baseline":
        return value > indicator.baseline_value
    return None


def indicator_progress(indicator: Indicator) -> IndicatorProgress:
    """Compare the indicator's latest measured value with baseline and target.

    Reads ``indicator.values`` through ``all()`` so that the values
    prefetched by policy_list_public() cost no query.
    """
    values = sorted(indicator.values.all(), key=lambda v: v.fiscal_year)
    measured = [v for v in values if v.value is not None]
    latest = measured[-1] if measured else None
    difference, within, rule, achieved = "", False, "", None
    explanation = ""
    if latest is not None:
        rule = _target_rule(indicator)
        if rule == "mean_above_baseline":
            achieved, explanation = _mean_judgement(indicator, values)
        elif rule == "range":
            achieved, explanation = _range_judgement(indicator, latest)
        elif rule == "reference_average":
            achieved, explanation = _average_judgement(indicator, latest)
        elif rule == "reference_rank":
            achieved, explanation = _rank_judgement(indicator, latest)
        else:
            achieved = _achieved(rule, indicator, latest.value)
        if indicator.baseline_value is not None:
            change = latest.value - indicator.baseline_value
            difference = _signed(change, latest.places) + _point_unit(indicator, latest)
            within = latest.margin_of_error is not None and abs(change) <= latest.margin_of_error
    return IndicatorProgress(
        indicator=indicator,
        values=values,
        latest=latest,
        difference=difference,
        difference_within_margin=within,
        rule=rule,
        achieved=achieved,
        explanation=explanation,
    )


def policy_indicator_progress(*, policy: Policy) -> list[IndicatorProgress]:
    """Return one progress row per indicator of a policy from policy_list_public()."""
    return [indicator_progress(indicator) for indicator in policy.indicators.all()]


# ---- 意見の概要と市の考え方 linked to the 施策 ----


@dataclass(frozen=True)
class PolicyOpinions:
    consultations: list[Consultation]
    groups: list[OpinionGroup]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.groups)


def _set_item_counts(groups: list[OpinionGroup]) -> None:
    """Set 同趣旨 N件 from the counts stored at publication (one query for older publications)."""
    by_group = {}
    for consultation in {group.consultation for group in groups if group.consultation.results_counts is not None}:
        by_group.update(published_counts(consultation=consultation).by_group)
    unstored = [group.pk for group in groups if group.consultation.results_counts is None]
    if unstored:
        by_group.update(opinion_group_item_counts(group_ids=unstored))
    for group in groups:
        group.item_count = by_group.get(group.pk, 0)


def policy_opinions_published(*, policy: Policy, limit: int = POLICY_OPINION_GROUP_LIMIT) -> PolicyOpinions:
    """Return the published 意見要旨 of the policy's パブリック・コメント.

    The public rule is the results page's own: published cases from
    consultation_list_published() and, in each, the rows of result_rows()
    (approved, not withheld, staff-written text only). The per-case
    querysets are OR-ed into one, so the query count does not grow with
    the number of cases or groups. Newest case first, 番号 order within.
    """
    consultations = list(consultation_list_published().filter(policies=policy))
    if not consultations:
        return PolicyOpinions(consultations=[], groups=[], total=0)
    rows = functools.reduce(
        operator.or_,
        (result_rows(consultation=c, counted=False) for c in consultations),
    )
    rows = rows.select_related("consultation").order_by("-consultation__published_at", "-consultation_id", "number")
    groups = list(rows[:limit])
    _set_item_counts(groups)
    total = len(groups) if len(groups) < limit else rows.count()
    return PolicyOpinions(consultations=consultations, groups=groups, total=total)
