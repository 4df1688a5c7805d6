"""Public results pages: 意見の概要と市の考え方 as HTML, CSV, XLSX and JSON; the themes' 受付番号 → テーマ as CSV and XLSX."""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from core.exports import (
    csv_bytes,
    csv_response,
    workbook_build,
    xlsx_bytes,
    xlsx_response,
)
from results.selectors.published import (
    RESULT_FIELDS,
    PublishedResults,
    consultation_list_published,
    published_results_get,
    result_records,
    results_document,
)
from results.selectors.themes import THEME_FIELDS, theme_report_published, theme_report_records, theme_run_public

# Column widths (in characters) for the printed sheet, by field name.
XLSX_WIDTHS = {
    "summary": 50,
    "response": 50,
    "revised_text": 30,
    "title": 24,
    "section": 18,
    "department": 14,
}
XLSX_CACHE_SECONDS = 7 * 24 * 3600
RESULT_HEADER = [label for _name, label in RESULT_FIELDS]


def _results_or_404(pk: int) -> PublishedResults:
    results = published_results_get(pk=pk)
    if results is None:
        raise Http404
    return results


def _rows(results: PublishedResults) -> list[list]:
    """Return the data rows in RESULT_FIELDS order; core.exports neutralises them."""
    return [[record[name] for name, _label in RESULT_FIELDS] for record in result_records(results)]


def results_page(request, pk):
    results = _results_or_404(pk)
    return render(
        request,
        "results/results.html",
        {
            "results": results,
            "consultation": results.consultation,
            "counts": results.counts,
            "rows": results.rows,
            "fields": RESULT_FIELDS,
            "theme_report": theme_report_published(consultation=results.consultation),
        },
    )


THEME_HEADER = [label for _name, label in THEME_FIELDS]


def _theme_rows_or_404(pk: int) -> list[list]:
    run = theme_run_public(consultation=_results_or_404(pk).consultation)
    if run is None:
        raise Http404
    return [[record[name] for name, _label in THEME_FIELDS] for record in theme_report_records(run=run)]


def themes_csv(request, pk):
    """受付番号 → テーマ of the approved theme report: UTF-8 with BOM, CRLF."""
    content = csv_bytes(header=THEME_HEADER, rows=_theme_rows_or_404(pk))
    return csv_response(content=content, filename=f"themes-{pk}.csv")


def themes_xlsx(request, pk):
    book = workbook_build(
        title="意見のテーマ", header=THEME_HEADER, rows=_theme_rows_or_404(pk), widths=[16, 10, 30, 30]
    )
    return xlsx_response(content=xlsx_bytes(book), filename=f"themes-{pk}.xlsx")


def results_csv(request, pk):
    """CSV: UTF-8 with BOM (for Excel), CRLF, RFC 4180 quoting."""
    results = _results_or_404(pk)
    content = csv_bytes(header=RESULT_HEADER, rows=_rows(results))
    return csv_response(content=content, filename=f"results-{pk}.csv")


def results_xlsx(request, pk):
    """XLSX: one sheet, A4 landscape, fit to width, header row repeated."""
    results = _results_or_404(pk)

    def build() -> bytes:
        book = workbook_build(
            title="意見の概要と市の考え方",
            header=RESULT_HEADER,
            rows=_rows(results),
            widths=[XLSX_WIDTHS.get(name) for name, _label in RESULT_FIELDS],
        )
        return xlsx_bytes(book)

    # A published record does not change, and building a workbook is the
    # slowest part: keep each publication's file (the key holds its moment).
    key = f"results-xlsx:{pk}:{results.consultation.published_at.timestamp()}"
    return xlsx_response(
        content=cache.get_or_set(key, build, timeout=XLSX_CACHE_SECONDS),
        filename=f"results-{pk}.xlsx",
    )


def results_json(request, pk):
    """Open data: one consultation's published results, no personal data."""
    document = results_document(_results_or_404(pk))
    document["links"] = {
        fmt: request.build_absolute_uri(reverse(f"results:{name}", args=[pk]))
        for fmt, name in (
            ("html", "detail"),
            ("csv", "csv"),
            ("xlsx", "xlsx"),
            ("json", "json"),
        )
    }
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


def results_index_json(request):
    """Open data: the list of consultations whose results are published."""

    def link(name, pk):
        return request.build_absolute_uri(reverse(name, args=[pk]))

    items = [
        {
            "id": c.pk,
            "title": c.title,
            "department": str(c.department or ""),
            "decided_on": c.decided_on.isoformat() if c.decided_on else "",
            "published_at": c.published_at.isoformat() if c.published_at else "",
            "links": {
                "html": link("results:detail", c.pk),
                "json": link("results:json", c.pk),
                "csv": link("results:csv", c.pk),
                "xlsx": link("results:xlsx", c.pk),
            },
        }
        for c in consultation_list_published()
    ]
    return JsonResponse(
        {"municipality_code": settings.MUNICIPALITY_CODE, "results": items},
        json_dumps_params={"ensure_ascii": False},
    )
