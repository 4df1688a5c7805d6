"""報告義務 of a 漏えい等事案 for a 行政機関等 (施行規則43条) and its deadlines (44条): the pure rules."""

import datetime

import pytest

from core.incidents.rules import (
    FINAL_REPORT_DAYS,
    FINAL_REPORT_DAYS_IMPROPER_PURPOSE,
    PERSON_THRESHOLD,
    PRELIMINARY_GUIDANCE_DAYS,
    Facts,
    Trigger,
    day_number,
    days_left,
    deadlines_compute,
    triggers_evaluate,
)

T = Trigger


@pytest.mark.parametrize(
    ("facts", "triggers"),
    [
        # none: one person, nothing sensitive, no attack, no money at stake
        (Facts(persons=1), ()),
        # each item alone, with a single person
        (Facts(persons=1, sensitive=True), (T.SENSITIVE,)),
        (Facts(persons=1, financial_harm=True), (T.FINANCIAL_HARM,)),
        (Facts(persons=1, improper_purpose=True), (T.IMPROPER_PURPOSE,)),
        (Facts(persons=1, ordinance_sensitive=True), (T.ORDINANCE_SENSITIVE,)),
        (Facts(persons=500), (T.OVER_THRESHOLD,)),
        # the person threshold of 行政機関等: more than 100 (事業者: 1,000)
        (Facts(persons=99), ()),
        (Facts(persons=100), ()),
        (Facts(persons=101), (T.OVER_THRESHOLD,)),
        (Facts(persons=1000), (T.OVER_THRESHOLD,)),
        # several at once, in the rule's order
        (
            Facts(persons=101, improper_purpose=True, sensitive=True),
            (T.SENSITIVE, T.IMPROPER_PURPOSE, T.OVER_THRESHOLD),
        ),
        # 高度な暗号化等: no item applies, whatever the facts
        (Facts(persons=5000, sensitive=True, improper_purpose=True, protected=True), ()),
        (Facts(persons=1, protected=True), ()),
    ],
    ids=[
        "none",
        "sensitive",
        "financial_harm",
        "improper_purpose",
        "ordinance_sensitive",
        "over_threshold",
        "99",
        "100_is_not_over",
        "101_is_over",
        "1000",
        "several",
        "protected",
        "protected_nothing",
    ],
)
def test_triggers(facts, triggers):
    evaluation = triggers_evaluate(facts)

    assert evaluation.triggers == triggers
    assert evaluation.reportable is bool(triggers)


def test_the_threshold_is_the_public_sectors():
    assert PERSON_THRESHOLD == 100
    assert triggers_evaluate(Facts(persons=PERSON_THRESHOLD)).reportable is False
    assert triggers_evaluate(Facts(persons=PERSON_THRESHOLD + 1)).reportable is True


def test_protected_data_keeps_what_it_matched():
    evaluation = triggers_evaluate(Facts(persons=300, sensitive=True, protected=True))

    assert evaluation.matched == (T.SENSITIVE, T.OVER_THRESHOLD)
    assert evaluation.triggers == ()
    assert not evaluation.long_final_term


@pytest.mark.parametrize(
    ("improper", "days", "final_by"),
    [
        (False, 30, datetime.date(2027, 1, 6)),  # 12/8 is day 1, so day 30 is 1/6
        (True, 60, datetime.date(2027, 2, 5)),  # 60 days for 不正の目的
    ],
)
def test_deadlines_from_the_day_of_discovery(improper, days, final_by):
    deadlines = deadlines_compute(discovered_on=datetime.date(2026, 12, 8), improper_purpose=improper)

    assert deadlines.preliminary_from == datetime.date(2026, 12, 10)  # 3日目
    assert deadlines.preliminary_by == datetime.date(2026, 12, 12)  # 5日目
    assert deadlines.final_by == final_by
    assert deadlines.final_days == days


def test_the_60_day_term_follows_the_improper_purpose_trigger():
    assert triggers_evaluate(Facts(persons=1, improper_purpose=True)).long_final_term
    assert not triggers_evaluate(Facts(persons=500, sensitive=True)).long_final_term
    assert (FINAL_REPORT_DAYS, FINAL_REPORT_DAYS_IMPROPER_PURPOSE) == (30, 60)
    assert PRELIMINARY_GUIDANCE_DAYS == (3, 5)


def test_days_are_counted_over_weekends_and_the_new_year():
    # 12/29 (a 閉庁日) as day 1: day 5 is 1/2, no day is skipped.
    assert day_number(datetime.date(2026, 12, 29), 5) == datetime.date(2027, 1, 2)
    assert day_number(datetime.date(2026, 12, 8), 1) == datetime.date(2026, 12, 8)


@pytest.mark.parametrize(("today", "left"), [(8, 4), (12, 0), (13, -1), (20, -8)])
def test_days_left(today, left):
    assert days_left(datetime.date(2026, 12, 12), datetime.date(2026, 12, today)) == left
