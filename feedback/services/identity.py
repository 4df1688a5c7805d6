"""The submitter's identity as stored, whatever the channel: identity_clean
normalises postcode and e-mail, checks phone and kana (kept as typed) and the
text fields, so web, API, staff entry, CSV import and demo data store alike."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from core.jp import clean_kana, clean_phone, normalize_email, normalize_postcode
from core.text import validate_user_text
from feedback.models import SubmitterIdentity

# The identity fields are the ones the 個人情報ファイル簿 declares for the model:
# one list, so a field added there is cleaned here too.
IDENTITY_FIELDS = SubmitterIdentity.PERSONAL_DATA.fields


# Free-text identity fields: checked like the opinion text, up to the column length.
_IDENTITY_TEXT_FIELDS = (
    "name",
    "organization",
    "representative",
    "address",
    "eligibility",
    "eligibility_detail",
)
_EMAIL_MAX_CHARS = 254
# A value a spreadsheet would run as a formula (=cmd|' /C calc'!A0, +SUM(…),
# @…, -2+3) is never a name, an address or an e-mail address; exports
# neutralise such cells, but the stored identity should not carry one at all.
# A lone "-" (a common "none" placeholder on paper forms) is not a formula.
_FORMULA_RE = re.compile(r"^(?:[=+@]|-(?![\s\-]*$))")


def _refuse_formula(value: str, label: str) -> None:
    if _FORMULA_RE.match(value):
        raise ValidationError(
            _(
                "%(field)sの先頭に「=」「+」「-」「@」は使えません（表計算ソフトで数式として実行されるおそれがあります）。"
            ),
            code="formula",
            params={"field": label},
        )


def _identity_field_clean(key: str, value: str) -> str:
    model_field = SubmitterIdentity._meta.get_field(key)
    if key in _IDENTITY_TEXT_FIELDS:
        value = validate_user_text(
            value,
            max_chars=model_field.max_length,
            field_label=str(model_field.verbose_name),
            required=False,
        )
        _refuse_formula(value, str(model_field.verbose_name))
        return value
    if key == "name_kana":
        # Stored as typed (ひらがな or カタカナ); normalize_kana folds for matching.
        value = clean_kana(value)
        return validate_user_text(
            value,
            max_chars=model_field.max_length,
            field_label=str(model_field.verbose_name),
            required=False,
        )
    if key == "postcode":
        return normalize_postcode(value)
    if key == "phone":
        return clean_phone(value)
    if key == "email":
        value = normalize_email(value)
        _refuse_formula(value, str(model_field.verbose_name))
        try:
            if len(value) > _EMAIL_MAX_CHARS:
                raise ValidationError("too long")
            validate_email(value)
        except ValidationError as exc:
            raise ValidationError(
                _("メールアドレスの形式が正しくありません（例：koe@example.jp）。"),
                code="email",
            ) from exc
        return value
    if key == "contact_method":
        if value not in SubmitterIdentity.ContactMethod.values:
            labels = "・".join(str(label) for label in SubmitterIdentity.ContactMethod.labels)
            raise ValidationError(
                _("回答の送付方法は %(labels)s のいずれかを選んでください。"),
                code="contact_method",
                params={"labels": labels},
            )
        return value
    return value


def identity_clean(identity: dict | None) -> dict:
    """Return the submitter's identity normalised as stored, whatever the channel.

    Postcode becomes NNN-NNNN, e-mail 半角; the phone is kept as typed with
    全角 folded to 半角 (core.jp.clean_phone; normalize_phone gives its digits
    for matching), the ふりがな as typed in NFC (core.jp.clean_kana); text
    fields are NFC and within their column. Blank values are
    dropped. Raise ValidationError keyed by field for every bad value.
    """
    cleaned, errors = {}, {}
    for key, value in (identity or {}).items():
        if key not in IDENTITY_FIELDS or value is None:
            continue
        value = str(value)
        if not value.strip():
            continue
        try:
            value = _identity_field_clean(key, value.strip())
        except ValidationError as exc:
            errors[key] = exc.error_list
            continue
        if value:
            cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned
