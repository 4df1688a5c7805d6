"""Applying: eligibility from the registry, 受付番号, receipt mail, the kept ineligible application, withdrawal."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from committees.models import Application
from committees.services.applications import RoundClosed, application_submit, application_withdraw
from core.models import AuditEvent
from tests.committees.factories import CommitteeFactory, MemberFactory, RoundFactory

pytestmark = pytest.mark.django_db


def apply(recruitment, **overrides):
    values = dict(
        recruitment=recruitment,
        name="川口 花子",
        birth_date=datetime.date(1985, 4, 1),
        address="川口市青木2-1-1",
        residence="lives",
        declaration=True,
        essay="地域の声を市政に届けたいと考え、応募します。",
        email="hanako@example.jp",
    )
    return application_submit(**{**values, **overrides})


def test_an_application_gets_a_receipt_number_an_audit_row_and_one_receipt_mail(
    city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(city["round_a"], applicant=city["resident"])
    assert application.receipt_number.startswith("KB-")
    assert application.eligible and application.ineligible_reasons == []
    assert AuditEvent.objects.filter(action="committee.application.submit", target_id=str(application.pk)).exists()
    assert len(mail.outbox) == 1
    assert application.receipt_number in mail.outbox[0].subject
    assert "市民参加推進審議会" in mail.outbox[0].body
    from committees.services.applications import application_receipt_send

    assert application_receipt_send(application_id=application.pk) is False  # sent once only
    assert len(mail.outbox) == 1


def test_an_ineligible_application_is_kept_with_its_reasons_and_counted(city):
    application = apply(
        city["round_a"], birth_date=datetime.date.today() - datetime.timedelta(days=365 * 17), residence="none"
    )
    assert not application.eligible
    assert len(application.ineligible_reasons) == 2
    assert Application.objects.filter(round=city["round_a"]).count() == 1


def test_seats_held_elsewhere_in_the_registry_are_counted_for_the_same_person(city):
    term_start = city["round_a"].term_start
    for _ in range(3):
        MemberFactory(
            committee=CommitteeFactory(),
            name="川口　花子",  # typed with a full-width space in the registry
            birth_date=datetime.date(1985, 4, 1),
            term_start=term_start - datetime.timedelta(days=100),
            term_end=term_start + datetime.timedelta(days=300),
        )
    # A namesake born on another day is another person.
    MemberFactory(name="川口 花子", birth_date=datetime.date(1990, 1, 1), term_start=term_start, term_end=term_start)
    application = apply(city["round_a"])
    assert application.concurrent_seats == 3 and not application.eligible
    assert "兼職は3 つまで" in application.ineligible_reasons[0]


def test_tenure_on_the_same_committee_counts_from_the_registry(city):
    committee = city["a"]
    start = city["round_a"].term_start
    MemberFactory(
        committee=committee,
        name="川口 花子",
        birth_date=None,
        term_start=start.replace(year=start.year - 10),
        term_end=start - datetime.timedelta(days=1),
    )
    application = apply(city["round_a"])
    assert application.tenure_months == 120 and not application.eligible


def test_the_essay_length_is_checked_in_code_points(city):
    recruitment = RoundFactory(essay_min_chars=5, essay_max_chars=6)
    assert apply(recruitment, essay="𠮷野家の話").essay == "𠮷野家の話"
    with pytest.raises(ValidationError) as short:
        apply(recruitment, essay="短い")
    assert "5文字以上" in short.value.messages[0]
    with pytest.raises(ValidationError) as long:
        apply(recruitment, essay="あ" * 7)
    assert "6文字以内" in long.value.messages[0]


def test_a_closed_round_refuses_web_applications_but_takes_paper_ones(city):
    recruitment = city["round_a"]
    recruitment.notice_ends_on = datetime.date.today() - datetime.timedelta(days=1)
    recruitment.notice_starts_on = recruitment.notice_ends_on - datetime.timedelta(days=21)
    recruitment.save()
    with pytest.raises(RoundClosed):
        apply(recruitment)
    paper = apply(recruitment, channel=Application.Channel.PAPER, actor=city["secretariat_a"], email="", essay="")
    assert paper.channel == "paper" and paper.eligible


def test_the_applicant_withdraws_their_own_application_only(city):
    application = apply(city["round_a"], applicant=city["resident"])
    with pytest.raises(ValidationError):
        application_withdraw(actor=city["kouchou"], application=application)
    application_withdraw(actor=city["resident"], application=application)
    application.refresh_from_db()
    assert application.outcome == Application.Outcome.WITHDRAWN
