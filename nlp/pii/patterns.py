"""The personal-data patterns, defined once for the project (letters reuse them).

E-mail, postcode, phone, マイナンバー, address and birth date run over a
per-character NFKC copy of the text (so 全角 digits and parentheses match)
and map back through an offset table; a phone number needs 10 or 11 digits
and a マイナンバー a valid check digit. Addresses also match the city's own
town list (``towns``): a 町名 of the city followed by numbers.
"""

from __future__ import annotations

import re

from nlp.normalize import fold_with_offsets, normalize_with_offsets
from nlp.pii import towns
from nlp.pii.spans import MASKS, PiiSpan

_PREF = r"(?:北海道|東京都|(?:大阪|京都)府|[\u4e00-\u9fff]{2,3}県)"
# さいたま市, つくば市: a few cities are written in hiragana.
_MUNI = r"(?:[\u3041-\u3096]{2,5}市|[\u4e00-\u9fff\u30a0-\u30ff]{1,6}?[市区郡町村])(?:[\u4e00-\u9fff\u30a0-\u30ff]{1,6}?[市区郡町村]){0,2}"


# A dash or の joins numbers; at the end it is no part of the address (2830の者).
_NUM_BLOCK = r"(?:\d{1,4}(?:丁目|番地|番|号|(?:-|の)(?=\d))){1,4}\d{0,4}(?:号)?"
_BLOCK = r"(?:[一二三四五六七八九十]{1,3}丁目(?:" + _NUM_BLOCK + r")?|" + _NUM_BLOCK + ")"


# An optional building name with a room or floor number (ハイツ川口 203号室).
_BUILDING = r"(?:\s?[\u30a0-\u30ff\u4e00-\u9fffA-Za-z]{1,15}\s?\d{1,5}(?:号室|階))?"
_PATTERNS = {
    # The look-behind starts a local part only where a run of its characters
    # starts: without it every position of a long run (50,000 "a" or "-")
    # rescans the rest of the run looking for "@", quadratic time.
    # taro[at]example.jp is an e-mail written to dodge harvesters.
    "email": re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:@|\[at\]|\(at\))[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
    # A bare 123-4567 after a parenthesis is the rest of a phone number ((048)242-5100).
    "postcode": re.compile(r"〒\s?\d{3}-?\d{4}(?!\d)|(?<![\d)-])\d{3}-\d{4}(?![\d-])"),
    # Parts joined by a dash, a space or a dot (048.265.7712), or bracketed.
    "phone": re.compile(
        r"(?<![\d.-])(?:\+81[- ]?\(?0?\)?|\(?0)\d{1,4}\)?[-. ]?\(?\d{1,4}\)?[-. ]?\d{3,4}(?![\d-]|\.\d)"
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


# Earlier types win when spans overlap (an e-mail's digits are not a phone).
_ORDER = ("email", "address", "postcode", "birthdate", "mynumber", "phone")


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


# Every pattern needs a digit, an @ (or [at]) or a kanji 丁目: most sentences have none.
_TRIGGER_RE = re.compile(r"[0-9@]|丁目|\[at\]|\(at\)")
# Cheap tests for what a pattern cannot match without: the generic address
# needs a 丁目 or a number before 番/号/-/の, a birth date 生 or 産まれ.
_ADDRESS_TRIGGER_RE = re.compile(r"丁目|\d(?:番|号|-|の)")
# A phone number has at least 9 digits, a postcode 7 and a マイナンバー 12,
# each separated by at most three of "-. ()": texts with only years and
# counts (2030年, 3件) skip all three patterns after this one search.
_SEVEN_DIGITS_RE = re.compile(r"\d(?:[-. ()]{0,3}\d){6}")


def _has_digit_run(folded: str) -> bool:
    return _SEVEN_DIGITS_RE.search(folded) is not None


_PRECHECKS = {
    "email": lambda folded: "@" in folded or "at)" in folded or "at]" in folded,
    "address": lambda folded: _ADDRESS_TRIGGER_RE.search(folded) is not None,
    "birthdate": lambda folded: "生" in folded or "産まれ" in folded,
    "postcode": _has_digit_run,
    "phone": _has_digit_run,
    "mynumber": _has_digit_run,
}
assert set(_PRECHECKS) == set(_ORDER)


def pattern_spans(text: str, kinds: tuple[str, ...] = _ORDER) -> list[PiiSpan]:
    """Return every pattern match of the given types (overlaps included), by type.

    Address matches of the generic pattern and of the town list that
    overlap are merged into one span.
    """
    folded, index = fold_with_offsets(text)
    if not _TRIGGER_RE.search(folded):
        return []
    if index is None:
        index = range(len(text) + 1)
    spans = []
    prechecked: dict = {}  # Each precheck once per text (three kinds share one).
    for kind in _ORDER:
        if kind not in kinds:
            continue
        found = []
        if kind == "address":
            town_matcher = towns.matcher()
            if town_matcher is not None:
                found += ([index[a], index[b - 1] + 1] for a, b in town_matcher.spans(folded))
        check = _PRECHECKS[kind]
        passed = prechecked.get(check)
        if passed is None:
            passed = prechecked[check] = check(folded)
        if passed:
            for m in _PATTERNS[kind].finditer(folded):
                value = m.group(0).strip(" :")
                if kind == "phone" and not _phone_valid(value):
                    continue
                if kind == "mynumber" and not mynumber_valid(re.sub(r"\D", "", value)):
                    continue
                start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip(" :")))
                found.append([index[start], index[m.end() - 1] + 1])
        if kind == "address" and len(found) > 1:
            found = _merged(found)
        spans += [PiiSpan(a, b, kind) for a, b in found]
    return spans


def _merged(intervals: list[list[int]]) -> list[list[int]]:
    out: list[list[int]] = []
    for a, b in sorted(intervals):
        if out and a < out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


CONTACT_TYPES = ("email", "phone")


def contact_spans(text: str) -> list[PiiSpan]:
    """Return the e-mail addresses and phone numbers in text, in order, not overlapping.

    For copies that must carry no contact details whoever wrote them (a
    letter routed to a department); an e-mail's digits are not a phone.
    """
    chosen: list[PiiSpan] = []
    for span in pattern_spans(text, CONTACT_TYPES):
        if all(span.end <= c.start or c.end <= span.start for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


# What ``mask`` leaves behind (the MASKS values, longest first so
# "XXXX-XXXX-XXXX" is not read as "XXX-XXXX-XXXX"): a text about to be
# published that still holds one was copied from a masked draft unedited.
_PLACEHOLDER_RE = re.compile("|".join(re.escape(p) for p in sorted(set(MASKS.values()), key=len, reverse=True)))
PLACEHOLDER = "placeholder"


def placeholder_spans(text: str) -> list[PiiSpan]:
    """Return the masking placeholders left in text (全角 forms included), in order."""
    folded, index = normalize_with_offsets(text)
    return [PiiSpan(index[m.start()], index[m.end() - 1] + 1, PLACEHOLDER) for m in _PLACEHOLDER_RE.finditer(folded)]
