"""Selection: scores, a lottery drawn once from a recorded seed, appointment into the registry, the decision and notices."""

import random
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from committees.models import Application, CommitteeMember
from committees.services.selection import (
    application_appoint,
    application_assessment_record,
    round_decide,
    round_lottery_draw,
)
from core.models import AuditEvent
from tests.committees.factories import ApplicationFactory, close_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicants(city):
    recruitment = city["round_a"]
    eligible = [ApplicationFactory(round=recruitment, email=f"a{n}@example.jp") for n in range(4)]
    ineligible = ApplicationFactory(round=recruitment, eligible=False, ineligible_reasons=["市職員は応募できません。"])
    by_post = ApplicationFactory(round=recruitment, email="")
    close_notice(recruitment)
    return recruitment, [*eligible, by_post], ineligible


def test_the_lottery_draws_among_the_eligible_and_reproduces_from_its_seed(city, applicants):
    recruitment, eligible, ineligible = applicants
    drawn = round_lottery_draw(actor=city["secretariat_a"], recruitment=recruitment, seed="公開抽選2026")
    numbers = sorted(a.receipt_number for a in eligible)
    random.Random("公開抽選2026").shuffle(numbers)
    assert drawn.lottery_order == numbers
    assert ineligible.receipt_number not in drawn.lottery_order
    positions = dict(Application.objects.filter(round=recruitment).values_list("receipt_number", "lottery_position"))
    assert [positions[n] for n in numbers] == list(range(1, len(numbers) + 1))
    assert positions[ineligible.receipt_number] is None
    event = AuditEvent.objects.get(action="committee.round.lottery")
    assert event.after == {"seed": "公開抽選2026", "order": numbers}
    with pytest.raises(ValidationError, match="実施済み"):
        round_lottery_draw(actor=city["secretariat_a"], recruitment=recruitment, seed="もう一度")


def test_a_lottery_without_a_seed_records_the_one_it_made(city, applicants):
    recruitment, _eligible, _ = applicants
    drawn = round_lottery_draw(actor=city["secretariat_a"], recruitment=recruitment)
    assert len(drawn.lottery_seed) == 16


def test_appointment_adds_a_public_member_and_stops_at_the_seats_offered(city, applicants):
    recruitment, eligible, ineligible = applicants
    actor = city["secretariat_a"]
    for application in eligible[:2]:
        application_appoint(actor=actor, application=application)
    member = CommitteeMember.objects.get(application=eligible[0])
    assert member.is_public and member.committee == city["a"]
    assert (member.term_start, member.term_end) == (recruitment.term_start, recruitment.term_end)
    assert member.age_band == "40s"
    with pytest.raises(ValidationError, match="募集人数（2人）まで選任済み"):
        application_appoint(actor=actor, application=eligible[2])
    with pytest.raises(ValidationError, match="応募資格がない"):
        application_appoint(actor=actor, application=ineligible)


def test_scores_and_interview_notes_are_recorded_and_audited(city, applicants):
    _recruitment, eligible, _ = applicants
    application_assessment_record(
        actor=city["secretariat_a"],
        application=eligible[0],
        score=Decimal("82.5"),
        interview_note="地域活動の経験が豊富",
    )
    eligible[0].refresh_from_db()
    assert eligible[0].score == Decimal("82.5")
    with pytest.raises(ValidationError):
        application_assessment_record(actor=city["secretariat_a"], application=eligible[0], score=Decimal("101"))
    assert AuditEvent.objects.filter(action="committee.application.assess").count() == 1


def test_deciding_notifies_every_applicant_by_mail_or_letter(city, applicants, django_capture_on_commit_callbacks):
    recruitment, eligible, ineligible = applicants
    application_appoint(actor=city["secretariat_a"], application=eligible[0])
    with django_capture_on_commit_callbacks(execute=True):
        round_decide(actor=city["secretariat_a"], recruitment=recruitment)
    outcomes = dict(Application.objects.filter(round=recruitment).values_list("pk", "outcome"))
    assert outcomes[eligible[0].pk] == "appointed"
    assert outcomes[ineligible.pk] == "not_appointed"
    assert sum(1 for o in outcomes.values() if o == "not_appointed") == 5
    by_post = eligible[-1]
    by_post.refresh_from_db()
    assert by_post.notice_method == "letter" and by_post.notified_at is None
    # Four with an address (3 not appointed + 1 appointed); the ineligible one has none.
    assert len(mail.outbox) == 4
    appointed_mail = next(m for m in mail.outbox if m.to == [eligible[0].email])
    assert "委員に選任" in appointed_mail.body
    assert all("選任に至りませんでした" in m.body for m in mail.outbox if m is not appointed_mail)
    with pytest.raises(ValidationError, match="確定しています"):
        application_appoint(actor=city["secretariat_a"], application=eligible[1])


def test_a_round_cannot_be_decided_with_eligible_applicants_and_no_appointment(city, applicants):
    recruitment, _eligible, _ = applicants
    with pytest.raises(ValidationError, match="選任する応募者を選んでから"):
        round_decide(actor=city["secretariat_a"], recruitment=recruitment)


def test_nothing_is_selected_while_the_notice_is_open(city):
    recruitment = city["round_a"]
    application = ApplicationFactory(round=recruitment)
    for call in (
        lambda: round_lottery_draw(actor=city["secretariat_a"], recruitment=recruitment),
        lambda: application_appoint(actor=city["secretariat_a"], application=application),
        lambda: round_decide(actor=city["secretariat_a"], recruitment=recruitment),
    ):
        with pytest.raises(ValidationError, match="受付期間（.*まで）の終了後に選考してください"):
            call()
