"""The city's own town list (大字・町丁目) and 町名 matching of addresses.

The list is city data, not code: a CSV file (``town,lat,lng``; ``#``
comment lines carry the attribution and a ``# municipality: 県 市`` line).
The product ships 川口市's as ``core/data/kawaguchi_towns.csv`` (Geolonia
住所データ, CC BY 4.0; see ``core/data/README.md``). ``KOE_TOWNS_FILE``
points at another city's file; ``0`` or an empty value turns the list off.

One loader for every use: the address form's 町名 suggestions
(``<datalist>``), the matching of a submitter's address to its 町名
(``town_match``: 二丁目 / 2丁目 / ２丁目 / 2- alike, 大字 optional, ヶ/ケ/が,
ノ/の, ツ/つ), and the NLP core's address masking (``nlp.pii.towns``).

Only the standard library is imported: the NLP core, which must stay free
of Django, reads the list through this module.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "kawaguchi_towns.csv"
# Shown wherever the list is used (the form's suggestions, README).
ATTRIBUTION = "Geolonia 住所データ"
ATTRIBUTION_URL = "https://github.com/geolonia/japanese-addresses"
LICENSE = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/deed.ja"


@dataclass(frozen=True)
class TownList:
    prefecture: str  # 埼玉県
    municipality: str  # 川口市
    towns: tuple[str, ...]  # as listed: 大字安行領根岸, 青木一丁目, 新井町


def load_towns(path: str | Path) -> TownList:
    """Read a town file (see the module docstring)."""
    prefecture = municipality = ""
    towns = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#"):
            if line[1:].strip().startswith("municipality:"):
                prefecture, _, municipality = line.split(":", 1)[1].strip().partition(" ")
            continue
        name = line.split(",", 1)[0].strip()
        if name and name != "town":
            towns.append(name)
    return TownList(prefecture.strip(), municipality.strip(), tuple(towns))


def towns_file() -> Path | None:
    """The configured town file: ``KOE_TOWNS_FILE``, else the shipped one; None when off."""
    value = os.environ.get("KOE_TOWNS_FILE")
    if value is None:
        return DEFAULT_FILE
    return None if value.strip() in ("", "0") else Path(value)


@lru_cache(maxsize=4)
def _load_cached(path: str) -> TownList | None:
    file = Path(path)
    return load_towns(file) if file.is_file() else None


def town_list() -> TownList | None:
    """The configured town list (read once per file), or None without one."""
    path = towns_file()
    return None if path is None else _load_cached(str(path))


# ---- 町名 matching ----

_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_NUMBER = "〇一二三四五六七八九十"
# Hyphen look-alikes people type between digits (as core.jp; cf. デジタル庁's address normaliser).
_DASHES = "-－﹣−‐⁃‑‒–—﹘―⎯⏤ーｰ─━"
_DASH_NEAR_DIGIT_RE = re.compile(rf"(?<=\d)[{re.escape(_DASHES)}]|[{re.escape(_DASHES)}](?=\d)")
_SPACE_RE = re.compile(r"[\s\u3000]+")
# Spellings of one 町名: 鳩ヶ谷/鳩ケ谷/鳩が谷, 芝樋ノ爪/芝樋の爪, 三ツ和/三つ和.
_VARIANTS = str.maketrans({"ケ": "ヶ", "が": "ヶ", "ヵ": "ヶ", "の": "ノ", "つ": "ツ"})
_CHOME_SUFFIX_RE = re.compile(rf"([{_KANJI_NUMBER}]+)丁目$")
_LEADING_CHOME_RE = re.compile(rf"^(\d{{1,2}}|[{_KANJI_NUMBER}]{{1,3}})丁目")
# 青木2-1-1, 青木2番…: the first number after a 町名 that has 丁目 is its 丁目.
_LEADING_NUMBER_RE = re.compile(r"^(\d{1,2})(?=-|ノ|$)")
_PREFECTURES = (
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 神奈川県 "
    "新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 大阪府 兵庫県 "
    "奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 福岡県 佐賀県 長崎県 "
    "熊本県 大分県 宮崎県 鹿児島県 沖縄県"
).split()
_PREFECTURE_RE = re.compile("^(" + "|".join(_PREFECTURES) + ")")


def kanji_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, ２ → 2; None when it is not a number up to 99."""
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _KANJI_NUMBER for ch in text):
        return None
    if "十" not in text:
        value = 0
        for ch in text:
            value = value * 10 + _KANJI_DIGITS[ch]
        return value
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)


def address_fold(text: str) -> str:
    """The matching key of an address: NFKC, no spaces, dashes by digits as "-", variants folded.

    Never stored in place of what was typed; only compared.
    """
    folded = _SPACE_RE.sub("", unicodedata.normalize("NFKC", text or ""))
    return _DASH_NEAR_DIGIT_RE.sub("-", folded).translate(_VARIANTS)


