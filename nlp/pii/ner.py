"""A second opinion on names the rules left alone: GiNZA's NER (``ner_cascade``)
and our own trained model (``ner_model``), each run only around candidates.
"""

from __future__ import annotations

from nlp import ner_model
from nlp.ner_cascade import name_score, person_spans, surname_reading
from nlp.pii.lexicon import (
    CUES,
    DOTS,
    HONORIFICS,
    INITIAL_RE,
    KANJI_RE,
    KATAKANA_RE,
    PERSON_TITLES,
    ROLES,
    TITLES,
    common_word,
    ends_phrase,
    given_name,
    is_katakana,
    is_name,
    katakana_kind,
)
from nlp.pii.scan import TokenScan, scan_tokens
from nlp.pii.spans import PiiSpan
from nlp.pipeline import Token

# A place before these may be a surname worth asking the NER about (宮崎は).
_SURNAME_NEXT = frozenset(("は", "が", "と", "、", "・"))
NAME_SCORE = 0.95
# Also ask about name-tagged words the rules rejected and places that are
# surnames (正義は, 宮崎は). Off: on the MOE comments these were the only
# windows the NER ran on (正義, 長崎, 億人, 節基: 4 per 482 comments, about
# 5 % of the analysis pass) and found nothing; on the comment-style set they
# find nothing either; ner-wikipedia-ja held-out 人名 recall 0.805 → 0.801.
CASCADE_KANJI = False


def _cascade_candidates(tokens: list[Token], taken: bytearray, scan: TokenScan | None = None) -> list[int]:
    """Tokens the rules left alone that could still be a name (see ner_cascade).

    Each stands alone at a phrase boundary or before a title: a katakana
    word whose static vector looks like a name's (コックスは; エネルギーは
    does not), or that Sudachi does not know at all; with ``CASCADE_KANJI``
    also a place that is also a surname before a subject or list particle
    (宮崎は) and a name-tagged word the rules did not accept.
    """
    out = []
    # Cheap pass first (shared with the name rules): only a katakana word, a
    # name or a place qualifies.
    nouns = (scan if scan is not None else scan_tokens(tokens)).name_nouns
    for n in nouns:
        token = tokens[n]
        if (
            token.pos[0] != "名詞"
            or len(token.surface) < 2
            or taken[token.start]
            or token.pos[3] == "国"
            or token.surface.isascii()
        ):
            continue
        after = tokens[n + 1] if n + 1 < len(tokens) else None
        if not (ends_phrase(after) or after.surface in CUES or after.surface.startswith(TITLES)):
            continue
        before = tokens[n - 1] if n else None
        if (
            before is not None
            and before.pos[0] in ("名詞", "接頭辞")
            and before.surface not in DOTS
            and not before.surface.endswith(ROLES)
        ):
            continue  # Inside a compound (食品ロス).
        if KATAKANA_RE.fullmatch(token.surface):
            if _split_word(tokens, n):
                continue
            if token.pos[2] == "地名":
                continue
            score = name_score(token.surface)
            if (
                score is None
                and len(token.surface) <= 7
                and katakana_kind(token.surface)
                or score is not None
                and score >= NAME_SCORE
            ):
                out.append(n)
        elif CASCADE_KANJI and (
            is_name(token)
            or token.pos[2] == "地名"
            and surname_reading(token.surface)
            and after is not None
            and after.surface in _SURNAME_NEXT
        ):
            out.append(n)
    return out


def _split_word(tokens: list[Token], n: int) -> bool:
    """A piece of a longer katakana word, split by Sudachi or a line break."""
    for k in (n - 1, n + 1):
        if 0 <= k < len(tokens) and tokens[k].pos[0] == "空白":
            k += k - n
        if 0 <= k < len(tokens) and is_katakana(tokens[k]):
            return True
    return False


def _cascade_name_part(tokens: list[Token], k: int) -> bool:
    """A token GiNZA may count inside a person's name."""
    token = tokens[k]
    if is_name(token) or token.surface in DOTS or INITIAL_RE.fullmatch(token.surface):
        return True
    if token.pos[0] != "名詞" or token.pos[1] == "数詞":
        return False
    if token.pos[2] == "地名":
        return token.pos[3] != "国" and surname_reading(token.surface)
    if KATAKANA_RE.fullmatch(token.surface):
        return token.pos[1] != "固有名詞" or not token.surface.endswith("ズ")
    return (
        len(token.surface) <= 2
        and bool(KANJI_RE.fullmatch(token.surface))
        and (len(token.surface) == 1 or given_name(token.surface))
    )


def _cascade_trim(tokens: list[Token], k: int) -> bool:
    return (
        tokens[k].surface in PERSON_TITLES
        or tokens[k].surface in HONORIFICS
        or tokens[k].surface in DOTS
        or tokens[k].pos[0] == "空白"
    )


def cascade_spans(tokens: list[Token], taken: bytearray, scan: TokenScan | None = None) -> list[PiiSpan]:
    found = person_spans(tokens, _cascade_candidates(tokens, taken, scan), _cascade_name_part, _cascade_trim)
    return [PiiSpan(tokens[a].start, tokens[b - 1].end, "person") for a, b in found]


def _model_candidates(tokens: list[Token], taken: bytearray) -> list[int]:
    """Tokens around which the trained NER runs (see ``ner_model``).

    Nouns the rules left alone that could start or be a name: proper nouns
    other than countries, katakana words that Sudachi tags as names or does
    not know, or whose static vector looks like a name's, and one-kanji
    surnames at a phrase start (Chinese names: 林文察).
    """
    out = []
    for n, token in enumerate(tokens):
        if token.pos[0] != "名詞" or taken[token.start] or token.pos[3] == "国" or token.surface.isascii():
            continue
        if token.pos[1] == "固有名詞":
            if (
                token.pos[2] == "人名"
                or token.pos[2] == "地名"
                and surname_reading(token.surface)
                or token.pos[2] == "一般"
                and MODEL_PROPER_GENERAL
            ):
                out.append(n)
        elif KATAKANA_RE.fullmatch(token.surface) and len(token.surface) >= 2:
            if katakana_kind(token.surface):
                out.append(n)
            else:
                score = name_score(token.surface)
                if score is not None and score >= MODEL_NAME_SCORE:
                    out.append(n)
    return out


MODEL_NAME_SCORE = 0.95
# Also ask about name-tagged words the rules rejected and places that are
# surnames (正義は, 宮崎は). Off: on the MOE comments these were the only
# windows the NER ran on (正義, 長崎, 億人, 節基: 4 per 482 comments, about
# 5 % of the analysis pass) and found nothing; on the comment-style set they
# find nothing either; ner-wikipedia-ja held-out 人名 recall 0.805 → 0.801.
CASCADE_KANJI = False
MODEL_PROPER_GENERAL = False


def model_spans(model, tokens: list[Token], taken: bytearray, full: bool) -> list[PiiSpan]:
    candidates = None if full else _model_candidates(tokens, taken)
    if candidates == []:
        return []
    spans, wanted = [], None if candidates is None else set(candidates)
    for a, b, label in ner_model.entities(model, tokens, candidates):
        if label != "PERSON" or wanted is not None and not wanted.intersection(range(a, b)):
            continue
        while b > a and _cascade_trim(tokens, b - 1):
            b -= 1
        while a < b and _cascade_trim(tokens, a):
            a += 1
        if (
            a < b
            and all(_cascade_name_part(tokens, k) for k in range(a, b))
            and not (b - a == 1 and common_word(tokens[a].surface))
        ):
            spans.append(PiiSpan(tokens[a].start, tokens[b - 1].end, "person"))
    return spans
