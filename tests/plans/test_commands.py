import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from plans.models import Indicator, Plan

from .conftest import SHIPPED_PLAN

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_plan_import_reports_what_it_created():
    out = StringIO()
    call_command("plan_import", str(SHIPPED_PLAN), stdout=out)
    assert "「第5次川口市総合計画 後期基本計画」を取り込みました。" in out.getvalue()
    assert "indicator 9" in out.getvalue()
    assert Indicator.objects.count() == 9


def test_plan_import_of_bad_file_raises_command_error_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        SHIPPED_PLAN.read_text(encoding="utf-8").replace("target_value: 405", "target_value: 四百五"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as excinfo:
        call_command("plan_import", str(bad))
    assert "policies[0].indicators[2].target_value: 数値で入力してください" in str(excinfo.value)
    assert not Plan.objects.exists()


def test_bad_file_exits_non_zero_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "plan:\n  name: 川口\nvisions: []\npolicies:\n  - code: X\n    colour: red\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "manage.py", "plan_import", str(bad), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "bad.yaml:6: policies[0].colour: 不明な項目です" in proc.stderr
    assert "bad.yaml:1: plan.municipality: 必須項目です" in proc.stderr


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_plan_export_writes_a_file_plan_import_reads(tmp_path, fmt):
    call_command("plan_import", str(SHIPPED_PLAN), stdout=StringIO())
    target = tmp_path / f"plan.{fmt}"
    call_command("plan_export", "--format", fmt, "--output", str(target), stderr=StringIO())
    text = target.read_text(encoding="utf-8")
    data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    assert [p["code"] for p in data["policies"]] == ["VI-1", "VI-2", "VI-3"]

    Plan.objects.all().delete()
    call_command("plan_import", str(target), stdout=StringIO())
    assert Indicator.objects.get(name="国保税収納率（現年度分）").baseline_display == "88.60"


def test_plan_export_without_a_plan_fails_cleanly():
    with pytest.raises(CommandError, match="書き出す総合計画がありません"):
        call_command("plan_export")
