"""Values of a 目標指標 that another app computes (応募倍率 from the committees app).

The computing app hands over the whole series; this replaces the
indicator's values of that source in one go (a 年度 no longer in the
series is removed), and audits only when something changed, so a
recomputation that finds the same figures leaves no trail of noise.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import audit_record
from plans.models import Indicator, IndicatorValue


@dataclass(frozen=True)
class ComputedValue:
    fiscal_year: int
    value: Decimal | None  # None: the 年度 is shown, with no figure (e.g. no 公募 that year)
    numerator: Decimal | None = None
    denominator: int = 0
    note: str = ""


def _snapshot(values) -> dict[str, list]:
    return {
        str(v.fiscal_year): [None if v.value is None else str(v.value), v.note]
        for v in sorted(values, key=lambda v: v.fiscal_year)
    }


@transaction.atomic
def indicator_values_computed_replace(
    *, indicator: Indicator, source: str, values: list[ComputedValue], actor=None
) -> bool:
    """Make the indicator's values of ``source`` exactly ``values``; True when anything changed."""
    if indicator.measurement != Indicator.Measurement.COMMITTEES or source != IndicatorValue.Source.COMMITTEES:
        raise ValidationError(_("この指標は自動集計の対象ではありません。"), code="not_computed")
    stored = list(IndicatorValue.objects.select_for_update().filter(indicator=indicator))
    before = _snapshot(stored)
    after = {str(v.fiscal_year): [None if v.value is None else str(v.value), v.note] for v in values}
    if before == after:
        return False
    now = timezone.now()
    IndicatorValue.objects.filter(indicator=indicator).exclude(fiscal_year__in=[v.fiscal_year for v in values]).delete()
    for item in values:
        IndicatorValue.objects.update_or_create(
            indicator=indicator,
            fiscal_year=item.fiscal_year,
            defaults={
                "value": item.value,
                "numerator": item.numerator,
                "n": item.denominator,
                "margin_of_error": None,
                "method": "",
                "include_dont_know": False,
                "source": source,
                "source_detail": _("附属機関等の公募の記録（自動集計）"),
                "note": item.note,
                "source_consultation": None,
                "entered_by": None,
                "computed_at": now,
            },
        )
    audit_record(
        actor=actor,
        action="plan.indicator_value.compute",
        target=indicator,
        summary=_("「%(name)s」の実績値を公募の記録から集計しました") % {"name": indicator.name},
        before=before,
        after=after,
    )
    return True
