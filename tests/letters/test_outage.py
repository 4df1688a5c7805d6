"""A reply sent while the broker is down is e-mailed once the broker is back."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from letters.models import LetterCase
from letters.services import (
    letter_replies_sweep,
    letter_reply_approve,
    letter_reply_draft,
    letter_reply_send,
    letter_route,
)
from tests.letters.factories import letter_category
from tests.support.outage import broker_unreachable

pytestmark = pytest.mark.django_db(transaction=True)
REPLY = "ご意見ありがとうございます。来年度、歩道の段差を解消します。"


def test_a_reply_sent_during_a_broker_outage_is_mailed_by_the_sweep(roles, letter, people, org):
    case = letter_route(actor=people["kouchou"], case=letter, category=letter_category(), department=org["koen"])
    letter_reply_draft(actor=people["staff"], case=case, text=REPLY)
    for who in ("kacho", "bucho", "kouchou"):
        letter_reply_approve(actor=people[who], case=case, approved=True, comment="")
    case.refresh_from_db()
    mail.outbox.clear()  # the 受付番号 receipt of the letter

    with broker_unreachable():
        letter_reply_send(actor=people["kouchou"], case=case)  # commits; the mail is not queued
    case.refresh_from_db()
    assert case.status == LetterCase.Status.SENT and case.reply_emailed_at is None
    assert mail.outbox == []

    # Too soon: the reply's own task may still be on its way.
    assert letter_replies_sweep() == 0
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert letter_replies_sweep(now=later) == 1

    case.refresh_from_db()
    assert case.reply_emailed_at is not None
    assert [m.to for m in mail.outbox] == [["taro@example.jp"]]
    assert letter_replies_sweep(now=later) == 0
