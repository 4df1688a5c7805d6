"""One pass over a text's tokens that the name rules and the NER second
opinion share: each used to walk every token itself, and those walks were a
fifth of personal-data search."""

from __future__ import annotations

from typing import NamedTuple

from nlp.pii.lexicon import CUES, DOTS, katakana_word
from nlp.pipeline import Token

_NAME_OR_PLACE = frozenset(("人名", "地名"))


class TokenScan(NamedTuple):
    # Where ``names.name_spans`` can find anything, in order: name-tagged
    # words, cues, single common-noun kanji (hanzi names), the word before a
    # dot and the word after a long katakana noun.
    starts: list[int]
    # Positions of と (for と申します).
    particles: list[int]
    # Nouns of two or more characters tagged 人名 or 地名, or all katakana:
    # the only words ``ner._cascade_candidates`` looks at.
    name_nouns: list[int]


def scan_tokens(tokens: list[Token]) -> TokenScan:
    """Mark the positions the personal-data rules need, in one pass."""
    marked = set()
    particles = []
    nouns = []
    for n, (surface, _, pos, _, _) in enumerate(tokens):
        length = len(surface)
        if pos[2] == "人名" or surface in CUES:
            marked.add(n)
        elif length == 1:
            if pos[1] == "普通名詞":
                marked.add(n)
            elif surface in DOTS and n:
                marked.add(n - 1)
        if length > 1 and pos[0] == "名詞":
            katakana = katakana_word(surface)
            if katakana and length > 2:
                marked.add(n + 1)
            if katakana or pos[2] in _NAME_OR_PLACE:
                nouns.append(n)
        elif surface == "と":
            particles.append(n)
    return TokenScan(sorted(marked), particles, nouns)
