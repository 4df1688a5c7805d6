"""Mails sent by workers link to the public site (KOE_SITE_URL); a worker has no request."""

import datetime
from types import SimpleNamespace

from django.template.loader import render_to_string


def test_reply_mail_links_to_the_residents_submissions(settings):
    settings.KOE_SITE_URL = "https://koe.city.kawaguchi.lg.jp"
    submission = SimpleNamespace(submitted_at=datetime.date(2026, 11, 2), receipt_number="LT-2026-000001")
    body = render_to_string(
        "letters/staff/email/reply_body.txt",
        {
            "identity": SimpleNamespace(name="川口 太郎"),
            "submission": submission,
            "case": SimpleNamespace(reply_text="回答"),
        },
    )
    assert "https://koe.city.kawaguchi.lg.jp/mypage/submissions/" in body


def test_reminder_mail_links_to_the_case(settings):
    settings.KOE_SITE_URL = "https://koe.city.kawaguchi.lg.jp"
    case = SimpleNamespace(pk=42, due_on=datetime.date(2026, 12, 10), get_status_display="回付済み")
    submission = SimpleNamespace(department="公園課", receipt_number="LT-2026-000001")
    body = render_to_string(
        "letters/staff/email/reminder_body.txt", {"case": case, "submission": submission, "kind": "overdue"}
    )
    assert "https://koe.city.kawaguchi.lg.jp/staff/letters/42/" in body
    assert "example.com" not in body
