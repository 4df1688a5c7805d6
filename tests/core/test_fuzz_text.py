"""Hostile input to the text validators (issue #10): arbitrary Unicode, never a crash.

For any text, core.text.validate_user_text and the identity cleaners
(feedback.services.identity.identity_clean over core.jp) either return
what would be stored or raise a ValidationError with a Japanese message.
What they return can be written to PostgreSQL (encodes to UTF-8: no lone
surrogate, no NUL), holds no control or bidi-override character, and is a
fixed point: validating the stored form again gives it back unchanged.
"""

import re
import unicodedata
from datetime import timedelta

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.jp import normalize_email, normalize_kana, normalize_phone, normalize_postcode
from core.text import find_forbidden_char, normalize_nfc, search_key, strip_invisible, validate_user_text
from feedback.services.identity import identity_clean

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
SURROGATE = re.compile("[\ud800-\udfff]")

# The characters the validators have rules about, so examples hit them often.
HOSTILE = [
    *(chr(c) for c in range(0x20)),
    "\x7f",
    "\x85",
    "\x9f",
    *BIDI,
    "\u200b\u200c\u200d\u200e\u200f\u061c\u2060\u2061\ufeff\u180e\ufe0f",
    "\U000e0041",
    "\U000e007f",
    "\U0001f3f4",
    "\ud800",
    "\udbff",
    "\udc00",
    "\udfff",
    "\ue000",
    "\U000f0000",
    "👩",
    "⚕",
    "🏳",
    "\U0001f3fb",
    "\u0301",
    "\u3099",
    "e",
    "か",
    "ｶ",
    "ﾞ",
    "ア",
    "ー",
    "－",
    "川口",
    "１２３",
    "٣",
    "०",
    "〒",
    "+81",
    "0",
    "9",
    "@",
    ".",
    "=",
    "<",
    ">",
    "<b>",
    " ",
    "\u3000",
    "\r\n",
    "א",
    "ب",
    "क",
    "ﷺ",
    "㍻",
    "𠮷",
]
# Every code point, surrogates included (Hypothesis leaves out Cs by default).
ANY_CHAR = st.characters(exclude_categories=())
PIECE = st.one_of(ANY_CHAR, st.sampled_from(HOSTILE))
TEXT = st.lists(PIECE, max_size=80).map("".join)
# Up to ~200,000 characters: a short hostile unit repeated.
LONG_TEXT = st.builds(lambda unit, n: unit * n, TEXT.filter(bool), st.integers(1, 200_000)).map(
    lambda text: text[:200_000]
)

FUZZ = settings(
    max_examples=150,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FUZZ_LONG = settings(
    max_examples=30,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.large_base_example],
)


def _japanese_error(exc: ValidationError) -> None:
    assert exc.messages
    for message in exc.messages:
        assert JAPANESE.search(message), message


def _storable(value: str) -> None:
    value.encode("utf-8")  # A lone surrogate would raise here, as in a PostgreSQL write.
    assert "\x00" not in value
    assert not BIDI & set(value)
    assert find_forbidden_char(value) is None


def _validate(text: str, max_chars: int = 250_000) -> str | None:
    try:
        value = validate_user_text(text, max_chars=max_chars, field_label="ご意見", required=False)
    except ValidationError as exc:
        _japanese_error(exc)
        return None
    assert isinstance(value, str)
    return value


def _check_stored(value: str | None) -> None:
    if value is None:
        return
    _storable(value)
    assert value == unicodedata.normalize("NFC", value), "the stored form is documented as NFC"
    assert strip_invisible(value) == value
    assert _validate(value) == value, "validating the stored form again changes it"


@FUZZ
@given(TEXT)
@example("\ud800")
@example("ok\udfff")
@example("e\u200b\u0301")
@example("א\u200e\u200b")
def test_validate_user_text_returns_a_storable_fixed_point_or_a_japanese_error(text):
    _check_stored(_validate(text))


@FUZZ_LONG
@given(LONG_TEXT, st.integers(1, 250_000))
def test_validate_user_text_on_huge_input(text, max_chars):
    value = _validate(text, max_chars)
    if value is not None:
        assert len(value) <= max_chars
        _storable(value)


def test_a_lone_surrogate_is_refused_with_its_position():
    try:
        validate_user_text("ご意見\ud800です", max_chars=100, field_label="ご意見")
    except ValidationError as exc:
        assert exc.code == "surrogate"
        assert "4文字目" in exc.messages[0]
        _japanese_error(exc)
    else:
        raise AssertionError("a lone surrogate was accepted")


@FUZZ
@given(TEXT)
def test_text_helpers_never_raise_and_are_idempotent(text):
    nfc = normalize_nfc(text)
    assert normalize_nfc(nfc) == nfc
    assert "\r" not in nfc
    assert isinstance(search_key(text), str)
    stripped = strip_invisible(text)
    assert len(stripped) <= len(text)
    position = find_forbidden_char(text)
    if position is not None:
        index, kind = position
        assert 1 <= index <= len(text)
        assert kind in {"bidi", "control", "private_use", "surrogate"}


IDENTITY_KEYS = [
    "name",
    "name_kana",
    "organization",
    "representative",
    "address",
    "postcode",
    "phone",
    "email",
    "eligibility",
    "eligibility_detail",
    "contact_method",
]
STORED_FORM = {
    "postcode": re.compile(r"[0-9]{3}-[0-9]{4}"),
    "phone": re.compile(r"0[0-9]{9,10}"),
    "name_kana": re.compile(r"[ァ-ヺー・ 　]+"),
}
IDENTITY_VALUE = st.one_of(
    TEXT,
    st.builds(
        lambda a, b: a + b, st.sampled_from(["〒３３２－８６０１", "090-1234-5678", "koe@example.jp", "かわぐち"]), TEXT
    ),
)


@FUZZ
@given(st.dictionaries(st.sampled_from(IDENTITY_KEYS), IDENTITY_VALUE, max_size=len(IDENTITY_KEYS)))
@example({"email": "a@\ud800x.jp"})
@example({"email": "koe@example.jp\udfff"})
@example({"postcode": "١٢٣-٤٥٦٧"})
@example({"phone": "0٩٠١٢٣٤٥٦٧٨"})
def test_identity_clean_returns_storable_values_or_japanese_errors(identity):
    try:
        cleaned = identity_clean(identity)
    except ValidationError as exc:
        _japanese_error(exc)
        return
    for key, value in cleaned.items():
        assert isinstance(value, str)
        _storable(value)
        if key in STORED_FORM:
            assert STORED_FORM[key].fullmatch(value), (key, value)


@FUZZ
@given(TEXT)
def test_jp_normalizers_return_ascii_forms_or_japanese_errors(text):
    for normalize, form in (
        (normalize_postcode, STORED_FORM["postcode"]),
        (normalize_phone, STORED_FORM["phone"]),
        (normalize_kana, None),
        (normalize_email, None),
    ):
        try:
            value = normalize(text)
        except ValidationError as exc:
            _japanese_error(exc)
            continue
        assert isinstance(value, str)
        if form is not None:
            assert form.fullmatch(value), (normalize.__name__, value)
        if normalize is normalize_email:
            value.encode("utf-8")
