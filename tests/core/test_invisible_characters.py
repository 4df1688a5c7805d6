"""Bidi overrides are refused by position; zero-width characters are removed, with a notice.

``川口\u202e郎太`` is shown to staff as 川口太郎 while the stored text says
otherwise, and ``090\u200b1234\u200b5678`` hides a phone number from the
personal-data patterns and 公\u200b園 a word from 同趣旨 matching; all were
accepted as typed. Decisions (core.text):

- U+202A–202E and U+2066–2069 (embeddings, overrides, isolates): refused,
  naming the character position and code point, like control characters.
- U+200B, U+2060, U+FEFF, U+2061–2064, U+180E: invisible and without a job,
  so removed (refusing would make the resident hunt for a character they
  cannot see); the confirmation page says how many were removed.
- U+200D (ZWJ) is kept inside emoji sequences (👩‍⚕️) and joining scripts,
  U+200C (ZWNJ) in Persian/Indic text (می‌خواهم), U+200E/200F/061C next to
  Arabic or Hebrew letters; elsewhere they are removed too.
"""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError

from core.text import find_forbidden_char, invisible_count, strip_invisible, validate_user_text
from feedback.models import Submission, SubmitterIdentity
from tests.consultations.factories import ConsultationFactory


def _validate(text, **kwargs):
    return validate_user_text(text, max_chars=kwargs.pop("max_chars", 100), field_label="ご意見", **kwargs)


# ---- the validator ----


@pytest.mark.parametrize(
    "char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
def test_bidi_controls_are_refused_naming_position_and_code_point(char):
    with pytest.raises(ValidationError) as caught:
        _validate(f"川口{char}郎太")
    error = caught.value.error_list[0]
    assert error.code == "bidi"
    message = error.message % error.params
    assert "ご意見の3文字目" in message
    assert f"U+{ord(char):04X}" in message
    assert "表示順を入れ替える" in message


def test_position_counts_what_was_typed_including_removed_invisible_characters():
    # The zero-width space is the 2nd character the resident typed, the
    # override the 4th: the message points at the 4th.
    with pytest.raises(ValidationError) as caught:
        _validate("a\u200bb\u202ec")
    assert caught.value.error_list[0].params["pos"] == 4


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("090\u200b1234\u200b5678", "09012345678"),
        ("公\u200b園", "公園"),
        ("\ufeff歩道を広げて", "歩道を広げて"),
        ("川口\u2060太郎", "川口太郎"),
        ("x\u2062y\u180e", "xy"),
        ("川口\u200d太郎", "川口太郎"),  # ZWJ between kanji has no job
        ("川口\u200c太郎", "川口太郎"),
        ("川口\u200e太郎\u200f", "川口太郎"),
        ("abc\U000e0041\U000e0042", "abc"),  # tag characters smuggling "AB"
    ],
)
def test_invisible_characters_without_a_job_are_removed(typed, stored):
    assert _validate(typed) == stored
    assert invisible_count(typed) == len(typed) - len(stored)


@pytest.mark.parametrize(
    "text",
    [
        "医師👩\u200d⚕\ufe0fです",  # woman health worker
        "🏳\ufe0f\u200d🌈",  # rainbow flag
        "👨🏽\u200d🦰",  # skin tone + red hair
        "👨\u200d👩\u200d👧",  # family
        "می\u200cخواهم",  # Persian: ZWNJ is spelling
        "क्\u200dष",  # Devanagari: ZWJ shaping
        "שלום\u200f!",  # RLM after Hebrew
        "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland's flag
    ],
)
def test_joiners_with_a_job_are_kept(text):
    assert strip_invisible(text) == text
    assert _validate(text) == text


def test_only_invisible_characters_is_blank():
    with pytest.raises(ValidationError) as caught:
        _validate("\u200b\u200b\ufeff")
    assert caught.value.error_list[0].code == "blank"


def test_invisible_characters_do_not_count_toward_the_limit():
    assert _validate("あ" * 10 + "\u200b" * 5, max_chars=10) == "あ" * 10


def test_removing_them_cannot_smuggle_html_past_the_check():
    with pytest.raises(ValidationError) as caught:
        _validate("<scr\u200bipt>alert(1)</script>")
    assert caught.value.error_list[0].code == "html"


def test_find_forbidden_char_names_bidi():
    assert find_forbidden_char("ab\u2067") == (3, "bidi")
    assert find_forbidden_char("ab\u200b") is None  # removed, not refused


# ---- through the public comment form ----


def _post(client, consultation, step, **fields):
    data = {"body": "歩道を広げてください。", "eligibility": "resident", "step": step, **fields}
    return client.post(f"/consultations/{consultation.pk}/submit/", data)


@pytest.mark.django_db
def test_a_bidi_override_in_the_name_is_refused_and_what_was_typed_is_kept(client):
    consultation = ConsultationFactory()
    typed_name = "川口\u202e郎太"
    response = _post(client, consultation, "confirm", name=typed_name)
    page = response.content.decode()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "氏名の3文字目" in page and "U+202E" in page
    assert 'class="error-summary"' in page
    assert f'value="{typed_name}"' in page  # the form keeps what was typed
    assert "歩道を広げてください。" in page
    assert Submission.objects.count() == 0


@pytest.mark.django_db
def test_a_bidi_override_in_the_opinion_is_refused(client):
    consultation = ConsultationFactory()
    response = _post(client, consultation, "confirm", body="賛成です\u2066。反対です\u2069")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "ご意見の5文字目" in response.content.decode()


@pytest.mark.django_db
def test_zero_width_characters_are_removed_with_a_notice_and_stored_without(client, django_capture_on_commit_callbacks):
    consultation = ConsultationFactory()
    fields = {"body": "公\u200b園に\u200bベンチを。電話090\u200b1234\u200b5678", "name": "川口\ufeff太郎"}
    confirm = _post(client, consultation, "confirm", **fields)
    page = confirm.content.decode()
    assert confirm.status_code == HTTPStatus.OK
    assert "「ご意見」から、見えない文字（ゼロ幅スペースなど）を4文字取り除きました。" in page
    assert "「氏名」から、見えない文字（ゼロ幅スペースなど）を1文字取り除きました。" in page
    assert "公園にベンチを。" in page  # the confirmation shows the stored form

    with django_capture_on_commit_callbacks(execute=True):
        done = _post(client, consultation, "submit", **fields)
    assert done.status_code == HTTPStatus.FOUND
    submission = Submission.objects.get()
    assert submission.body == "公園にベンチを。電話09012345678"
    assert SubmitterIdentity.objects.get(submission=submission).name == "川口太郎"


@pytest.mark.django_db
def test_an_emoji_sequence_is_stored_as_typed(client):
    consultation = ConsultationFactory()
    body = "子育て世代👨\u200d👩\u200d👧として賛成です。"
    confirm = _post(client, consultation, "confirm", body=body)
    assert confirm.status_code == HTTPStatus.OK
    assert "見えない文字" not in confirm.content.decode()
    _post(client, consultation, "submit", body=body)
    assert Submission.objects.get().body == body
