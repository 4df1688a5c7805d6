import copy
import json
from decimal import Decimal

import pytest

from plans.loader import PlanFileError, plan_document_parse
from plans.schema.document import validate_plan
from plans.schema.fiscal_years import fiscal_year_from_label

from .conftest import SHIPPED_PLAN

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("label", "year"),
    [
        ("R2", 2020),
        ("R1", 2019),
        ("R元", 2019),
        ("H27", 2015),
        ("H27～R1の平均値", 2019),
        ("令和7年度", 2025),
        ("S63", 1988),
        ("新規", None),
        ("", None),
    ],
)
def test_fiscal_year_from_label(label, year):
    assert fiscal_year_from_label(label) == year


def _errors(text: str, *, fmt: str = "yaml", name: str = "bad.yaml") -> list[str]:
    with pytest.raises(PlanFileError) as excinfo:
        document = plan_document_parse(text, source_name=name, fmt=fmt)
        validate_plan(document.data, source_name=name, lines=document.lines)
    return excinfo.value.errors


def _shipped_text_replacing(old: str, new: str) -> str:
    text = SHIPPED_PLAN.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_shipped_file_is_valid(shipped_document):
    cleaned = validate_plan(shipped_document.data, source_name="x", lines=shipped_document.lines)
    assert [p["code"] for p in cleaned["policies"]] == ["VI-1", "VI-2", "VI-3"]


def test_non_numeric_baseline_cites_line_and_field():
    text = _shipped_text_replacing("baseline_value: 18.2", "baseline_value: 十八・二")
    errors = _errors(text, name="kawaguchi.yaml")
    line = _line_of(text, "baseline_value: 十八・二")
    assert errors == [f"kawaguchi.yaml:{line}: policies[1].indicators[0].baseline_value: 数値で入力してください"]


def test_every_problem_is_reported_at_once():
    text = _shipped_text_replacing("        unit: 団体\n", "        units: 団体\n")
    text = text.replace(
        "measurement: survey\n        measurement_note: 市民意識調査の回答者のうち、この施策の推進が図られていると感じる人の割合\n      - name: 経常収支比率",
        "measurement: poll\n        measurement_note: x\n      - name: 経常収支比率",
    )
    errors = _errors(text)
    assert any(".indicators[2].units: 不明な項目です" in e for e in errors)
    assert any(".indicators[2].unit: 必須項目です" in e for e in errors)
    assert any("policies[2].indicators[0].measurement: survey（市民意識調査）" in e for e in errors)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("code: VI-2\n", "code: VI-1\n", "policies[1].code: 「VI-1」が重複しています"),
        (
            "    vision: VI\n    number: 3",
            "    vision: VII\n    number: 3",
            "policies[2].vision: 「VII」は visions にありません",
        ),
        (
            "baseline_value: 97.19",
            "baseline_value: 97.199",
            "baseline_value: 小数点以下は2桁までで入力してください",
        ),
        (
            "        target_text: 中核市の平均\n",
            "",
            "indicators[3]: target_value（数値）か target_text（文言）のどちらかを入力してください",
        ),
        (
            "title: 市民と行政の相互協力\n",
            "title: ''\n",
            "policies[1].title: 必須項目です",
        ),
        (
            "      - number: 4\n",
            "      - number: 3\n",
            "themes[3].number: 「3」が重複しています",
        ),
        (
            "        columns: [名称, 内容]\n",
            "        columns: [名称]\n",
            "reference_tables[0].rows[0]: columns と同じ数（1）",
        ),
    ],
)
def test_invalid_values_are_reported(old, new, expected):
    errors = _errors(_shipped_text_replacing(old, new))
    assert any(expected in error for error in errors), errors


def test_yaml_syntax_error_cites_line():
    assert _errors("plan:\n  name: [unclosed\n") == [
        "bad.yaml:3: YAML の書式が正しくありません（expected ',' or ']', but got '<stream end>'）"
    ]


def test_duplicate_key_is_an_error():
    errors = _errors("plan:\n  name: a\n  name: b\n")
    assert errors[0] == "bad.yaml:3: plan: 項目「name」が重複しています"


def test_json_is_accepted_with_line_numbers(shipped_document):
    data = copy.deepcopy(shipped_document.data)
    data["policies"][0]["indicators"][1]["baseline_value"] = "58%"
    text = json.dumps(data, ensure_ascii=False, indent=2, default=float)
    errors = _errors(text, fmt="json", name="plan.json")
    line = _line_of(text, '"baseline_value": "58%"')
    assert errors == [f"plan.json:{line}: policies[0].indicators[1].baseline_value: 数値で入力してください"]


def test_json_syntax_error_cites_line():
    assert _errors('{"plan": {}\n,,}', fmt="json", name="p.json")[0].startswith(
        "p.json:2: JSON の書式が正しくありません"
    )


def test_decimals_keep_their_published_precision(shipped_document):
    cleaned = validate_plan(shipped_document.data, source_name="x")
    vi3 = cleaned["policies"][2]["indicators"]
    assert vi3[3]["baseline_value"] == Decimal("88.60")
    assert vi3[3]["decimal_places"] == 2
    assert cleaned["policies"][0]["indicators"][2]["decimal_places"] == 0
