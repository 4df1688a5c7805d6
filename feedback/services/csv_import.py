"""Bulk entry of paper/FAX/e-mail submissions from a CSV file.

All-or-nothing: a file with any bad row imports nothing, and the report names
every bad row, so staff fix the file and upload it again without duplicates.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from consultations.models import Consultation
from feedback.models import Channel, Submission
from feedback.services.intake import submission_create

CHANNEL_BY_LABEL = {str(label): value for value, label in Channel.choices if value in Channel.staff_entry()}
CHANNEL_BY_LABEL.update(
    {
        "郵送": Channel.POST,
        "持参": Channel.COUNTER,
        "窓口": Channel.COUNTER,
        "メール": Channel.EMAIL,
        "FAX": Channel.FAX,
        "fax": Channel.FAX,
    }
)
COLUMNS = {
    "提出方法": "channel",
    "到着日": "received_on",
    "該当箇所": "section",
    "意見": "body",
    "氏名": "name",
    "ふりがな": "name_kana",
    "団体名": "organization",
    "郵便番号": "postcode",
    "住所": "address",
    "電話番号": "phone",
    "メールアドレス": "email",
    "提出資格": "eligibility",
}
REQUIRED_COLUMNS = ("提出方法", "到着日", "意見")
MAX_ROWS = 20000


@dataclass
class CsvRowError:
    line: int
    column: str
    message: str


class CsvImportFailed(Exception):
    def __init__(self, errors: list[CsvRowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _decode(raw: bytes) -> str:
    # Excel on Japanese Windows saves CSV as Shift_JIS (cp932) by default.
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvImportFailed(
        [
            CsvRowError(
                0,
                "",
                _("文字コードを判別できません。UTF-8 または Shift_JIS で保存してください。"),
            )
        ]
    )


def _parse_date(value: str) -> datetime.date:
    text = value.strip().replace("/", "-")
    try:
        return datetime.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError as exc:
        raise ValidationError(_("日付は 2026-11-28 または 2026/11/28 の形で入力してください。")) from exc


def _row_kwargs(consultation: Consultation, row: dict[str, str]) -> dict:
    values = {COLUMNS[key]: (value or "").strip() for key, value in row.items() if key in COLUMNS}
    channel = CHANNEL_BY_LABEL.get(values.get("channel", ""))
    if channel is None:
        raise ValidationError(
            _("提出方法は 郵送・FAX・電子メール・持参 のいずれかを入力してください。"),
            code="channel",
        )
    section = None
    if values.get("section"):
        section = consultation.sections.filter(number=values["section"]).first()
    identity_keys = (
        "name",
        "name_kana",
        "organization",
        "postcode",
        "address",
        "phone",
        "email",
        "eligibility",
    )
    return {
        "channel": channel,
        "received_on": _parse_date(values.get("received_on", "")),
        "section": section,
        "section_text": "" if section else values.get("section", ""),
        "body": values.get("body", ""),
        "identity": {key: values[key] for key in identity_keys if values.get(key)},
    }


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


COLUMN_BY_FIELD = {field: column for column, field in COLUMNS.items()}
BODY_ERROR_CODES = {"blank", "too_long", "html", "control", "private_use", "surrogate"}


def _row_errors(line: int, exc: ValidationError) -> list[CsvRowError]:
    """One error per bad field; identity errors name their column."""
    if hasattr(exc, "error_dict"):
        return [
            CsvRowError(
                line,
                COLUMN_BY_FIELD.get(field, field),
                _message(ValidationError(field_errors)),
            )
            for field, field_errors in exc.error_dict.items()
        ]
    column = "意見" if getattr(exc, "code", None) in BODY_ERROR_CODES else ""
    return [CsvRowError(line, column, _message(exc))]


@transaction.atomic
def submission_import_csv(*, consultation: Consultation, raw: bytes, actor) -> list[Submission]:
    """Import every row or none; raise CsvImportFailed listing bad rows."""
    reader = csv.DictReader(io.StringIO(_decode(raw), newline=""))
    missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise CsvImportFailed(
            [
                CsvRowError(
                    1,
                    name,
                    _("見出し行に「%(name)s」列がありません。") % {"name": name},
                )
                for name in missing
            ]
        )
    created: list[Submission] = []
    errors: list[CsvRowError] = []
    for row in reader:
        line = reader.line_num
        if line > MAX_ROWS + 1:
            errors.append(
                CsvRowError(
                    line,
                    "",
                    _("一度に取り込めるのは%(max)s行までです。") % {"max": MAX_ROWS},
                )
            )
            break
        try:
            with transaction.atomic():
                created.append(
                    submission_create(
                        consultation=consultation,
                        entered_by=actor,
                        **_row_kwargs(consultation, row),
                    )
                )
        except ValidationError as exc:
            errors.extend(_row_errors(line, exc))
    if errors:
        raise CsvImportFailed(errors)
    return created
