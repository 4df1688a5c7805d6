"""Find and mask personal data, with character offsets into the original.

Patterns run over a per-character NFKC copy of the text (so 全角 digits and
parentheses match) and map back through an offset table; names come from
Sudachi's 人名 tags plus honorifics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp import ner_cascade, ner_model
from nlp.ner_cascade import name_score, person_spans, surname_reading
from nlp.normalize import normalize_with_offsets
from nlp.pipeline import Token, dictionary_entries, only_person_name, tokenize

HONORIFICS = ("さん", "様", "さま", "氏", "君", "くん", "ちゃん", "殿", "先生")
MASKS = {
    "person": "〇〇",
    "address": "〇〇",
    "phone": "XXX-XXXX-XXXX",
    "email": "xxx@xxx",
    "postcode": "〒XXX-XXXX",
    "mynumber": "XXXX-XXXX-XXXX",
    "birthdate": "XXXX年XX月XX日",
}
_PREF = r"(?:北海道|東京都|(?:大阪|京都)府|[\u4e00-\u9fff]{2,3}県)"
_MUNI = r"(?:[\u4e00-\u9fff\u30a0-\u30ff]{1,6}?[市区郡町村]){1,3}"
_NUM_BLOCK = r"(?:\d{1,4}(?:丁目|番地|番|号|-|の)){1,4}\d{0,4}(?:号)?"
_BLOCK = (
    r"(?:[一二三四五六七八九十]{1,3}丁目(?:" + _NUM_BLOCK + r")?|" + _NUM_BLOCK + ")"
)
# An optional building name with a room or floor number (ハイツ川口 203号室).
_BUILDING = r"(?:\s?[\u30a0-\u30ff\u4e00-\u9fffA-Za-z]{1,15}\s?\d{1,5}(?:号室|階))?"
_PATTERNS = {
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
    "postcode": re.compile(r"〒\s?\d{3}-?\d{4}(?!\d)|(?<![\d-])\d{3}-\d{4}(?![\d-])"),
    "phone": re.compile(
        r"(?<![\d-])(?:\+81[- ]?\(?0?\)?|\(?0)\d{1,4}\)?[- ]?\(?\d{1,4}\)?[- ]?\d{3,4}(?![\d-])"
    ),
    "mynumber": re.compile(r"(?<!\d)\d{4}[- ]?\d{4}[- ]?\d{4}(?!\d)"),
    "address": re.compile(
        rf"(?:{_PREF}{_MUNI}|{_PREF}|{_MUNI})[\u4e00-\u9fff\u3040-\u30ff]{{0,8}}?{_BLOCK}{_BUILDING}"
    ),
    "birthdate": re.compile(
        r"(?:(?:明治|大正|昭和|平成|令和)\d{1,2}|(?:19|20)\d{2})[年/.-]\d{1,2}[月/.-]\d{1,2}日?"
        r"(?=\s?(?:生|産まれ))"
        r"|(?<=生年月日)[:\s]*(?:(?:明治|大正|昭和|平成|令和)\d{1,2}|(?:19|20)\d{2})[年/.-]\d{1,2}[月/.-]\d{1,2}日?"
    ),
}
_DOTS = ("・", "=", "＝", "･")
_KANJI_RE = re.compile(r"[\u3400-\u9fff々]+")
_KATAKANA_RE = re.compile(r"[\u30a1-\u30fa\u30fc\uff66-\uff9f]+")
_INITIAL_RE = re.compile(r"[A-ZＡ-Ｚ]|Jr|Ｊｒ")
# Role words that follow a name as an honorific does (内山教授, 田中市長).
TITLES = (
    "教授",
    "准教授",
    "博士",
    "議員",
    "市長",
    "知事",
    "委員",
    "部長",
    "課長",
    "係長",
    "社長",
    "会長",
    "理事",
    "弁護士",
    "医師",
    "事務総長",
    "総理",
    "大臣",
    "選手",
    "監督",
    "大統領",
    "首相",
    "外相",
    "大使",
    "船長",
    "大佐",
    "中佐",
    "少佐",
    "投手",
)
# Words after a proper noun that make it a person (岡田社長, ニミッツ提督).
PERSON_TITLES = frozenset(
    TITLES
    + (
        "提督",
        "元帥",
        "艦長",
        "航海長",
        "所長",
        "総裁",
        "党首",
        "天皇",
        "皇帝",
        "上皇",
        "大公",
        "伯爵",
        "公爵",
        "侯爵",
        "卿",
        "将軍",
        "長官",
        "本人",
        "自身",
        "一族",
        "兄弟",
        "夫妻",
        "夫人",
        "王",
        "帝",
        "公",
        "元首相",
        "特技監督",
        "原作",
    )
)
CUES = PERSON_TITLES | frozenset(HONORIFICS)
# Offices a place name can qualify (千葉市長, 東京弁護士会): no person there.
PLACE_OFFICES = frozenset(
    (
        "市長",
        "知事",
        "町長",
        "村長",
        "区長",
        "議員",
        "委員",
        "大使",
        "首相",
        "外相",
        "大統領",
        "総理",
        "大臣",
        "弁護士",
        "医師",
        "選手",
        "監督",
    )
)
# Role words that precede a name (俳優の…, 哲学者…, 局長…).
ROLES = TITLES + (
    "俳優",
    "女優",
    "歌手",
    "作家",
    "画家",
    "詩人",
    "哲学者",
    "学者",
    "司令官",
    "局長",
    "長官",
    "編集者",
    "指揮者",
    "作曲家",
    "小説家",
    "家",
    "手",
    "妻",
    "夫",
    "父",
    "母",
    "息子",
    "娘",
    "兄",
    "弟",
    "姉",
    "妹",
)
_CASE_PARTICLES = frozenset("は が を に と も の へ や".split())
# Earlier types win when spans overlap (an e-mail's digits are not a phone).
_ORDER = ("email", "address", "postcode", "birthdate", "mynumber", "phone")


@dataclass(frozen=True)
class PiiSpan:
    start: int
    end: int
    type: str


def mynumber_valid(digits: str) -> bool:
    """Check the 12th digit of a マイナンバー against its check digit."""
    if len(digits) != 12 or not digits.isdigit():
        return False
    body = [int(c) for c in reversed(digits[:11])]
    total = sum(d * (n + 2 if n < 6 else n - 4) for n, d in enumerate(body, start=0))
    check = 11 - total % 11
    return int(digits[11]) == (0 if check >= 10 else check)


def _phone_valid(match: str) -> bool:
    digits = re.sub(r"\D", "", match)
    if digits.startswith("81"):
        digits = "0" + digits[2:].lstrip("0")
    return len(digits) in (10, 11) and digits.startswith("0")


def pattern_spans(text: str) -> list[PiiSpan]:
    folded, index = normalize_with_offsets(text)
    spans = []
    for kind in _ORDER:
        for m in _PATTERNS[kind].finditer(folded):
            value = m.group(0).strip(" :")
            if kind == "phone" and not _phone_valid(value):
                continue
            if kind == "mynumber" and not mynumber_valid(re.sub(r"\D", "", value)):
                continue
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip(" :")))
            spans.append(PiiSpan(index[start], index[m.end() - 1] + 1, kind))
    return spans


def _is_name(token: Token) -> bool:
    return token.pos[1] == "固有名詞" and token.pos[2] == "人名"


def _name_spans(tokens: list[Token]) -> list[PiiSpan]:
    spans, i = [], 0
    while i < len(tokens):
        i, j = _name_run(tokens, i)
        run = tokens[i:j]
        after = tokens[j] if j < len(tokens) else None
        if run and (
            _accept_name(run, after) or _after_role(tokens, i) and _ends_phrase(after)
        ):
            spans.append(PiiSpan(run[0].start, run[-1].end, "person"))
        elif (
            not run
            and i
            and (
                _cued_word(tokens[i - 1], after)
                or len(tokens[i - 1].surface) > 2
                and _lone_foreign_name(tokens, i - 1, after)
            )
        ):
            spans.append(PiiSpan(tokens[i - 1].start, tokens[i - 1].end, "person"))
        i = max(j, i + 1)
    return spans + _repeated_parts(tokens, spans) if spans else spans


def _repeated_parts(tokens: list[Token], spans: list[PiiSpan]) -> list[PiiSpan]:
    """Find a name part again on its own (ベニー・ムルダニ … ムルダニは)."""
    parts, inside, k = set(), set(), 0
    for n, token in enumerate(tokens):
        while k < len(spans) and spans[k].end <= token.start:
            k += 1
        if k < len(spans) and spans[k].start <= token.start:
            inside.add(n)
            if len(token.surface) >= 2 and (_is_name(token) or _foreign_word(token)):
                parts.add(token.surface)
    return [
        PiiSpan(t.start, t.end, "person")
        for n, t in enumerate(tokens)
        if t.surface in parts and n not in inside and _alone(tokens, n)
    ]


_SUBJECT_MARKERS = frozenset(("は", "が"))


def _subject(tokens: list[Token], n: int) -> bool:
    """An unknown foreign word as the subject of a clause (ムルダニは…)."""
    return (
        n + 1 < len(tokens)
        and tokens[n + 1].surface in _SUBJECT_MARKERS
        and len(tokens[n].surface) <= 7
        and (
            n == 0
            or tokens[n - 1].pos[0] in ("補助記号", "助詞", "助動詞", "動詞")
            and tokens[n - 1].surface not in _DOTS
        )
    )


def _alone(tokens: list[Token], n: int) -> bool:
    """A word followed by a particle or a comma, not inside a dotted name."""
    after = tokens[n + 1] if n + 1 < len(tokens) else None
    return (
        after is None or after.pos[0] == "助詞" or after.surface in "、。"
    ) and not (n and tokens[n - 1].surface in _DOTS)


def _name_run(tokens: list[Token], i: int) -> tuple[int, int]:
    """Return the name-tagged run at i, completed by foreign and kanji parts."""
    j = i
    while j < len(tokens) and (_is_name(tokens[j]) or _joins_name(tokens, j, i)):
        j += 1
    if j == i:
        # Cheap tests first: this runs for every untagged token.
        if _dotted_katakana(tokens, i):
            j = i + 1  # Untagged foreign names (ヴェリミール・フレーブニコフ).
        elif len(tokens[i].surface) == 1 and tokens[i].pos[1] == "普通名詞":
            return i, _hanzi_name(tokens, i)
        else:
            return i, i
    i, j = _extend_foreign(tokens, i, j)
    if (
        j > i
        and j + 1 < len(tokens)
        and tokens[j].pos[1] == "数詞"
        and tokens[j + 1].surface == "世"
    ):
        j += 2  # A regnal number (ラムセス2世, ナポレオン三世).
    return _extend_kanji_name(tokens, i, j)


def _cued_word(word: Token, after: Token | None) -> bool:
    """An untagged word before an honorific, or a proper noun before a title.

    Sudachi tags many surnames as places (岡田社長, 伊東博士), but a place
    before a local office is the office's place (千葉市長), so those stay out.
    """
    # Cheap cue test first: this runs for every untagged token.
    if after is None or after.surface not in CUES or not _name_like(word):
        return False
    if after.surface in HONORIFICS:
        return True
    return (
        (word.pos[1] == "固有名詞" or _foreign_word(word))
        and word.pos[3] != "国"
        and after.surface in PERSON_TITLES
        and not (word.pos[2] == "地名" and after.surface in PLACE_OFFICES)
    )


_PLACE_HEADS = frozenset("都道府県市区町村郡州島山川横")
_FOREIGN_NEXT = frozenset("は が を に と の も や".split())


@lru_cache(maxsize=50_000)
def _katakana_kind(surface: str) -> int:
    """Classify a katakana word of 3+ letters by Sudachi's dictionary.

    1: every entry is a person (グレゴール); 2: no entry at all and no
    compound of common words (ムルダニ yes; ココストアイースト, コミュニティ no);
    0: anything else. Plurals are teams and bands (レイブンズ), not people.
    """
    if len(surface) < 3 or not _KATAKANA_RE.fullmatch(surface):
        return 0
    if only_person_name(surface):
        return 1
    if (
        surface.endswith("ズ")
        or dictionary_entries(surface)
        or _compound(surface)
        or any(_common_word(surface[k:]) for k in range(1, len(surface) - 3))
    ):
        return 0  # The last test catches ヴェオリアグループ.
    return 2


@lru_cache(maxsize=20_000)
def _compound(surface: str) -> bool:
    return not surface or any(
        _common_word(surface[:k]) and _compound(surface[k:])
        for k in range(len(surface), 1, -1)
    )


@lru_cache(maxsize=20_000)
def _common_word(surface: str) -> bool:
    return any(
        pos[0] == "名詞" and pos[2] != "人名" for pos in dictionary_entries(surface)
    )


def _foreign_word(token: Token) -> bool:
    """A katakana word Sudachi does not know (see _katakana_kind)."""
    return token.pos[0] == "名詞" and _katakana_kind(token.surface) == 2


def _lone_foreign_name(tokens: list[Token], n: int, after: Token | None) -> bool:
    """A lone katakana name Sudachi did not tag: one known only as a name
    (ナーセルに), or an unknown word after a role word or as a subject."""
    if tokens[n].pos[0] != "名詞":
        return False
    kind = _katakana_kind(tokens[n].surface)
    if kind == 1:
        return _alone(tokens, n)
    return (
        kind == 2
        and _ends_phrase(after)
        and (_after_role(tokens, n) or _subject(tokens, n))
    )


def _foreign_name_part(token: Token) -> bool:
    return (
        token.surface in _DOTS
        or _foreign_word(token)
        or any(pos[2] == "人名" for pos in dictionary_entries(token.surface))
    )


def _is_katakana(token: Token) -> bool:
    return bool(_KATAKANA_RE.fullmatch(token.surface))


def _foreign_part(token: Token) -> bool:
    # Middle initials and suffixes sit between katakana parts (ジョン・F・ケネディ).
    return _is_katakana(token) or bool(_INITIAL_RE.fullmatch(token.surface))


def _dotted_katakana(tokens: list[Token], i: int) -> bool:
    # Cheap dot test first: this runs for every untagged token.
    return (
        i + 2 < len(tokens)
        and tokens[i + 1].surface in _DOTS
        and _is_katakana(tokens[i])
        and _foreign_part(tokens[i + 2])
    )


def _extend_foreign(tokens: list[Token], i: int, j: int) -> tuple[int, int]:
    """Extend a katakana name over dot-joined katakana parts (ジョン・ブック)."""
    if j == i or not _is_katakana(tokens[j - 1]):
        return i, j
    while (
        j + 1 < len(tokens)
        and tokens[j].surface in _DOTS
        and _foreign_part(tokens[j + 1])
    ):
        j += 2
    while i >= 2 and tokens[i - 1].surface in _DOTS and _foreign_part(tokens[i - 2]):
        i -= 2
    while len(tokens[j - 1].surface) == 1 and not _is_katakana(tokens[j - 1]):
        j -= 2  # A trailing lone letter is not a name part (ジョン・C).
    return i, j


def _kanji_part(token: Token) -> bool:
    return (
        token.pos[0] in ("名詞", "接頭辞")
        and token.pos[1] != "数詞"
        and len(token.surface) <= 2
        and bool(_KANJI_RE.fullmatch(token.surface))
    )


def _extend_kanji_name(tokens: list[Token], i: int, j: int) -> tuple[int, int]:
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
    if (
        kind == "姓"
        and j < len(tokens)
        and _kanji_part(tokens[j])
        and tokens[j].pos[1] != "固有名詞"
    ):
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
            and _ends_phrase(tokens[k] if k < len(tokens) else None)
            and (len(given) == 1 and len(tokens[i].surface) == 1 or _given_name(given))
        ):
            return i, k
    return i, j


def _hanzi_name(tokens: list[Token], i: int) -> int:
    """Return the end of a Chinese or Korean name at i (林+文+察, 朴+槿恵), else i.

    The one-kanji surname is tagged as a common noun there; the given name
    must be two kanji that make no dictionary word, between phrase breaks.
    """
    token = tokens[i]
    if (
        len(token.surface) != 1
        or token.pos[1] != "普通名詞"
        or not _KANJI_RE.match(token.surface)
        or i + 1 >= len(tokens)
        or (i and tokens[i - 1].pos[0] not in _BREAK_POS)
    ):
        return i
    k = i + 1
    while (
        k < len(tokens)
        and k - i <= 2
        and _kanji_part(tokens[k])
        and tokens[k].pos[1] != "固有名詞"
    ):
        k += 1
    given = "".join(t.surface for t in tokens[i + 1 : k])
    if (
        len(given) != 2
        or not _ends_phrase(tokens[k] if k < len(tokens) else None)
        or not _surname_char(token.surface)
        or not _odd_given_name(given)
    ):
        return i
    return k


_BREAK_POS = frozenset(("補助記号", "助詞", "助動詞", "空白"))


@lru_cache(maxsize=5_000)
def _surname_char(surface: str) -> bool:
    return any(pos[3] == "姓" for pos in dictionary_entries(surface))


@lru_cache(maxsize=20_000)
def _odd_given_name(surface: str) -> bool:
    """Two kanji that are no common word or phrase (槿恵 yes, 鮮明 no)."""
    return surface[0] not in _PLACE_HEADS and not any(
        pos[1] != "固有名詞" for pos in dictionary_entries(surface)
    )


@lru_cache(maxsize=20_000)
def _given_name(surface: str) -> bool:
    """A given-name part after a surname: no common word (所+事故, 田中+委員)."""
    entries = dictionary_entries(surface)
    return (
        surface not in CUES
        and not surface.startswith(TITLES)
        and surface[0] not in _PLACE_HEADS
        and (not entries or any(pos[2] == "人名" for pos in entries))
    )


def _joins_name(tokens: list[Token], j: int, start: int) -> bool:
    """Let a middle dot or a space join two name parts (ジョン・スミス, 伊藤 健一)."""
    joiner = tokens[j].surface in _DOTS or (
        tokens[j].pos[0] == "空白" and "\n" not in tokens[j].surface
    )
    return j > start and joiner and j + 1 < len(tokens) and _is_name(tokens[j + 1])


def _ends_phrase(token: Token | None) -> bool:
    return token is None or token.pos[0] in (
        "助詞",
        "助動詞",
        "補助記号",
        "空白",
        "接尾辞",
    )


def _after_role(tokens: list[Token], i: int) -> bool:
    """Tell whether a role word precedes position i (女優のアドリエーン・ラルッサ)."""
    k = i - 2 if i >= 2 and tokens[i - 1].surface in ("の", "・") else i - 1
    return k >= 0 and tokens[k].surface.endswith(ROLES)


def _accept_name(run: list[Token], after: Token | None) -> bool:
    """Decide whether a run of name-tagged tokens is a person's name.

    Sudachi tags many ordinary words as possible names (正義, クマ, リオ),
    so a lone part needs evidence: an honorific or title after it, or, for
    a surname or a long foreign name, a phrase boundary (田中は…).
    """
    if after is not None and (
        after.surface in HONORIFICS
        or after.surface in PERSON_TITLES
        or after.surface.startswith(TITLES)
    ):
        return True
    kinds = {t.pos[3] for t in run if _is_name(t)}
    if len(run) > 1:
        # 姓+名 or a dot-joined foreign name is evidence enough (片岡千恵蔵主演).
        if not kinds and _KANJI_RE.fullmatch(run[0].surface):
            return True  # A Chinese or Korean name found by _hanzi_name.
        if not kinds:
            # Untagged dotted katakana is often a band or a work (ストーン・ローゼズ),
            # unless Sudachi does not know the last part at all, every part
            # could be a name, and a case particle follows.
            return (
                after is not None
                and after.surface in _FOREIGN_NEXT
                and _foreign_word(run[-1])
                and all(_foreign_name_part(t) for t in run)
            )
        joined = any(t.surface in _DOTS for t in run)
        return {"姓", "名"} <= kinds or joined or _ends_phrase(after)
    token = run[0]
    if not _ends_phrase(after) or len(token.surface) < 2 or token.surface.isascii():
        return False
    if token.pos[3] == "姓":
        return True
    if token.pos[3] == "一般" and len(token.surface) >= 3:
        return True
    # A lone given name (慶喜は) needs a case particle and no common-noun
    # reading: words like 正義, クマ, ロス are tagged 名 too.
    return (
        token.pos[3] in ("名", "一般")
        and after is not None
        and after.surface in _CASE_PARTICLES
        and only_person_name(token.surface)
    )


def _name_like(token: Token) -> bool:
    return (
        token.pos[0] == "名詞"
        and token.pos[1] in ("固有名詞", "普通名詞")
        and not token.surface.isdigit()
        and len(token.surface) >= 2
    )


def _cascade_candidates(tokens: list[Token], taken: bytearray) -> list[int]:
    """Tokens the rules left alone that could still be a name (see ner_cascade).

    Each stands alone at a phrase boundary or before a title: a katakana
    word whose static vector looks like a name's (コックスは; エネルギーは
    does not), or that Sudachi does not know at all; a place that is also a
    surname before a subject or list particle (宮崎は); a name-tagged word
    the rules did not accept.
    """
    out = []
    for n, token in enumerate(tokens):
        if (
            token.pos[0] != "名詞"
            or len(token.surface) < 2
            or taken[token.start]
            or token.pos[3] == "国"
            or token.surface.isascii()
        ):
            continue
        after = tokens[n + 1] if n + 1 < len(tokens) else None
        if not (
            _ends_phrase(after)
            or after.surface in CUES
            or after.surface.startswith(TITLES)
        ):
            continue
        before = tokens[n - 1] if n else None
        if (
            before is not None
            and before.pos[0] in ("名詞", "接頭辞")
            and before.surface not in _DOTS
            and not before.surface.endswith(ROLES)
        ):
            continue  # Inside a compound (食品ロス).
        if _KATAKANA_RE.fullmatch(token.surface):
            if _split_word(tokens, n):
                continue
            if token.pos[2] == "地名":
                continue
            score = name_score(token.surface)
            if (
                score is None
                and len(token.surface) <= 7
                and _katakana_kind(token.surface)
                or score is not None
                and score >= NAME_SCORE
            ):
                out.append(n)
        elif (
            _is_name(token)
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
        if 0 <= k < len(tokens) and _is_katakana(tokens[k]):
            return True
    return False


# A place before these may be a surname worth asking the NER about (宮崎は).
_SURNAME_NEXT = frozenset(("は", "が", "と", "、", "・"))
NAME_SCORE = 0.95


def _cascade_name_part(tokens: list[Token], k: int) -> bool:
    """A token GiNZA may count inside a person's name."""
    token = tokens[k]
    if (
        _is_name(token)
        or token.surface in _DOTS
        or _INITIAL_RE.fullmatch(token.surface)
    ):
        return True
    if token.pos[0] != "名詞" or token.pos[1] == "数詞":
        return False
    if token.pos[2] == "地名":
        return token.pos[3] != "国" and surname_reading(token.surface)
    if _KATAKANA_RE.fullmatch(token.surface):
        return token.pos[1] != "固有名詞" or not token.surface.endswith("ズ")
    return (
        len(token.surface) <= 2
        and bool(_KANJI_RE.fullmatch(token.surface))
        and (len(token.surface) == 1 or _given_name(token.surface))
    )


