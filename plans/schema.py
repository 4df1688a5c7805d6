"""The plan file format, and a validator that cites file lines.

A plan file (YAML or JSON) has three top-level keys::

    plan:                      # 総合計画
      name: 第5次川口市総合計画 後期基本計画     (required)
      municipality: 川口市                       (required)
      period_label: 令和3年度～令和7年度
      is_sample: false         # true when any part is not the real plan
    visions:                   # めざす姿
      - code: VI               (required, unique)
        title: …               (required)
        is_sample: false
    policies:                  # 施策; list order is display order
      - code: VI-1             (required, unique across all plans)
        vision: VI             (required, a visions[].code)
        number: 1              (required, positive integer)
        title: …               (required)
        basic_policy: …        # 基本方針
        related_plans: [ … ]   # 関連する個別計画
        themes:                # numbered キーワード rows
          - number: 1          (required, unique within the 施策)
            keywords: [ … ]    (required, not empty)
            backgrounds: [ … ] # 主な背景事象
        indicators:            # 目標指標
          - name: …            (required, unique within the 施策)
            unit: "%"          (required)
            baseline_value: 33.9           # number or null
            baseline_year_label: R2        # as published, e.g. H27～R1の平均値
            baseline_fiscal_year: 2020     # optional; else read from the label
            target_value: 60.0             # number, or
            target_text: 現状値を上回る     # words (at least one of the two)
            target_year_label: R7          # or target_fiscal_year: 2025
            measurement: survey            # survey (市民意識調査) | statistic
            measurement_note: …
            decimal_places: 1              # optional; else as written
        unit_policies:         # 単位施策
          - title: …           (required, unique within the 施策)
            initiatives: [ … ] # 主な取り組み
        reference_tables:      # tables printed with the 施策
          - title: …  note: …  columns: [ … ]  rows: [[ … ], …]

Unknown keys are errors, so a misspelt key is not silently dropped.
"""

import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from plans.loader import Path, PlanFileError, path_label
from plans.models import Indicator, Plan, Policy, UnitPolicy, Vision

MAX_DECIMAL_PLACES = 2
MAX_ABS_VALUE = Decimal("1e10")
_ERA_OFFSETS = {
    "R": 2018,
    "令和": 2018,
    "H": 1988,
    "平成": 1988,
    "S": 1925,
    "昭和": 1925,
}
_ERA_RE = re.compile(r"(令和|平成|昭和|[RHS])\s*(元|\d{1,2})")


