"""Second opinion from GiNZA's statistical NER, only where the rules are unsure.

Two stages. First a cheap one: a katakana word that is also a common word
(コックス, グラント) or that Sudachi does not know is scored by a logistic
regression over GiNZA's static vectors, fitted once per process on Sudachi's
own dictionary (katakana words whose every entry is a person against those
whose every entry is a common noun; no annotated text is used). Only words
that look like names there reach the second stage (places that are also
surnames, 宮崎は, and name-tagged words the rules rejected only with
``nlp.pii.ner.CASCADE_KANJI``, off by default: they cost NER windows on real
comments and found nothing there).

GiNZA's tok2vec + NER costs about 10–20 ms for a short window on one core,
hundreds of times the Sudachi tokenisation, so it never runs on a whole
text. ``person_spans`` looks for *candidates* that the name rules left
alone but that could be a name, runs the NER on a short window of tokens
around each, and accepts a ``Person`` span only when it covers a candidate
and every token in it could be part of a name (a place such as 福岡 is
accepted only when it is also a surname, an organisation's common-noun
head such as 支店 or 自動車 never is).

The model is loaded lazily, once per process, with the parser and the
other components excluded. Without ``ja_ginza`` the cascade finds nothing.
Switch it off with ``KOE_NER_CASCADE=0`` or ``find_pii(..., cascade=False)``.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from importlib.util import find_spec

from nlp.pipeline import Token, dictionary_entries, get_vectors, vector_row

ENABLED = os.environ.get("KOE_NER_CASCADE", "1") != "0"
# Tokens of context on each side of a candidate; the window stops at a
# sentence end. A longer window barely changes the tags and costs linearly.
CONTEXT_TOKENS = 5
_NEEDED = ("tok2vec", "ner")
_SENTENCE_ENDS = frozenset("。！？!?\n")


@lru_cache(maxsize=1)
def get_ner():
    """Return GiNZA with only tok2vec and NER loaded (None without ja_ginza)."""
    if find_spec("ja_ginza") is None:
        return None
    import spacy

    nlp = spacy.load("ja_ginza")
    nlp = spacy.load("ja_ginza", exclude=[p for p in nlp.component_names if p not in _NEEDED])
    return nlp


@lru_cache(maxsize=8_192)
def _entities(words: tuple[str, ...]) -> tuple[tuple[int, int, str], ...]:
    """Run the NER on pre-split words; return (first, end, label) token spans.

    The model's features are the words' text, shape and static vectors, so a
    ``Doc`` built from our Sudachi tokens (the same split mode C) tags just
    as one from GiNZA's own tokenizer, without tokenising twice.
    """
    from spacy.tokens import Doc

    nlp = get_ner()
    doc = nlp(Doc(nlp.vocab, words=list(words), spaces=[False] * len(words)))
    return tuple((e.start, e.end, e.label_) for e in doc.ents)


def _window(tokens: list[Token], n: int) -> tuple[int, int]:
    """Return token bounds of the context window around token n."""
    lo = n
    while lo > 0 and n - lo < CONTEXT_TOKENS and tokens[lo - 1].surface not in _SENTENCE_ENDS:
        lo -= 1
    hi = n + 1
    while hi < len(tokens) and hi - n <= CONTEXT_TOKENS and tokens[hi - 1].surface not in _SENTENCE_ENDS:
        hi += 1
    return lo, hi


def person_spans(tokens: list[Token], candidates: list[int], name_part, trim) -> list[tuple[int, int]]:
    """Return (first, end) token spans GiNZA tags Person over a candidate.

    ``name_part(tokens, k)`` tells whether token k may sit inside a name;
    ``trim(tokens, k)`` whether a token at the span's edge is to be dropped
    (a title such as 中尉 that the model counts with the name).
    """
    if not candidates or get_ner() is None:
        return []
    found, done = [], set()
    windows: list[tuple[int, int]] = []
    for n in candidates:
        lo, hi = _window(tokens, n)
        if windows and lo < windows[-1][1]:
            windows[-1] = (
                windows[-1][0],
                max(hi, windows[-1][1]),
            )  # Overlapping: one run.
        else:
            windows.append((lo, hi))
    wanted = set(candidates)
    for lo, hi in windows:
        for a, b, label in _entities(tuple(t.surface for t in tokens[lo:hi])):
            a, b = a + lo, b + lo
            if label != "Person":
                continue
            while b > a and trim(tokens, b - 1):
                b -= 1
            while a < b and trim(tokens, a):
                a += 1
            if (
                a < b
                and (a, b) not in done
                and wanted.intersection(range(a, b))
                and all(name_part(tokens, k) for k in range(a, b))
            ):
                done.add((a, b))
                found.append((a, b))
    return found


@lru_cache(maxsize=20_000)
def surname_reading(surface: str) -> bool:
    """Tell whether Sudachi's dictionary knows a word as a surname (福岡 yes)."""
    return any(pos[2] == "人名" and pos[3] == "姓" for pos in dictionary_entries(surface))


_KATAKANA_WORD = re.compile(r"[\u30a1-\u30fa\u30fc]{2,}")


@lru_cache(maxsize=1)
def _row_scores():
    """Return P(person) for every row of GiNZA's vector table (None without it).

    Training words are the katakana keys of the table whose Sudachi entries
    are all persons (label 1) or all common nouns (label 0): about 31,000
    words, 12,000 of them names; 5-fold ROC AUC about 0.90.
    """
    vectors = get_vectors()
    if vectors is None:
        return None
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    strings = _vector_strings()
    rows, labels = [], []
    for key, row in vectors.key2row.items():
        word = strings.get(key)
        if word is None or not _KATAKANA_WORD.fullmatch(word):
            continue
        entries = dictionary_entries(word)
        if entries and all(pos[2] == "人名" for pos in entries):
            rows.append(row)
            labels.append(1)
        elif entries and all(pos[1] == "普通名詞" for pos in entries):
            rows.append(row)
            labels.append(0)
    model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
    model.fit(vectors.data[rows], np.array(labels))
    return model.predict_proba(vectors.data)[:, 1]


def _vector_strings() -> dict[int, str]:
    from pathlib import Path

    import srsly

    spec = find_spec("ja_ginza")
    base = Path(next(iter(spec.submodule_search_locations)))
    path = sorted(base.glob("ja_ginza-*/vocab/strings.json"))[-1]
    from spacy.strings import hash_string

    return {hash_string(s): s for s in srsly.read_json(path)}


def name_score(surface: str) -> float | None:
    """P(person) of a word from its static vector; None when it has none."""
    scores = _row_scores()
    row = vector_row(surface)
    return None if scores is None or row < 0 else float(scores[row])
