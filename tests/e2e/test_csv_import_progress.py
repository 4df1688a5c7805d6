"""The CSV import's progress page in a real browser: the static script (CSP
'self', no inline code) updates the status text as the worker advances and
shows the result when the job ends; axe-core finds nothing at any stage."""

import re

import pytest
from django.utils import timezone

from accounts.roles import KOUCHOU
from feedback.models import SubmissionImport
from tests.accounts.factories import DEFAULT_PASSWORD, StaffUserFactory

from .support import fresh_totp_code, log_in

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_progress_page_follows_the_job_without_a_reload_by_hand(live_server, page, axe_check, city):
    consultation = city["public_comment"]
    staff = StaffUserFactory(roles=[KOUCHOU])
    job = SubmissionImport.objects.create(
        consultation=consultation,
        uploaded_by=staff,
        file_name="大量.csv",
        content_sha256="d" * 64,
        size=1,
        status=SubmissionImport.Status.RUNNING,
        row_count=2000,
        processed_count=0,
        updated_at=timezone.now(),
    )
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, live_server.url, email=staff.email, password=DEFAULT_PASSWORD)
    page.get_by_label(re.compile("コード")).fill(fresh_totp_code(staff.totp_secret))
    page.get_by_role("button", name="ログインする").click()
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()

    page.goto(f"{live_server.url}/staff/consultations/{consultation.pk}/import/{job.pk}/")
    status = page.get_by_role("status")
    expect(status).to_have_text("確認中：0 / 2,000 行")
    expect(page.get_by_role("link", name="最新の状態を表示する（再読み込み）")).to_be_visible()
    axe_check(page)

    # The worker advances; the page follows by itself (the live region's text).
    SubmissionImport.objects.filter(pk=job.pk).update(
        processed_count=2000, created_count=1200, updated_at=timezone.now()
    )
    expect(status).to_have_text("登録中：1,200 / 2,000 行", timeout=15_000)
    assert page.locator("#import-bar").evaluate("bar => [bar.value, bar.max]") == [1200, 2000]

    SubmissionImport.objects.filter(pk=job.pk).update(
        status=SubmissionImport.Status.DONE,
        created_count=2000,
        first_receipt_number="PC-2026-000001",
        last_receipt_number="PC-2026-002000",
        finished_at=timezone.now(),
    )
    expect(page.get_by_role("status")).to_have_text(
        "完了：2,000件を取り込みました（受付番号 PC-2026-000001〜PC-2026-002000）。", timeout=15_000
    )
    expect(page.locator("#import-bar")).to_have_count(0)
    axe_check(page)
    assert not [e for e in errors if "Content Security Policy" in e], errors
