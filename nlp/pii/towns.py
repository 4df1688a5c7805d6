"""The city's own town list (大字・町丁目), so that any 町名 of the city
followed by numbers is an address (川口市安行領根岸2830, 芝下2-8-31).

The list is city data, not code: a CSV file (``town,lat,lng``; ``#``
comment lines carry the attribution and a ``# municipality: 県 市`` line).
The product ships 川口市's as ``core/data/kawaguchi_towns.csv``. Where it
comes from, in order:

1. ``configure(towns)``: a ``TownList`` (or None for none) passed in;
2. ``KOE_TOWNS_FILE``: a file path; ``0`` or an empty value means none;
3. the shipped file, when it exists.

The file is read by ``core.towns`` (standard library only, so the NLP core
stays free of Django), the one loader the address forms use too.
"""

from __future__ import annotations

import re

from core.towns import DEFAULT_FILE, TownList, load_towns, towns_file

__all__ = ["DEFAULT_FILE", "TownList", "TownMatcher", "configure", "load_towns", "matcher", "reset", "town_bases"]

_KANJI_NUMBER = "一二三四五六七八九十"
_CHOME_RE = re.compile(rf"[{_KANJI_NUMBER}]+丁目$")


def town_bases(towns: tuple[str, ...]) -> list[str]:
    """The names as written before numbers: 大字 dropped, 一丁目 dropped."""
    bases = set()
    for town in towns:
        base = _CHOME_RE.sub("", town.removeprefix("大字"))
        if len(base) >= 1:
            bases.add(base)
    return sorted(bases, key=len, reverse=True)


# Runs over NFKC text (ASCII digits, dashes unified to "-").
_CHOME = rf"(?:[{_KANJI_NUMBER}]{{1,3}}|\d{{1,2}})丁目"
_NUM = r"\d{1,5}(?:(?:番地の?|番|号|-|の)\d{1,5}){0,3}(?:番地|番|号)?"
# A number that goes on as an amount, a date or a count is not a 番地.
_NOT_AFTER = r"(?![\d.,年月日円人件%万億歳回時分台か])"
# Without the city's name the numbers must look like an address (3-1-8, 2丁目, 830番地).
_MARKED_NUM = r"\d{1,5}(?:(?:番地の?|番|号|-|の)\d{1,5}){1,3}(?:番地|番|号)?|\d{1,5}番地"


_CITY_NUMBER_RE = re.compile(rf"(?:{_CHOME}(?:{_NUM})?|{_NUM}){_NOT_AFTER}")
_BARE_NUMBER_RE = re.compile(rf"(?:{_CHOME}(?:{_NUM})?|{_MARKED_NUM}){_NOT_AFTER}")
# Where a kanji is directly followed by a number: the only places a town
# address can end its name. Few per text, so the town list is looked up
# there (longest name first) instead of being tried at every character.
_ANCHOR_RE = re.compile(rf"(?<=[\u4e00-\u9fff々])(?=\d|[{_KANJI_NUMBER}]{{1,3}}丁目)")
_KANJI_RE = re.compile(r"[\u4e00-\u9fff々ヶ]")


class TownMatcher:
    """Find town addresses in NFKC text (digits ASCII, dashes "-")."""

    def __init__(self, towns: TownList):
        self.bases = frozenset(town_bases(towns.towns))
        self.longest = max(map(len, self.bases), default=0)
        self.city = towns.municipality
        self.prefecture = towns.prefecture

    def spans(self, folded: str) -> list[tuple[int, int]]:
        out = []
        for anchor in _ANCHOR_RE.finditer(folded):
            p = anchor.start()
            start = next(
                (p - n for n in range(min(self.longest, p), 0, -1) if folded[p - n : p] in self.bases),
                None,
            )
            if start is None:
                continue
            if folded.startswith("大字", start - 2):
                start -= 2
            with_city = bool(self.city) and folded.startswith(self.city, start - len(self.city))
            if with_city:
                start -= len(self.city)
                if self.prefecture and folded.startswith(self.prefecture, start - len(self.prefecture)):
                    start -= len(self.prefecture)
            elif start and _KANJI_RE.match(folded, start - 1):
                continue  # Inside a longer word (日本町…).
            number = (_CITY_NUMBER_RE if with_city else _BARE_NUMBER_RE).match(folded, p)
            if number:
                out.append((start, number.end()))
        return out


_UNSET = object()
_configured: object = _UNSET
_cache: dict = {}


def configure(towns: TownList | None) -> None:
    """Use these towns (None: none) instead of the file, for this process."""
    global _configured
    _configured = towns
    _cache.clear()


def reset() -> None:
    """Forget ``configure``: back to ``KOE_TOWNS_FILE`` or the shipped file."""
    global _configured
    _configured = _UNSET
    _cache.clear()


def matcher() -> TownMatcher | None:
    """The matcher for the configured town list, or None without one."""
    if _configured is not _UNSET:
        key: object = id(_configured)
        source = lambda: _configured  # noqa: E731
    else:
        path = towns_file()
        key = str(path)
        source = lambda: load_towns(path) if path is not None and path.is_file() else None  # noqa: E731
    if key not in _cache:
        towns = source()
        _cache.clear()
        _cache[key] = TownMatcher(towns) if towns is not None and towns.towns else None
    return _cache[key]
