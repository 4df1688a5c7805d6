import datetime

import factory

from committees.models import Application, Committee, CommitteeMember, RecruitmentRound
from tests.accounts.factories import DepartmentFactory


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"テスト審議会{n}")
    legal_basis = "テスト市附属機関設置条例"
    secretariat = factory.SubFactory(DepartmentFactory)
    total_seats = 15
    public_seats = 3
    term_years = 2


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"委員 {n}郎")
    term_start = datetime.date(2025, 4, 1)
    term_end = datetime.date(2027, 3, 31)


class RoundFactory(factory.django.DjangoModelFactory):
    """A 公募 open today: notice from 10 days ago to 11 days ahead, term starting the month after."""

    class Meta:
        model = RecruitmentRound

    committee = factory.SubFactory(CommitteeFactory)
    title = factory.Sequence(lambda n: f"公募{n}")
    seats_offered = 2
    notice_starts_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))
    notice_ends_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=11))
    term_start = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=40))
    term_end = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=40 + 730))
    residence_allowed = ["lives", "works", "studies"]
    essay_theme = "市民参加について"
    essay_min_chars = 10
    essay_max_chars = 400


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A stored application (eligibility as given, not checked: use application_submit for that)."""

    class Meta:
        model = Application

    round = factory.SubFactory(RoundFactory)
    receipt_number = factory.Sequence(lambda n: f"KB-2026-{n:06d}")
    name = factory.Sequence(lambda n: f"応募 {n}子")
    birth_date = datetime.date(1980, 5, 1)
    address = "川口市青木2-1-1"
    residence = "lives"
    declaration = True
    essay = "市民参加をすすめたいと考えて応募しました。"
    submitted_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))


def close_notice(recruitment: RecruitmentRound) -> RecruitmentRound:
    """End the notice yesterday (the selection may start), keeping a 3-week period."""
    recruitment.notice_ends_on = datetime.date.today() - datetime.timedelta(days=1)
    recruitment.notice_starts_on = recruitment.notice_ends_on - datetime.timedelta(days=21)
    recruitment.save(update_fields=["notice_starts_on", "notice_ends_on"])
    return recruitment


def past_round(year, seats, applicants, eligible=None, committee=None):
    """A 公募 of 年度 ``year`` whose notice is over, with ``applicants`` of whom ``eligible`` are eligible."""
    start = datetime.date(year, 6, 1)
    recruitment = RoundFactory(
        committee=committee or CommitteeFactory(),
        seats_offered=seats,
        notice_starts_on=start,
        notice_ends_on=start + datetime.timedelta(days=21),
        term_start=start + datetime.timedelta(days=60),
        term_end=start + datetime.timedelta(days=790),
    )
    eligible = applicants if eligible is None else eligible
    for n in range(applicants):
        ApplicationFactory(round=recruitment, eligible=n < eligible)
    return recruitment
