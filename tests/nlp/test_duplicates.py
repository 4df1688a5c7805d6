"""Campaign copies group together; distinct comments stay apart."""

import time

from nlp.duplicates import group_duplicates

BASE = (
    "駅前の駐輪場が不足しています。通勤時間帯は歩道に自転車があふれ、"
    "車いすの方が通れません。市営駐輪場の増設を強く求めます。"
)
OTHER = "図書館の開館時間を夜9時まで延長してください。仕事帰りに利用したいです。"

COPIES = [
    ("added greeting", "お世話になっております。" + BASE),
    ("added closing", BASE + "よろしくお願いいたします。"),
    ("changed punctuation", BASE.replace("、", "，").replace("。", "．")),
    ("full-width digits", BASE.replace("9", "９")),
    (
        "dropped sentence",
        "駅前の駐輪場が不足しています。市営駐輪場の増設を強く求めます。通勤時間帯は歩道に自転車があふれています。",
    ),
    (
        "reordered sentences",
        "市営駐輪場の増設を強く求めます。駅前の駐輪場が不足しています。"
        "通勤時間帯は歩道に自転車があふれ、車いすの方が通れません。",
    ),
]


def test_campaign_copies_land_in_one_group_with_the_original():
    items = [("orig", BASE), ("other", OTHER)] + [(name, text) for name, text in COPIES]
    groups = group_duplicates(items)
    assert len(groups) == 1
    assert set(groups[0]) == {"orig"} | {name for name, _ in COPIES}


def test_a_copy_with_an_added_greeting_is_grouped():
    groups = group_duplicates([(1, BASE), (2, "はじめまして。" + BASE), (3, OTHER)])
    assert groups == [[1, 2]]


def test_exact_duplicates_after_normalisation_are_grouped():
    groups = group_duplicates([(1, "賛成です。"), (2, "賛成です！"), (3, "反対です。")])
    assert groups == [[1, 2]]


def test_unrelated_comments_are_not_grouped():
    assert group_duplicates([(1, BASE), (2, OTHER), (3, "")]) == []


def test_ten_thousand_comments_group_in_seconds():
    items = [
        (
            i,
            f"{OTHER}整理番号{i}の意見として、{i * 7919 % 10007}番地の件も付け加えます。",
        )
        for i in range(10_000)
    ]
    started = time.perf_counter()
    group_duplicates(items)
    assert time.perf_counter() - started < 20
