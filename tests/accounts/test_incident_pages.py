"""The 漏えい等事案 pages: who may open them, the forms keep what was typed, the list's order and words."""

import csv
import datetime
import io
import os
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ADMIN, COMMITTEE_SECRETARIAT, DEPARTMENT_APPROVER, DEPARTMENT_STAFF, KOUCHOU, MAYOR
from core.incidents.models import Incident
from core.incidents.services import IncidentFacts, incident_create, incident_report_record
from core.models import AuditEvent
from tests.accounts.factories import StaffUserFactory, UserFactory

# Chromium's event loop runs in the test's thread (the axe test below), as in test_browser_a11y.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

LIST = reverse("staff:incident_list")
CREATE = reverse("staff:incident_create")
CSV = reverse("staff:incident_csv")


@pytest.fixture
def kouchou(db):
    return StaffUserFactory(roles=[KOUCHOU])


@pytest.fixture
def kouchou_client(client, kouchou):
    client.force_login(kouchou)
    return client


def record(actor, days_ago=1, **changes):
    values = {
        "title": "回答メールの誤送信",
        "discovered_at": timezone.now() - datetime.timedelta(days=days_ago),
        "description": "回答を別の方に送った。",
        "data_items": "氏名、メールアドレス",
        "persons": 1,
        "systems": "市長への手紙",
        "containment": "削除を依頼した。",
    }
    return incident_create(actor=actor, facts=IncidentFacts(**{**values, **changes}))


def form_data(**changes):
    data = {
        "title": "アンケート結果の誤掲載",
        "discovered_at": "2026-11-30T10:15",
        "description": "自由記述欄をマスクせずに掲載した。",
        "data_items": "氏名、自由記述（病歴の記載を含む）",
        "persons": "130",
        "systems": "公表した調査結果のページ",
        "containment": "ページを非公開にした。",
        "sensitive": "on",
    }
    return {**data, **changes}


# ---- Who may open them ----


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (KOUCHOU, 200),
        (ADMIN, 200),
        (DEPARTMENT_STAFF, 403),
        (DEPARTMENT_APPROVER, 403),
        (COMMITTEE_SECRETARIAT, 403),
        (MAYOR, 403),
    ],
)
def test_only_kouchou_and_admins_open_the_register(client, kouchou, role, status):
    incident = record(kouchou)
    client.force_login(StaffUserFactory(roles=[role]))

    for url in (LIST, CREATE, CSV, reverse("staff:incident_detail", args=[incident.pk])):
        assert client.get(url).status_code == status, url
    response = client.post(reverse("staff:incident_report", args=[incident.pk]), {"report-kind": "preliminary"})
    assert response.status_code == (400 if status == 200 else 403)  # allowed: the form asks for the time


