"""Key phrases: noun compounds ranked by frequency and specificity."""

from __future__ import annotations

import re
from collections import Counter

from nlp.pipeline import STOP_NORMS, Token

TOP_N = 5
_JOINERS = {"接頭辞", "接尾辞"}


def _is_noun_part(token: Token) -> bool:
    pos = token.pos
    if pos[0] == "名詞":
        return pos[1] not in ("数詞", "代名詞") and pos[2] != "副詞可能"
    return pos[0] in _JOINERS and (pos[0] == "接頭辞" or pos[1] == "名詞的")


# One letter per token: n a noun part, p a prefix, s a noun-forming suffix,
# x anything else; compounds are then runs of [nps] found by one regex.
_NOUN_CLASS: dict[tuple[str, ...], str] = {}
# A run ends at its last noun or suffix: a trailing prefix belongs to what follows.
_RUN_RE = re.compile("[nps]*[ns]")


def _noun_class(pos: tuple[str, ...]) -> str:
    part = _is_noun_part(Token("", "", pos, 0, 0))
    cls = ("n" if pos[0] == "名詞" else "p" if pos[0] == "接頭辞" else "s") if part else "x"
    _NOUN_CLASS[pos] = cls
    return cls


def noun_phrases(tokens: list[Token]) -> list[str]:
    """Return noun compounds (runs of nouns and noun affixes) in order.

    A compound needs a noun that is not a stop word; a one-character word
    alone is no phrase. Single-token runs, most of them, skip the slicing.
    """
    get = _NOUN_CLASS.get
    classes = "".join([get(t.pos) or _noun_class(t.pos) for t in tokens])
    phrases = []
    for m in _RUN_RE.finditer(classes):
        a, b = m.span()
        if b - a == 1:
            token = tokens[a]
            if classes[a] == "n" and token.norm not in STOP_NORMS and len(token.surface) > 1:
                phrases.append(token.surface)
            continue
        run = tokens[a:b]
        if any(t.norm not in STOP_NORMS for t in run if t.pos[0] == "名詞"):
            phrases.append("".join([t.surface for t in run]))
    return phrases


def rank_phrases(counts: Counter[str], top_n: int = TOP_N) -> list[str]:
    """Order phrases by frequency, favouring longer (more specific) ones."""
    scored = sorted(counts.items(), key=lambda kv: (-kv[1] * (1 + min(len(kv[0]), 8) / 4), kv[0]))
    return [phrase for phrase, _ in scored[:top_n]]


def key_phrases(tokens: list[Token], top_n: int = TOP_N) -> list[str]:
    """Return the top key phrases of one document."""
    return rank_phrases(Counter(noun_phrases(tokens)), top_n)


def group_key_phrases(token_lists: list[list[Token]], top_n: int = TOP_N) -> list[str]:
    """Return key phrases of a group, counting each document once."""
    counts: Counter[str] = Counter()
    for tokens in token_lists:
        counts.update(set(noun_phrases(tokens)))
    return rank_phrases(counts, top_n)
