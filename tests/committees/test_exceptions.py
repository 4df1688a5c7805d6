"""例外件数: a seat beyond the 兼職 or 在任期間 cap is given only with its recorded reason, audited, and counted in public.

The appointment of an over-cap applicant is refused without 例外の区分 and
理由 (with every cap named), recorded and counted with them; a member named
by the city (the admin site) is held to the same caps; the public page,
CSV, XLSX and API show the counts per 年度 and per committee and never the
person or the reason.
"""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import ADMIN
from committees.models import Application, CommitteeMember
from committees.selectors.report import composition, ratio_report
from committees.services.applications import application_submit
from committees.services.rounds import member_record
from committees.services.selection import application_appoint
from core.models import AuditEvent
from core.wareki import fiscal_year
from tests.accounts.factories import StaffUserFactory
from tests.committees.factories import ApplicationFactory, CommitteeFactory, MemberFactory, close_notice
from tests.support.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

NAME = "兼職 多恵"
BIRTH = datetime.date(1960, 7, 7)
REASON = "都市計画の専門的知見をもつ委員がほかに得られないため（元〇〇大学教授）"


def _seats_elsewhere(recruitment, n=3):
    """``n`` seats on other committees held on the round's 委嘱日, by the same person (name spaced differently)."""
    for _ in range(n):
        MemberFactory(
            committee=CommitteeFactory(),
            name="兼職　多恵",
            birth_date=BIRTH,
            term_start=recruitment.term_start - datetime.timedelta(days=365),
            term_end=recruitment.term_start + datetime.timedelta(days=365),
        )


def _apply(recruitment, **overrides):
    values = {
        "recruitment": recruitment,
        "name": NAME,
        "birth_date": BIRTH,
        "address": "川口市青木2-1-1",
        "residence": "lives",
        "declaration": True,
        "essay": "市民参加をすすめたいと考えて応募しました。",
        "email": "tae@example.jp",
        **overrides,
    }
    return application_submit(**values)


@pytest.fixture
def over_seat_cap(city):
    """An applicant to 市民参加推進審議会 who already holds 3 seats (the cap) on its 委嘱日; the notice is over."""
    recruitment = city["round_a"]
    _seats_elsewhere(recruitment)
    application = _apply(recruitment)
    close_notice(recruitment)
    return recruitment, application


def test_the_seat_cap_makes_an_applicant_ineligible_for_that_reason_alone(over_seat_cap):
    _recruitment, application = over_seat_cap
    assert not application.eligible and application.concurrent_seats == 3
    assert application.ineligible_reasons == ["委嘱日に既に3 つの附属機関等の委員を務めています（兼職は3 つまで）。"]
    assert application.ineligible_for_caps_only


def test_an_appointment_over_the_seat_cap_without_a_reason_is_refused_naming_the_cap(city, over_seat_cap):
    _recruitment, application = over_seat_cap
    with pytest.raises(ValidationError) as refused:
        application_appoint(actor=city["secretariat_a"], application=application)
    message = " ".join(refused.value.messages)
    assert "兼職は3 つまで" in message
    assert "上限を超えて委嘱するには、例外の区分と例外の理由を記録してください" in message
    with pytest.raises(ValidationError, match="例外の区分を選んでください"):
        application_appoint(
            actor=city["secretariat_a"], application=application, exception_basis="", exception_reason=REASON
        )
    with pytest.raises(ValidationError, match="例外の理由"):
        application_appoint(
            actor=city["secretariat_a"], application=application, exception_basis="expertise", exception_reason="　"
        )
    application.refresh_from_db()
    assert application.outcome == Application.Outcome.PENDING
    assert not CommitteeMember.objects.filter(application=application).exists()


