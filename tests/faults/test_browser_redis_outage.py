"""Tried as a new user would: with Redis stopped, a resident sends an opinion in Chromium.

The production stack serves HTTPS itself (a self-signed certificate, so the
__Host- cookies and CSRF work as behind the real terminator); the resident
fills the form, confirms, sends and is shown a 受付番号. When Redis is back,
beat's sweeper has the worker analyse the opinion.
"""

import re

import pytest

from bench.processes import wait_until
from feedback.models import Submission
from nlp.models import SubmissionAnalysis
from tests.consultations.factories import ConsultationFactory

from .support import Clock

expect = pytest.importorskip("playwright.sync_api").expect

OPINION = "駅前の駐輪場が足りません。\n朝の通勤時間帯に停められる台数を増やしてください。"


def test_a_resident_gets_a_receipt_number_in_chromium_while_redis_is_down(stack, browser):
    clock = Clock()
    consultation = ConsultationFactory(title="川口市自転車活用推進計画（案）")
    worker = stack.worker("analysis", wait=False)
    stack.beat(sweep_seconds=3, wait=False)
    port = stack.web(tls=True)
    stack.ready()
    clock("stack up (HTTPS)")
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", ignore_https_errors=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        stack.redis.stop()
        clock("Redis stopped")
        page.goto(f"https://127.0.0.1:{port}/consultations/{consultation.pk}/")
        page.get_by_role("link", name=re.compile("意見を提出")).first.click()
        page.get_by_label("ご意見").fill(OPINION)
        page.get_by_role("button", name="入力内容を確認する").click()
        expect(page.get_by_role("heading", name="入力内容の確認")).to_be_visible()
        page.get_by_role("button", name="送信する", exact=True).click()

        expect(page.get_by_role("heading", name="受け付けました")).to_be_visible()
        number = page.get_by_test_id("receipt-number").inner_text().strip()
        assert re.fullmatch(r"PC-\d{4}-\d{6}", number), number
        clock(f"receipt {number} shown")
    finally:
        context.close()
    submission = Submission.objects.get(receipt_number=number)
    assert submission.body == OPINION

    stack.redis.start()
    wait_until(
        lambda: SubmissionAnalysis.objects.filter(submission=submission).exists(),
        timeout=180,
        interval=0.5,
        what="analysis after Redis returned",
    )
    clock("analysed")
    assert worker.alive()
    assert SubmissionAnalysis.objects.filter(submission=submission).count() == 1
