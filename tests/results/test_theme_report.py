"""The public theme report (#14) on a consultation's results page, and its CSV/XLSX of 受付番号 → テーマ."""

import csv
import io
from collections import Counter
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import KOUCHOU
from consultations.models import Consultation
from feedback.models import Submission
from nlp.models import ThemeRun
from nlp.services import theme_run_compute, theme_run_publish, theme_run_request, theme_run_unpublish
from tests.accounts.factories import StaffUserFactory
from tests.consultations.factories import ConsultationFactory
from tests.feedback.factories import submit
from tests.opinions.test_themes import BUSES, PARKS
from tests.support.analysis import analyse

from .conftest import CAMPAIGN

pytestmark = pytest.mark.django_db

SCRIPT_LABEL = "<script>alert('x')</script>落ち葉"
LEAK = "街路樹の落ち葉を清掃してほしい。連絡は048-258-1110まで。"
WITHHELD_MASKED = "隣家の庭木が道路にはみ出しているので対処してほしい。"
CSV_HEADER = ["受付番号", "テーマ番号", "テーマ", "上位テーマ"]


def _submissions(consultation):
    rows = Submission.objects.filter(consultation=consultation).order_by("pk")
    campaign = [s for s in rows if s.body == CAMPAIGN]
    named = next(s for s in rows if s.body.startswith("街路樹"))
    withheld = next(s for s in rows if s.body.startswith("隣家"))
    return campaign, named, withheld


def _theme(theme_id, label, members, *, parent=None, representatives=None, copies=0):
    return {
        "id": theme_id,
        "label": label,
        "key_phrases": [label[-3:], "清掃"] if parent is None else [label],
        "members": [s.pk for s in members],
        "representatives": [s.pk for s in (representatives if representatives is not None else members)],
        "parent": parent,
        "size": len(members),
        "units": len(members) - copies,
        "campaign_copies": copies,
    }


@pytest.fixture
def themed(published_case, people):
    """The published case with one finished theme run (not approved yet).

    Theme 1: the campaign's first two copies (one 同趣旨 copy); the third is unassigned.
    Theme 2 (a label with <script>): the named submission (whose masked text still
    holds a phone number) and the withheld one; sub-theme 2-1: the named one.
    """
    consultation, _groups = published_case
    campaign, named, withheld = _submissions(consultation)
    for copy in campaign:
        analyse(copy, masked_text=CAMPAIGN)
    analyse(named, masked_text=LEAK)
    analyse(withheld, masked_text=WITHHELD_MASKED)
    themes = [
        _theme(0, "歩道の段差・車いす", campaign[:2], representatives=campaign[:1], copies=1),
        _theme(1, SCRIPT_LABEL, [named, withheld]),
        _theme(2, "街路樹", [named], parent=1),
    ]
    points = [campaign[0], campaign[1], campaign[2], named, withheld]
    run = ThemeRun.objects.create(
        consultation=consultation,
        status=ThemeRun.Status.DONE,
        finished_at=timezone.now(),
        item_count=5,
        result={"themes": themes, "unassigned": [campaign[2].pk]},
        coordinates={str(s.pk): [n / 4, 1 - n / 4] for n, s in enumerate(points)},
    )
    return consultation, run, people["kouchou"]


def _page(client, consultation) -> str:
    response = client.get(reverse("results:detail", args=[consultation.pk]))
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


