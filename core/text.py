"""Validation and normalisation of user-written Japanese text.

Originals are stored NFC-normalised as received; NFKC is only for keys.
"""

import difflib
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Tab, LF and CR are ordinary in letters; every other C0/C1 control is not.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}
_TAG_RE = re.compile(r"<\s*/?\s*[A-Za-z!][^<>]*>")


def normalize_nfc(text: str) -> str:
    """Return text as NFC with CRLF folded to LF (the stored form)."""
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")


def char_length(text: str) -> int:
    """Count code points, so 𠮷 is one character, not two UTF-16 units."""
    return len(text)


# Bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069)
# reorder how the text around them is displayed: a name or an address shown
# to staff reversed or scrambled ("Trojan Source"). Nobody types them in a
# form to the city, so they are refused, with their position.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible characters with no job in the text: zero-width space, word
# joiner, the invisible maths operators, BOM / zero-width no-break space,
# the Mongolian vowel separator. They arrive with copy-and-paste (PDF, Word,
# web pages) and split words, so 同趣旨 matching, personal-data patterns and
# search would not see 090​1234​5678 or 公​園. Refusing them would make the
# resident hunt for a character they cannot see, so they are removed (the
# confirmation page says so: core.forms.invisible_chars_notices).
_INVISIBLE = frozenset("\u200b\u2060\u2061\u2062\u2063\u2064\ufeff\u180e")
# Kept only where they do a job, removed elsewhere (see _joiner_has_a_job):
# ZWJ U+200D builds emoji sequences (👩‍⚕️, 🏳️‍🌈) and Indic conjuncts; ZWNJ U+200C
# is spelling in Persian and Indic scripts (می‌خواهم); LRM/RLM/ALM place
# punctuation next to Arabic or Hebrew. Between Japanese or Latin letters
# they only hide a word from matching.
_ZWJ, _ZWNJ = "\u200d", "\u200c"
_DIRECTION_MARKS = frozenset("\u200e\u200f\u061c")
# Tag characters (U+E0000–E007F) are invisible ASCII; they only belong in
# the subdivision flags (🏴 + tags + CANCEL TAG, e.g. Scotland's flag).
_TAG_FLAG_RE = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")
_TAG_MIN, _TAG_MAX = 0xE0000, 0xE007F
# Scripts in which ZWJ/ZWNJ change spelling or shaping: Arabic, Syriac,
# Thaana, NKo, the Indic scripts, Tibetan, Myanmar, Khmer, Mongolian and the
# Arabic presentation forms.
_JOINING_RANGES = (
    (0x0600, 0x08FF),
    (0x0900, 0x0DFF),
    (0x0F00, 0x0FFF),
    (0x1000, 0x109F),
    (0x1780, 0x18AF),
    (0xA840, 0xA87F),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFC),
)
_VARIATION_SELECTOR_16 = "\ufe0f"


def _joining_script(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _JOINING_RANGES)


def _emoji_part(char: str) -> bool:
    # Pictographs are So, skin-tone modifiers Sk; VS16 ends a base (❤️).
    return char == _VARIATION_SELECTOR_16 or unicodedata.category(char) in ("So", "Sk")


def _rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def _joiner_has_a_job(text: str, index: int) -> bool:
    char = text[index]
    before = text[index - 1] if index else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if not before or not after:
        return False
    if char == _ZWJ:
        return (_emoji_part(before) and _emoji_part(after)) or (_joining_script(before) and _joining_script(after))
    if char == _ZWNJ:
        return _joining_script(before) and _joining_script(after)
    return _rtl(before) or _rtl(after)  # LRM / RLM / ALM


def _removable(text: str, index: int, flags: set[int]) -> bool:
    char = text[index]
    if char in _INVISIBLE:
        return True
    if char == _ZWJ or char == _ZWNJ or char in _DIRECTION_MARKS:
        return not _joiner_has_a_job(text, index)
    return _TAG_MIN <= ord(char) <= _TAG_MAX and index not in flags


def strip_invisible(text: str) -> str:
    """Return text without the invisible characters that have no job in it.

    Zero-width space, word joiner, BOM and the like always go; ZWJ, ZWNJ and
    direction marks stay only inside an emoji sequence or a script that
    needs them; tag characters only inside a subdivision flag. Bidi
    overrides are not touched here: validate_user_text refuses them.
    """
    if not any(
        char in _INVISIBLE or char in _DIRECTION_MARKS or "\u200c" <= char <= "\u200d" or char >= "\U000e0000"
        for char in text
    ):
        return text
    # Until nothing changes: a direction mark or joiner kept for the letter on
    # one side loses its job when the removed character on its other side
    # leaves it at the start or end ("א\u200e\u200b" -> "א\u200e" -> "א"), and
    # the stored form must come back unchanged when it is validated again.
    # Each further pass only happens if the last one removed something.
    while True:
        flags = {i for match in _TAG_FLAG_RE.finditer(text) for i in range(match.start() + 1, match.end())}
        stripped = "".join(char for index, char in enumerate(text) if not _removable(text, index, flags))
        if stripped == text:
            return text
        text = stripped


