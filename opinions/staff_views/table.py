"""The 意見の概要と市の考え方 table of a case as it would be published: the page and the CSV."""

from django.shortcuts import render

from accounts.decorators import staff_member_required
from accounts.roles import CITYWIDE_ROLES, STAFF_WORKING_ROLES, has_role
from core.exports import csv_bytes, csv_response
from opinions.selectors.groups import opinion_counts, opinion_table_ready, opinion_table_rows
from opinions.staff_views.base import _consultation

TABLE_CSV_HEADER = [
    "番号",
    "該当箇所",
    "意見の概要",
    "同趣旨件数",
    "市の考え方",
    "対応区分",
    "修正の有無",
    "修正後の文案",
]


@staff_member_required(*STAFF_WORKING_ROLES)
def table(request, pk):
    """Preview the 意見の概要と市の考え方 table as it would be published."""
    consultation = _consultation(request, pk)
    counts = opinion_counts(consultation=consultation)
    return render(
        request,
        "opinions/workbench/table.html",
        {
            "consultation": consultation,
            "counts": counts,
            "rows": opinion_table_rows(consultation=consultation),
            "ready": opinion_table_ready(consultation=consultation, counts=counts),
            # 結果の公表 is a page of results (staff:results_publish), for 広聴 and admins.
            "may_publish": has_role(request.user, *CITYWIDE_ROLES),
        },
    )


@staff_member_required(*STAFF_WORKING_ROLES)
def table_csv(request, pk):
    """The same table as CSV (UTF-8 with BOM, CRLF), without personal data."""
    consultation = _consultation(request, pk)
    rows = [
        [
            g.number,
            str(g.section or ""),
            g.summary,
            g.item_count,
            g.response,
            g.get_decision_display() if g.decision else "",
            "有" if g.revised else "無",
            g.revised_text,
        ]
        for g in opinion_table_rows(consultation=consultation)
    ]
    return csv_response(
        content=csv_bytes(header=TABLE_CSV_HEADER, rows=rows),
        filename=f"opinion-table-{consultation.pk}.csv",
    )