def test_a_resident_and_a_stranger_are_kept_out(client, db):
    assert client.get(LIST)["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(LIST).status_code == 403


def test_the_staff_home_links_the_register_for_those_who_may_see_it(client, kouchou):
    record(kouchou, days_ago=40, improper_purpose=True)  # 速報 long past its target
    record(kouchou, days_ago=1)
    client.force_login(kouchou)

    page = client.get(reverse("staff:home")).content.decode()

    assert reverse("staff:incident_list") in page
    assert "対応中 2件（うち期限を過ぎたもの 1件）" in page
    client.force_login(StaffUserFactory(roles=[DEPARTMENT_STAFF]))
    assert reverse("staff:incident_list") not in client.get(reverse("staff:home")).content.decode()


# ---- Recording ----


def test_recording_an_incident_shows_the_judgment_and_terms(kouchou_client):
    response = kouchou_client.post(CREATE, form_data())

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:incident_detail", args=[incident.pk])
    assert timezone.localtime(incident.discovered_at).strftime("%Y-%m-%d %H:%M") == "2026-11-30 10:15"
    page = kouchou_client.get(response["Location"]).content.decode()
    assert "を記録しました。判断：報告対象（施行規則43条1号・4号）。" in page
    assert "2026年12月29日（令和8年）まで（発覚日を1日目として30日以内）" in page  # 11/30 + 29 days
    assert "目安：2026年12月2日（令和8年）（3日目）〜2026年12月4日（令和8年）（5日目）" in page
    assert page.count("当たる</strong>") == 2
    assert "事案を記録" in page  # the timeline


def test_an_invalid_form_keeps_what_was_typed(kouchou_client):
    response = kouchou_client.post(CREATE, form_data(persons="百三十", containment=""))

    page = response.content.decode()
    assert response.status_code == 400
    assert not Incident.objects.exists()
    assert 'class="error-summary"' in page
    assert "本人の数は半角数字の整数で入力してください。" in page
    assert "被害の拡大防止の措置を入力してください" in page
    assert "自由記述欄をマスクせずに掲載した。" in page  # kept
    assert 'value="百三十"' in page
    assert re.search(r'id="id_sensitive"[^>]*checked|checked[^>]*id="id_sensitive"', page)


def test_an_attack_gets_60_days(kouchou_client):
    kouchou_client.post(CREATE, form_data(sensitive="", persons="3", improper_purpose="on"))

    incident = Incident.objects.get()
    page = kouchou_client.get(reverse("staff:incident_detail", args=[incident.pk])).content.decode()
    assert "報告対象（施行規則43条3号）" in page
    assert "2027年1月28日（令和9年）まで（発覚日を1日目として60日以内）" in page  # 11/30 + 59 days


def test_editing_the_facts_judges_again(kouchou_client, kouchou):
    incident = record(kouchou, persons=100)
    url = reverse("staff:incident_edit", args=[incident.pk])
    assert 'value="100"' in kouchou_client.get(url).content.decode()
    data = form_data(
        title=incident.title,
        discovered_at=timezone.localtime(incident.discovered_at).strftime("%Y-%m-%dT%H:%M"),
        persons="101",
        sensitive="",
    )

    response = kouchou_client.post(url, data)

    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.persons == 101
    event = AuditEvent.objects.get(action="incident.update")
    assert "報告対象外 → 報告対象（43条4号）" in event.summary


# ---- Reports, notice, closure on the detail page ----


def test_reports_notice_and_closure_through_the_page(kouchou_client, kouchou):
    incident = record(kouchou, sensitive=True)
    detail = reverse("staff:incident_detail", args=[incident.pk])
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    refused = kouchou_client.post(
        reverse("staff:incident_report", args=[incident.pk]), {"report-kind": "final", "report-sent_at": now}
    )
    assert refused.status_code == 400
    assert "確報の前に速報を記録してください" in refused.content.decode()
    assert 'id="id_report-kind_field"' in refused.content.decode()

    steps = [
        ("incident_report", {"report-kind": "preliminary", "report-sent_at": now, "report-note": "フォームで送信"}),
        ("incident_report", {"report-kind": "final", "report-sent_at": now}),
        ("incident_notice", {"notice-notice": "notified", "notice-notice_at": now, "notice-method": "メール"}),
        ("incident_close", {"close-note": "再発防止策を実施した。", "close-confirm": "on"}),
    ]
    for name, data in steps:
        response = kouchou_client.post(reverse(f"staff:{name}", args=[incident.pk]), data)
        assert response.status_code == 302, (name, response.content.decode()[:2000])
        assert response["Location"] == detail

    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED
    page = kouchou_client.get(detail).content.decode()
    timeline = page[page.index('data-testid="timeline"') :]
    labels = ["事案を記録", "個人情報保護委員会への報告を記録", "本人への対応を記録", "終結"]
    positions = [timeline.index(label) for label in labels]
    assert positions == sorted(positions)
    assert reverse("staff:incident_edit", args=[incident.pk]) not in page  # closed: read only


def test_closing_needs_the_check_box_and_keeps_the_note(kouchou_client, kouchou):
    incident = record(kouchou)

    response = kouchou_client.post(reverse("staff:incident_close", args=[incident.pk]), {"close-note": "削除を確認。"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "終結する前に、確認の欄を選んでください。" in page
    assert "削除を確認。" in page
    incident.refresh_from_db()
    assert incident.is_open


def test_a_reportable_incident_shows_what_blocks_closing(kouchou_client, kouchou):
    incident = record(kouchou, financial_harm=True)

    page = kouchou_client.get(reverse("staff:incident_detail", args=[incident.pk])).content.decode()

    blockers = page[page.index('data-testid="close-blockers"') :]
    assert "個人情報保護委員会への速報" in blockers
    assert "本人への通知（または通知が困難な場合の代替措置）" in blockers
    assert "本人へ速やかに通知します" in page


# ---- The list ----


def test_the_list_puts_overdue_first_and_says_the_days_left_in_words(kouchou_client, kouchou):
    calm = record(kouchou, days_ago=0, title="今日分かった事案", persons=150)
    none = record(kouchou, days_ago=50, title="報告義務のない事案")
    late = record(kouchou, days_ago=35, title="確報が遅れている事案", sensitive=True)
    incident_report_record(
        actor=kouchou, incident=late, kind="preliminary", sent_at=timezone.now() - datetime.timedelta(days=33)
    )
    attack = record(kouchou, days_ago=40, title="不正アクセス", improper_purpose=True)
    closed = record(kouchou, days_ago=60, title="終結した事案")
    closed.status = Incident.Status.CLOSED
    closed.closed_at = timezone.now()
    closed.save()

    page = kouchou_client.get(LIST).content.decode()

    open_part = page[: page.index('id="closed-incidents"')]
    order = [open_part.index(i.number) for i in (attack, late, calm, none)]
    assert order == sorted(order)
    assert closed.number not in open_part
    assert closed.number in page[page.index('id="closed-incidents"') :]
    assert "目安を36日過ぎています" in page
    assert "期限を6日過ぎています" in page
    assert "目安まであと4日" in page
    assert "あと29日" in page
    assert "あと19日" in page  # 60 days for the attack
    assert "—（報告義務なし）" in page
    assert "期限超過：速報待ち" in page
    assert "期限超過：確報待ち" in page
    assert page.count('class="overdue"') == 2


# ---- CSV ----


def test_the_csv_download_is_the_register_and_is_audited(kouchou_client, kouchou):
    record(kouchou, sensitive=True, title="誤送信")
    record(kouchou, days_ago=3, title="紛失")

    response = kouchou_client.get(CSV)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="incidents-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["件名"] for r in rows] == ["紛失", "誤送信"]  # by 発覚, oldest first
    assert rows[1]["報告義務"] == "報告対象（施行規則43条1号）"
    assert rows[1]["期限までの残り"] == "速報：目安まであと3日／確報：あと28日"
    event = AuditEvent.objects.get(action="incident.export")
    assert event.actor_id == kouchou.pk
    assert event.after == {"count": 2}


# ---- In a browser: axe ----


@pytest.mark.e2e
def test_the_pages_pass_axe(browser, live_server, roles):
    from tests.support.browser import axe_violations, page_as

    # The live server needs committed rows, and a transactional flush earlier in
    # the run removes the role groups (the roles fixture makes them again): a
    # user made before that would hold no role and see 403 pages (seen in CI).
    kouchou = StaffUserFactory(roles=[KOUCHOU])
    incident = record(kouchou, sensitive=True, days_ago=10)
    page = page_as(browser, live_server, kouchou)
    try:
        for path in (LIST, CREATE, reverse("staff:incident_detail", args=[incident.pk])):
            assert page.goto(live_server.url + path).status == 200, path  # the page itself, not a 403
            assert page.locator("html").get_attribute("lang") == "ja"
            assert axe_violations(page) == [], path
        page.goto(live_server.url + CREATE)
        page.get_by_role("button", name="記録する", exact=True).click()
        assert page.locator(".error-summary").is_visible()
        assert axe_violations(page) == []
        page.goto(live_server.url + reverse("staff:incident_detail", args=[incident.pk]))
        page.get_by_role("button", name="報告を記録する").click()
        assert page.locator(".error-summary").is_visible()
        assert axe_violations(page) == []
    finally:
        page.context.close()
