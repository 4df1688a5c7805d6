"""Find and mask personal data, with character offsets into the original.

Patterns run over a per-character NFKC copy of the text (so 全角 digits and
parentheses match) and map back through an offset table; names come from
Sudachi's 人名 tags plus honorifics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import normalize_with_offsets
from .pipeline import Token, tokenize

HONORIFICS = ("さん", "様", "さま", "氏", "君", "くん", "ちゃん", "殿", "先生")
MASKS = {
    "person": "〇〇", "address": "〇〇", "phone": "XXX-XXXX-XXXX",
    "email": "xxx@xxx", "postcode": "〒XXX-XXXX", "mynumber": "XXXX-XXXX-XXXX",
    "birthdate": "XXXX年XX月XX日",
}
_PREF = r"(?:北海道|東京都|(?:大阪|京都)府|[\u4e00-\u9fff]{2,3}県)"
_MUNI = r"(?:[\u4e00-\u9fff\u30a0-\u30ff]{1,6}?[市区郡町村]){1,3}"
_BLOCK = r"(?:\d{1,4}(?:丁目|番地|番|号|-|の)){1,4}\d{0,4}(?:号)?"
_PATTERNS = {
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
    "postcode": re.compile(r"〒\s?\d{3}-?\d{4}(?!\d)|(?<![\d-])\d{3}-\d{4}(?![\d-])"),
    "phone": re.compile(
        r"(?<![\d-])(?:\+81[- ]?\(?0?\)?|\(?0)\d{1,4}\)?[- ]?\(?\d{1,4}\)?[- ]?\d{3,4}(?![\d-])"
    ),
    "mynumber": re.compile(r"(?<!\d)\d{4}[- ]?\d{4}[- ]?\d{4}(?!\d)"),
    "address": re.compile(
        rf"(?:{_PREF}{_MUNI}|{_PREF}|{_MUNI})[\u4e00-\u9fff\u3040-\u30ff]{{0,8}}?{_BLOCK}"
    ),
    "birthdate": re.compile(
        r"(?:(?:明治|大正|昭和|平成|令和)\d{1,2}|(?:19|20)\d{2})[年/.-]\d{1,2}[月/.-]\d{1,2}日?"
        r"(?=\s?(?:生|産まれ))"
        r"|(?<=生年月日)[:\s]*(?:(?:明治|大正|昭和|平成|令和)\d{1,2}|(?:19|20)\d{2})[年/.-]\d{1,2}[月/.-]\d{1,2}日?"
    ),
}
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


def _pattern_spans(text: str) -> list[PiiSpan]:
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
        j = i
        while j < len(tokens) and (_is_name(tokens[j]) or _joins_name(tokens, j, i)):
            j += 1
        run = tokens[i:j]
        honorific = j < len(tokens) and tokens[j].surface in HONORIFICS
        if run and _accept_name(run, honorific):
            spans.append(PiiSpan(run[0].start, run[-1].end, "person"))
        elif not run and honorific and i and _name_like(tokens[i - 1]):
            spans.append(PiiSpan(tokens[i - 1].start, tokens[i - 1].end, "person"))
        i = max(j, i + 1)
    return spans


def _joins_name(tokens: list[Token], j: int, start: int) -> bool:
    """Let a middle dot join two name parts (ジョン・スミス)."""
    return (j > start and tokens[j].surface in ("・", "=", "＝")
            and j + 1 < len(tokens) and _is_name(tokens[j + 1]))


def _accept_name(run: list[Token], honorific: bool) -> bool:
    kinds = {t.pos[3] for t in run if _is_name(t)}
    # A lone surname is too often a place or company; require more evidence.
    return honorific or len(run) > 1 or kinds - {"姓"} == {"一般"}


def _name_like(token: Token) -> bool:
    return token.pos[0] == "名詞" and token.pos[1] in ("固有名詞", "普通名詞") \
        and not token.surface.isdigit() and len(token.surface) >= 2


def find_pii(text: str, tokens: list[Token] | None = None) -> list[PiiSpan]:
    """Return non-overlapping personal-data spans, ordered by position."""
    candidates = _pattern_spans(text)
    candidates += _name_spans(tokens if tokens is not None else tokenize(text))
    chosen: list[PiiSpan] = []
    for span in candidates:  # Patterns first, so they beat name guesses.
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def mask(text: str, spans: list[PiiSpan]) -> str:
    """Replace each span with a type placeholder; keep everything else."""
    out, last = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        out.append(text[last:span.start])
        out.append(MASKS[span.type])
        last = span.end
    out.append(text[last:])
    return "".join(out)
