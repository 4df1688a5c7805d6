"""保存年限 of applications: erased after the years counted from the decision (appointed: from the term's end)."""

import datetime

import pytest
from django.utils import timezone

from committees.models import Application
from core.retention import retention_apply
from tests.committees.factories import ApplicationFactory, RoundFactory

pytestmark = pytest.mark.django_db


def decided_round(days_ago: int, *, term_end_days_ago: int):
    today = datetime.date.today()
    return RoundFactory(
        notice_starts_on=today - datetime.timedelta(days=days_ago + 60),
        notice_ends_on=today - datetime.timedelta(days=days_ago + 30),
        term_start=today - datetime.timedelta(days=days_ago),
        term_end=today - datetime.timedelta(days=term_end_days_ago),
        decided_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_old_applications_lose_their_personal_data_and_keep_their_counts(settings):
    settings.KOE_RETENTION_YEARS_APPLICATION = 3
    old = decided_round(365 * 5, term_end_days_ago=365 * 3 - 200)
    not_chosen = ApplicationFactory(round=old, outcome="not_appointed", name="古い 応募者", essay="昔の小論文")
    # Appointed: counted from the term's end, less than 3 years ago here.
    appointed = ApplicationFactory(round=old, outcome="appointed", name="在任 委員")
    recent = ApplicationFactory(round=decided_round(100, term_end_days_ago=-600), outcome="not_appointed")
    pending = ApplicationFactory(round=RoundFactory())

    retention_apply(source="test")

    not_chosen.refresh_from_db()
    assert (not_chosen.name, not_chosen.birth_date, not_chosen.essay, not_chosen.address) == ("", None, "", "")
    assert not_chosen.erased_at is not None
    assert not_chosen.receipt_number.startswith("KB-") and not_chosen.outcome == "not_appointed"
    for kept in (appointed, recent, pending):
        kept.refresh_from_db()
        assert kept.name and kept.erased_at is None
    assert Application.objects.filter(round=old).count() == 2  # still counted in 応募倍率
