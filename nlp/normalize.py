"""Normalisation for matching; the stored original never changes."""

from __future__ import annotations

import re
import unicodedata

# Dash and tilde look-alikes that NFKC leaves distinct.
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−ーｰ"} | {"〜": "~", "～": "~"})
_SPACE_RE = re.compile(r"\s+")
# Everything but letters, digits and kana/kanji: punctuation, symbols, spaces.
_NON_WORD_RE = re.compile(r"[^0-9a-z\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+")


def normalize_text(text: str) -> str:
    """Return NFKC text with runs of whitespace collapsed to one space."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def matching_key(text: str) -> str:
    """Return a punctuation-free, case-folded form for duplicate matching."""
    return _NON_WORD_RE.sub("", unicodedata.normalize("NFKC", text).lower())


class _FoldTable(dict):
    """Per-character NFKC plus the dash folding, filled on first sight of a
    character: ``str.translate`` then folds a whole text in C. Characters
    that fold to several (… → ..., ㍿ → 株式会社) are remembered apart."""

    def __init__(self):
        super().__init__()
        self.expanding: set[str] = set()
        self._expanding_re: re.Pattern[str] | None = None

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = ch if ch == "ー" else unicodedata.normalize("NFKC", ch).translate(_DASHES)
        self[code] = folded
        if len(folded) != 1:
            self.expanding.add(ch)
            self._expanding_re = None
        return folded

    def expanding_re(self) -> re.Pattern[str]:
        if self._expanding_re is None:
            self._expanding_re = re.compile("[" + "".join(re.escape(c) for c in sorted(self.expanding)) + "]")
        return self._expanding_re


_FOLD = _FoldTable()
# A "ー" that follows no kana is a dash between digits (０４８ー２４２).
_DASH_MARK_RE = re.compile(r"(?<![\u3040-\u30ff\uff66-\uff9f])ー")


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFKC-normalise per character and map each output char to its source.

    Detection runs on the normalised string (全角 digits become ASCII) while
    spans must point into the original, so each output character records
    the index of the character it came from. Dashes are unified too, which
    keeps phone patterns simple; a "ー" after kana is a long-vowel mark and
    stays.
    """
    folded, index = fold_with_offsets(text)
    return folded, list(range(len(text) + 1)) if index is None else index


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """``normalize_with_offsets``, with None for the map when it is the identity.

    No character folds to nothing, so when the folded text is as long as the
    original every character folded to one (the usual case). Otherwise the
    map is built from the few characters that expand; the runs between them
    map one to one.
    """
    if "ー" in text:
        text = _DASH_MARK_RE.sub("-", text)  # Same length: offsets unchanged.
    folded = text.translate(_FOLD)
    if len(folded) == len(text):
        return folded, None
    index: list[int] = []
    last = 0
    for m in _FOLD.expanding_re().finditer(text):
        i = m.start()
        index.extend(range(last, i))
        index.extend([i] * len(_FOLD[ord(text[i])]))
        last = i + 1
    index.extend(range(last, len(text) + 1))
    return folded, index


def _is_kana(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\uff66" <= ch <= "\uff9f"


def normalized_form_text(norms: list[str]) -> str:
    """Join Sudachi normalized forms into the stored matching text."""
    return " ".join(norms)