def test_with_a_reason_the_appointment_is_recorded_audited_and_counted(city, over_seat_cap):
    recruitment, application = over_seat_cap
    application_appoint(
        actor=city["secretariat_a"], application=application, exception_basis="expertise", exception_reason=REASON
    )
    member = CommitteeMember.objects.get(application=application)
    assert member.is_public and member.over_concurrent_cap and not member.over_tenure_cap
    assert (member.exception_basis, member.exception_reason) == ("expertise", REASON)
    event = AuditEvent.objects.get(action="committee.member.create", target_id=str(member.pk))
    assert "兼職上限超え（例外：専門的知見が必要）" in event.summary
    assert event.after["exception"] == {
        "over_concurrent_cap": True,
        "over_tenure_cap": False,
        "basis": "expertise",
        "concurrent_seats": 3,
        "max_concurrent_seats": 3,
        "tenure_months": 0,
        "max_tenure_years": 10,
    }
    # Neither the person nor the reason's text is in the audit row.
    assert NAME not in str(event.summary) + str(event.after) and REASON not in str(event.after)
    assert AuditEvent.objects.get(action="committee.application.appoint").summary == "上限の例外として選任"
    year = fiscal_year(recruitment.term_start)
    report = ratio_report()
    assert report.exceptions_of(year).as_json() == {"concurrent_seats": 1, "tenure": 0}
    assert ratio_report(committee=city["b"]).exceptions_of(year).as_json() == {"concurrent_seats": 0, "tenure": 0}


def test_other_reasons_still_refuse_even_with_a_reason(city):
    recruitment = city["round_a"]
    _seats_elsewhere(recruitment)
    application = _apply(recruitment, is_city_staff=True)
    close_notice(recruitment)
    assert len(application.ineligible_reasons) == 2 and not application.ineligible_for_caps_only
    with pytest.raises(ValidationError, match="応募資格がない応募者は選任できません"):
        application_appoint(
            actor=city["secretariat_a"], application=application, exception_basis="expertise", exception_reason=REASON
        )


def test_a_lottery_round_does_not_appoint_an_applicant_who_was_not_drawn(city, over_seat_cap):
    recruitment, application = over_seat_cap
    recruitment.selection_method = "lottery"
    recruitment.save(update_fields=["selection_method"])
    with pytest.raises(ValidationError, match="抽選の対象にならなかった"):
        application_appoint(
            actor=city["secretariat_a"], application=application, exception_basis="expertise", exception_reason=REASON
        )


def test_a_cap_reached_since_applying_is_counted_again_at_appointment(city):
    recruitment = city["round_a"]
    application = _apply(recruitment)
    assert application.eligible
    _seats_elsewhere(recruitment)  # appointed elsewhere after applying
    close_notice(recruitment)
    with pytest.raises(ValidationError, match="兼職は3 つまで"):
        application_appoint(actor=city["secretariat_a"], application=application)
    application_appoint(
        actor=city["secretariat_a"], application=application, exception_basis="other", exception_reason=REASON
    )
    assert CommitteeMember.objects.get(application=application).over_concurrent_cap


def test_a_member_kept_beyond_the_tenure_cap_needs_a_reason_and_is_counted(city):
    committee = city["a"]
    start = datetime.date(fiscal_year(datetime.date.today()), 4, 1)  # a term serving today
    # Ten years on this committee up to the new term: five earlier two-year terms.
    for n in range(5):
        first = start.replace(year=start.year - 10 + 2 * n)
        MemberFactory(
            committee=committee,
            name="在任 長男",
            birth_date=BIRTH,
            term_start=first,
            term_end=first.replace(year=first.year + 2) - datetime.timedelta(days=1),
        )
    values = {
        "actor": city["admin"],
        "committee": committee,
        "name": "在任 長男",
        "birth_date": BIRTH,
        "gender": "male",
        "term_start": start,
        "term_end": start.replace(year=start.year + 2) - datetime.timedelta(days=1),
    }
    with pytest.raises(ValidationError, match="通算10年0か月で、上限の10年に達しています"):
        member_record(**values)
    member = member_record(
        **values, exception_basis="ex_officio", exception_reason="川口市〇〇条例第3条により会長職を充てる"
    )
    assert member.over_tenure_cap and not member.over_concurrent_cap and not member.is_public
    assert ratio_report().exceptions_of(fiscal_year(start)).as_json() == {"concurrent_seats": 0, "tenure": 1}
    serving = {row.committee.pk if row.committee else None: row for row in composition()}
    assert serving[committee.pk].exceptions.tenure == 1 and serving[None].exceptions.tenure == 1
    assert serving[city["b"].pk].exceptions.tenure == 0


def test_a_seat_within_the_caps_drops_a_reason_given_anyway(city):
    member = member_record(
        actor=city["admin"],
        committee=city["a"],
        name="普通 一郎",
        term_start=datetime.date(2025, 4, 1),
        term_end=datetime.date(2027, 3, 31),
        exception_basis="expertise",
        exception_reason=REASON,
    )
    assert not member.is_exception and member.exception_reason == ""


