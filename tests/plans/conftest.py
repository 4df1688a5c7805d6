from pathlib import Path

import pytest

from plans.loader import plan_document_read
from plans.services.plan_import import plan_import

SHIPPED_PLAN = Path(__file__).resolve().parents[2] / "plans" / "data" / "kawaguchi_section6.yaml"


@pytest.fixture
def shipped_document():
    return plan_document_read(SHIPPED_PLAN)


@pytest.fixture
def kawaguchi_plan(db, shipped_document):
    result = plan_import(
        data=shipped_document.data,
        source_name=SHIPPED_PLAN.name,
        lines=shipped_document.lines,
    )
    return result.plan
