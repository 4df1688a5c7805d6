"""Keep the plan's 公募委員の応募倍率 current: called by every write that changes a count."""

from django.db import transaction
from django.utils.translation import gettext as _

from committees import ratios
from committees.selectors.report import applicant_ratio_indicators, ratio_report
from plans.models import IndicatorValue
from plans.services.indicator_computed import ComputedValue, indicator_values_computed_replace


@transaction.atomic
def applicant_ratio_indicator_refresh(*, actor=None) -> int:
    """Write each 年度's city-wide 応募倍率 (all applicants ÷ seats) as the indicator's value.

    A 年度 without a 公募 is stored with no figure, so the 施策 page shows
    the year and the five-year mean is over the years that had one.
    Returns the number of indicators whose values changed.
    """
    indicators = applicant_ratio_indicators()
    if not indicators:
        return 0
    report = ratio_report()
    values = [
        ComputedValue(
            fiscal_year=year.fiscal_year,
            value=ratios.half_up(year.ratio_all),
            numerator=year.applicants,
            denominator=year.seats,
            note=(
                _("公募%(rounds)s件・募集%(seats)s人・応募%(applicants)s人（うち資格あり%(eligible)s人）")
                % {
                    "rounds": year.rounds,
                    "seats": year.seats,
                    "applicants": year.applicants,
                    "eligible": year.eligible_applicants,
                }
                if year.rounds
                else _("この年度は公募がありませんでした")
            ),
        )
        for year in report.ratio_years
    ]
    changed = 0
    for indicator in indicators:
        changed += indicator_values_computed_replace(
            indicator=indicator, source=IndicatorValue.Source.COMMITTEES, values=values, actor=actor
        )
    return changed