def _csv(client, consultation) -> list[list[str]]:
    response = client.get(reverse("results:themes_csv", args=[consultation.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def test_nothing_is_shown_before_approval_nor_after_withdrawal(client, themed):
    consultation, run, kouchou = themed
    csv_url = reverse("results:themes_csv", args=[consultation.pk])
    html = _page(client, consultation)
    assert "意見のテーマ" not in html and csv_url not in html
    assert client.get(csv_url).status_code == HTTPStatus.NOT_FOUND
    assert client.get(reverse("results:themes_xlsx", args=[consultation.pk])).status_code == HTTPStatus.NOT_FOUND

    theme_run_publish(actor=kouchou, run=run, screen_override=True, screen_override_reason="テスト")
    html = _page(client, consultation)
    assert '<h2 id="themes-heading">意見のテーマ</h2>' in html and csv_url in html
    assert "広聴担当が内容を確認して" in html and "外部のサービスには送っていません" in html
    assert client.get(csv_url).status_code == HTTPStatus.OK

    theme_run_unpublish(actor=kouchou, run=run)
    html = _page(client, consultation)
    assert "意見のテーマ" not in html and csv_url not in html
    assert client.get(csv_url).status_code == HTTPStatus.NOT_FOUND


def test_an_approved_run_of_a_case_whose_results_are_not_published_stays_private(client, people):
    consultation = ConsultationFactory(closed=True, department=people["road"])
    run = ThemeRun.objects.create(consultation=consultation, status=ThemeRun.Status.DONE, result={"themes": []})
    theme_run_publish(actor=people["kouchou"], run=run)
    assert client.get(reverse("results:themes_csv", args=[consultation.pk])).status_code == HTTPStatus.NOT_FOUND


def test_the_report_shows_map_table_and_escapes_labels(client, themed):
    consultation, run, kouchou = themed
    theme_run_publish(actor=kouchou, run=run, screen_override=True, screen_override_reason="テスト")
    html = _page(client, consultation)
    section = html.split('id="themes-heading"', 1)[1].split('id="downloads"', 1)[0]
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;落ち葉" in section
    # The map: one point per submission, the themes' numbers at their centres, in words beside it.
    assert section.count('r="4"') == 5 and section.count('r="11"') == 2
    assert 'role="img" aria-label="意見の散布図' in section and "色だけでなく番号でも" in section
    for heading in ("番号", "テーマ", "件数", "同趣旨の重複", "キーフレーズ", "小テーマ（番号・件数）"):
        assert f'<th scope="col">{heading}</th>' in section
    assert "2-1 街路樹（1件）" in section and "どのテーマにも入らなかった意見が1件" in section
    assert "対象の意見は5件、テーマは2個です。" in section


def test_only_representatives_whose_masked_text_passes_the_check_are_shown(client, themed):
    consultation, run, kouchou = themed
    theme_run_publish(actor=kouchou, run=run, screen_override=True, screen_override_reason="テスト")
    html = _page(client, consultation)
    section = html.split('id="themes-representatives-heading"', 1)[1]
    assert CAMPAIGN in section  # screened clean
    assert "048-258-1110" not in html and "街路樹の落ち葉を清掃" not in html  # a phone number the masking missed
    assert WITHHELD_MASKED not in html  # clean, but its 意見要旨 is withheld from publication
    assert "テーマ2「" not in section  # nothing left to show for theme 2, so no heading either


def test_csv_and_xlsx_give_each_submission_its_theme_and_reconcile_with_the_table(client, themed):
    consultation, run, kouchou = themed
    theme_run_publish(actor=kouchou, run=run, screen_override=True, screen_override_reason="テスト")
    campaign, named, withheld = _submissions(consultation)
    header, *rows = _csv(client, consultation)
    assert header == CSV_HEADER
    by_receipt = {row[0]: row[1:] for row in rows}
    assert [row[0] for row in rows] == sorted(by_receipt)
    assert by_receipt == {
        campaign[0].receipt_number: ["1", "歩道の段差・車いす", ""],
        campaign[1].receipt_number: ["1", "歩道の段差・車いす", ""],
        campaign[2].receipt_number: ["", "どのテーマにも入らなかった", ""],
        named.receipt_number: ["2-1", "街路樹", SCRIPT_LABEL],
        withheld.receipt_number: ["2", SCRIPT_LABEL, ""],
    }
    response = client.get(reverse("results:themes_xlsx", args=[consultation.pk]))
    assert response.status_code == HTTPStatus.OK
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)] == [header, *rows]


def test_a_withdrawn_submission_leaves_the_counts_and_the_csv(client, themed):
    consultation, run, kouchou = themed
    theme_run_publish(actor=kouchou, run=run, screen_override=True, screen_override_reason="テスト")
    _campaign, _named, withheld = _submissions(consultation)
    Submission.objects.filter(pk=withheld.pk).update(status=Submission.Status.WITHDRAWN)
    _header, *rows = _csv(client, consultation)
    assert withheld.receipt_number not in {row[0] for row in rows} and len(rows) == 4
    assert "対象の意見は4件" in _page(client, consultation)


def test_a_computed_run_s_csv_rows_add_up_to_the_theme_sizes(client, people):
    """End to end through the engine: the rows of each theme in the CSV are its size on the page."""
    consultation = ConsultationFactory(department=people["road"])
    for text in PARKS + BUSES:
        analyse(submit(consultation, body=text), masked_text=text)
    run = theme_run_request(actor=people["kouchou"], consultation=consultation)
    theme_run_compute(run_id=run.pk)
    Consultation.objects.filter(pk=consultation.pk).update(
        status=Consultation.Status.PUBLISHED, published_at=timezone.now()
    )
    run.refresh_from_db()
    consultation.refresh_from_db()
    theme_run_publish(actor=StaffUserFactory(roles=[KOUCHOU]), run=run)
    response = client.get(reverse("results:detail", args=[consultation.pk]))
    report = response.context["theme_report"]
    assert report.rows and report.total == 8
    header, *rows = _csv(client, consultation)
    assert header == CSV_HEADER and len(rows) == 8
    per_theme = Counter(row[3] or row[2] for row in rows)
    top = [t for t in run.result["themes"] if t["parent"] is None]
    for row, theme in zip(report.rows, top, strict=True):
        assert per_theme[theme["label"]] == theme["size"] == row.count
    assert per_theme["どのテーマにも入らなかった"] == len(run.result["unassigned"]) == report.unassigned
    # Clean texts: each theme shows representatives, at most three.
    assert all(1 <= len(row.representatives) <= 3 for row in report.rows)