def fiscal_year_from_label(label: str) -> int | None:
    """Return the 年度 a label names (R2 → 2020); a period gives its last year."""
    matches = _ERA_RE.findall(label)
    if not matches:
        return None
    era, year = matches[-1]
    return _ERA_OFFSETS[era] + (1 if year == "元" else int(year))


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class _Validator:
    def __init__(self, source_name: str, lines: dict[Path, int]):
        self.source_name = source_name
        self.lines = lines
        self.errors: list[str] = []

    def error(self, path: Path, message: str) -> None:
        line = next(
            (self.lines[path[:n]] for n in range(len(path), -1, -1) if path[:n] in self.lines),
            None,
        )
        where = f"{self.source_name}:{line}" if line else self.source_name
        self.errors.append(f"{where}: {path_label(path)}: {message}")

    def mapping(self, value: Any, path: Path, allowed: tuple[str, ...]) -> dict | None:
        if not isinstance(value, dict):
            self.error(path, _("「項目名: 値」の形式で入力してください"))
            return None
        for key in value:
            if key not in allowed:
                self.error(
                    (*path, key),
                    _("不明な項目です（使える項目: %(allowed)s）") % {"allowed": ", ".join(allowed)},
                )
        return value

    def items(self, obj: dict, key: str, path: Path, *, required: bool = False) -> list:
        value = obj.get(key)
        if value is None:
            if required:
                self.error((*path, key), _("必須項目です"))
            return []
        if not isinstance(value, list):
            self.error((*path, key), _("リストで入力してください"))
            return []
        if required and not value:
            self.error((*path, key), _("1件以上入力してください"))
        return value

    def text(
        self,
        obj: dict,
        key: str,
        path: Path,
        *,
        required: bool = False,
        max_length: int | None = None,
    ) -> str:
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.error((*path, key), _("必須項目です"))
            return ""
        if not isinstance(value, str):
            self.error((*path, key), _("文字列で入力してください"))
            return ""
        value = value.strip()
        if max_length and len(value) > max_length:
            self.error(
                (*path, key),
                _("%(max)d 文字以内で入力してください") % {"max": max_length},
            )
        return value

    def texts(self, obj: dict, key: str, path: Path, *, required: bool = False) -> list[str]:
        result = []
        for i, item in enumerate(self.items(obj, key, path, required=required)):
            if isinstance(item, str) and item.strip():
                result.append(item.strip())
            else:
                self.error((*path, key, i), _("空でない文字列で入力してください"))
        return result

    def integer(self, obj: dict, key: str, path: Path, *, required: bool = False) -> int | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.error((*path, key), _("必須項目です"))
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.error((*path, key), _("0以上の整数で入力してください"))
            return None
        return value

    def number(self, obj: dict, key: str, path: Path) -> Decimal | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal) or not Decimal(value).is_finite():
            self.error((*path, key), _("数値で入力してください"))
            return None
        value = Decimal(value)
        if -value.as_tuple().exponent > MAX_DECIMAL_PLACES:
            self.error(
                (*path, key),
                _("小数点以下は%(places)d桁までで入力してください") % {"places": MAX_DECIMAL_PLACES},
            )
        elif abs(value) >= MAX_ABS_VALUE:
            self.error((*path, key), _("数値が大きすぎます"))
        return value

    def unique(self, seen: set, value: Any, path: Path) -> None:
        if value in seen:
            self.error(path, _("「%(value)s」が重複しています") % {"value": value})
        seen.add(value)


def validate_plan(data: Any, *, source_name: str, lines: dict[Path, int] | None = None) -> dict:
    """Return the cleaned plan, or raise PlanFileError listing every problem."""
    v = _Validator(source_name, lines or {})
    root = v.mapping(data, (), ("plan", "visions", "policies"))
    if root is None:
        raise PlanFileError(v.errors)
    plan_in = (
        v.mapping(
            root.get("plan"),
            ("plan",),
            ("name", "municipality", "period_label", "is_sample"),
        )
        or {}
    )
    plan = {
        "name": v.text(
            plan_in,
            "name",
            ("plan",),
            required=True,
            max_length=_max_length(Plan, "name"),
        ),
        "municipality": v.text(
            plan_in,
            "municipality",
            ("plan",),
            required=True,
            max_length=_max_length(Plan, "municipality"),
        ),
        "period_label": v.text(
            plan_in,
            "period_label",
            ("plan",),
            max_length=_max_length(Plan, "period_label"),
        ),
        "is_sample": plan_in.get("is_sample") is True,
    }
    visions, codes = [], set()
    for i, item in enumerate(v.items(root, "visions", (), required=True)):
        path = ("visions", i)
        item = v.mapping(item, path, ("code", "title", "is_sample")) or {}
        code = v.text(item, "code", path, required=True, max_length=_max_length(Vision, "code"))
        v.unique(codes, code, (*path, "code"))
        title = v.text(item, "title", path, required=True, max_length=_max_length(Vision, "title"))
        visions.append(
            {
                "code": code,
                "title": title,
                "is_sample": item.get("is_sample") is True,
                "order": i,
            }
        )
    policies, policy_codes = [], set()
    for i, item in enumerate(v.items(root, "policies", (), required=True)):
        policies.append(_policy(v, item, ("policies", i), codes, policy_codes, order=i))
    if v.errors:
        raise PlanFileError(v.errors)
    return {"plan": plan, "visions": visions, "policies": policies}


