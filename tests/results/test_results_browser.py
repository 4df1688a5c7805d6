"""A resident finds a published result in real Chromium and downloads the CSV.

Skipped when Chromium (``CHROMIUM_PATH`` or /usr/bin/chromium) or
Playwright is missing.
"""

import os

import pytest

from tests.support.browser import axe_violations

from .conftest import SUBMITTER_NAME, WITHHELD_SUMMARY

pytestmark = [pytest.mark.e2e]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def test_resident_finds_results_and_downloads_csv(live_server, browser, roles, published_case):
    consultation, _groups = published_case
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    csp_errors = []
    page.on(
        "console",
        lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    try:
        page.goto(f"{live_server.url}/consultations/?status=published")
        page.get_by_role("link", name=consultation.title, exact=True).click()
        page.get_by_role("link", name="意見募集の結果（意見の概要と市の考え方）を見る").click()
        assert page.get_by_role("heading", level=1).inner_text().endswith("に対する意見の概要と市の考え方")
        html = page.content()
        assert "（同趣旨 3件）" in html
        assert SUBMITTER_NAME not in html and WITHHELD_SUMMARY not in html
        assert axe_violations(page) == []
        assert csp_errors == []
        # Printed: the table stays, the downloads section and navigation go.
        page.emulate_media(media="print")
        assert page.locator("table.results-table").is_visible()
        assert not page.get_by_role("heading", name="データのダウンロード").is_visible()
        page.emulate_media(media="screen")
        # On a phone (#13): the page itself never scrolls sideways; the table scrolls in
        # its labelled, focusable region; the header block stacks label over value.
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
        region = page.get_by_role("region", name="意見の概要と市の考え方")
        assert region.get_attribute("tabindex") == "0"
        dd_width = page.evaluate("() => document.querySelector('dl.summary dd').getBoundingClientRect().width")
        assert dd_width >= 0.4 * 390, dd_width
        assert axe_violations(page) == []
        page.set_viewport_size({"width": 1280, "height": 900})

        with page.expect_download() as info:
            page.get_by_role("link", name="CSV形式").click()
        download = info.value
        assert download.suggested_filename == f"results-{consultation.pk}.csv"
        with open(download.path(), "rb") as fh:
            raw = fh.read()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
        assert "意見の概要" in raw.decode("utf-8-sig")
    finally:
        context.close()
