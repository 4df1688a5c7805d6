"""Japanese postcode, phone, e-mail and kana input: tolerant in, strict stored."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Hyphen look-alikes people type between digits (cf. デジタル庁 address normaliser).
_DASHES = "-－﹣−‐⁃‑‒–—﹘―⎯⏤ーｰ─━"
_DASH_RE = re.compile(f"[{re.escape(_DASHES)}]")


def _fold(value: str) -> str:
    return _DASH_RE.sub("-", unicodedata.normalize("NFKC", value)).strip()


def normalize_postcode(value: str) -> str:
    """Return NNN-NNNN from 1234567, １２３－４５６７, 〒123-4567 and the like."""
    digits = re.sub(r"[\s\-〒]", "", _fold(value))
    # [0-9], not \d: \d also matches Arabic-Indic or Devanagari digits, which
    # NFKC keeps, and the stored postcode must be ASCII NNN-NNNN.
    if not re.fullmatch(r"[0-9]{7}", digits):
        raise ValidationError(
            _("郵便番号は7桁の数字で入力してください（例：332-8601）。"),
            code="postcode",
        )
    return f"{digits[:3]}-{digits[3:]}"


def normalize_phone(value: str) -> str:
    """Return digits only; accept hyphens, spaces, parentheses, 全角 and +81.

    The matching key of a phone number (048-258-1110 and 0482581110 are the
    same number); what is stored and shown is clean_phone's form.
    """
    text = re.sub(r"[\s\-()（）]", "", _fold(value))
    if text.startswith("+81"):
        text = "0" + text[3:]
    # [0-9], not \d: the stored number is ASCII digits only (see normalize_postcode).
    if not re.fullmatch(r"0[0-9]{9,10}", text):
        raise ValidationError(
            _("電話番号は市外局番から10桁または11桁で入力してください（例：048-258-1110、090-1234-5678）。"),
            code="phone",
        )
    return text


def clean_phone(value: str) -> str:
    """Return the phone number as typed, 全角 folded to 半角 and trimmed, after checking it.

    ０４８－２５８－１１１０ becomes 048-258-1110 (dash look-alikes become
    "-"); the hyphens and parentheses the resident wrote are kept for display.
    The number is checked as normalize_phone does; use that for matching.
    """
    text = re.sub(r"\s+", " ", _fold(value))
    normalize_phone(text)
    return text


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def normalize_email(value: str) -> str:
    """Fold 全角 to 半角 and trim; the local part is otherwise kept.

    A lone surrogate (JSON can carry "\\ud800") is refused here: Django's
    validate_email lets it through in the domain (its class is \\u00a1-\\uffff)
    and the value could then not be encoded to UTF-8 for the database.
    """
    value = unicodedata.normalize("NFKC", value).strip()
    if _SURROGATE_RE.search(value):
        raise ValidationError(
            _("メールアドレスに壊れた文字が含まれています。入力し直してください。"),
            code="email",
        )
    return value


def normalize_kana(value: str) -> str:
    """Return 全角カタカナ from ひらがな, 半角カナ or カタカナ; reject other scripts.

    The matching/search key of a ふりがな; what is stored is clean_kana's form.
    """
    text = unicodedata.normalize("NFKC", value).strip()
    text = "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)
    if text and not re.fullmatch(r"[ァ-ヺー・ 　]+", text):
        raise ValidationError(_("ふりがなは、ひらがなまたはカタカナで入力してください。"), code="kana")
    return text


def clean_kana(value: str) -> str:
    """Return the ふりがな as typed (NFC, trimmed) after checking it is kana.

    ひらがな stays ひらがな and カタカナ stays カタカナ (the form allows
    either); fold with normalize_kana only to compare or search.
    """
    text = unicodedata.normalize("NFC", value).strip()
    normalize_kana(text)
    return text