def invisible_count(text: str) -> int:
    """How many characters strip_invisible removes from ``text``."""
    return len(text) - len(strip_invisible(text))


def find_forbidden_char(text: str) -> tuple[int, str] | None:
    """Return (1-based position, kind) of the first control, private-use, broken or bidi-override char."""
    for index, char in enumerate(text, start=1):
        if char in _BIDI_CONTROLS:
            return index, "bidi"
        category = unicodedata.category(char)
        if category == "Cc" and char not in _ALLOWED_CONTROLS:
            return index, "control"
        if category == "Co":
            return index, "private_use"
        if category == "Cs":
            return index, "surrogate"
    return None


def validate_user_text(text: str, *, max_chars: int, field_label: str, required: bool = True) -> str:
    """Validate free text and return its stored form (NFC, invisible characters removed).

    Positions in messages count characters as typed (before invisible ones
    are removed), so they point at what the user sees in the box.
    """
    typed = normalize_nfc(text or "")
    # NFC again after the removal: an invisible character between a letter
    # and its combining mark (e\u200b\u0301) blocked their composition, and
    # the stored form is NFC.
    value = unicodedata.normalize("NFC", strip_invisible(typed))
    if not value.strip():
        if required:
            raise ValidationError(
                _("%(field)sを入力してください（空白だけでは送信できません）。"),
                code="blank",
                params={"field": field_label},
            )
        return ""
    length = char_length(value)
    if length > max_chars:
        raise ValidationError(
            _("%(field)sは%(max)s文字以内で入力してください（現在%(length)s文字）。"),
            code="too_long",
            params={
                "field": field_label,
                "max": f"{max_chars:,}",
                "length": f"{length:,}",
            },
        )
    bad = find_forbidden_char(typed)
    if bad is not None:
        position, kind = bad
        message = {
            "control": _(
                "%(field)sの%(pos)s文字目に使用できない制御文字が含まれています。削除してから送信してください。"
            ),
            "private_use": _(
                "%(field)sの%(pos)s文字目に外字（私用領域の文字）が含まれています。他の文字に置き換え、必要なら説明を添えてください。"
            ),
            "surrogate": _("%(field)sの%(pos)s文字目に壊れた文字が含まれています。"),
            "bidi": _(
                "%(field)sの%(pos)s文字目に、文字の表示順を入れ替える見えない制御文字（%(code)s）が含まれています。"
                "表示と実際の内容が食い違うため使えません。その位置の前後の文字を入力し直してから送信してください。"
            ),
        }[kind]
        code_point = f"U+{ord(typed[position - 1]):04X}"
        raise ValidationError(message, code=kind, params={"field": field_label, "pos": position, "code": code_point})
    if _TAG_RE.search(value):
        raise ValidationError(
            _("%(field)sにHTMLタグ（<…> の形の記述）は使えません。山かっこを全角の〈 〉に置き換えてください。"),
            code="html",
            params={"field": field_label},
        )
    return value


def search_key(text: str) -> str:
    """Return an NFKC, lower-cased key for matching (never for storage)."""
    return unicodedata.normalize("NFKC", text).lower()


# Character diff shown beside near-identical comments (同趣旨).
DIFF_MIN_EQUAL = 2


def text_diff(*, base: str, other: str) -> list[tuple[str, str]]:
    """Return (op, text) runs turning ``base`` into ``other``.

    op is "equal", "insert" or "delete"; a replacement is a deletion
    followed by an insertion. Characters are compared one by one, as
    Japanese has no spaces between words; a lone matching character
    between two changes is folded into them so the result stays readable.
    """
    merged: list[list] = []  # [tag, i1, i2, j1, j2]
    opcodes = difflib.SequenceMatcher(None, base, other, autojunk=False).get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        short_gap = tag == "equal" and i2 - i1 < DIFF_MIN_EQUAL and 0 < n < len(opcodes) - 1
        if merged and merged[-1][0] != "equal" and (tag != "equal" or short_gap):
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append(["change" if tag != "equal" else "equal", i1, i2, j1, j2])
    runs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in merged:
        if tag == "equal":
            runs.append(("equal", base[i1:i2]))
            continue
        if i2 > i1:
            runs.append(("delete", base[i1:i2]))
        if j2 > j1:
            runs.append(("insert", other[j1:j2]))
    return runs
