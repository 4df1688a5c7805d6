"""Per-process spaCy frame: Sudachi tokenizer plus GiNZA's static vectors.

The hot path reads Sudachi morphemes straight from the tokenizer the spaCy
``Language`` holds: building a spaCy ``Doc`` costs about five times the
tokenisation itself, and nothing downstream needs one.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

SPLIT_MODE = "C"
# Sudachi rejects inputs above ~49 kB of UTF-8; chunk well below that.
MAX_CHUNK_CHARS = 8000

# Content-word POS heads kept for topic features and key phrases.
CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞"})
SKIP_POS_DETAIL = frozenset({"数詞", "非自立可能", "代名詞"})
STOP_NORMS = frozenset(
    "する ある なる いる こと もの ため よう これ それ その 等 など ところ 思う 考える "
    "いう できる 方 中 的 化 性 上 下 者 時 場合 必要 今後 お願い 願う 頂く 欲しい".split()
)


class Token(NamedTuple):
    surface: str
    norm: str
    pos: tuple[str, ...]
    start: int
    end: int


@lru_cache(maxsize=1)
def get_nlp():
    """Return the cached blank Japanese pipeline with the Sudachi tokenizer."""
    import spacy

    return spacy.blank("ja", config={"nlp": {"tokenizer": {"split_mode": SPLIT_MODE}}})


def _sudachi():
    return get_nlp().tokenizer.tokenizer


@lru_cache(maxsize=1)
def _dictionary():
    from sudachipy import Dictionary

    return Dictionary()


@lru_cache(maxsize=50_000)
def dictionary_entries(surface: str) -> tuple[tuple[str, ...], ...]:
    """Return the POS of every Sudachi dictionary entry spelled ``surface``."""
    return tuple(m.part_of_speech() for m in _dictionary().lookup(surface))


def only_person_name(surface: str) -> bool:
    """Tell whether every dictionary entry for a word is a person's name.

    正義 and クマ are also common nouns, 慶喜 and 光一 are not; only the
    latter are safe to mask on a weak cue.
    """
    entries = dictionary_entries(surface)
    return bool(entries) and all(pos[2] == "人名" for pos in entries)


@lru_cache(maxsize=1)
def get_vectors():
    """Return ja_ginza's static vectors (or None when ja_ginza is absent)."""
    spec = importlib.util.find_spec("ja_ginza")
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations)))
    vocab_dirs = sorted(base.glob("ja_ginza-*/vocab"))
    if not vocab_dirs:
        return None
    from spacy.vocab import Vocab

    return Vocab().from_disk(vocab_dirs[-1]).vectors


@lru_cache(maxsize=200_000)
def vector_row(norm: str) -> int:
    """Return the vector table row for a word, or -1 when it has none.

    GiNZA's pruned table maps near-synonyms to one row (町会 and 自治会 share
    a row), so the row id doubles as a cheap semantic class.
    """
    vectors = get_vectors()
    if vectors is None:
        return -1
    from spacy.strings import hash_string

    return int(vectors.key2row.get(hash_string(norm), -1))