def _cascade_trim(tokens: list[Token], k: int) -> bool:
    return (
        tokens[k].surface in PERSON_TITLES
        or tokens[k].surface in HONORIFICS
        or tokens[k].surface in _DOTS
        or tokens[k].pos[0] == "空白"
    )


def _cascade_spans(tokens: list[Token], taken: bytearray) -> list[PiiSpan]:
    found = person_spans(
        tokens, _cascade_candidates(tokens, taken), _cascade_name_part, _cascade_trim
    )
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
        if (
            token.pos[0] != "名詞"
            or taken[token.start]
            or token.pos[3] == "国"
            or token.surface.isascii()
        ):
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
        elif _KATAKANA_RE.fullmatch(token.surface) and len(token.surface) >= 2:
            if _katakana_kind(token.surface):
                out.append(n)
            else:
                score = name_score(token.surface)
                if score is not None and score >= MODEL_NAME_SCORE:
                    out.append(n)
    return out


MODEL_NAME_SCORE = 0.95
MODEL_PROPER_GENERAL = False


def _model_spans(
    model, tokens: list[Token], taken: bytearray, full: bool
) -> list[PiiSpan]:
    candidates = None if full else _model_candidates(tokens, taken)
    if candidates == []:
        return []
    spans, wanted = [], None if candidates is None else set(candidates)
    for a, b, label in ner_model.entities(model, tokens, candidates):
        if (
            label != "PERSON"
            or wanted is not None
            and not wanted.intersection(range(a, b))
        ):
            continue
        while b > a and _cascade_trim(tokens, b - 1):
            b -= 1
        while a < b and _cascade_trim(tokens, a):
            a += 1
        if (
            a < b
            and all(_cascade_name_part(tokens, k) for k in range(a, b))
            and not (b - a == 1 and _common_word(tokens[a].surface))
        ):
            spans.append(PiiSpan(tokens[a].start, tokens[b - 1].end, "person"))
    return spans


