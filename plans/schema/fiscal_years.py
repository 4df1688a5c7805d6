"""和暦 year labels as published in the plan (R2, 令和7, H27～R1の平均値) → 年度."""

import re

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
