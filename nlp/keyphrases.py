"""Key phrases: noun compounds ranked by frequency and specificity."""

from __future__ import annotations

from collections import Counter

from nlp.pipeline import STOP_NORMS, Token

TOP_N = 5
_JOINERS = {"接頭辞", "接尾辞"}


def _is_noun_part(token: Token) -> bool:
    pos = token.pos
    if pos[0] == "名詞":
        return pos[1] not in ("数詞", "代名詞") and pos[2] != "副詞可能"
    return pos[0] in _JOINERS and (pos[0] == "接頭辞" or pos[1] == "名詞的")


def noun_phrases(tokens: list[Token]) -> list[str]:
    """Return noun compounds (runs of nouns and noun affixes) in order."""
    phrases, run = [], []
    for token in [*tokens, None]:
        if token is not None and _is_noun_part(token):
            run.append(token)
            continue
        while run and run[-1].pos[0] == "接頭辞":
            run.pop()
        content = [t for t in run if t.pos[0] == "名詞" and t.norm not in STOP_NORMS]
        if content and len("".join(t.surface for t in run)) > 1:
            phrases.append("".join(t.surface for t in run))
        run = []
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
