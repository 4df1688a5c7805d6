"""Public results pages: 意見の概要と市の考え方 as HTML, CSV, XLSX and JSON."""

import csv
import io

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.exports import safe_cell

from .selectors_results import (
    RESULT_FIELDS,
    PublishedResults,
    consultation_list_published,
    published_results_get,
    result_records,
    results_document,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Column widths (in characters) for the printed sheet, by field name.
XLSX_WIDTHS = {"summary": 50, "response": 50, "revised_text": 30, "title": 24, "section": 18, "department": 14}
XLSX_DEFAULT_WIDTH = 10


def _results_or_404(pk: int) -> PublishedResults:
    results = published_results_get(pk=pk)
    if results is None:
        raise Http404
    return results


def _rows(results: PublishedResults):
    """Yield the header row (Japanese labels) and the neutralised data rows."""
    yield [label for _name, label in RESULT_FIELDS]
    for record in result_records(results):
        yield [safe_cell(record[name]) for name, _label in RESULT_FIELDS]


def results_page(request, pk):
    results = _results_or_404(pk)
    return render(request, "consultations/results.html", {
        "results": results, "consultation": results.consultation, "counts": results.counts,
        "rows": results.rows, "fields": RESULT_FIELDS,
    })


def results_csv(request, pk):
    """CSV: UTF-8 with BOM (for Excel), CRLF, RFC 4180 quoting."""
    results = _results_or_404(pk)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(_rows(results))
    response = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="results-{pk}.csv"'
    return response


def _workbook(results: PublishedResults) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "意見の概要と市の考え方"
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in _rows(results):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = wrap
            if isinstance(cell.value, str):
                # Keep text as text: openpyxl would otherwise store a
                # string starting with "=" as a formula.
                cell.data_type = "s"
    for index, (name, _label) in enumerate(RESULT_FIELDS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = XLSX_WIDTHS.get(name, XLSX_DEFAULT_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return book


def results_xlsx(request, pk):
    """XLSX: one sheet, A4 landscape, fit to width, header row repeated."""
    results = _results_or_404(pk)
    out = io.BytesIO()
    _workbook(results).save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="results-{pk}.xlsx"'
    return response


def results_json(request, pk):
    """Open data: one consultation's published results, no personal data."""
    document = results_document(_results_or_404(pk))
    document["links"] = {
        fmt: request.build_absolute_uri(reverse(f"consultations:results{suffix}", args=[pk]))
        for fmt, suffix in (("html", ""), ("csv", "_csv"), ("xlsx", "_xlsx"), ("json", "_json"))
    }
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


def results_index_json(request):
    """Open data: the list of consultations whose results are published."""
    def link(name, pk):
        return request.build_absolute_uri(reverse(name, args=[pk]))

    items = [
        {
            "id": c.pk, "title": c.title, "department": str(c.department or ""),
            "decided_on": c.decided_on.isoformat() if c.decided_on else "",
            "published_at": c.published_at.isoformat() if c.published_at else "",
            "links": {
                "html": link("consultations:results", c.pk), "json": link("consultations:results_json", c.pk),
                "csv": link("consultations:results_csv", c.pk), "xlsx": link("consultations:results_xlsx", c.pk),
            },
        }
        for c in consultation_list_published()
    ]
    return JsonResponse(
        {"municipality_code": settings.MUNICIPALITY_CODE, "results": items},
        json_dumps_params={"ensure_ascii": False},
    )