def _policy(v: _Validator, item: Any, path: Path, vision_codes: set, seen: set, *, order: int) -> dict:
    item = (
        v.mapping(
            item,
            path,
            (
                "code",
                "vision",
                "number",
                "title",
                "basic_policy",
                "related_plans",
                "themes",
                "indicators",
                "unit_policies",
                "reference_tables",
            ),
        )
        or {}
    )
    code = v.text(item, "code", path, required=True, max_length=_max_length(Policy, "code"))
    v.unique(seen, code, (*path, "code"))
    vision = v.text(item, "vision", path, required=True)
    if vision and vision not in vision_codes:
        v.error(
            (*path, "vision"),
            _("「%(code)s」は visions にありません") % {"code": vision},
        )
    themes, numbers = [], set()
    for i, theme in enumerate(v.items(item, "themes", path)):
        tpath = (*path, "themes", i)
        theme = v.mapping(theme, tpath, ("number", "keywords", "backgrounds")) or {}
        number = v.integer(theme, "number", tpath, required=True)
        v.unique(numbers, number, (*tpath, "number"))
        themes.append(
            {
                "number": number,
                "keywords": v.texts(theme, "keywords", tpath, required=True),
                "backgrounds": v.texts(theme, "backgrounds", tpath),
            }
        )
    units, titles = [], set()
    for i, unit in enumerate(v.items(item, "unit_policies", path)):
        upath = (*path, "unit_policies", i)
        unit = v.mapping(unit, upath, ("title", "initiatives")) or {}
        title = v.text(
            unit,
            "title",
            upath,
            required=True,
            max_length=_max_length(UnitPolicy, "title"),
        )
        v.unique(titles, title, (*upath, "title"))
        units.append(
            {
                "title": title,
                "initiatives": v.texts(unit, "initiatives", upath),
                "order": i,
            }
        )
    names: set = set()
    indicators = [
        _indicator(v, ind, (*path, "indicators", i), names, order=i)
        for i, ind in enumerate(v.items(item, "indicators", path))
    ]
    return {
        "code": code,
        "vision": vision,
        "number": v.integer(item, "number", path, required=True),
        "title": v.text(item, "title", path, required=True, max_length=_max_length(Policy, "title")),
        "basic_policy": v.text(item, "basic_policy", path),
        "related_plans": v.texts(item, "related_plans", path),
        "themes": themes,
        "unit_policies": units,
        "indicators": indicators,
        "reference_tables": [
            _table(v, table, (*path, "reference_tables", i))
            for i, table in enumerate(v.items(item, "reference_tables", path))
        ],
        "order": order,
    }


def _indicator(v: _Validator, item: Any, path: Path, seen: set, *, order: int) -> dict:
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
    name = v.text(item, "name", path, required=True, max_length=_max_length(Indicator, "name"))
    v.unique(seen, name, (*path, "name"))
    baseline, target = (
        v.number(item, "baseline_value", path),
        v.number(item, "target_value", path),
    )
    target_text = v.text(item, "target_text", path, max_length=_max_length(Indicator, "target_text"))
    if target is None and not target_text and "target_value" not in item:
        v.error(
            path,
            _("target_value（数値）か target_text（文言）のどちらかを入力してください"),
        )
    baseline_label = v.text(
        item,
        "baseline_year_label",
        path,
        max_length=_max_length(Indicator, "baseline_year_label"),
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
            _("survey（市民意識調査）または statistic（統計・業務データ）を指定してください"),
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
        "unit": v.text(item, "unit", path, required=True, max_length=_max_length(Indicator, "unit")),
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
            max_length=_max_length(Indicator, "measurement_note"),
        ),
        "decimal_places": places,
        "order": order,
    }


def _table(v: _Validator, item: Any, path: Path) -> dict:
    item = v.mapping(item, path, ("title", "note", "columns", "rows")) or {}
    columns = v.texts(item, "columns", path, required=True)
    rows = []
    for i, row in enumerate(v.items(item, "rows", path, required=True)):
        if not isinstance(row, list) or len(row) != len(columns):
            v.error(
                (*path, "rows", i),
                _("columns と同じ数（%(count)d）の値のリストにしてください") % {"count": len(columns)},
            )
            continue
        # Cells are shown as written; a bare number loses trailing zeros.
        rows.append([cell if isinstance(cell, str) else str(cell) for cell in row])
    return {
        "title": v.text(item, "title", path, required=True),
        "note": v.text(item, "note", path),
        "columns": columns,
        "rows": rows,
    }
