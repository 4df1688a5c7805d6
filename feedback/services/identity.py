"""The submitter's identity as stored, whatever the channel: identity_clean
normalises postcode and e-mail, checks phone and kana (kept as typed) and the
text fields, so web, API, staff entry, CSV import and demo data store alike."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from core.jp import clean_kana, clean_phone, normalize_email, normalize_postcode
from core.text import validate_user_text
from core.towns import town_match
from feedback.models import Signer, SubmitterIdentity

# The identity fields are the ones the 個人情報ファイル簿 declares for the model:
# one list, so a field added there is cleaned here too. address_town is
# derived from the address, never taken as given.
IDENTITY_FIELDS = tuple(f for f in SubmitterIdentity.PERSONAL_DATA.fields if f != "address_town")
Kind = SubmitterIdentity.Kind
# 連名者 besides the first (the identity's own 氏名), on any channel.
MAX_SIGNERS = 100


# Free-text identity fields: checked like the opinion text, up to the column length.
_IDENTITY_TEXT_FIELDS = (
    "name",
    "organization",
    "representative",
    "address",
    "address_building",
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
    if key == "submitter_kind":
        if value not in Kind.values:
            raise ValidationError(
                _("提出者の種別は %(labels)s のいずれかを選んでください。"),
                code="submitter_kind",
                params={"labels": "・".join(str(label) for label in Kind.labels)},
            )
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


def signer_label(index: int) -> str:
    """連名者2, 連名者3, …: the first signer is the identity's own 氏名."""
    return _("連名者%(n)s") % {"n": index + 2}


def _signers_clean(signers) -> tuple[list[dict], list[str]]:
    """The other signers of a 連名, blank rows dropped; and the problems, each naming its 連名者N."""
    cleaned, problems = [], []
    for index, signer in enumerate(signers or []):
        label = signer_label(index)
        values = {}
        for key in ("name", "address"):
            value = str((signer or {}).get(key) or "").strip()
            if not value:
                continue
            field = Signer._meta.get_field(key)
            field_label = f"{label}の{field.verbose_name}"
            try:
                value = validate_user_text(value, max_chars=field.max_length, field_label=field_label, required=False)
                _refuse_formula(value, field_label)
            except ValidationError as exc:
                problems.extend(exc.messages)
                continue
            values[key] = value
        if values.get("address") and not values.get("name"):
            problems.append(_("%(label)sの住所だけが入力されています。氏名も入力してください。") % {"label": label})
        elif values.get("name"):
            cleaned.append(values)
    if len(cleaned) > MAX_SIGNERS:
        problems.append(_("連名者は%(max)s人まで入力できます。") % {"max": MAX_SIGNERS + 1})
    return cleaned, problems


def identity_kind_problems(kind: str, identity: dict, signers: list) -> dict[str, str]:
    """What contradicts the chosen 提出者の種別, by field: the one rule web, staff and CSV share.

    団体: a 団体名; 連名: at least one more signer; 個人: neither a 団体名
    nor other signers. A missing 代表者 or 氏名 is not refused here: paper
    that lacks it is kept and flagged 要件不備 (the web form asks for them).
    """
    problems = {}
    if kind == Kind.ORGANIZATION and not identity.get("organization"):
        problems["organization"] = _("団体として提出する場合は団体名を入力してください。")
    if kind == Kind.JOINT and not signers:
        problems["signers"] = _("連名で提出する場合は、ほかの連名者（連名者2）の氏名を1人以上入力してください。")
    if kind != Kind.JOINT and signers:
        problems["signers"] = _(
            "連名者が入力されています。連名で提出する場合は、提出者の種別で「連名」を選んでください。"
        )
    if kind == Kind.INDIVIDUAL and identity.get("organization"):
        problems["organization"] = _(
            "団体名が入力されています。団体として提出する場合は、提出者の種別で「団体」を選んでください。"
        )
    return problems


def submitter_kind_infer(identity: dict, signers: list) -> str:
    """The 種別 when none was given (API, a CSV without the column): 連名 with signers, 団体 with a 団体名."""
    if signers:
        return Kind.JOINT
    return Kind.ORGANIZATION if identity.get("organization") else Kind.INDIVIDUAL


def identity_clean(identity: dict | None) -> dict:
    """Return the submitter's identity normalised as stored, whatever the channel.

    Postcode becomes NNN-NNNN, e-mail 半角; the phone is kept as typed with
    全角 folded to 半角 (core.jp.clean_phone; normalize_phone gives its digits
    for matching), the ふりがな as typed in NFC (core.jp.clean_kana); text
    fields are NFC and within their column. Blank values are
    dropped. Raise ValidationError keyed by field for every bad value.

    ``submitter_kind`` (個人・団体・連名; inferred when absent) must agree with
    the rest (identity_kind_problems); ``signers`` is the list of the other
    連名者 (``{"name", "address"}``, in order), returned cleaned under the
    same key. ``address_town`` is the listed 町名 of an address in the city
    (core.towns), whatever way its 丁目 was written. 個人 is the model's
    default and is not returned, so an empty identity stays empty.
    """
    identity = dict(identity or {})
    signers, signer_problems = _signers_clean(identity.pop("signers", None))
    cleaned, errors = {}, {}
    if signer_problems:
        errors["signers"] = [ValidationError(message, code="signers") for message in signer_problems]
    for key, value in identity.items():
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
    kind = cleaned.pop("submitter_kind", "") or submitter_kind_infer(cleaned, signers)
    if "submitter_kind" not in errors and "signers" not in errors:
        for key, message in identity_kind_problems(kind, cleaned, signers).items():
            errors.setdefault(key, []).append(ValidationError(message, code="submitter_kind"))
    if errors:
        raise ValidationError(errors)
    if kind != Kind.INDIVIDUAL:
        cleaned["submitter_kind"] = kind
    if signers:
        cleaned["signers"] = signers
    if cleaned.get("address"):
        found = town_match(cleaned["address"])
        if found is not None and found.town:
            cleaned["address_town"] = found.town
    return cleaned
