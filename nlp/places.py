"""Place-name spans, used to measure the address detector's vocabulary.

Place names alone are not masked (「千葉市の施策」 is not personal data), so
this module is off the hot path: only the benchmark and evaluation call it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.pii import PiiSpan, pattern_spans
from nlp.pii.lexicon import KATAKANA_RE
from nlp.pipeline import Token, dictionary_entries, tokenize

# Words that make the word before them a place (フィラエ島, 大野盆地, ニュオム区).
GEO_SUFFIXES = frozenset(
    "都 道 府 県 市 区 町 村 郡 島 川 湖 山 岳 州 国 藩 湾 沖 半島 諸島 列島 地区 地方 地域 帝国 "
    "王国 諸国 温泉 盆地 海岸 海峡 高原 平野 山脈 峠 運河 砂漠 海 洋 街 環礁".split()
)
# Compounds whose head is a place (日本人, アメリカ製, 関東圏, 鳥取県勢).
_DEMONYM_TAILS = tuple("人製系語軍産圏領側勢籍風式")
_DIRECTIONS = frozenset("東西南北")
# Parts of a place that the annotation counts with it (スペイン北部, 札幌市内).
AREA_TAILS = frozenset(
    "北部 南部 東部 西部 中部 北東部 北西部 南東部 南西部 南岸 北岸 東岸 西岸 沿岸 内 畔 山麓 "
    "以北 以南 以東 以西 国外 都心 方面".split()
)
# One-kanji country names (訪日, 渡米, 欧米, 米大統領).
_COUNTRY_CHARS = frozenset("日米英独仏伊露韓欧豪印蘭中")
_VISIT_PREFIXES = frozenset("訪渡駐在来離滞")
_DOTS = ("・", "＝", "=")


def _is_place(token: Token) -> bool:
    return token.pos[1] == "固有名詞" and token.pos[2] == "地名"


def _can_head(token: Token) -> bool:
    """A proper or unknown-looking noun may name a place when a suffix follows."""
    return token.pos[0] == "名詞" and token.pos[1] in ("固有名詞", "普通名詞") and not token.surface.isdigit()


def _dotted_head(tokens: list[Token], j: int) -> bool:
    return (
        j + 3 < len(tokens)
        and _can_head(tokens[j])
        and tokens[j + 1].surface in _DOTS
        and _can_head(tokens[j + 2])
        and tokens[j + 3].surface in GEO_SUFFIXES
    )


def _run_end(tokens: list[Token], i: int) -> int:
    """Return the end of a place run starting at i (i itself when none)."""
    j = i
    while j < len(tokens):
        tok = tokens[j]
        if _is_place(tok) or (j > i and (tok.surface in GEO_SUFFIXES or tok.surface in AREA_TAILS)):
            j += 1
        elif j == i and j + 1 < len(tokens) and _can_head(tok) and tokens[j + 1].surface in GEO_SUFFIXES:
            j += 2
        elif j > i and tok.surface in _DOTS and j + 1 < len(tokens) and _is_place(tokens[j + 1]):
            j += 2  # 大阪・中之島
        elif j == i and _dotted_head(tokens, j):
            j += 4  # タッル・リフアト市
        elif j > i and _STATE_RE.fullmatch(tokens[j - 1].surface) and _katakana_noun(tok):
            j += 1  # A town after its state (ケンタッキー州+ルイビル)
            while j < len(tokens) and _katakana_noun(tokens[j]):
                j += 1
        elif (
            j > i
            and tok.surface in ("大字", "字")
            and j + 1 < len(tokens)
            and tokens[j + 1].pos[0] == "名詞"
            and tokens[j - 1].surface[-1] in "市町村郡区"
        ):
            j += 2  # 日向市+大字+日知屋
        else:
            break
    return j


_STATE_RE = re.compile(r"[\u30a1-\u30fa\u30fc]*州")


def _katakana_noun(token: Token) -> bool:
    return token.pos[0] == "名詞" and KATAKANA_RE.fullmatch(token.surface) is not None


@lru_cache(maxsize=20_000)
def _place_stem(surface: str) -> int:
    """Return the length of a place-name stem inside a compound (日本人 → 2)."""
    if len(surface) >= 2 and surface.endswith(_DEMONYM_TAILS) and _only_place(surface[:-1]):
        return len(surface) - 1
    return 0


def _only_place(surface: str) -> bool:
    entries = dictionary_entries(surface)
    # A country may double as a name (イタリア), not as a common word.
    return any(pos[2] == "地名" for pos in entries) and not any(pos[1] == "普通名詞" for pos in entries)


def _country_chars(tokens: list[Token], i: int) -> list[PiiSpan]:
    """One-kanji countries inside a word: 訪日, 渡米, 欧米, 独伊, 米中, 米大統領."""
    tok = tokens[i]
    text, start = tok.surface, tok.start
    if tok.pos[0] != "名詞" or not text or text[0] not in _COUNTRY_CHARS and text[0] not in _VISIT_PREFIXES:
        return []
    if len(text) == 2 and text[0] in _VISIT_PREFIXES and text[1] in _COUNTRY_CHARS:
        return [PiiSpan(start + 1, start + 2, "place")]
    if len(text) == 2 and set(text) <= _COUNTRY_CHARS and "中" not in text:  # 日中 is also "daytime"
        return [PiiSpan(start, start + 2, "place")]
    if text == "米" and i + 1 < len(tokens) and tokens[i + 1].surface in _COUNTRY_CHARS:
        return [PiiSpan(start, tokens[i + 1].end, "place")]  # 米+中
    if len(text) >= 3 and text[0] in "米英独仏露韓" and text[1:] in _OFFICES:
        return [PiiSpan(start, start + 1, "place")]
    return []


_OFFICES = frozenset("大統領 首相 国務長官 外相 国防長官 大使 政府 軍 議会 企業".split())


def place_spans(text: str, tokens: list[Token] | None = None) -> list[PiiSpan]:
    """Return place-name spans: Sudachi 地名 runs, suffixed names, compounds."""
    tokens = tokens if tokens is not None else tokenize(text)
    spans, i = [], 0
    while i < len(tokens):
        j = _run_end(tokens, i)
        if j > i:
            start = tokens[i].start
            if i and tokens[i - 1].surface in _DIRECTIONS:
                start = tokens[i - 1].start  # 南アフリカ, 東ローマ帝国
            end = tokens[j - 1].end
            if j < len(tokens) and tokens[j].surface[0] in "県市区町村郡" and tokens[j].pos[1] == "普通名詞":
                end += 1  # 鳥取+県勢: the suffix is fused into the next word.
            spans.append(PiiSpan(start, end, "place"))
        elif _place_stem(tokens[i].surface):
            spans.append(
                PiiSpan(
                    tokens[i].start,
                    tokens[i].start + _place_stem(tokens[i].surface),
                    "place",
                )
            )
        else:
            spans += _country_chars(tokens, i)
        i = max(j, i + 1)
    return spans + [s for s in pattern_spans(text) if s.type == "address"]
