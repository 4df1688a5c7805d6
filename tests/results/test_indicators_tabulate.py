"""Distributions and cross-tabs (pure functions)."""

from decimal import Decimal

from results.tabulate import crosstab, distribution

CHOICES = [("a", "A"), ("b", "B"), ("c", "C")]


def test_base_is_respondents_of_the_question_and_no_answer_is_separate():
    answers = [{"a"}, {"a"}, {"b"}, set(), set()]
    result = distribution(CHOICES, answers)
    # n = 3 who answered; 無回答 2 shown apart; A 2/3 = 66.7%, B 1/3 = 33.3%, C 0.0%
    assert (result.n, result.no_answer, result.total) == (3, 2, 5)
    assert [(r.count, r.percent) for r in result.rows] == [
        (2, Decimal("66.7")),
        (1, Decimal("33.3")),
        (0, Decimal("0.0")),
    ]
    # rounded shares need not add up to 100.0
    assert result.percent_sum == Decimal("100.0")
    three = distribution(CHOICES, [{"a"}, {"b"}, {"c"}])
    assert three.percent_sum == Decimal("99.9")  # 33.3 × 3


def test_multiple_answer_may_exceed_100_percent():
    answers = [{"a", "b"}, {"a", "c"}, {"a"}, {"b"}]
    result = distribution(CHOICES, answers)
    # A 3/4 = 75.0, B 2/4 = 50.0, C 1/4 = 25.0 → 150.0%
    assert [r.percent for r in result.rows] == [
        Decimal("75.0"),
        Decimal("50.0"),
        Decimal("25.0"),
    ]
    assert result.percent_sum == Decimal("150.0")


def test_crosstab_excludes_no_answer_on_the_attribute():
    levels = [("female", "女性"), ("male", "男性")]
    records = [
        ("female", {"a"}),
        ("female", {"b"}),
        ("male", {"a"}),
        ("", {"a"}),
        ("na", {"b"}),
        (None, {"c"}),  # 性別 無回答 / 回答しない: excluded
        ("male", set()),  # answered the attribute, not the question: 無回答 within 男性
    ]
    table = crosstab(CHOICES, levels, records)
    assert table.excluded == 3
    female, male = table.rows
    # 女性: n 2 → A 50.0, B 50.0; 男性: n 1 → A 100.0, 無回答 1
    assert [r.percent for r in female.distribution.rows] == [
        Decimal("50.0"),
        Decimal("50.0"),
        Decimal("0.0"),
    ]
    assert (male.distribution.n, male.distribution.no_answer) == (1, 1)
    # subtotals (2 + 1 = 3) differ from the whole question's n (6)
    assert sum(row.distribution.n for row in table.rows) == 3
