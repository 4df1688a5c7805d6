"""Hostile input to the Django-free NLP core (issue #10): no crash, bounded time.

Arbitrary Unicode (lone surrogates, controls, emoji sequences, combining
marks, 半角/全角, long runs of one character, 50,000-character texts) goes
through the public functions of nlp.normalize, nlp.analysis, nlp.duplicates,
nlp.pii, nlp.places, nlp.pipeline, nlp.keyphrases and nlp.screening. None may
raise; spans point inside the text, in order; offsets map every output
character; group_duplicates returns disjoint groups of the ids it was given.

Time is checked as growth, not as a wall-clock limit: a text ten times longer
may take at most 30 times as long (linear is 10, quadratic 100), which only a
pathological regular expression or an all-pairs loop fails.
"""

import time
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nlp import ner_cascade
from nlp.analysis import analyze_texts, duplicate_key
from nlp.duplicates import group_duplicates, group_keys, shingles
from nlp.keyphrases import group_key_phrases, key_phrases, noun_phrases
from nlp.normalize import matching_key, normalize_text, normalize_with_offsets
from nlp.pii import contact_spans, find_pii, mask, pattern_spans, placeholder_spans
from nlp.pipeline import content_norms, content_words, tokenize
from nlp.places import place_spans
from nlp.screening import PublicText, public_text_screen

HOSTILE = [
    "\x00",
    "\x07",
    "\t",
    "\n",
    "\r\n",
    "\x85",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\U000e0041",
    "\ud800",
    "\udfff",
    "\ue000",
    "👩‍⚕️",
    "🏳️‍🌈",
    "\U0001f3fb",
    "e\u0301",
    "\u0301\u0301\u0301",
    "か\u3099",
    "ｶﾞ",
    "ア",
    "ー",
    "－",
    "〜",
    "川口市青木1-2-3",
    "東京都",
    "市",
    "区",
    "丁目",
    "番地",
    "様",
    "さん",
    "山田太郎",
    "〇〇",
    "XXX-XXXX-XXXX",
    "１２３",
    "090-1234-5678",
    "〒332-8601",
    "koe@example.jp",
    "@",
    ".",
    "-",
    "a",
    "1",
    "٣",
    "(",
    "（",
    " ",
    "\u3000",
    "ﷺ",
    "㍻",
    "𠮷",
    "생년월일",
    "生年月日",
    "昭和50年1月2日生",
]
ANY_CHAR = st.characters(exclude_categories=())  # Surrogates included.
PIECE = st.one_of(ANY_CHAR, st.sampled_from(HOSTILE))
TEXT = st.lists(PIECE, max_size=60).map("".join)
# A run of one short unit: the shape that makes a regular expression backtrack.
RUN = st.builds(lambda unit, n: unit * n, st.sampled_from(HOSTILE) | ANY_CHAR, st.integers(1, 3000))
ANY_TEXT = st.one_of(TEXT, RUN)