@dataclass(frozen=True)
class TownMatch:
    town: str  # the name as listed: 青木二丁目, 大字安行領根岸
    base: str  # without 大字 and 丁目: 青木, 安行領根岸
    chome: int | None  # 2 for 青木二丁目
    rest: str  # what follows the 町名 and 丁目, folded: 1-1, 2830


@dataclass(frozen=True)
class _Base:
    name: str  # as listed, without 大字 and 丁目
    plain: str | None  # a listed town without 丁目 (大字芝, 新井町)
    chome: dict[int, str]  # 丁目 → listed town (芝一丁目…)


class TownIndex:
    """The town list arranged for matching addresses to their 町名."""

    def __init__(self, towns: TownList):
        self.prefecture = towns.prefecture
        self.municipality = towns.municipality
        bases: dict[str, dict] = {}
        for town in towns.towns:
            name = town.removeprefix("大字")
            chome = None
            found = _CHOME_SUFFIX_RE.search(name)
            if found:
                chome = kanji_number(found.group(1))
                name = name[: found.start()]
            entry = bases.setdefault(address_fold(name), {"name": name, "plain": None, "chome": {}})
            if chome is None:
                entry["plain"] = town
            else:
                entry["chome"][chome] = town
        self._bases = {key: _Base(**value) for key, value in bases.items()}
        self._longest = max(map(len, self._bases), default=0)
        self._prefecture_key = address_fold(self.prefecture)
        self._municipality_key = address_fold(self.municipality)

    def towns_of(self, base_key: str) -> list[str]:
        """Every listed town of one base (青木 → 青木一丁目 … 青木五丁目)."""
        base = self._bases.get(base_key)
        if base is None:
            return []
        return ([base.plain] if base.plain else []) + [base.chome[n] for n in sorted(base.chome)]

    def _in_city(self, key: str, *, city_optional: bool) -> str | None:
        """The address with the prefecture and city taken off; None if it is elsewhere."""
        prefecture = _PREFECTURE_RE.match(key)
        if prefecture:
            if prefecture.group(1) != self._prefecture_key:
                return None
            key = key[prefecture.end() :]
        if self._municipality_key and key.startswith(self._municipality_key):
            return key[len(self._municipality_key) :]
        # 埼玉県 followed by another city, or no city where one is required.
        return None if prefecture or not city_optional else key

    def match(self, address: str, *, city_optional: bool = True) -> TownMatch | None:
        """The listed 町名 an address is in, or None (another city, or a 町名 not in the list).

        ``city_optional``: an address without 都道府県 and 市 (青木2-1-1) is
        taken to be in the city, as a staff search or a form inside the city
        writes it; one naming another prefecture or city is not.
        """
        key = self._in_city(address_fold(address), city_optional=city_optional)
        if key is None:
            return None
        had_oaza = key.startswith("大字")
        key = key.removeprefix("大字")
        for n in range(min(self._longest, len(key)), 0, -1):
            base = self._bases.get(key[:n])
            if base is None:
                continue
            rest = key[n:]
            chome = None
            written = _LEADING_CHOME_RE.match(rest)
            if written:
                chome = kanji_number(written.group(1))
                rest = rest[written.end() :]
            elif base.chome and not (had_oaza and base.plain):
                number = _LEADING_NUMBER_RE.match(rest)
                if number and int(number.group(1)) in base.chome:
                    chome = int(number.group(1))
                    rest = rest[number.end() :].removeprefix("-")
            if chome is not None and chome in base.chome:
                return TownMatch(base.chome[chome], base.name, chome, rest)
            if chome is None and base.plain:
                return TownMatch(base.plain, base.name, None, rest)
            if chome is None and not rest:
                # 青木 alone: the 町名 without its 丁目.
                return TownMatch("", base.name, None, rest)
            return None
        return None


@lru_cache(maxsize=4)
def _index_for(towns: TownList) -> TownIndex:
    return TownIndex(towns)


def town_index() -> TownIndex | None:
    """The index of the configured town list, or None without one."""
    towns = town_list()
    return None if towns is None or not towns.towns else _index_for(towns)


def town_match(address: str, *, city_optional: bool = True) -> TownMatch | None:
    """Match an address against the configured town list (see ``TownIndex.match``)."""
    index = town_index()
    return None if index is None else index.match(address, city_optional=city_optional)


def town_suggestions() -> list[str]:
    """The addresses a form suggests: 川口市 followed by each listed 町名, in list order."""
    towns = town_list()
    if towns is None:
        return []
    return [f"{towns.municipality}{town}" for town in towns.towns]


def town_search_names(query: str) -> list[str]:
    """The listed 町名 a staff search for ``query`` means: 青木2丁目 → [青木二丁目]; 青木 → 青木一〜五丁目; 大字芝 → [大字芝].

    Unknown or another city's: none.
    """
    index = town_index()
    found = None if index is None else index.match(query)
    if found is None:
        return []
    if found.chome is None and not found.rest and "大字" not in address_fold(query):
        # A name without its 丁目 (青木, 芝): every listed town of it.
        return index.towns_of(address_fold(found.base))
    return [found.town]
