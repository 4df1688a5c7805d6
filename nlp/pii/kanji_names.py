"""Kanji names Sudachi tagged only in part: 兵庫+慎司, 片山+英木, 林+文察."""

from __future__ import annotations

from functools import lru_cache

from nlp.pii.lexicon import KANJI_RE, PLACE_HEADS, ends_phrase, given_name
from nlp.pipeline import Token, dictionary_entries

_BREAK_POS = frozenset(("補助記号", "助詞", "助動詞", "空白"))


def _kanji_part(token: Token) -> bool:
    return (
        token.pos[0] in ("名詞", "接頭辞")
        and token.pos[1] != "数詞"
        and len(token.surface) <= 2
        and bool(KANJI_RE.fullmatch(token.surface))
    )


def extend_kanji_name(tokens: list[Token], i: int, j: int) -> tuple[int, int]:
    """Complete a half-tagged kanji name: 兵庫+慎司 (名), 徐 (姓)+平, 片山 (姓)+英木.

    Only a proper noun, a single kanji or a given name that is no common
    word may join, so that common words (廃掃+法等, 所+事故) stay out.
    """
    if j - i != 1:
        return i, j
    kind = tokens[i].pos[3]
    if (
        kind == "名"
        and i
        and _kanji_part(tokens[i - 1])
        and (tokens[i - 1].pos[1] == "固有名詞" or len(tokens[i - 1].surface) == 1)
    ):
        return i - 1, j
    if kind == "姓" and j < len(tokens) and _kanji_part(tokens[j]) and tokens[j].pos[1] != "固有名詞":
        k = j + 1
        if (
            k < len(tokens)
            and len(tokens[j].surface) == 1
            and _kanji_part(tokens[k])
            and len(tokens[k].surface) == 1
            and tokens[k].pos[1] != "固有名詞"
        ):
            k += 1  # Two single kanji (片山+英+木).
        given = "".join(t.surface for t in tokens[j:k])
        if (
            len(given) <= 2
            and ends_phrase(tokens[k] if k < len(tokens) else None)
            and (len(given) == 1 and len(tokens[i].surface) == 1 or given_name(given))
        ):
            return i, k
    return i, j


def hanzi_name(tokens: list[Token], i: int) -> int:
    """Return the end of a Chinese or Korean name at i (林+文+察, 朴+槿恵), else i.

    The one-kanji surname is tagged as a common noun there; the given name
    must be two kanji that make no dictionary word, between phrase breaks.
    """
    token = tokens[i]
    if (
        len(token.surface) != 1
        or token.pos[1] != "普通名詞"
        or not KANJI_RE.match(token.surface)
        or i + 1 >= len(tokens)
        or (i and tokens[i - 1].pos[0] not in _BREAK_POS)
    ):
        return i
    k = i + 1
    while k < len(tokens) and k - i <= 2 and _kanji_part(tokens[k]) and tokens[k].pos[1] != "固有名詞":
        k += 1
    given = "".join(t.surface for t in tokens[i + 1 : k])
    if (
        len(given) != 2
        or not ends_phrase(tokens[k] if k < len(tokens) else None)
        or not _surname_char(token.surface)
        or not _odd_given_name(given)
    ):
        return i
    return k


@lru_cache(maxsize=5_000)
def _surname_char(surface: str) -> bool:
    return any(pos[3] == "姓" for pos in dictionary_entries(surface))


@lru_cache(maxsize=20_000)
def _odd_given_name(surface: str) -> bool:
    """Two kanji that are no common word or phrase (槿恵 yes, 鮮明 no)."""
    return surface[0] not in PLACE_HEADS and not any(pos[1] != "固有名詞" for pos in dictionary_entries(surface))
