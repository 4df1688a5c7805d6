"""The words and dictionary tests that tell a person's name from other words.

Honorifics and titles after a name, role words before one, the letters a
foreign or kanji name is written in, and what Sudachi's dictionary says
about a surface (a name only, no entry at all, a common word).
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.pipeline import Token, dictionary_entries, only_person_name

HONORIFICS = ("さん", "様", "さま", "氏", "君", "くん", "ちゃん", "殿", "先生")
DOTS = ("・", "=", "＝", "･")
KANJI_RE = re.compile(r"[\u3400-\u9fff々]+")
KATAKANA_RE = re.compile(r"[\u30a1-\u30fa\u30fc\uff66-\uff9f]+")
INITIAL_RE = re.compile(r"[A-ZＡ-Ｚ]|Jr|Ｊｒ")


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


PLACE_HEADS = frozenset("都道府県市区町村郡州島山川横")


def is_name(token: Token) -> bool:
    return token.pos[1] == "固有名詞" and token.pos[2] == "人名"


_KATAKANA_WORDS: dict[str, bool] = {}


def katakana_word(surface: str) -> bool:
    """Tell whether a word is all katakana (cached: the token scans ask per token)."""
    known = _KATAKANA_WORDS.get(surface)
    if known is None:
        if len(_KATAKANA_WORDS) > 100_000:
            _KATAKANA_WORDS.clear()
        known = _KATAKANA_WORDS[surface] = KATAKANA_RE.fullmatch(surface) is not None
    return known


def is_katakana(token: Token) -> bool:
    return katakana_word(token.surface)


def ends_phrase(token: Token | None) -> bool:
    return token is None or token.pos[0] in (
        "助詞",
        "助動詞",
        "補助記号",
        "空白",
        "接尾辞",
    )


@lru_cache(maxsize=50_000)
def katakana_kind(surface: str) -> int:
    """Classify a katakana word of 3+ letters by Sudachi's dictionary.

    1: every entry is a person (グレゴール); 2: no entry at all and no
    compound of common words (ムルダニ yes; ココストアイースト, コミュニティ no);
    0: anything else. Plurals are teams and bands (レイブンズ), not people.
    """
    if len(surface) < 3 or not KATAKANA_RE.fullmatch(surface):
        return 0
    if only_person_name(surface):
        return 1
    if (
        surface.endswith("ズ")
        or dictionary_entries(surface)
        or _compound(surface)
        or any(common_word(surface[k:]) for k in range(1, len(surface) - 3))
    ):
        return 0  # The last test catches ヴェオリアグループ.
    return 2


@lru_cache(maxsize=20_000)
def _compound(surface: str) -> bool:
    return not surface or any(common_word(surface[:k]) and _compound(surface[k:]) for k in range(len(surface), 1, -1))


@lru_cache(maxsize=20_000)
def common_word(surface: str) -> bool:
    return any(pos[0] == "名詞" and pos[2] != "人名" for pos in dictionary_entries(surface))


@lru_cache(maxsize=20_000)
def given_name(surface: str) -> bool:
    """A given-name part after a surname: no common word (所+事故, 田中+委員)."""
    entries = dictionary_entries(surface)
    return (
        surface not in CUES
        and not surface.startswith(TITLES)
        and surface[0] not in PLACE_HEADS
        and (not entries or any(pos[2] == "人名" for pos in entries))
    )
