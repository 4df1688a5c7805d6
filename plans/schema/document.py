"""validate_plan: the plan file's top level, its visions, policies (施策 with
their themes and 単位施策) and reference tables."""

from typing import Any

from django.utils.translation import gettext as _

from plans.loader import Path, PlanFileError
from plans.models import Plan, Policy, UnitPolicy, Vision
from plans.schema.indicators import indicator_clean
from plans.schema.validator import Validator, field_max_length


def validate_plan(data: Any, *, source_name: str, lines: dict[Path, int] | None = None) -> dict:
    """Return the cleaned plan, or raise PlanFileError listing every problem."""
    v = Validator(source_name, lines or {})
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
            max_length=field_max_length(Plan, "name"),
        ),
        "municipality": v.text(
            plan_in,
            "municipality",
            ("plan",),
            required=True,
            max_length=field_max_length(Plan, "municipality"),
        ),
        "period_label": v.text(
            plan_in,
            "period_label",
            ("plan",),
            max_length=field_max_length(Plan, "period_label"),
        ),
        "is_sample": plan_in.get("is_sample") is True,
    }
    visions, codes = [], set()
    for i, item in enumerate(v.items(root, "visions", (), required=True)):
        path = ("visions", i)
        item = v.mapping(item, path, ("code", "title", "is_sample")) or {}
        code = v.text(item, "code", path, required=True, max_length=field_max_length(Vision, "code"))
        v.unique(codes, code, (*path, "code"))
        title = v.text(item, "title", path, required=True, max_length=field_max_length(Vision, "title"))
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


def _policy(v: Validator, item: Any, path: Path, vision_codes: set, seen: set, *, order: int) -> dict:
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
    code = v.text(item, "code", path, required=True, max_length=field_max_length(Policy, "code"))
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
            max_length=field_max_length(UnitPolicy, "title"),
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
        indicator_clean(v, ind, (*path, "indicators", i), names, order=i)
        for i, ind in enumerate(v.items(item, "indicators", path))
    ]
    return {
        "code": code,
        "vision": vision,
        "number": v.integer(item, "number", path, required=True),
        "title": v.text(item, "title", path, required=True, max_length=field_max_length(Policy, "title")),
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


def _table(v: Validator, item: Any, path: Path) -> dict:
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
