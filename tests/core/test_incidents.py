"""The 漏えい等事案 register's services and selectors: record, judge, report, notify, close, CSV."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import KOUCHOU
from core.incidents.models import Incident
from core.incidents.selectors import (
    CSV_HEADER,
    incident_counts,
    incident_register_csv,
    incident_row,
    incident_rows_open,
    incident_timeline,
)
from core.incidents.services import (
    IncidentFacts,
    close_blockers,
    incident_close,
    incident_create,
    incident_notice_record,
    incident_report_record,
    incident_update,
)
from core.models import AuditEvent
from tests.accounts.factories import StaffUserFactory

JST = datetime.timezone(datetime.timedelta(hours=9))
R = Incident.Report
# One moment for every default, so saving the same facts again changes nothing.
DISCOVERED = timezone.now() - datetime.timedelta(days=1)


@pytest.fixture
def kouchou(db):
    return StaffUserFactory(roles=[KOUCHOU])


def at(year, month, day, hour=9, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=JST)


def facts(**changes) -> IncidentFacts:
    values = {
        "title": "回答メールの誤送信",
        "discovered_at": DISCOVERED,
        "description": "市長への手紙の回答を別の方のメールアドレスに送った。",
        "data_items": "氏名、メールアドレス、手紙の本文",
        "persons": 1,
        "systems": "市長への手紙の回答送付",
        "containment": "誤送信先に削除を依頼し、削除を確認した。",
    }
    return IncidentFacts(**{**values, **changes})


def audit(incident, action):
    return AuditEvent.objects.filter(target_type="core.incident", target_id=str(incident.pk), action=action)


# ---- Recording and judging ----


def test_recording_numbers_by_fiscal_year_and_audits_the_judgment(kouchou):
    first = incident_create(actor=kouchou, facts=facts(discovered_at=at(2025, 4, 1), sensitive=True))
    second = incident_create(actor=kouchou, facts=facts(discovered_at=at(2026, 3, 31)))
    next_year = incident_create(actor=kouchou, facts=facts(discovered_at=at(2026, 4, 1)))

    assert (first.number, second.number, next_year.number) == ("INC-2025-001", "INC-2025-002", "INC-2026-001")
    assert first.recorded_by == kouchou
    row = audit(first, "incident.create").get()
    assert row.actor_id == kouchou.pk
    assert row.after["triggers"] == ["sensitive"]
    assert row.after["reportable"] is True
    assert row.after["final_by"] == "2025-04-30"  # 4/1 is day 1 of 30
    assert row.after["preliminary_by"] == "2025-04-05"
    assert "報告対象（43条1号）" in row.summary
    assert audit(second, "incident.create").get().after["reportable"] is False


def test_recording_refuses_bad_facts_per_field(kouchou):
    with pytest.raises(ValidationError) as caught:
        incident_create(
            actor=kouchou,
            facts=facts(
                title="  ",
                persons=0,
                discovered_at=timezone.now() + datetime.timedelta(days=2),
                occurred_at=timezone.now() + datetime.timedelta(days=3),
            ),
        )

    errors = caught.value.message_dict
    assert set(errors) >= {"title", "persons", "discovered_at", "occurred_at"}
    assert "件名を入力してください" in errors["title"][0]
    assert "未来の日時" in errors["discovered_at"][0]
    assert not Incident.objects.exists()
    assert not AuditEvent.objects.filter(action="incident.create").exists()


def test_occurrence_after_discovery_is_refused(kouchou):
    with pytest.raises(ValidationError) as caught:
        incident_create(actor=kouchou, facts=facts(discovered_at=at(2026, 12, 1), occurred_at=at(2026, 12, 2)))

    assert "発覚日時より後" in caught.value.message_dict["occurred_at"][0]


def test_a_change_of_facts_judges_again_at_the_threshold(kouchou):
    incident = incident_create(actor=kouchou, facts=facts(persons=100))
    assert not incident_row(incident).evaluation.reportable

    incident = incident_update(actor=kouchou, incident=incident, facts=facts(persons=101))

    assert incident_row(incident).evaluation.reportable
    row = audit(incident, "incident.update").get()
    assert row.before == {"persons": 100, "triggers": [], "reportable": False}
    assert row.after["persons"] == 101
    assert row.after["triggers"] == ["over_threshold"]
    assert "本人の数" in row.summary
    assert "報告対象外 → 報告対象（43条4号）" in row.summary


def test_an_unchanged_save_writes_nothing(kouchou):
    incident = incident_create(actor=kouchou, facts=facts())
    incident_update(actor=kouchou, incident=incident, facts=facts(discovered_at=incident.discovered_at))

    assert not audit(incident, "incident.update").exists()


# ---- Reports to the 個人情報保護委員会 ----


def test_preliminary_then_final_report(kouchou):
    incident = incident_create(actor=kouchou, facts=facts(sensitive=True))
    sent = timezone.now() - datetime.timedelta(hours=2)

    incident = incident_report_record(
        actor=kouchou, incident=incident, kind=R.PRELIMINARY, sent_at=sent, note="フォームで送信"
    )
    row = incident_row(incident)
    assert row.preliminary.done_at == sent
    assert row.final.pending
    assert row.preliminary.text.startswith("報告済み（")

    incident = incident_report_record(actor=kouchou, incident=incident, kind=R.FINAL, sent_at=timezone.now())
    assert not incident_row(incident).pending_terms
    reports = audit(incident, "incident.report").order_by("pk")
    assert [r.after["kind"] for r in reports] == ["preliminary", "final"]
    assert reports[0].summary.startswith("速報（") and "フォームで送信" in reports[0].summary


def test_one_report_can_serve_as_both(kouchou):
    incident = incident_create(actor=kouchou, facts=facts(financial_harm=True))
    sent = timezone.now()

    incident = incident_report_record(actor=kouchou, incident=incident, kind=R.BOTH, sent_at=sent)

    assert incident.preliminary_reported_at == incident.final_reported_at == sent


@pytest.mark.parametrize(
    ("first", "then", "field", "message"),
    [
        (None, R.FINAL, "kind", "確報の前に速報を記録してください"),
        (R.PRELIMINARY, R.PRELIMINARY, "kind", "速報は既に記録されています"),
        (R.BOTH, R.FINAL, "kind", "確報は既に記録されています"),
        (R.PRELIMINARY, R.BOTH, "kind", "速報は既に記録されています"),
    ],
)
def test_reports_are_recorded_once_and_in_order(kouchou, first, then, field, message):
    incident = incident_create(actor=kouchou, facts=facts(sensitive=True))
    if first:
        incident = incident_report_record(actor=kouchou, incident=incident, kind=first, sent_at=timezone.now())
    written = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as caught:
        incident_report_record(actor=kouchou, incident=incident, kind=then, sent_at=timezone.now())

    assert message in caught.value.message_dict[field][0]
    assert AuditEvent.objects.count() == written


def test_report_times_must_fall_between_discovery_and_now(kouchou):
    incident = incident_create(actor=kouchou, facts=facts(sensitive=True, discovered_at=at(2026, 11, 8)))
    for sent_at, message in (
        (at(2026, 11, 7), "発覚日時より前にできません"),
        (timezone.now() + datetime.timedelta(days=1), "未来の日時"),
    ):
        with pytest.raises(ValidationError) as caught:
            incident_report_record(actor=kouchou, incident=incident, kind=R.PRELIMINARY, sent_at=sent_at)
        assert message in caught.value.message_dict["sent_at"][0]

    incident_report_record(actor=kouchou, incident=incident, kind=R.PRELIMINARY, sent_at=at(2026, 11, 10))
    with pytest.raises(ValidationError) as caught:
        incident_report_record(actor=kouchou, incident=incident, kind=R.FINAL, sent_at=at(2026, 11, 9))
    assert "速報の日時" in caught.value.message_dict["sent_at"][0]


# ---- 本人への通知 ----


def test_notice_needs_the_method_or_the_reason_and_the_substitute(kouchou):
    incident = incident_create(actor=kouchou, facts=facts(sensitive=True))
    with pytest.raises(ValidationError) as caught:
        incident_notice_record(actor=kouchou, incident=incident, notice="notified", notice_at=timezone.now())
    assert "通知の方法を入力してください" in caught.value.message_dict["method"][0]
    with pytest.raises(ValidationError) as caught:
        incident_notice_record(actor=kouchou, incident=incident, notice="substitute", notice_at=timezone.now())
    assert set(caught.value.message_dict) == {"difficulty", "substitute"}

    incident = incident_notice_record(
        actor=kouchou, incident=incident, notice="notified", notice_at=timezone.now(), method="メールで通知（1人）"
    )
    incident = incident_notice_record(
        actor=kouchou,
        incident=incident,
        notice="substitute",
        notice_at=timezone.now(),
        method="使わない",
        difficulty="一部の方の連絡先を保有していない。",
        substitute="市ホームページで公表し、問い合わせ窓口を設けた。",
    )

    assert incident.notice == "substitute"
    assert incident.notice_method == ""  # only what the choice asks is kept
    rows = audit(incident, "incident.notice").order_by("pk")
    assert rows[0].before is None
    assert rows[1].before["notice"] == "notified"
    assert rows[1].after["notice_substitute"].startswith("市ホームページ")
    assert "通知が困難なため代替措置をとった" in rows[1].summary


# ---- Closing ----


def test_a_reportable_incident_closes_only_when_reported_and_notified(kouchou):
    incident = incident_create(actor=kouchou, facts=facts(improper_purpose=True))
    assert len(close_blockers(incident)) == 3
    with pytest.raises(ValidationError) as caught:
        incident_close(actor=kouchou, incident=incident, note="対応を終えた。")
    assert "速報" in caught.value.messages[0] and "本人への通知" in caught.value.messages[0]

    incident = incident_report_record(actor=kouchou, incident=incident, kind=R.BOTH, sent_at=timezone.now())
    incident = incident_notice_record(
        actor=kouchou, incident=incident, notice="notified", notice_at=timezone.now(), method="郵送"
    )
    assert close_blockers(incident) == []
    incident = incident_close(actor=kouchou, incident=incident, note="不正アクセスの経路を塞ぎ、再発防止策を実施した。")

    assert incident.status == Incident.Status.CLOSED
    assert audit(incident, "incident.close").get().after["status"] == "closed"
    for write in (
        lambda: incident_update(actor=kouchou, incident=incident, facts=facts(title="別の件名")),
        lambda: incident_close(actor=kouchou, incident=incident, note="もう一度"),
        lambda: incident_notice_record(
            actor=kouchou, incident=incident, notice="notified", notice_at=timezone.now(), method="郵送"
        ),
    ):
        with pytest.raises(ValidationError, match="終結した事案は変更できません"):
            write()


def test_an_incident_without_an_obligation_closes_with_a_note(kouchou):
    incident = incident_create(actor=kouchou, facts=facts())
    with pytest.raises(ValidationError) as caught:
        incident_close(actor=kouchou, incident=incident, note="")
    assert "note" in caught.value.message_dict

    incident_close(actor=kouchou, incident=incident, note="誤送信先で削除を確認した。")


# ---- The list and the timeline ----


def test_open_incidents_overdue_first_then_by_the_nearest_term(kouchou):
    today = timezone.localdate()
    now = timezone.now()

    def recorded(days_ago, **changes):
        return incident_create(
            actor=kouchou, facts=facts(discovered_at=now - datetime.timedelta(days=days_ago), **changes)
        )

    none = recorded(50)  # no obligation: last
    soon = recorded(0, persons=150)  # 速報 target in 4 days
    attack = recorded(40, improper_purpose=True)  # 速報 36 days past its target; 確報 (60) in 19 days
    late_final = recorded(35, sensitive=True)  # 確報 6 days late once the 速報 is in
    late_final = incident_report_record(
        actor=kouchou, incident=late_final, kind=R.PRELIMINARY, sent_at=now - datetime.timedelta(days=33)
    )
    due_today = recorded(4, financial_harm=True)  # day 5: the last day of the target
    done = recorded(10, sensitive=True)
    done = incident_report_record(actor=kouchou, incident=done, kind=R.BOTH, sent_at=now)

    rows = incident_rows_open(today=today)

    assert [r.incident.pk for r in rows] == [attack.pk, late_final.pk, due_today.pk, soon.pk, done.pk, none.pk]
    text = {r.incident.pk: (r.preliminary and r.preliminary.text, r.final and r.final.text) for r in rows}
    assert text[attack.pk] == ("目安を36日過ぎています", "あと19日")
    assert text[late_final.pk][1] == "期限を6日過ぎています"
    assert text[due_today.pk][0] == "本日が目安の最終日"
    assert text[soon.pk] == ("目安まであと4日", "あと29日")
    assert text[none.pk] == (None, None)
    assert [r.overdue for r in rows] == [True, True, False, False, False, False]
    assert incident_counts(today=today).__dict__ == {"open": 6, "overdue": 2}


def test_a_final_term_on_its_last_day():
    incident = Incident(discovered_at=at(2026, 12, 8), persons=1, sensitive=True)

    row = incident_row(incident, today=datetime.date(2027, 1, 6))

    assert row.final.text == "本日が期限"
    assert row.final.days_left == 0
    assert row.preliminary.text == "目安を25日過ぎています"


def test_the_timeline_is_the_audit_rows_in_order(kouchou):
    incident = incident_create(actor=kouchou, facts=facts(sensitive=True))
    incident = incident_update(actor=kouchou, incident=incident, facts=facts(sensitive=True, persons=3))
    incident = incident_report_record(actor=kouchou, incident=incident, kind=R.PRELIMINARY, sent_at=timezone.now())

    timeline = incident_timeline(incident=incident)

    assert [e["label"] for e in timeline] == ["事案を記録", "内容を変更", "個人情報保護委員会への報告を記録"]
    assert all(e["actor"] == str(kouchou) for e in timeline)


# ---- CSV ----


def test_the_register_as_csv(kouchou):
    attack = incident_create(
        actor=kouchou,
        facts=facts(
            title="=不正アクセス",
            improper_purpose=True,
            persons=120,
            persons_estimated=True,
            discovered_at=at(2026, 11, 8),
        ),
    )
    incident_report_record(actor=kouchou, incident=attack, kind=R.PRELIMINARY, sent_at=at(2026, 11, 9, 15, 30))
    incident_create(actor=kouchou, facts=facts(discovered_at=at(2026, 11, 1)))

    content, count = incident_register_csv(today=datetime.date(2026, 11, 20))

    assert count == 2
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(CSV_HEADER)
    older, row = rows
    assert older["報告義務"] == "報告対象外"
    assert row["件名"] == "'=不正アクセス"  # formula guard (core.exports)
    assert row["報告義務"] == "報告対象（施行規則43条3号・4号）"
    assert row["本人の数"] == "120"
    assert row["本人の数は推定"] == "はい"
    assert row["速報の日時"] == "2026-11-09 15:30"
    assert row["確報の期限"] == "2027-01-06"  # 60 days for 不正の目的
    assert row["期限までの残り"] == "確報：あと47日"
    assert row["状態"] == "対応中"
