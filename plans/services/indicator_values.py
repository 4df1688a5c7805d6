"""Measured values of the statistic 目標指標 (町会・自治会加入率, 経常収支比率…),
entered by staff one at a time or from a CSV file.

Survey indicators are computed from 市民意識調査 answers
(results.services.indicators) and cannot be typed in; 応募倍率 comes from the
committees app. A value is one per indicator and 年度: entering a year again
replaces it, and the audit row keeps what it was before.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.csv_files import FILE_LINE, CsvImportFailed, CsvRowError, csv_records_read, csv_text_decode
from core.services import audit_record
from core.text import validate_user_text
from plans.models import Indicator, IndicatorComparison, IndicatorValue, Plan
from plans.schema.fiscal_years import fiscal_year_from_label

SOURCE_DETAIL_MAX_CHARS = 200
NOTE_MAX_CHARS = 300
# 年度 a city can still report on: the plan's own figures start in H27.
FIRST_FISCAL_YEAR = 2000
MAX_IMPORT_ROWS = 2000
STAFF_SOURCES = (
    IndicatorValue.Source.STATISTICS,
    IndicatorValue.Source.OPERATIONS,
    IndicatorValue.Source.OTHER,
)
CSV_COLUMNS = ("施策コード", "指標名", "年度", "値", "出典の種類", "出典", "備考")
CSV_REQUIRED = ("施策コード", "指標名", "年度", "値", "出典の種類")


def fiscal_year_parse(text: str) -> int:
    """Read a 年度 as staff write it: 2024, 2024年度, R6, 令和6年度, 令和元年度."""
    value = (text or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    value = value.removesuffix("年度").removesuffix("年")
    year = int(value) if value.isdigit() and len(value) == 4 else fiscal_year_from_label(value)
    if year is None:
        raise ValidationError(
            _("年度は 2024 または R6・令和6年度 のように入力してください。"), code="fiscal_year_format"
        )
    last = timezone.localdate().year
    if not FIRST_FISCAL_YEAR <= year <= last:
        raise ValidationError(
            _("年度は%(first)s年度から%(last)s年度までで入力してください（入力：%(year)s年度）。")
            % {"first": FIRST_FISCAL_YEAR, "last": last, "year": year},
            code="fiscal_year_range",
        )
    return year


def indicator_value_parse(text: str, *, indicator: Indicator) -> Decimal:
    """Read a measured value (全角 digits, 1,234, 95.3%) and check it fits the indicator."""
    cleaned = (text or "").strip().translate(str.maketrans("０１２３４５６７８９．，－", "0123456789.,-"))
    cleaned = cleaned.replace(",", "").removesuffix("%").removesuffix(indicator.unit).strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(
            _("値は数字で入力してください（例：58.3）。単位（%(unit)s）は付けなくてかまいません。")
            % {"unit": indicator.unit},
            code="value_format",
        ) from None
    if not value.is_finite() or value.as_tuple().exponent < -2:
        raise ValidationError(_("値は小数点以下2桁までで入力してください。"), code="value_places")
    if abs(value) >= Decimal("1e10"):
        raise ValidationError(_("値が大きすぎます。単位を確かめてください。"), code="value_size")
    if indicator.unit == "%" and not Decimal(0) <= value <= Decimal(100):
        raise ValidationError(_("割合（%）は0から100までの値で入力してください。"), code="value_percent")
    if value < 0 and indicator.unit != "%":
        raise ValidationError(_("この指標に負の値は入りません。"), code="value_negative")
    return value


def _check_statistic(indicator: Indicator) -> None:
    if indicator.measurement != Indicator.Measurement.STATISTIC:
        raise ValidationError(
            _("「%(name)s」は市民意識調査の回答から算出する指標のため、値を入力できません。")
            % {"name": indicator.name},
            code="not_statistic",
        )


def _value_snapshot(value: IndicatorValue | None) -> dict:
    if value is None:
        return {}
    return {
        "value": None if value.value is None else str(value.value),
        "source": value.source,
        "source_detail": value.source_detail,
        "note": value.note,
    }


@transaction.atomic
def indicator_value_record(
    *,
    indicator: Indicator,
    fiscal_year: int,
    value: Decimal,
    source: str,
    source_detail: str = "",
    note: str = "",
    actor=None,
) -> IndicatorValue:
    """Store (or replace) the measured value of a statistic indicator for a 年度."""
    _check_statistic(indicator)
    if source not in STAFF_SOURCES:
        raise ValidationError(_("出典の種類を選んでください。"), code="source")
    source_detail = validate_user_text(
        source_detail, max_chars=SOURCE_DETAIL_MAX_CHARS, field_label=_("出典"), required=False
    )
    note = validate_user_text(note, max_chars=NOTE_MAX_CHARS, field_label=_("備考"), required=False)
    before = IndicatorValue.objects.select_for_update().filter(indicator=indicator, fiscal_year=fiscal_year).first()
    snapshot = _value_snapshot(before)
    stored, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        fiscal_year=fiscal_year,
        defaults={
            "value": value,
            "numerator": None,
            "n": 0,
            "margin_of_error": None,
            "method": "",
            "include_dont_know": False,
            "source": source,
            "source_detail": source_detail,
            "note": note,
            "source_consultation": None,
            "entered_by": actor if getattr(actor, "is_authenticated", False) else None,
            "computed_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="plan.indicator_value.update" if before else "plan.indicator_value.create",
        target=indicator,
        summary=_("「%(name)s」%(year)s年度の値を %(value)s に")
        % {"name": indicator.name, "year": fiscal_year, "value": value},
        before=snapshot,
        after={"fiscal_year": fiscal_year, **_value_snapshot(stored)},
    )
    return stored


@dataclass(frozen=True)
class IndicatorValueRow:
    line: int
    indicator: Indicator
    fiscal_year: int
    value: Decimal
    source: str
    source_detail: str
    note: str


_SOURCE_BY_LABEL = {str(label): code for code, label in IndicatorValue.Source.choices if code in STAFF_SOURCES}


def _header(record: list[str]) -> dict[str, int]:
    index = {}
    for position, name in enumerate(record):
        name = name.strip().lstrip("\ufeff")
        if name in CSV_COLUMNS and name not in index:
            index[name] = position
    missing = [name for name in CSV_REQUIRED if name not in index]
    if missing:
        raise CsvImportFailed(
            [CsvRowError(1, name, _("見出し行に「%(name)s」列がありません。") % {"name": name}) for name in missing]
        )
    return index


def _row(line: int, cells: dict[str, str], indicators: dict) -> IndicatorValueRow | list[CsvRowError]:
    errors: list[CsvRowError] = []

    def check(column: str, parse):
        try:
            return parse(cells.get(column, ""))
        except ValidationError as exc:
            errors.extend(CsvRowError(line, column, message) for message in exc.messages)
            return None

    indicator = indicators.get((cells.get("施策コード", "").strip(), cells.get("指標名", "").strip()))
    if indicator is None:
        errors.append(CsvRowError(line, "指標名", _("この施策コードと指標名の目標指標が計画にありません。")))
    elif indicator.measurement != Indicator.Measurement.STATISTIC:
        errors.append(CsvRowError(line, "指標名", _("市民意識調査の回答から算出する指標のため、値を取り込めません。")))
    fiscal_year = check("年度", fiscal_year_parse)
    value = check("値", lambda text: indicator_value_parse(text, indicator=indicator)) if indicator else None
    source = _SOURCE_BY_LABEL.get(cells.get("出典の種類", "").strip())
    if source is None:
        errors.append(
            CsvRowError(
                line,
                "出典の種類",
                _("出典の種類は「%(labels)s」のいずれかです。") % {"labels": "・".join(_SOURCE_BY_LABEL)},
            )
        )
    source_detail = check(
        "出典", lambda t: validate_user_text(t, max_chars=SOURCE_DETAIL_MAX_CHARS, field_label="出典", required=False)
    )
    note = check("備考", lambda t: validate_user_text(t, max_chars=NOTE_MAX_CHARS, field_label="備考", required=False))
    if errors:
        return errors
    return IndicatorValueRow(line, indicator, fiscal_year, value, source, source_detail, note)


def indicator_values_check(*, plan: Plan, raw: bytes) -> list[IndicatorValueRow]:
    """Return every row of a CSV file checked, or raise CsvImportFailed listing every problem."""
    records = csv_records_read(csv_text_decode(raw), max_rows=MAX_IMPORT_ROWS)
    if len(records) < 2 or records[0][0] != 1:
        raise CsvImportFailed(
            [
                CsvRowError(
                    FILE_LINE,
                    "",
                    _("1行目を見出し行（%(columns)s）にし、2行目から値を入れてください。")
                    % {"columns": ",".join(CSV_COLUMNS)},
                )
            ]
        )
    if len(records) - 1 > MAX_IMPORT_ROWS:
        raise CsvImportFailed(
            [CsvRowError(FILE_LINE, "", _("一度に取り込めるのは%(max)s行までです。") % {"max": MAX_IMPORT_ROWS})]
        )
    index = _header(records[0][1])
    indicators = {
        (indicator.policy.code, indicator.name): indicator
        for indicator in Indicator.objects.filter(policy__vision__plan=plan).select_related("policy")
    }
    rows, errors, seen = [], [], {}
    for line, record in records[1:]:
        cells = {name: (record[i] if i < len(record) else "") for name, i in index.items()}
        checked = _row(line, cells, indicators)
        if isinstance(checked, list):
            errors += checked
            continue
        key = (checked.indicator.pk, checked.fiscal_year)
        if key in seen:
            errors.append(
                CsvRowError(
                    line,
                    "年度",
                    _("%(first)s行目と同じ指標・年度です。1つの年度に値は1つです。") % {"first": seen[key]},
                )
            )
            continue
        seen[key] = line
        rows.append(checked)
    if errors:
        raise CsvImportFailed(errors, row_count=len(records) - 1)
    return rows


@transaction.atomic
def indicator_values_import(*, plan: Plan, raw: bytes, actor=None) -> list[IndicatorValue]:
    """Store every row of a CSV file of statistic values, or none (CsvImportFailed)."""
    rows = indicator_values_check(plan=plan, raw=raw)
    return [
        indicator_value_record(
            indicator=row.indicator,
            fiscal_year=row.fiscal_year,
            value=row.value,
            source=row.source,
            source_detail=row.source_detail,
            note=row.note,
            actor=actor,
        )
        for row in rows
    ]


@transaction.atomic
def indicator_comparison_record(
    *,
    indicator: Indicator,
    fiscal_year: int,
    kind: str,
    source_detail: str,
    value: Decimal | None = None,
    rank: int | None = None,
    group_size: int | None = None,
    actor=None,
) -> IndicatorComparison:
    """Store (or replace) the reference figure a worded target compares with:
    an average of other cities (中核市の平均) or the city's rank (県内の上位)."""
    source_detail = validate_user_text(source_detail, max_chars=SOURCE_DETAIL_MAX_CHARS, field_label=_("出典"))
    if kind == IndicatorComparison.Kind.AVERAGE:
        if value is None:
            raise ValidationError({"value": _("比較する団体の平均値を入力してください。")})
        rank = group_size = None
    elif kind == IndicatorComparison.Kind.RANK:
        if not rank or not group_size:
            raise ValidationError(_("順位と比較する団体の数を両方入力してください。"))
        if not 1 <= rank <= group_size:
            raise ValidationError(
                _("順位（%(rank)s位）が団体の数（%(size)s）を超えています。") % {"rank": rank, "size": group_size}
            )
        value = None
    else:
        raise ValidationError(_("比較の種類を選んでください。"))
    before = IndicatorComparison.objects.filter(indicator=indicator, fiscal_year=fiscal_year, kind=kind).first()
    stored, _created = IndicatorComparison.objects.update_or_create(
        indicator=indicator,
        fiscal_year=fiscal_year,
        kind=kind,
        defaults={
            "value": value,
            "rank": rank,
            "group_size": group_size,
            "source_detail": source_detail,
            "entered_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )

    def snapshot(row):
        if row is None:
            return {}
        return {"value": None if row.value is None else str(row.value), "rank": row.rank, "group_size": row.group_size}

    audit_record(
        actor=actor,
        action="plan.indicator_comparison.update" if before else "plan.indicator_comparison.create",
        target=indicator,
        summary=_("「%(name)s」%(year)s年度の比較値") % {"name": indicator.name, "year": fiscal_year},
        before=snapshot(before),
        after={"fiscal_year": fiscal_year, "kind": kind, "source_detail": source_detail, **snapshot(stored)},
    )
    return stored
