"""#14 in a real browser: a resident on a phone (390 px) reads a case's published themes and opens their CSV."""

import csv
import io
import re

from playwright.sync_api import expect

from tests.e2e.test_themes import TEXTS

PHONE = {"width": 390, "height": 844}


def _published_case_with_themes():
    from django.utils import timezone

    from accounts.roles import KOUCHOU
    from consultations.models import Consultation
    from nlp.models import ThemeRun
    from nlp.services import theme_run_compute, theme_run_publish, theme_run_request
    from tests.accounts.factories import StaffUserFactory
    from tests.consultations.factories import ConsultationFactory
    from tests.feedback.factories import submit
    from tests.support.analysis import analyse

    consultation = ConsultationFactory(title="川口市公園・交通計画（案）")
    for text in TEXTS:
        analyse(submit(consultation, body=text, channel="post"), masked_text=text)
    kouchou = StaffUserFactory(roles=[KOUCHOU])
    run = theme_run_request(actor=kouchou, consultation=consultation)
    theme_run_compute(run_id=run.pk)
    # Closed and its (empty) results table published: the state the results page needs.
    Consultation.objects.filter(pk=consultation.pk).update(
        status=Consultation.Status.PUBLISHED, published_at=timezone.now(), decided_on=timezone.localdate()
    )
    theme_run_publish(actor=kouchou, run=ThemeRun.objects.get(pk=run.pk))
    return consultation, ThemeRun.objects.get(pk=run.pk)


def test_a_resident_on_a_phone_reads_the_themes_and_opens_their_csv(live_server, page, roles, axe_check):
    consultation, run = _published_case_with_themes()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/consultations/{consultation.pk}/results/")
    expect(page.get_by_role("heading", name="意見のテーマ", level=2)).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("意見の散布図"))).to_be_attached()
    table = page.get_by_role("table", name=re.compile("テーマの一覧"))
    expect(table).to_be_visible()
    top = [t for t in run.result["themes"] if t["parent"] is None]
    expect(table.locator("tbody tr")).to_have_count(len(top))
    first = table.locator("tbody tr").first
    expect(first.get_by_role("rowheader")).to_have_text(top[0]["label"])
    expect(first.locator("td").nth(1)).to_have_text(f"{top[0]['size']}件")
    # The page itself never scrolls sideways on the phone; the table and the map scroll in their regions.
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
    axe_check(page)

    link = page.get_by_role("link", name="受付番号ごとのテーマ（CSV）")
    link.scroll_into_view_if_needed()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"themes-{consultation.pk}.csv"
    with open(download.path(), "rb") as fh:
        raw = fh.read()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert header == ["受付番号", "テーマ番号", "テーマ", "上位テーマ"]
    assert len(rows) == len(TEXTS)
    for number, theme in enumerate(top, start=1):
        assert sum(1 for r in rows if r[1].split("-")[0] == str(number)) == theme["size"]
    axe_check(page)
