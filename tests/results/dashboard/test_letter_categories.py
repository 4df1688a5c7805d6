"""#15: the staff dashboard counts 市長への手紙 by 分野 and by 所管課 for the chosen 年度.

The figures reconcile with the letters: every cell is the number of letters
of that 分野 routed to that 課, received in the 年度, not withdrawn; rows and
columns add up to the same total, which is the 受付 column of the response
status table.
"""

import re
from html import unescape

import pytest
from django.urls import reverse

from accounts.roles import KOUCHOU
from feedback.models import Submission
from letters.models import LetterCase
from letters.services import letter_route
from results.services.dashboard import dashboard_stats_refresh
from tests.accounts.factories import DepartmentFactory, StaffUserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit
from tests.letters.factories import letter_category

from .conftest import at, received

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters(db):
    """Letters of 年度2026 routed to 公園課 and 保育課 with a 分野, one unrouted, one withdrawn, one of 年度2025."""
    kouchou = StaffUserFactory(roles=[KOUCHOU])
    toshi, kodomo = (
        DepartmentFactory(code="toshi", name="都市計画部"),
        DepartmentFactory(code="kodomo", name="子ども部"),
    )
    koen = DepartmentFactory(code="koen", name="公園課", parent=toshi)
    hoiku = DepartmentFactory(code="hoiku", name="保育課", parent=kodomo)
    welfare = letter_category("welfare", "福祉・医療", order=10)
    children = letter_category("children", "子育て・教育", order=20)
    roads = letter_category("roads", "道路・交通", order=40)
    consultation = ConsultationFactory(letter=True)
    plan = [
        # (受付, 課, 分野) — None: not routed
        (at(2026, 4, 3, 10), koen, roads),
        (at(2026, 5, 8, 10), koen, roads),
        (at(2026, 6, 1, 10), koen, welfare),
        (at(2026, 7, 1, 10), hoiku, children),
        (at(2026, 8, 1, 10), hoiku, children),
        (at(2027, 3, 31, 23), koen, welfare),  # still 年度2026 in JST
        (at(2026, 9, 1, 10), None, None),
        (at(2026, 3, 31, 23), koen, roads),  # 年度2025
    ]
    cases = []
    for n, (moment, department, category) in enumerate(plan):
        case = submit(consultation, body=f"手紙{n}です。").letter_case
        received(case.submission, moment)
        if department is not None:
            letter_route(actor=kouchou, case=case, department=department, category=category)
        cases.append(case)
    withdrawn = submit(consultation, body="取り下げた手紙です。").letter_case
    received(withdrawn.submission, at(2026, 10, 1, 10))
    letter_route(actor=kouchou, case=withdrawn, department=koen, category=roads)
    Submission.objects.filter(pk=withdrawn.submission_id).update(status=Submission.Status.WITHDRAWN)
    dashboard_stats_refresh()
    return {"kouchou": kouchou, "koen": koen, "hoiku": hoiku}


def _table(page, caption_start):
    """The rows of the table whose caption starts so: [[header or cell text, ...], ...]."""
    start = page.index("<caption", page.index(caption_start) - 200)
    html = page[start : page.index("</table>", start)]
    return [
        [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
    ]


def _expected(fiscal_year):
    """Count the letters themselves, independently of the dashboard: {(課, 分野): n}."""
    counted = {}
    for case in LetterCase.objects.select_related("submission__department", "category"):
        submission = case.submission
        if submission.status == Submission.Status.WITHDRAWN:
            continue
        local = submission.submitted_at.astimezone(at(2026, 1, 1).tzinfo)
        year = local.year if local.month >= 4 else local.year - 1
        if year != fiscal_year:
            continue
        key = (
            submission.department.name if submission.department else "未回付",
            case.category.name if case.category else None,
        )
        counted[key] = counted.get(key, 0) + 1
    return counted


def test_counts_by_category_and_department_reconcile_with_the_letters(client, letters):
    client.force_login(letters["kouchou"])
    page = client.get(reverse("staff:dashboard"), {"fiscal_year": 2026}).content.decode()
    assert "市長への手紙の分野別件数（2026年度（令和8年度））" in page

    by_category = {
        row[0]: int(row[1]) for row in _table(page, "市長への手紙の分野別件数（2026年度（令和8年度））の表")[1:]
    }
    assert by_category == {"福祉・医療": 2, "子育て・教育": 2, "道路・交通": 2, "分野なし（未回付など）": 1}

    cross = _table(page, "市長への手紙の所管課別・分野別件数（2026年度（令和8年度））の表")
    header, body, footer = cross[0], cross[1:-1], cross[-1]
    assert header == ["所管課", "福祉・医療", "子育て・教育", "道路・交通", "分野なし（未回付など）", "合計"]
    cells = {}
    for row in body:
        for column, value in zip(header[1:-1], row[1:-1], strict=True):
            if int(value):
                cells[(row[0].split(" ")[-1], column if column != "分野なし（未回付など）" else None)] = int(value)
        assert int(row[-1]) == sum(int(v) for v in row[1:-1])  # each 課's total is its cells
    assert cells == _expected(2026)
    assert footer[0] == "合計" and [int(v) for v in footer[1:-1]] == [2, 2, 2, 1] and int(footer[-1]) == 7
    assert [row[0].split(" ")[-1] for row in body] == ["公園課", "保育課", "未回付"]  # most letters first

    # The same letters as the 受付 column of the response status table.
    status = _table(page, "期限超過の多い課から表示します。")
    assert sum(int(row[1]) for row in status[1:]) == 7


def test_another_year_and_every_year(client, letters):
    client.force_login(letters["kouchou"])
    page = client.get(reverse("staff:dashboard"), {"fiscal_year": 2025}).content.decode()
    rows = _table(page, "市長への手紙の分野別件数（2025年度（令和7年度））の表")
    assert [(r[0], r[1]) for r in rows[1:]] == [("道路・交通", "1")]
    page = client.get(reverse("staff:dashboard")).content.decode()
    rows = _table(page, "市長への手紙の分野別件数（すべての年度）の表")
    assert {r[0]: int(r[1]) for r in rows[1:]}["道路・交通"] == 3


def test_the_tables_have_a_chart_beside_them_and_headers_for_screen_readers(client, letters):
    client.force_login(letters["kouchou"])
    page = client.get(reverse("staff:dashboard"), {"fiscal_year": 2026}).content.decode()
    section = page[page.index('id="letters-by-department-heading"') :]
    section = section[: section.index("</section>")]
    assert 'role="img"' in section and "<figure" in section
    assert '<th scope="col">合計</th>' in section and '<th scope="row">合計</th>' in section
    assert "<caption" in section and "<tfoot>" in section
