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


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFKC-normalise per character and map each output char to its source.

    Detection runs on the normalised string (全角 digits become ASCII) while
    spans must point into the original, so each output character records
    the index of the character it came from. Dashes are unified too, which
    keeps phone patterns simple.
    """
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch)
        if ch == "ー" and i and _is_kana(text[i - 1]):
            folded = ch  # A long-vowel mark, not a dash between digits.
        else:
            folded = folded.translate(_DASHES)
        out.append(folded)
        index.extend([i] * len(folded))
    index.append(len(text))
    return "".join(out), index


def _is_kana(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\uff66" <= ch <= "\uff9f"


def normalized_form_text(norms: list[str]) -> str:
    """Join Sudachi normalized forms into the stored matching text."""
    return " ".join(norms)