def test_exceptions_extend_the_table_but_not_the_indicator_years(city):
    committee = city["a"]
    MemberFactory(
        committee=committee,
        term_start=datetime.date(2012, 4, 1),
        term_end=datetime.date(2014, 3, 31),
        over_concurrent_cap=True,
        exception_basis="expertise",
        exception_reason="当時の記録",
    )
    report = ratio_report(today=datetime.date(2026, 12, 2))
    assert report.years[0].fiscal_year == 2012
    assert report.exceptions_of(2012).concurrent_seats == 1
    assert report.ratio_years[0].fiscal_year == report.ratio_first > 2012


# ---- Pages ----


def test_the_secretariat_appoints_beyond_the_cap_from_the_application_page(client, city, over_seat_cap):
    recruitment, application = over_seat_cap
    client.force_login(city["secretariat_a"])
    table = client.get(reverse("staff:committee_round", args=[recruitment.pk])).content.decode()
    assert "を上限の例外として選任する（理由の記録）" in table
    page = client.get(reverse("staff:committee_application", args=[application.pk])).content.decode()
    assert 'id="exception"' in page and "兼職は3 つまで" in page and "例外の理由" in page
    url = reverse("staff:committee_application_appoint", args=[application.pk])
    refused = client.post(url, {"exception_basis": "expertise", "exception_reason": ""})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "入力内容に1件の問題があります" in body and "例外の理由を入力してください。" in body
    assert "<title>エラー：" in body
    done = client.post(url, {"exception_basis": "expertise", "exception_reason": REASON})
    assert done.status_code == 302
    member = CommitteeMember.objects.get(application=application)
    assert member.over_concurrent_cap
    roster = client.get(reverse("staff:committee_detail", args=[city["a"].pk])).content.decode()
    assert "兼職上限超え" in roster and REASON in roster


def test_the_plain_button_for_a_cap_reached_since_applying_leads_to_the_reason(client, city):
    recruitment = city["round_a"]
    application = _apply(recruitment)
    _seats_elsewhere(recruitment)
    close_notice(recruitment)
    client.force_login(city["secretariat_a"])
    response = client.post(reverse("staff:committee_application_appoint", args=[application.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/staff/committees/applications/{application.pk}/#exception")
    application.refresh_from_db()
    assert application.outcome == Application.Outcome.PENDING


def test_another_secretariat_cannot_appoint_as_an_exception(client, city, over_seat_cap):
    _recruitment, application = over_seat_cap
    client.force_login(city["secretariat_b"])
    url = reverse("staff:committee_application_appoint", args=[application.pk])
    assert client.post(url, {"exception_basis": "expertise", "exception_reason": REASON}).status_code == 404


def test_the_public_page_files_and_api_show_the_counts_and_no_person(client, city, over_seat_cap):
    recruitment, application = over_seat_cap
    application_appoint(
        actor=city["secretariat_a"], application=application, exception_basis="expertise", exception_reason=REASON
    )
    today = datetime.date.today()
    MemberFactory(
        committee=city["b"],
        name="在任 長男",
        term_start=today - datetime.timedelta(days=10),
        term_end=today + datetime.timedelta(days=700),
        over_tenure_cap=True,
        exception_basis="ex_officio",
        exception_reason="法令で充て職",
    )
    appointed_in = fiscal_year(recruitment.term_start)
    kept_in = fiscal_year(today - datetime.timedelta(days=10))
    page = client.get(reverse("committees:ratios")).content.decode()
    assert "例外件数（兼職上限超え）" in page and "例外件数（在任期間超え）" in page
    for year in {appointed_in, kept_in}:
        year_row = next(r for r in page.split("</tr>") if f"{year}年度（" in r and "<td>" in r)
        expected = f"<td>{int(year == appointed_in)}</td><td>{int(year == kept_in)}</td>"
        assert year_row.rstrip().endswith(expected), year_row
    composition_row = next(r for r in page.split("</tr>") if '<th scope="row">環境審議会</th>\n      <td>' in r)
    assert "<td>0／1</td>" in composition_row
    year = appointed_in
    csv = client.get(reverse("committees:ratios_csv")).content.decode("utf-8-sig")
    header, *lines = csv.splitlines()
    assert header.endswith("例外件数（兼職上限超え）,例外件数（在任期間超え）")
    assert any(line.startswith(f"{year},") and line.split(",")[-2] == "1" for line in lines)
    only_b = client.get(reverse("committees:ratios_csv"), {"committee": city["b"].pk}).content.decode("utf-8-sig")
    assert not any(line.split(",")[-2] == "1" for line in only_b.splitlines()[1:])
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("committees:ratios_xlsx")).content))
    cells = [[c.value for c in row] for row in book.active.iter_rows()]
    assert any("例外件数（兼職上限超え）" in row for row in cells)
    api = client.get("/api/v1/committees/ratios/").json()
    assert next(y for y in api["years"] if y["fiscal_year"] == year)["exceptions"]["concurrent_seats"] == 1
    everything = page + csv + str(cells) + str(api)
    for private in (NAME, "兼職　多恵", "在任 長男", REASON, "法令で充て職", "1960"):
        assert private not in everything


