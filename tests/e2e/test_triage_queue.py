"""The 広聴 queue in a real browser: 該当なし is said in words, the suggestion
quality card reads as text, and both pages pass axe-core at a desk and on a phone."""

import re

from playwright.sync_api import expect

from tests.accounts.factories import DEFAULT_PASSWORD, StaffUserFactory
from tests.e2e.support import fresh_totp_code, log_in
from tests.feedback.factories import submit


def test_the_queue_says_no_topic_in_words_and_shows_how_good_suggestions_are(live_server, page, axe_check, city):
    from accounts.roles import KOUCHOU
    from nlp import services
    from nlp.engine import engine_reset
    from nlp.models import SubmissionAnalysis

    # The engine is cached per process; earlier tests may have left one
    # trained on their own labels. This test is about the demo's cold start.
    engine_reset()
    consultation = city["public_comment"]
    fits = submit(consultation, body="町会の加入率が下がり、役員のなり手がいません。")
    fits_none = submit(consultation, body="よろしくお願いします。")
    assert SubmissionAnalysis.objects.get(submission=fits_none).no_topic
    services.topic_label_record(submission=fits, label="VI-1", actor=None)

    staff = StaffUserFactory(roles=[KOUCHOU])
    log_in(page, live_server.url, email=staff.email, password=DEFAULT_PASSWORD)
    page.get_by_label(re.compile("コード")).fill(fresh_totp_code(staff.totp_secret))
    page.get_by_role("button", name="ログインする").click()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()

    page.goto(f"{live_server.url}/staff/queue/")
    row = page.get_by_role("row").filter(has_text=fits_none.receipt_number)
    expect(row).to_contain_text("該当なし（推定）")
    expect(page.get_by_text(re.compile("推定した施策が一致したのは1件です（100%）"))).to_be_visible()
    axe_check(page)
    page.set_viewport_size({"width": 390, "height": 844})
    axe_check(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/staff/submissions/{fits_none.pk}/")
    expect(page.get_by_text("推定：該当なし")).to_be_visible()
    axe_check(page)
