"""One 目標指標 of a 施策: values, target, 年度 and how it is measured."""

from typing import Any

from django.utils.translation import gettext as _

from plans.loader import Path
from plans.models import Indicator
from plans.schema.fiscal_years import fiscal_year_from_label
from plans.schema.validator import MAX_DECIMAL_PLACES, Validator, field_max_length


def indicator_clean(v: Validator, item: Any, path: Path, seen: set, *, order: int) -> dict:
    item = (
        v.mapping(
            item,
            path,
            (
                "name",
                "unit",
                "baseline_value",
                "baseline_year_label",
                "baseline_fiscal_year",
                "target_value",
                "target_text",
                "target_year_label",
                "target_fiscal_year",
                "measurement",
                "measurement_note",
                "decimal_places",
            ),
        )
        or {}
    )
    name = v.text(item, "name", path, required=True, max_length=field_max_length(Indicator, "name"))
    v.unique(seen, name, (*path, "name"))
    baseline, target = (
        v.number(item, "baseline_value", path),
        v.number(item, "target_value", path),
    )
    target_text = v.text(item, "target_text", path, max_length=field_max_length(Indicator, "target_text"))
    if target is None and not target_text and "target_value" not in item:
        v.error(
            path,
            _("target_value（数値）か target_text（文言）のどちらかを入力してください"),
        )
    baseline_label = v.text(
        item,
        "baseline_year_label",
        path,
        max_length=field_max_length(Indicator, "baseline_year_label"),
    )
    target_year = v.integer(item, "target_fiscal_year", path)
    if target_year is None:
        label = v.text(item, "target_year_label", path)
        target_year = fiscal_year_from_label(label) if label else None
        if target_year is None:
            v.error(
                (*path, "target_year_label"),
                _("目標年度を読み取れません（例: R7）。target_fiscal_year に西暦でも入力できます"),
            )
    measurement = item.get("measurement", Indicator.Measurement.STATISTIC)
    if measurement not in Indicator.Measurement.values:
        v.error(
            (*path, "measurement"),
            _(
                "survey（市民意識調査）、statistic（統計・業務データ）または committees（附属機関の公募実績）を指定してください"
            ),
        )
    places = v.integer(item, "decimal_places", path)
    if places is None:
        places = max(
            (max(0, -x.as_tuple().exponent) for x in (baseline, target) if x is not None),
            default=0,
        )
    elif places > MAX_DECIMAL_PLACES:
        v.error(
            (*path, "decimal_places"),
            _("%(places)d以下で入力してください") % {"places": MAX_DECIMAL_PLACES},
        )
    baseline_year = v.integer(item, "baseline_fiscal_year", path)
    return {
        "name": name,
        "unit": v.text(item, "unit", path, required=True, max_length=field_max_length(Indicator, "unit")),
        "baseline_value": baseline,
        "baseline_year_label": baseline_label,
        "baseline_fiscal_year": baseline_year if baseline_year is not None else fiscal_year_from_label(baseline_label),
        "target_value": target,
        "target_text": target_text,
        "target_fiscal_year": target_year,
        "measurement": measurement,
        "measurement_note": v.text(
            item,
            "measurement_note",
            path,
            max_length=field_max_length(Indicator, "measurement_note"),
        ),
        "decimal_places": places,
        "order": order,
    }
