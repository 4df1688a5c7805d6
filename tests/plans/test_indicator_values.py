"""Statistic 目標指標 values entered by staff: one at a time or from CSV, audited,
and shown on the public 施策 page with their source."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import strip_tags

from core.csv_files import CsvImportFailed
from core.models import AuditEvent
from plans.models import Indicator, IndicatorValue
from plans.services.indicator_values import (
    fiscal_year_parse,
    indicator_value_parse,
    indicator_value_record,
    indicator_values_import,
)
from tests.accounts.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

HEADER = "施策コード,指標名,年度,値,出典の種類,出典,備考\n"


def _indicator(plan, name):
    return Indicator.objects.get(policy__vision__plan=plan, name=name)


@pytest.mark.parametrize(
    ("typed", "year"),
    [("2024", 2024), ("2024年度", 2024), ("R6", 2024), ("令和6年度", 2024), ("令和元年度", 2019), ("２０２３", 2023)],
)
def test_a_fiscal_year_is_read_as_staff_write_it(typed, year):
    assert fiscal_year_parse(typed) == year


@pytest.mark.parametrize(("typed", "message"), [("去年", "2024 または R6"), ("1999", "2000年度から")])
def test_an_unreadable_or_impossible_fiscal_year_is_refused_in_words(typed, message):
    with pytest.raises(ValidationError, match=message):
        fiscal_year_parse(typed)


def test_a_fiscal_year_after_this_year_is_refused():
    with pytest.raises(ValidationError, match="までで入力してください"):
        fiscal_year_parse(str(timezone.localdate().year + 1))


def test_values_are_read_with_full_width_digits_commas_and_units(kawaguchi_plan):
    share = _indicator(kawaguchi_plan, "町会・自治会加入率")
    count = _indicator(kawaguchi_plan, "NPO法人・ボランティア団体数")
    assert indicator_value_parse("５７．８", indicator=share) == Decimal("57.8")
    assert indicator_value_parse("57.8%", indicator=share) == Decimal("57.8")
    assert indicator_value_parse("1,234団体", indicator=count) == Decimal("1234")
    for typed, message in (("abc", "数字で"), ("101", "0から100"), ("57.123", "2桁まで"), ("-3", "負の値")):
        with pytest.raises(ValidationError, match=message):
            indicator_value_parse(typed, indicator=count if typed == "-3" else share)


def test_a_statistic_value_is_stored_with_its_source_and_audited_and_a_second_entry_replaces_it(kawaguchi_plan):
    staff = StaffUserFactory()
    indicator = _indicator(kawaguchi_plan, "町会・自治会加入率")
    indicator_value_record(
        indicator=indicator,
        fiscal_year=2023,
        value=Decimal("57.2"),
        source=IndicatorValue.Source.OPERATIONS,
        source_detail="協働推進課 町会加入世帯数調べ",
        actor=staff,
    )
    indicator_value_record(
        indicator=indicator, fiscal_year=2023, value=Decimal("57.4"), source="operations", note="修正", actor=staff
    )
    stored = IndicatorValue.objects.get(indicator=indicator, fiscal_year=2023)
    assert (stored.value, stored.note, stored.entered_by, stored.method) == (Decimal("57.4"), "修正", staff, "")
    assert stored.value_display == "57.4"  # The indicator's own precision (1 place), not the survey's.
    events = AuditEvent.objects.filter(action__startswith="plan.indicator_value").order_by("pk")
    assert [e.action for e in events] == ["plan.indicator_value.create", "plan.indicator_value.update"]
    assert events[1].before["value"] == "57.20"


def test_a_survey_indicator_cannot_be_typed_in(kawaguchi_plan):
    survey = Indicator.objects.filter(policy__vision__plan=kawaguchi_plan, measurement="survey").first()
    with pytest.raises(ValidationError, match="市民意識調査の回答から算出する指標"):
        indicator_value_record(indicator=survey, fiscal_year=2023, value=Decimal("40"), source="statistics")
    assert not IndicatorValue.objects.filter(indicator=survey).exists()


def test_a_csv_file_imports_every_row(kawaguchi_plan):
    raw = (
        HEADER
        + "VI-1,町会・自治会加入率,R4,57.9,業務データ,協働推進課,\n"
        + 'VI-1,NPO法人・ボランティア団体数,2023,"1,020",統計書,川口市統計書,\n'
    ).encode("cp932")
    stored = indicator_values_import(plan=kawaguchi_plan, raw=raw)
    assert {(v.indicator.name, v.fiscal_year, v.value) for v in stored} == {
        ("町会・自治会加入率", 2022, Decimal("57.9")),
        ("NPO法人・ボランティア団体数", 2023, Decimal("1020")),
    }


def test_a_csv_file_with_bad_rows_lists_each_problem_and_imports_nothing(kawaguchi_plan):
    raw = (
        HEADER
        + "VI-1,町会・自治会加入率,R4,57.9,業務データ,,\n"
        + "VI-1,存在しない指標,R4,1,統計書,,\n"
        + "VI-1,町会・自治会加入率,令和4年度,58,業務データ,,\n"
        + "VI-1,この施策の推進が図られていると感じる人の割合,R4,40,統計書,,\n"
        + "VI-1,NPO法人・ボランティア団体数,来年,abc,聞き取り,,\n"
    ).encode("utf-8-sig")
    with pytest.raises(CsvImportFailed) as failed:
        indicator_values_import(plan=kawaguchi_plan, raw=raw)
    found = {(e.line, e.column) for e in failed.value.errors}
    assert found == {(3, "指標名"), (4, "年度"), (5, "指標名"), (6, "年度"), (6, "値"), (6, "出典の種類")}
    assert "2行目と同じ指標・年度" in next(e.message for e in failed.value.errors if e.line == 4)
    assert not IndicatorValue.objects.exists()


def test_the_policy_page_shows_a_statistic_value_with_its_source_and_judges_it(client, kawaguchi_plan):
    indicator = _indicator(kawaguchi_plan, "町会・自治会加入率")
    for year, value in ((2022, "57.9"), (2023, "60.4")):
        indicator_value_record(
            indicator=indicator, fiscal_year=year, value=Decimal(value), source="operations", source_detail="協働推進課"
        )
    text = re.sub(r"\s+", "", strip_tags(client.get(f"/plan/policies/{indicator.policy.code}/").content.decode()))
    assert "60.4%（2023年度（令和5年度））" in text
    assert "出典：業務データ（協働推進課）" in text
    assert "達成（目標は60.0%以上）" in text
    assert "現状値との差+2.4ポイント" in text
    assert "回答者数n=0" not in text
