"""応募資格: every rule at its boundary (pure functions, no database)."""

import datetime

import pytest

from committees.eligibility import (
    Facts,
    Rules,
    Term,
    caps_check,
    check,
    concurrent_seats,
    legal_age,
    person_key,
    tenure_months,
)

D = datetime.date
TERM_START = D(2026, 4, 1)


def rules(**overrides):
    values = dict(
        min_age=18,
        age_on=TERM_START,
        residence_allowed=("lives", "works", "studies"),
        exclude_city_staff=True,
        exclude_councillors=True,
        max_concurrent_seats=3,
        max_tenure_years=10,
        committee_id=1,
        term_start=TERM_START,
    )
    return Rules(**{**values, **overrides})


def facts(**overrides):
    values = dict(
        birth_date=D(1980, 6, 1), residence="lives", is_city_staff=False, is_councillor=False, declaration=True
    )
    return Facts(**{**values, **overrides})


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        # 年齢計算ニ関スル法律: a year is added at the end of the day before the birthday.
        (D(2008, 4, 2), D(2026, 4, 1), 18),
        (D(2008, 4, 3), D(2026, 4, 1), 17),
        (D(2008, 4, 1), D(2026, 3, 31), 18),
        (D(2008, 4, 1), D(2026, 3, 30), 17),
        # Born on 29 February: 18 at the end of 28 February in a common year.
        (D(2008, 2, 29), D(2026, 2, 28), 18),
        (D(2008, 2, 29), D(2026, 2, 27), 17),
        (D(1980, 6, 1), D(2026, 4, 1), 45),
    ],
)
def test_legal_age_counts_from_the_day_before_the_birthday(birth, on, age):
    assert legal_age(birth, on) == age


def test_an_applicant_who_turns_18_on_the_day_before_the_reference_date_plus_one_is_eligible():
    assert check(rules(), facts(birth_date=D(2008, 4, 2))).eligible
    result = check(rules(), facts(birth_date=D(2008, 4, 3)))
    assert not result.eligible
    assert result.reasons == ["2026年4月1日時点で18歳以上の方が対象です（2026年4月1日時点で17歳）。"]


def test_a_stricter_minimum_age_is_the_round_s_own():
    assert not check(rules(min_age=20), facts(birth_date=D(2007, 1, 1))).eligible
    assert check(rules(min_age=20), facts(birth_date=D(2006, 4, 2))).eligible


@pytest.mark.parametrize(
    ("residence", "eligible"), [("lives", True), ("works", True), ("studies", True), ("none", False)]
)
def test_residence_must_be_one_the_round_allows(residence, eligible):
    assert check(rules(), facts(residence=residence)).eligible is eligible


def test_a_round_for_residents_only_refuses_commuters():
    result = check(rules(residence_allowed=("lives",)), facts(residence="works"))
    assert "応募資格の区分に当たりません" in result.reasons[0]


def test_city_staff_and_councillors_are_refused_only_where_the_round_says_so():
    assert check(rules(), facts(is_city_staff=True)).reasons == ["市職員は応募できません。"]
    assert check(rules(), facts(is_councillor=True)).reasons == ["市議会議員は応募できません。"]
    assert check(
        rules(exclude_city_staff=False, exclude_councillors=False), facts(is_city_staff=True, is_councillor=True)
    ).eligible


def test_no_declaration_is_a_reason():
    assert check(rules(), facts(declaration=False)).reasons == ["応募資格を満たすことの申告がありません。"]


def _term(committee, start, end):
    return Term(committee_id=committee, start=start, end=end)


def test_the_concurrent_seat_cap_counts_seats_held_on_the_new_term_s_first_day():
    held = (
        _term(2, D(2025, 4, 1), D(2027, 3, 31)),
        _term(3, D(2024, 4, 1), D(2026, 4, 1)),  # ends on the day: still held
        _term(4, D(2023, 4, 1), D(2026, 3, 31)),  # ended the day before: not held
    )
    assert concurrent_seats(held, TERM_START) == 2
    assert check(rules(), facts(terms=held)).eligible
    third = (*held, _term(5, D(2026, 1, 1), D(2027, 12, 31)))
    result = check(rules(), facts(terms=third))
    assert not result.eligible and result.concurrent_seats == 3
    assert result.reasons == ["委嘱日に既に3 つの附属機関等の委員を務めています（兼職は3 つまで）。"]
    assert check(rules(max_concurrent_seats=4), facts(terms=third)).eligible


def test_tenure_counts_months_served_on_this_committee_only():
    nine_years = (
        _term(1, D(2017, 4, 1), D(2019, 3, 31)),
        _term(1, D(2019, 4, 1), D(2021, 3, 31)),
        _term(1, D(2021, 4, 1), D(2026, 3, 31)),
        _term(7, D(2000, 4, 1), D(2020, 3, 31)),  # another committee: not counted
    )
    assert tenure_months(nine_years, committee_id=1, before=TERM_START) == 108
    assert check(rules(), facts(terms=nine_years)).eligible
    ten_years = (_term(1, D(2016, 4, 1), D(2017, 3, 31)), *nine_years)
    result = check(rules(), facts(terms=ten_years))
    assert result.tenure_months == 120 and not result.eligible
    assert result.reasons == ["この附属機関での在任が通算10年0か月で、上限の10年に達しています。"]


def test_overlapping_terms_on_one_committee_are_counted_once():
    overlapping = (_term(1, D(2020, 4, 1), D(2022, 3, 31)), _term(1, D(2021, 4, 1), D(2023, 3, 31)))
    assert tenure_months(overlapping, committee_id=1, before=TERM_START) == 36


def test_every_failing_rule_is_listed():
    result = check(rules(), facts(birth_date=D(2010, 1, 1), residence="none", is_city_staff=True, declaration=False))
    assert len(result.reasons) == 4


def test_person_key_ignores_spacing_and_width():
    assert person_key("山田　太郎") == person_key("山田 太郎") == person_key("山田太郎")
    assert person_key("ﾔﾏﾀﾞ") == person_key("ヤマダ")


def test_caps_check_reaches_each_cap_at_its_boundary_and_names_it():
    two = (Term(2, D(2025, 4, 1), D(2027, 3, 31)), Term(3, D(2025, 4, 1), D(2027, 3, 31)))
    nine_years = (Term(1, D(2017, 4, 1), D(2026, 3, 31)),)
    below = caps_check(two + nine_years, committee_id=1, on=TERM_START, max_concurrent_seats=3, max_tenure_years=10)
    assert (below.concurrent_seats, below.tenure_months, below.exceeded, below.reasons) == (2, 108, False, [])
    third = (Term(4, D(2026, 4, 1), D(2028, 3, 31)),)
    ten_years = (Term(1, D(2016, 4, 1), D(2017, 3, 31)),)
    both = caps_check(
        two + third + nine_years + ten_years, committee_id=1, on=TERM_START, max_concurrent_seats=3, max_tenure_years=10
    )
    assert both.over_concurrent_cap and both.over_tenure_cap and len(both.reasons) == 2
    # The seat on this committee ending the day before is not held on the 委嘱日.
    assert both.concurrent_seats == 3
    # No committee yet (a new one in the admin): no tenure to count.
    assert (
        caps_check(
            nine_years, committee_id=None, on=TERM_START, max_concurrent_seats=3, max_tenure_years=1
        ).tenure_months
        == 0
    )