FUZZ = settings(
    max_examples=120,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module", autouse=True)
def _loaded():
    """Load Sudachi, the vectors and the NER cascade once, so no example's deadline pays for it."""
    ner_cascade.get_ner()
    ner_cascade.name_score("コックス")
    find_pii("ｶﾞｶﾞ山田太郎様、川口市青木1-2-3、コックスは来た。")
    analyze_texts(["山田太郎様の公園"])


def _spans_in(text, spans, ordered=True):
    for span in spans:
        assert 0 <= span.start < span.end <= len(text), (span, len(text))
    if ordered:
        starts = [s.start for s in spans]
        assert starts == sorted(starts)


@FUZZ
@given(ANY_TEXT)
@example("abc\ud800def")
@example("\udfff")
def test_normalize(text):
    normalized = normalize_text(text)
    assert isinstance(normalized, str)
    assert normalize_text(normalized) == normalized
    key = matching_key(text)
    assert isinstance(key, str)
    folded, index = normalize_with_offsets(text)
    assert len(index) == len(folded) + 1
    assert index[-1] == len(text)
    assert index == sorted(index)
    assert all(0 <= i <= len(text) for i in index)
    digest = duplicate_key(text)
    assert len(digest) == 64


@FUZZ
@given(ANY_TEXT)
@example("abc\ud800def")
@example("\udfff")
@example("\ud800" * 9000)
def test_tokenize_and_content_words(text):
    tokens = tokenize(text)
    position = 0
    for token in tokens:
        assert position <= token.start <= token.end <= len(text)
        position = token.end
    assert all(isinstance(w, str) for w in content_words(text))
    assert all(isinstance(w, str) for w in content_norms(tokens))
    assert all(isinstance(p, str) for p in key_phrases(tokens))
    assert all(isinstance(p, str) for p in noun_phrases(tokens))
    group_key_phrases([tokens, tokens])


@FUZZ
@given(ANY_TEXT)
@example("abc\ud800def")
@example("山田\ud800太郎様 090-1234-5678")
def test_personal_data_detectors(text):
    spans = find_pii(text)
    _spans_in(text, spans)
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end <= b.start, "find_pii promises non-overlapping spans"
    assert isinstance(mask(text, spans), str)
    _spans_in(text, pattern_spans(text), ordered=False)
    _spans_in(text, contact_spans(text))
    _spans_in(text, placeholder_spans(text))
    _spans_in(text, place_spans(text), ordered=False)


@FUZZ
@given(ANY_TEXT)
@example("abc\ud800def")
def test_public_text_screen(text):
    for finding in public_text_screen([PublicText(label="市の考え方", text=text, field="answer")]):
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.found == text[finding.start : finding.end]
        assert isinstance(finding.message, str)


@FUZZ
@given(st.lists(ANY_TEXT, max_size=6))
@example(["abc\ud800def"])
def test_analyze_texts(texts):
    results = analyze_texts(texts, classifier=None)
    assert len(results) == len(texts)
    for text, result in zip(texts, results, strict=True):
        _spans_in(text, result.pii_spans)
        assert result.duplicate_key == duplicate_key(text)


@FUZZ
@given(st.lists(st.one_of(ANY_TEXT, st.sampled_from(["公園を増やして", "公園を増やして！", "こうえん"])), max_size=20))
@example(["\ud800", "\ud800"])
def test_group_duplicates_partitions_its_input(texts):
    items = list(enumerate(texts))
    groups = group_duplicates(items)
    seen = [i for group in groups for i in group]
    assert len(seen) == len(set(seen)), "an id is in two groups"
    assert set(seen) <= set(range(len(texts)))
    assert all(len(group) > 1 for group in groups)
    # Same matching key, same group.
    by_key = {}
    for i, text in items:
        by_key.setdefault(matching_key(text), []).append(i)
    group_of = {i: n for n, group in enumerate(groups) for i in group}
    for ids in by_key.values():
        if len(ids) > 1:
            assert len({group_of.get(i) for i in ids}) == 1


@FUZZ
@given(st.lists(ANY_TEXT, max_size=10))
@example(["\ud800", "abc\udfffdef"])
def test_shingles_and_group_keys_take_any_str(keys):
    for key in keys:
        grams = shingles(key)
        assert len(grams) >= 1
    group_ids = group_keys(keys)
    assert len(group_ids) == len(keys)
    assert all(0 <= g < len(keys) for g in group_ids)


# --- huge inputs: the time grows at most ~linearly ------------------------

MAX_GROWTH = 30  # Linear growth is 10x for 10x the text; quadratic is 100x.
FLOOR = 0.02  # Seconds; below this, timer noise would dominate the ratio.


def _seconds(function, text, *, repeat: int = 1):
    """Best CPU time of ``repeat`` runs: CPU, not wall, time, so other processes on a busy CI machine do not count."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        function(text)
        best = min(best, time.process_time() - started)
    return best


def _mixed(n):
    unit = "川口市青木1-2-3の山田太郎様（090-1234-5678, koe@example.jp）は公園について👩‍⚕️e\u0301\ud800\x00。\n"
    return (unit * (n // len(unit) + 1))[:n]


# One mixed text and the long runs that made email or address patterns backtrack.
HUGE_SHAPES = {
    "mixed": _mixed,
    "a": lambda n: "a" * n,
    "1": lambda n: "1" * n,
    "-": lambda n: "-" * n,
    "a.": lambda n: "a." * (n // 2),
    "0-": lambda n: "0-" * (n // 2),
    "surrogate": lambda n: "\ud800" * n,
    "space": lambda n: " " * n,
}
CORE_FUNCTIONS = {
    "tokenize": tokenize,
    "content_words": content_words,
    "pattern_spans": pattern_spans,
    "find_pii": lambda text: find_pii(text, cascade=False, model=False),
    "place_spans": place_spans,
    "normalize_with_offsets": normalize_with_offsets,
    "matching_key": matching_key,
    "group_duplicates": lambda text: group_duplicates([(1, text), (2, text[1:]), (3, text[::-1])]),
}


@pytest.mark.parametrize("shape", HUGE_SHAPES)
def test_huge_inputs_finish_in_linear_time(shape):
    make = HUGE_SHAPES[shape]
    small, big = make(10_000), make(100_000)
    for name, function in CORE_FUNCTIONS.items():
        function(small[:100])  # Load the tokenizer and caches outside the timing.
        t_small = max(_seconds(function, small, repeat=3), FLOOR)
        t_big = _seconds(function, big)
        if t_big >= MAX_GROWTH * t_small:  # one slow sample (a GC pass) is not growth: measure again
            t_big = min(t_big, _seconds(function, big, repeat=2))
        assert t_big < MAX_GROWTH * t_small, f"{name} on {shape!r}: {t_big:.2f}s for 100k vs {t_small:.3f}s for 10k"


def test_analyze_a_50k_character_text():
    text = _mixed(50_000)
    (result,) = analyze_texts([text])
    _spans_in(text, result.pii_spans)
    assert "090-1234-5678" not in result.masked_text


@pytest.mark.parametrize("char", ["㍿", "ﷺ", "ｶﾞ"])
def test_characters_that_sudachi_expands_do_not_overflow_its_input_limit(char):
    """Sudachi checks its length limit after its own normalisation (ﷺ becomes 18 characters)."""
    text = char * 8000
    tokens = tokenize(text)
    assert tokens[-1].end == len(text)
    content_words(text)
