"""XLSX keeps formula-like text as text without a visible apostrophe.

The XLSX used CSV's guard (a leading '), so residents and staff saw
'=cmd|' /C calc'!A0 with the quote in the cell. Now the cell is string-typed
with the quotePrefix style: it shows the text exactly as written and is
never evaluated. CSV keeps its quote: plain text has no other way.
"""

import io
import zipfile

import openpyxl
import pytest

from core.exports import csv_bytes, workbook_build, xlsx_bytes

FORMULA_LIKE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", '=HYPERLINK("http://x")', "\t=1"]


def _read_back(header, rows):
    content = xlsx_bytes(workbook_build(title="テスト", header=header, rows=rows))
    return content, openpyxl.load_workbook(io.BytesIO(content)).active


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_is_shown_as_typed_and_never_a_formula(text):
    content, sheet = _read_back(["意見の概要"], [[text]])
    cell = sheet["A2"]
    assert cell.value == text  # no apostrophe added
    assert cell.data_type == "s"
    assert cell.quotePrefix  # Excel/LibreOffice keep it text when edited
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_plain_values_keep_their_types():
    _content, sheet = _read_back(["名前", "件数", "空"], [["歩道", 3, None], ["O'Brien", -1, ""]])
    assert [c.value for c in sheet[2]] == ["歩道", 3, None]
    assert sheet["A2"].data_type == "s" and not sheet["A2"].quotePrefix
    assert sheet["B2"].data_type == "n" and sheet["B3"].value == -1
    assert sheet["A3"].value == "O'Brien"


def test_header_cells_are_guarded_too():
    _content, sheet = _read_back(["=見出し"], [])
    assert sheet["A1"].value == "=見出し" and sheet["A1"].data_type == "s"


def test_control_characters_that_xml_cannot_hold_do_not_break_the_download():
    _content, sheet = _read_back(["本文"], [["前\x01後\x0b"]])
    assert sheet["A2"].value == "前\ufffd後\ufffd"


def test_csv_keeps_its_neutralising_quote():
    text = csv_bytes(header=["意見"], rows=[[FORMULA_LIKE[0]]]).decode("utf-8-sig")
    assert text.splitlines()[1] == "'=cmd|' /C calc'!A0"