# ---- Admin site ----


@pytest.fixture
def admin_client(client):
    client.force_login(StaffUserFactory(roles=[ADMIN], is_superuser=True, is_staff=True))
    return client


def _add_member_row(data: dict, **values) -> dict:
    total = int(data["members-TOTAL_FORMS"])
    data["members-TOTAL_FORMS"] = str(total + 1)
    fields = {
        "name": "",
        "birth_date": "",
        "gender": "na",
        "age_band": "na",
        "term_start": "",
        "term_end": "",
        "exception_basis": "",
        "exception_reason": "",
        **values,
    }
    for name, value in fields.items():
        if value is True:
            data[f"members-{total}-{name}"] = "on"
        elif value is not False:
            data[f"members-{total}-{name}"] = value
    return data


def test_a_member_named_in_the_admin_beyond_the_seat_cap_needs_the_flag_s_reason(admin_client, city):
    committee = city["a"]
    for _ in range(3):
        MemberFactory(
            committee=CommitteeFactory(),
            name="充て 職子",
            birth_date=BIRTH,
            term_start=datetime.date(2025, 4, 1),
            term_end=datetime.date(2027, 3, 31),
        )
    url = reverse("admin:committees_committee_change", args=[committee.pk])
    data = admin_form_data(admin_client.get(url).content.decode())
    row = {
        "name": "充て 職子",
        "birth_date": "1960-07-07",
        "term_start": "2026-04-01",
        "term_end": "2028-03-31",
    }
    refused = admin_client.post(url, _add_member_row(dict(data), **row))
    assert refused.status_code == 200
    assert "兼職は3 つまで" in refused.content.decode()
    assert not committee.members.exists()
    saved = admin_client.post(
        url,
        _add_member_row(
            dict(data), **row, exception_basis="ex_officio", exception_reason="〇〇法第5条により会長職を充てる"
        ),
    )
    assert saved.status_code == 302, [f.errors for f in saved.context["inline_admin_formsets"]]
    member = committee.members.get()
    assert member.over_concurrent_cap and member.exception_basis == "ex_officio"
    event = AuditEvent.objects.get(action="committee.member.create", target_id=str(member.pk))
    assert event.after["exception"]["concurrent_seats"] == 3
    assert ratio_report().exceptions_of(2026).concurrent_seats == 1


def test_an_admin_edit_of_a_member_is_audited_without_the_person(admin_client, city):
    member = MemberFactory(committee=city["a"], name="編集 一郎", birth_date=BIRTH)
    url = reverse("admin:committees_committee_change", args=[city["a"].pk])
    data = admin_form_data(admin_client.get(url).content.decode())
    data["members-0-name"] = "編集 一朗"
    data["members-0-gender"] = "male"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.name == "編集 一朗"
    event = AuditEvent.objects.get(action="committee.member.update")
    assert event.before == {"name": "（変更あり）", "gender": "na"} and event.after == {
        "name": "（変更あり）",
        "gender": "male",
    }
    assert "編集" not in event.summary


def test_a_factory_application_flagged_for_other_reasons_is_not_caps_only(city):
    application = ApplicationFactory(
        round=city["round_a"], eligible=False, ineligible_reasons=["市職員は応募できません。"]
    )
    assert not application.ineligible_for_caps_only
