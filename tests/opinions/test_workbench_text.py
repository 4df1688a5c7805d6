"""Masking of excerpts, mapping masked spans back, and character diffs."""

import pytest

from opinions.selectors.text import (
    masked_excerpt,
    masked_span_to_original,
    text_diff,
)

ORIGINAL = "私は川口太郎です。歩道を広げてください。電話は048-123-4567です。"
MASKED = "私は［氏名］です。歩道を広げてください。電話は［電話番号］です。"


@pytest.mark.parametrize(
    ("excerpt", "expected"),
    [
        ("歩道を広げてください。", "歩道を広げてください。"),
        ("私は川口太郎です。", "私は［氏名］です。"),
        ("太郎です。歩道", "［氏名］です。歩道"),  # starts inside the name
        ("電話は048-123-4567です。", "電話は［電話番号］です。"),
        (ORIGINAL, MASKED),
    ],
)
def test_masked_excerpt_never_shows_what_masking_removed(excerpt, expected):
    start = ORIGINAL.index(excerpt)
    assert masked_excerpt(original=ORIGINAL, masked=MASKED, start=start, end=start + len(excerpt)) == expected


def test_unmasked_text_is_cut_directly():
    assert masked_excerpt(original="abcdef", masked="abcdef", start=1, end=3) == "bc"


@pytest.mark.parametrize(
    ("masked_part", "original_part"),
    [
        ("歩道を広げてください。", "歩道を広げてください。"),
        ("［氏名］です。", "川口太郎です。"),
        (
            "氏名］です。",
            "川口太郎です。",
        ),  # a part cut inside a placeholder covers the whole name
        ("電話は［電話番号］", "電話は048-123-4567"),
    ],
)
def test_masked_span_maps_back_to_the_original(masked_part, original_part):
    start = MASKED.index(masked_part)
    s, e = masked_span_to_original(original=ORIGINAL, masked=MASKED, start=start, end=start + len(masked_part))
    assert ORIGINAL[s:e] == original_part


@pytest.mark.parametrize(
    ("base", "other", "runs"),
    [
        ("同じ文面です。", "同じ文面です。", [("equal", "同じ文面です。")]),
        (
            "公園にベンチを増やしてください。",
            "公園にベンチを増やしてほしい。",
            [
                ("equal", "公園にベンチを増やして"),
                ("delete", "くださ"),
                ("insert", "ほし"),
                ("equal", "い。"),
            ],
        ),
        (
            "歩道を広げて。",
            "至急、歩道を広げて。",
            [("insert", "至急、"), ("equal", "歩道を広げて。")],
        ),
    ],
)
def test_text_diff_runs(base, other, runs):
    assert text_diff(base=base, other=other) == runs
    rebuilt_base = "".join(t for op, t in runs if op != "insert")
    rebuilt_other = "".join(t for op, t in runs if op != "delete")
    assert (rebuilt_base, rebuilt_other) == (base, other)
