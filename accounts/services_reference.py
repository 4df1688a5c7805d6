"""Load a municipality's reference data (地区, 部・課) from YAML."""

from pathlib import Path

import yaml
from django.db import transaction

from accounts.models import Department
from core.models import District
from core.services import audit_record


@transaction.atomic
def municipality_load(*, path: Path, actor=None) -> dict[str, int]:
    """Create or update districts and departments by code."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for order, item in enumerate(data.get("districts", []), start=1):
        District.objects.update_or_create(code=item["code"], defaults={"name": item["name"], "order": order})
    sections = 0
    for order, item in enumerate(data.get("departments", []), start=1):
        parent, _ = Department.objects.update_or_create(
            code=item["code"],
            defaults={"name": item["name"], "parent": None, "order": order * 100},
        )
        for sub_order, section in enumerate(item.get("sections", []), start=1):
            Department.objects.update_or_create(
                code=section["code"],
                defaults={
                    "name": section["name"],
                    "parent": parent,
                    "order": order * 100 + sub_order,
                },
            )
            sections += 1
    counts = {"districts": len(data.get("districts", [])), "departments": sections}
    audit_record(
        actor=actor,
        action="municipality.load",
        target_type="core.municipality",
        target_id=str(data.get("municipality", {}).get("code", "")),
        after=counts,
    )
    return counts
