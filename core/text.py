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


def find_forbidden_char(text: str) -> tuple[int, str] | None:
    """Return (1-based position, kind) of the first control or private-use char."""
    for index, char in enumerate(text, start=1):
        category = unicodedata.category(char)
        if category == "Cc" and char not in _ALLOWED_CONTROLS:
            return index, "control"
        if category == "Co":
            return index, "private_use"
        if category == "Cs":
            return index, "surrogate"
    return None


def validate_user_text(text: str, *, max_chars: int, field_label: str, required: bool = True) -> str:
    """Validate free text and return its stored (NFC) form."""
    value = normalize_nfc(text or "")
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
    bad = find_forbidden_char(value)
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
        }[kind]
        raise ValidationError(message, code=kind, params={"field": field_label, "pos": position})
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
