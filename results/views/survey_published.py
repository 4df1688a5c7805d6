"""Public pages of a survey's published results: HTML, CSV and XLSX of the same tables."""

from django.http import Http404
from django.shortcuts import render

from core.exports import csv_bytes, csv_response, workbook_build, workbook_sheet_add, xlsx_bytes, xlsx_response
from results.matrix import scatter_chart
from results.selectors.matrix import survey_matrix_scales
from results.selectors.survey_published import (
    SUPPRESSED_MARK,
    SURVEY_MATRIX_FIELDS,
    SURVEY_RESULT_FIELDS,
    PublishedSurvey,
    published_survey_get,
    survey_matrix_export_rows,
    survey_result_rows,
)

RESULT_HEADER = [label for _name, label in SURVEY_RESULT_FIELDS]
MATRIX_HEADER = [label for _name, label in SURVEY_MATRIX_FIELDS]
XLSX_WIDTHS = {"title": 24, "question": 40, "choice": 20, "group": 14, "label": 24, "breakdown": 10}


def _published_or_404(pk: int) -> PublishedSurvey:
    published = published_survey_get(pk=pk)
    if published is None:
        raise Http404
    return published


def survey_results_page(request, pk):
    published = _published_or_404(pk)
    return render(
        request,
        "results/survey_published.html",
        {
            "published": published,
            "consultation": published.consultation,
            "chart": scatter_chart(published.matrix),
            "scales": survey_matrix_scales(items=published.matrix_items),
            "suppressed_mark": SUPPRESSED_MARK,
            "result_fields": SURVEY_RESULT_FIELDS,
            "matrix_fields": SURVEY_MATRIX_FIELDS,
        },
    )


def survey_results_csv(request, pk):
    """Every table of the page in long form: UTF-8 with BOM, CRLF."""
    published = _published_or_404(pk)
    content = csv_bytes(header=RESULT_HEADER, rows=survey_result_rows(published))
    return csv_response(content=content, filename=f"survey-results-{pk}.csv")


def survey_matrix_csv(request, pk):
    """The 重要度×満足度 table: UTF-8 with BOM, CRLF."""
    published = _published_or_404(pk)
    content = csv_bytes(header=MATRIX_HEADER, rows=survey_matrix_export_rows(published))
    return csv_response(content=content, filename=f"survey-matrix-{pk}.csv")


def survey_results_xlsx(request, pk):
    """Two sheets, the tables and the matrix, each with its header repeated when printed."""
    published = _published_or_404(pk)
    book = workbook_build(
        title="集計表",
        header=RESULT_HEADER,
        rows=survey_result_rows(published),
        widths=[XLSX_WIDTHS.get(name) for name, _label in SURVEY_RESULT_FIELDS],
    )
    if published.matrix_items:
        workbook_sheet_add(
            book,
            title="重要度・満足度",
            header=MATRIX_HEADER,
            rows=survey_matrix_export_rows(published),
            widths=[XLSX_WIDTHS.get(name) for name, _label in SURVEY_MATRIX_FIELDS],
        )
    return xlsx_response(content=xlsx_bytes(book), filename=f"survey-results-{pk}.xlsx")
