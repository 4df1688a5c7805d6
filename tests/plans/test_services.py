import copy
from decimal import Decimal

import pytest
import yaml

from consultations.models import Consultation
from core.models import AuditEvent
from plans.loader import PlanFileError, plan_document_parse
from plans.management.commands.plan_export import _Dumper
from plans.models import Indicator, Plan, Policy, PolicyTheme, UnitPolicy, Vision
from plans.services.plan_export import plan_export
from plans.services.plan_import import plan_import

from .factories import PolicyFactory

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    """Return every plan row, to show a failed import changed nothing."""
    return {
        model.__name__: sorted(map(repr, model.objects.values()))
        for model in (Plan, Vision, Policy, PolicyTheme, UnitPolicy, Indicator)
    }


def test_shipped_file_imports_section_vi_in_full(kawaguchi_plan):
    policies = list(Policy.objects.filter(vision__plan=kawaguchi_plan).order_by("number"))
    assert [(p.code, p.title) for p in policies] == [
        ("VI-1", "市民が元気に活動するための環境づくり"),
        ("VI-2", "市民と行政の相互協力"),
        ("VI-3", "行政経営の基盤強化"),
    ]
    assert kawaguchi_plan.visions.get().title == "市民・行政が協働する“自立的で推進力のあるまち”"
    assert [p.indicators.count() for p in policies] == [3, 2, 4]
    assert [p.themes.count() for p in policies] == [2, 2, 4]
    assert [[len(u.initiatives) for u in p.unit_policies.all()] for p in policies] == [
        [1, 4],
        [3, 2],
        [3, 4, 2, 3],
    ]
    assert policies[2].related_plans[0] == "第四次川口市行政改革大綱（後期推進計画）"
    assert policies[0].themes.get(number=1).keywords[4] == "町会相談員制度の実施"


def test_shipped_indicators_carry_baselines_and_targets(kawaguchi_plan):
    survey = Indicator.objects.get(policy__code="VI-1", name="この施策の推進が図られていると感じる人の割合")
    assert (
        survey.baseline_value,
        survey.baseline_year_label,
        survey.baseline_fiscal_year,
    ) == (Decimal("33.9"), "R2", 2020)
    assert (survey.target_value, survey.target_text, survey.target_fiscal_year) == (
        None,
        "現状値を上回る",
        2025,
    )
    assert survey.measurement == Indicator.Measurement.SURVEY

    membership = Indicator.objects.get(name="町会・自治会加入率")
    assert (membership.baseline_display, membership.target_display) == ("58.0", "60.0")
    assert membership.baseline_fiscal_year == 2019

    groups = Indicator.objects.get(name="NPO法人・ボランティア団体数")
    assert (groups.baseline_display, groups.target_display, groups.unit) == (
        "375",
        "405",
        "団体",
    )

    ratio = Indicator.objects.get(name="市の附属機関等の公募委員の応募倍率")
    assert (ratio.baseline_display, ratio.baseline_year_label) == (
        "2.4",
        "H27～R1の平均値",
    )
    assert ratio.target_text == "今後5年の平均値が現状値を上回る"

    targets = dict(Indicator.objects.filter(policy__code="VI-3").values_list("name", "target_text"))
    assert targets["経常収支比率"] == "90%台前半"
    assert targets["市税収納率（現年度分・滞納繰越分）"] == "県内の上位"
    assert Indicator.objects.get(name="国保税収納率（現年度分）").baseline_display == "88.60"
    assert Indicator.objects.filter(measurement="survey").count() == 3


def test_import_writes_an_audit_row(kawaguchi_plan):
    event = AuditEvent.objects.get(action="plan.import")
    assert event.target_id == str(kawaguchi_plan.pk)
    assert event.after["created"]["indicator"] == 9


def test_reimport_updates_in_place(kawaguchi_plan, shipped_document):
    ids_before = sorted(Indicator.objects.values_list("pk", flat=True))
    data = copy.deepcopy(shipped_document.data)
    data["policies"][0]["indicators"][1]["target_value"] = Decimal("61.5")
    del data["policies"][2]["indicators"][3]

    result = plan_import(data=data, source_name="edited.yaml")

    assert result.updated == {"indicator": 1}
    assert result.deleted == {"indicator": 1}
    assert Plan.objects.count() == 1 and Policy.objects.count() == 3
    assert Indicator.objects.get(name="町会・自治会加入率").target_value == Decimal("61.5")
    assert sorted(Indicator.objects.values_list("pk", flat=True)) == ids_before[:-1]


def test_reimporting_the_same_file_changes_nothing(kawaguchi_plan, shipped_document):
    before = _snapshot()
    result = plan_import(data=shipped_document.data, source_name="again.yaml")
    assert (result.created, result.updated, result.deleted) == ({}, {}, {})
    assert _snapshot() == before


def test_bad_file_leaves_database_unchanged(kawaguchi_plan, shipped_document):
    before = _snapshot()
    data = copy.deepcopy(shipped_document.data)
    data["policies"][0]["title"] = "変更されたタイトル"
    data["policies"][2]["indicators"][1]["baseline_value"] = "九十五"

    with pytest.raises(PlanFileError) as excinfo:
        plan_import(data=data, source_name="kawaguchi.yaml", lines=shipped_document.lines)

    line = shipped_document.lines[("policies", 2, "indicators", 1, "baseline_value")]
    assert excinfo.value.errors == [
        f"kawaguchi.yaml:{line}: policies[2].indicators[1].baseline_value: 数値で入力してください"
    ]
    assert _snapshot() == before


def test_failure_after_writes_rolls_everything_back(kawaguchi_plan, shipped_document):
    consultation = Consultation.objects.create(kind="public_comment", status="open", title="行政改革大綱（案）")
    consultation.policies.add(Policy.objects.get(code="VI-3"))
    before = _snapshot()
    data = copy.deepcopy(shipped_document.data)
    data["policies"][0]["title"] = "先に書き込まれる変更"
    del data["policies"][2]

    with pytest.raises(
        PlanFileError,
        match="施策 VI-3 はファイルにありませんが、意見募集と関連付けられているため削除できません",
    ):
        plan_import(data=data, source_name="kawaguchi.yaml")

    assert _snapshot() == before


def test_policy_code_of_another_plan_is_refused(shipped_document):
    PolicyFactory(code="VI-2")
    with pytest.raises(PlanFileError, match="施策コード VI-2 は別の総合計画で使われています"):
        plan_import(data=shipped_document.data, source_name="kawaguchi.yaml")
    assert not Plan.objects.filter(municipality="川口市").exists()


def test_export_then_import_round_trips(kawaguchi_plan):
    exported = plan_export(plan=kawaguchi_plan)
    text = yaml.dump(exported, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    assert "baseline_value: 88.60\n" in text
    Plan.objects.all().delete()

    document = plan_document_parse(text, source_name="export.yaml")
    plan = plan_import(data=document.data, source_name="export.yaml", lines=document.lines).plan

    assert plan_export(plan=plan) == exported
    assert Indicator.objects.get(name="国保税収納率（現年度分）").baseline_display == "88.60"
