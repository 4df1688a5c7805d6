"""和暦 year labels as published in the plan (R2, 令和7, H27～R1の平均値) → 年度."""

import re

from core.wareki import ERAS

# 年度 = offset + era year; the era table is core.wareki's, the one that reads dates.
_ERA_OFFSETS = {key: start.year - 1 for name, abbr, start, _end in ERAS for key in (name, abbr)}
_ERA_RE = re.compile(r"(令和|平成|昭和|[RHS])\s*(元|\d{1,2})")


def fiscal_year_from_label(label: str) -> int | None:
    """Return the 年度 a label names (R2 → 2020); a period gives its last year."""
    matches = _ERA_RE.findall(label)
    if not matches:
        return None
    era, year = matches[-1]
    return _ERA_OFFSETS[era] + (1 if year == "元" else int(year))
