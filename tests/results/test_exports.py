"""CSV and XLSX downloads; formula injection is neutralised in both."""

import csv
import io
from http import HTTPStatus

import openpyxl
import pytest
from django.urls import reverse

from core.exports import safe_cell

from .conftest import INJECTION, SUBMITTER_NAME, TRICKY_RESPONSE, WITHHELD_SUMMARY

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=cmd", "'=cmd"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("歩道", "歩道"),
        ("", ""),
        (3, 3),
        (None, None),
        (-1, -1),
    ],
)
def test_safe_cell_prefixes_only_formula_like_text(value, expected):
    assert safe_cell(value) == expected


def _csv(client, consultation):
    response = client.get(reverse("results:csv", args=[consultation.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return response.content


def test_csv_has_bom_crlf_quoting_and_fiscal_year(client, published_case):
    consultation, groups = published_case
    raw = _csv(client, consultation)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.endswith("\r\n")
    # Embedded comma and newline are quoted (RFC 4180); the newline inside the
    # quoted field is kept as is.
    assert '"' + TRICKY_RESPONSE + '"' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    assert header[:7] == [
        "団体コード",
        "案件番号",
        "案件名",
        "担当課",
        "年度",
        "決定日",
        "公表日",
    ]
    assert "意見の概要" in header and "市の考え方" in header and "同趣旨件数" in header
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert len(records) == 2  # the withheld group is left out
    assert {r["年度"] for r in records} == {"2025"}  # 2026-03-10 falls in 2025年度
    assert {r["決定日"] for r in records} == {"2026-03-10"}
    assert {r["団体コード"] for r in records} == {"112038"}
    assert TRICKY_RESPONSE in {r["市の考え方"] for r in records}
    campaign = next(r for r in records if r["番号"] == str(groups["campaign"].number))
    assert campaign["同趣旨件数"] == "3" and campaign["修正の有無"] == "有"


def test_csv_lines_end_with_crlf_only(client, published_case):
    consultation, _groups = published_case
    text = _csv(client, consultation).decode("utf-8-sig")
    # Every record ends in CRLF; the only bare LF is the one inside the
    # quoted 市の考え方.
    assert text.count("\r\n") == 3
    assert text.replace("\r\n", "").count("\n") == TRICKY_RESPONSE.count("\n")


def test_csv_neutralises_formula_injection_and_has_no_personal_data(client, published_case):
    consultation, _groups = published_case
    text = _csv(client, consultation).decode("utf-8-sig")
    summaries = [row[9] for row in csv.reader(io.StringIO(text, newline=""))][1:]
    assert "'" + INJECTION in summaries and INJECTION not in summaries
    assert SUBMITTER_NAME not in text and WITHHELD_SUMMARY not in text


def test_xlsx_opens_with_header_print_settings_and_neutralised_cells(client, published_case):
    consultation, groups = published_case
    response = client.get(reverse("results:xlsx", args=[consultation.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) == 1
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    assert header[:7] == [
        "団体コード",
        "案件番号",
        "案件名",
        "担当課",
        "年度",
        "決定日",
        "公表日",
    ]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.column_dimensions["J"].width == 50
    assert sheet.cell(row=2, column=10).alignment.wrap_text
    summaries = [sheet.cell(row=r, column=10) for r in range(2, sheet.max_row + 1)]
    assert sheet.max_row == 3  # header + two published groups
    injected = next(cell for cell in summaries if "cmd" in cell.value)
    # Text as written (no visible apostrophe), string-typed, quote-prefixed: never a formula.
    assert injected.value == INJECTION and injected.data_type == "s" and injected.quotePrefix
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not any(SUBMITTER_NAME in v or WITHHELD_SUMMARY in v for v in values)