def find_pii(
    text: str,
    tokens: list[Token] | None = None,
    cascade: bool | None = None,
    model=None,
    full_model: bool = False,
) -> list[PiiSpan]:
    """Return non-overlapping personal-data spans, ordered by position.

    ``cascade`` (default ``ner_cascade.ENABLED``) asks GiNZA's NER about the
    names the rules are unsure of; see ``ner_cascade``. ``model`` is a
    pipeline trained by ``python -m nlp train-ner`` (default: the one
    ``ner_model.get_model()`` finds; ``False``: none). Its PERSON spans are
    added where nothing else was found; it runs on windows around candidate
    tokens, or on the whole text with ``full_model``.
    """
    tokens = tokens if tokens is not None else tokenize(text)
    candidates = pattern_spans(text)
    candidates += _name_spans(tokens)
    # Patterns come first, so they win over name guesses; an interval map
    # of taken characters keeps long texts linear.
    taken = bytearray(len(text) + 1)
    chosen = []
    for span in candidates:
        if not any(taken[span.start : span.end]):
            taken[span.start : span.end] = b"\x01" * (span.end - span.start)
            chosen.append(span)
    model = (
        ner_model.get_model() if model is None else None if model is False else model
    )
    if model is not None:
        for span in _model_spans(model, tokens, taken, full_model):
            if not any(taken[span.start : span.end]):
                taken[span.start : span.end] = b"\x01" * (span.end - span.start)
                chosen.append(span)
    if cascade if cascade is not None else ner_cascade.ENABLED:
        for span in _cascade_spans(tokens, taken):
            if not any(taken[span.start : span.end]):
                taken[span.start : span.end] = b"\x01" * (span.end - span.start)
                chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def mask(text: str, spans: list[PiiSpan]) -> str:
    """Replace each span with a type placeholder; keep everything else."""
    out, last = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        out.append(text[last : span.start])
        out.append(MASKS[span.type])
        last = span.end
    out.append(text[last:])
    return "".join(out)