# A lone surrogate ("\ud800": Python str and JSON allow one, UTF-8 does not)
# makes Sudachi's UTF-8 conversion raise. Each one is handed over as U+FFFD
# instead: one character for one, so every offset still points into ``text``.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _chunks(text: str):
    start = 0
    while start < len(text):
        end = min(len(text), start + MAX_CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        yield start, _SURROGATE_RE.sub("\ufffd", text[start:end])
        start = end


def _morphemes(tokenizer, text: str):
    """(offset into ``text``, morpheme) for every morpheme, chunk by chunk.

    Sudachi measures its limit after its own input normalisation, which can
    expand a character many times (㍿ → 株式会社, ﷺ → 18 characters): a chunk
    it still refuses as too long is split in two and each half tokenised.
    """
    from sudachipy.errors import SudachiError

    pending = list(_chunks(text))
    pending.reverse()
    while pending:
        offset, chunk = pending.pop()
        try:
            morphemes = tokenizer.tokenize(chunk)
        except SudachiError as exc:
            if "too long" not in str(exc) or len(chunk) < 2:
                raise
            half = len(chunk) // 2
            pending += [(offset + half, chunk[half:]), (offset, chunk[:half])]
            continue
        for m in morphemes:
            yield offset, m


_new_token = tuple.__new__  # Token(...) without the NamedTuple's Python-level __new__.


def tokenize(text: str) -> list[Token]:
    """Split text into Sudachi tokens with offsets into the given text.

    This runs once per analysed text and builds every token, so it reads
    each morpheme list in one comprehension and skips the per-morpheme
    generator and ``Token.__new__`` frames (about a quarter of its cost).
    """
    from sudachipy.errors import SudachiError

    tokenizer = _sudachi()
    if len(text) <= MAX_CHUNK_CHARS and not _SURROGATE_RE.search(text):
        try:
            morphemes = tokenizer.tokenize(text)
        except SudachiError:  # Too long after Sudachi's own normalisation: _morphemes splits it.
            morphemes = None
        if morphemes is not None:
            return [
                _new_token(Token, (m.surface(), m.normalized_form(), m.part_of_speech(), m.begin(), m.end()))
                for m in morphemes
            ]
    return [
        _new_token(Token, (m.surface(), m.normalized_form(), m.part_of_speech(), offset + m.begin(), offset + m.end()))
        for offset, m in _morphemes(tokenizer, text)
    ]


def tokenize_many(texts: list[str]) -> list[list[Token]]:
    """``tokenize`` for a batch: Sudachi runs over every text first, then the
    tokens are built (about 15 % less CPU than alternating the two, which
    keeps evicting Sudachi's dictionary from the CPU caches)."""
    from sudachipy.errors import SudachiError

    tokenizer = _sudachi()
    lists: list = []
    for text in texts:
        morphemes = None
        if len(text) <= MAX_CHUNK_CHARS and not _SURROGATE_RE.search(text):
            try:
                morphemes = tokenizer.tokenize(text)
            except SudachiError:
                morphemes = None
        lists.append(morphemes)
    return [
        tokenize(text)
        if morphemes is None
        else [
            _new_token(Token, (m.surface(), m.normalized_form(), m.part_of_speech(), m.begin(), m.end()))
            for m in morphemes
        ]
        for text, morphemes in zip(texts, lists, strict=True)
    ]


def _content_pos(pos: tuple[str, ...]) -> int:
    """Return 0 for non-content POS, 1 for content, 2 for proper nouns."""
    if pos[0] not in CONTENT_POS or pos[1] in SKIP_POS_DETAIL:
        return 0
    return 2 if pos[1] == "固有名詞" else 1


_POS_KIND: dict[int, int] = {}


def content_words(text: str) -> list[str]:
    """Return normalized content words of a text without building tokens.

    This is the classification hot path, so it reads only what it needs
    from each morpheme and caches the POS verdict per POS id.
    """
    tokenizer = _sudachi()
    words = []
    for _, m in _morphemes(tokenizer, text):
        pid = m.part_of_speech_id()
        kind = _POS_KIND.get(pid)
        if kind is None:
            kind = _POS_KIND[pid] = _content_pos(m.part_of_speech())
        if kind:
            norm = m.normalized_form()
            if _keep(norm, kind):
                words.append(norm)
    return words


def _keep(norm: str, kind: int) -> bool:
    # One-character words are mostly suffix-like (率, 化); names are kept.
    return kind and norm not in STOP_NORMS and (len(norm) > 1 or kind == 2)


def is_content(token: Token) -> bool:
    """Tell whether a token carries topic meaning (no particles, numbers...)."""
    return bool(_keep(token.norm, _content_pos(token.pos)))


_POS_KIND_BY_POS: dict[tuple[str, ...], int] = {}


def content_norms(tokens: list[Token]) -> list[str]:
    """Return normalized forms of the content words, in order (``is_content``)."""
    kinds = _POS_KIND_BY_POS
    out = []
    for t in tokens:
        kind = kinds.get(t.pos)
        if kind is None:
            kind = kinds[t.pos] = _content_pos(t.pos)
        if kind and _keep(t.norm, kind):
            out.append(t.norm)
    return out
