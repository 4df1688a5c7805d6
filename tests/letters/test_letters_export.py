"""CSV and XLSX of the published 市長への手紙 (意見の要旨・回答の要旨) per 年度."""

import csv
import datetime
import io
from http import HTTPStatus

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from core.wareki import fiscal_year
from letters.models import LetterCase
from letters.services import letter_file, letter_publish, letter_route
from tests.letters.factories import letter_category

pytestmark = pytest.mark.django_db

HEADER = [
    "団体コード",
    "年度",
    "部",
    "課",
    "受付日",
    "意見の要旨",
    "回答の要旨",
    "回答日",
]
FORMULA = '=HYPERLINK("http://example.com","詳細")'
REPLIED_AT = timezone.make_aware(datetime.datetime(2026, 12, 3, 10, 0))


@pytest.fixture
def letters(make_letter, people, org):
    """Two published letters (one with a formula-like 要旨) and one unpublished."""
    kouchou = people["kouchou"]
    bench = make_letter(reply_requested=False)
    letter_route(actor=kouchou, case=bench, category=letter_category(), department=org["koen"])
    letter_file(actor=kouchou, case=bench, disposition="no_reply")
    letter_publish(actor=kouchou, case=bench, summary="公園のベンチを増やしてほしい。")
    # A reply was sent; only the 要旨 and the date it went out are published.
    LetterCase.objects.filter(pk=bench.pk).update(sent_at=REPLIED_AT, published_reply_summary="来年度3基増設します。")

    formula = make_letter(reply_requested=False, body="介護保険の案内について。")
    letter_route(actor=kouchou, case=formula, category=letter_category(), department=org["kaigo"])
    letter_file(actor=kouchou, case=formula, disposition="no_reply")
    letter_publish(actor=kouchou, case=formula, summary=FORMULA)

    hidden = make_letter(reply_requested=False, body="駅前の駐輪場について。")
    letter_route(actor=kouchou, case=hidden, category=letter_category(), department=org["koen"])
    letter_file(actor=kouchou, case=hidden, disposition="no_reply")
    return fiscal_year(timezone.localdate(bench.submission.submitted_at))


def _get(client, name, year):
    response = client.get(reverse(f"letters:{name}"), {"year": year})
    assert response.status_code == HTTPStatus.OK
    assert "attachment" in response["Content-Disposition"]
    return response


def _records(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_has_bom_crlf_and_the_header(client, letters):
    response = _get(client, "published_csv", letters)

    raw = response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="letters-{letters}.csv"' in response["Content-Disposition"]
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.count("\r\n") == 3 and "\n" not in text.replace("\r\n", "")
    assert _records(raw)[0] == HEADER


def test_csv_rows_are_the_published_letters_only(client, letters):
    rows = _records(_get(client, "published_csv", letters).content)[1:]

    by_summary = {row[5]: dict(zip(HEADER, row, strict=True)) for row in rows}
    assert set(by_summary) == {"公園のベンチを増やしてほしい。", "'" + FORMULA}
    bench = by_summary["公園のベンチを増やしてほしい。"]
    assert (bench["団体コード"], bench["年度"], bench["部"], bench["課"]) == (
        "112038",
        str(letters),
        "都市計画部",
        "公園課",
    )
    assert bench["回答の要旨"] == "来年度3基増設します。" and bench["回答日"] == "2026-12-03"
    assert datetime.date.fromisoformat(bench["受付日"]) == timezone.localdate()
    assert by_summary["'" + FORMULA]["部"] == "福祉部" and by_summary["'" + FORMULA]["回答日"] == ""
    text = "\n".join(",".join(row) for row in rows)
    for private in ("駐輪場", "川口 太郎", "taro@example.jp", "青木2-1-1"):
        assert private not in text


def test_xlsx_has_the_header_and_prints_on_a4_landscape(client, letters):
    response = _get(client, "published_xlsx", letters)

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.max_row == 3
    summaries = [sheet.cell(row=r, column=6) for r in (2, 3)]
    injected = next(cell for cell in summaries if "HYPERLINK" in cell.value)
    assert injected.value == FORMULA and injected.data_type == "s" and injected.quotePrefix
    assert all(cell.alignment.wrap_text for cell in summaries)


def test_the_page_links_both_files_with_format_and_count(client, letters):
    html = client.get(reverse("letters:published")).content.decode()

    rows = len(_records(_get(client, "published_csv", letters).content)) - 1
    assert f"{reverse('letters:published_csv')}?year={letters}" in html
    assert f"{reverse('letters:published_xlsx')}?year={letters}" in html
    assert f"CSV形式（UTF-8・BOM付き、全{rows}件）" in html
    assert f"Excel形式（XLSX、全{rows}件）" in html


def test_a_year_without_published_letters_is_404(client, letters):
    assert client.get(reverse("letters:published_csv"), {"year": letters - 1}).status_code == HTTPStatus.NOT_FOUND
    assert client.get(reverse("letters:published_xlsx"), {"year": "x"}).status_code == HTTPStatus.NOT_FOUND
    # Without a 年度, the newest one (as on the page).
    assert client.get(reverse("letters:published_csv")).status_code == HTTPStatus.OK


def test_no_published_letters_at_all_is_404(client, db):
    assert client.get(reverse("letters:published_csv")).status_code == HTTPStatus.NOT_FOUND


def test_the_page_shows_100_letters_a_page_numbered_across_pages(client, letters, monkeypatch):
    from letters import views as letters_public_views

    monkeypatch.setattr(letters_public_views, "LETTERS_PER_PAGE", 1)
    first = client.get(reverse("letters:published")).content.decode()
    second = client.get(reverse("letters:published"), {"year": letters, "page": 2}).content.decode()
    assert "全2件のうち 1～1件目" in first and 'rel="next"' in first
    assert "全2件のうち 2～2件目" in second and '<th scope="row">2</th>' in second
    # Each page holds only its own letter; together they hold both.
    assert ("公園のベンチを増やしてほしい。" in first) != ("公園のベンチを増やしてほしい。" in second)
