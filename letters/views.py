"""Public pages of 市長への手紙: how to write one, the writer's reply, the published 年度 table and its CSV/XLSX."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from consultations.selectors import consultation_get_letter
from core.exports import (
    csv_bytes,
    csv_response,
    workbook_build,
    xlsx_bytes,
    xlsx_response,
)
from core.wareki import fiscal_year_label
from letters.selectors.author import letter_reply_for_author
from letters.selectors.public import (
    LETTER_EXPORT_FIELDS,
    letter_cases_published,
    letter_group_by_bu,
    letter_published_records,
    letter_published_years,
)

# Column widths (in characters) of the printed letters sheet, in field order.
LETTER_XLSX_WIDTHS = {
    "bu": 14,
    "ka": 14,
    "received_on": 12,
    "summary": 50,
    "reply_summary": 50,
    "replied_on": 12,
}
LETTERS_PER_PAGE = 100


def _published_year(request, years: list[int]) -> int | None:
    """Return the requested 年度 if it has letters, else the newest one."""
    requested = request.GET.get("year", "")
    return int(requested) if requested.isdigit() and int(requested) in years else (years[0] if years else None)


def letters_published(request):
    """意見提出 (市民参加条例19条): 要旨 of consenting letters, per 部 and 年度, 100 a page."""
    years = letter_published_years()
    year = _published_year(request, years)
    page = (
        Paginator(letter_cases_published(year=year), LETTERS_PER_PAGE).get_page(request.GET.get("page"))
        if year
        else None
    )
    for number, case in enumerate(page or [], start=page.start_index() if page else 1):
        case.row_number = number  # No. runs on across pages and 部
    return render(
        request,
        "letters/published.html",
        {
            "year": year,
            "years": years,
            "year_label": fiscal_year_label(year) if year else "",
            "page": page,
            "groups": letter_group_by_bu(page.object_list) if page else [],
            "year_links": [(y, fiscal_year_label(y)) for y in years],
        },
    )


def _letter_exports(request) -> tuple[int, list[str], list[list]]:
    years = letter_published_years()
    year = _published_year(request, years)
    # Unlike the page, a file never silently holds another 年度 than asked.
    if year is None or ("year" in request.GET and str(year) != request.GET["year"]):
        raise Http404
    header = [label for _name, label in LETTER_EXPORT_FIELDS]
    records = letter_published_records(year=year)
    return (
        year,
        header,
        [[record[name] for name, _label in LETTER_EXPORT_FIELDS] for record in records],
    )


def letters_published_csv(request):
    """CSV of the 年度's published letters: UTF-8 with BOM, CRLF (cells neutralised in core.exports)."""
    year, header, rows = _letter_exports(request)
    return csv_response(content=csv_bytes(header=header, rows=rows), filename=f"letters-{year}.csv")


def letters_published_xlsx(request):
    """XLSX of the 年度's published letters, set up for A4 landscape."""
    year, header, rows = _letter_exports(request)
    widths = [LETTER_XLSX_WIDTHS.get(name) for name, _label in LETTER_EXPORT_FIELDS]
    book = workbook_build(title=_("市長への手紙（意見提出）"), header=header, rows=rows, widths=widths)
    return xlsx_response(content=xlsx_bytes(book), filename=f"letters-{year}.xlsx")


def letter_index(request):
    """How to write a 市長への手紙, and where the published ones are."""
    return render(request, "letters/landing.html", {"letter": consultation_get_letter()})


@login_required
def letter_reply(request, receipt_number):
    """Show the writer the sent reply to their own 市長への手紙."""
    case = letter_reply_for_author(user=request.user, receipt_number=receipt_number)
    if case is None:
        raise Http404
    return render(request, "letters/reply.html", {"case": case, "submission": case.submission})
