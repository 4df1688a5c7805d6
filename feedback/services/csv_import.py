"""Reading and checking a CSV file of paper/FAX/e-mail submissions.

csv_rows_check turns a file's bytes into the rows submission_create will
store, or raises CsvImportFailed listing every problem by Excel row number
and column. It never writes: the import job (feedback.services.imports) runs
it over the whole file before the first insert, so a file with any bad row
imports nothing. Messages never quote a cell's value: they are stored with
the job and shown to staff, and a cell may hold NUL or markup.
"""

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Consultation
from core.csv_files import (
    FILE_LINE,
    CsvImportFailed,
    CsvRowError,
    csv_file_error,
    csv_records_read,
    csv_text_decode,
)
from core.text import validate_user_text
from core.wareki import date_parse
from feedback.models import Channel, SubmitterIdentity
from feedback.services.identity import MAX_SIGNERS, identity_clean

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
    # 団体・連名 (#15): the 種別, the 代表者 of a 団体, the 方書 of the address,
    # and 連名者2の氏名, 連名者2の住所, 連名者3の氏名 … (SIGNER_COLUMN_RE).
    "提出者の種別": "submitter_kind",
    "代表者氏名": "representative",
    "方書": "address_building",
}
COLUMN_BY_FIELD = {field: column for column, field in COLUMNS.items()}
COLUMN_BY_FIELD["signers"] = "連名者"
REQUIRED_COLUMNS = ("提出方法", "到着日", "意見")
IDENTITY_KEYS = (
    "name",
    "name_kana",
    "organization",
    "representative",
    "postcode",
    "address",
    "address_building",
    "phone",
    "email",
    "eligibility",
)
# 連名者2の氏名 / 連名者2住所 …: the first signer is the 氏名 column.
SIGNER_COLUMN_RE = re.compile(r"^連名者(\d+)の?(氏名|住所)$")
SIGNER_KEYS = {"氏名": "name", "住所": "address"}
KIND_BY_LABEL = {str(label): value for value, label in SubmitterIdentity.Kind.choices}
MAX_ROWS = 20000
SECTION_TEXT_MAX_CHARS = 200
# A time after the date (2026-11-28 10:30), as spreadsheets export it, is dropped.
_TIME_SUFFIX_RE = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")


@dataclass(frozen=True)
class CsvRow:
    """One checked row: the keyword arguments of submission_create."""

    line: int
    fields: dict


def _signer_column(name: str) -> tuple[int, str] | None:
    """(N, "name" | "address") of a 連名者N column header, else None."""
    found = SIGNER_COLUMN_RE.match(unicodedata.normalize("NFKC", name).replace(" ", ""))
    return (int(found.group(1)), SIGNER_KEYS[found.group(2)]) if found else None


def _header(record: list[str]) -> dict[str, int]:
    """Column name → index for the columns we know, from the first row."""
    index: dict[str, int] = {}
    errors = []
    for position, name in enumerate(record):
        name = name.strip().lstrip("\ufeff")
        signer = _signer_column(name)
        if signer is not None and not 2 <= signer[0] <= MAX_SIGNERS + 1:
            errors.append(
                CsvRowError(
                    1,
                    name,
                    _(
                        "連名者の列は「連名者2の氏名」から「連名者%(last)sの氏名」までです"
                        "（1人目は「氏名」列に入力します）。"
                    )
                    % {"last": MAX_SIGNERS + 1},
                )
            )
        elif (name in COLUMNS or signer is not None) and name not in index:
            index[name] = position
    if errors:
        raise CsvImportFailed(errors)
    missing = [name for name in REQUIRED_COLUMNS if name not in index]
    if missing:
        errors = [
            CsvRowError(1, name, _("見出し行に「%(name)s」列がありません。") % {"name": name}) for name in missing
        ]
        if not index:
            errors.append(
                CsvRowError(
                    1,
                    "",
                    _(
                        "1行目が見出し行になっていないか、カンマ区切りのCSVではありません。"
                        "1行目は「提出方法,到着日,該当箇所,意見,…」としてください。"
                    ),
                )
            )
        raise CsvImportFailed(errors)
    return index


def _parse_date(value: str) -> datetime.date:
    """西暦 (2026-11-28, 2026/11/28) or 和暦 (令和8年11月28日, R8.11.28, 令和元年) as 窓口 files carry them."""
    date = date_parse(_TIME_SUFFIX_RE.sub("", (value or "").strip()))
    if date is None:
        raise ValidationError(
            _(
                "日付は 2026-11-28、2026/11/28、令和8年11月28日、R8.11.28 のいずれかの形で、"
                "実在する日付を入力してください（平成31年5月1日のように元号にない日付は使えません）。"
            )
        )
    if date > timezone.localdate():
        raise ValidationError(
            _("到着日が未来の日付（%(date)s）になっています。郵送・FAX等が届いた日を入力してください。")
            % {"date": date.isoformat()}
        )
    return date


class _Checker:
    """Checks rows of one consultation; the case's sections are read once."""

    def __init__(self, consultation: Consultation):
        self.consultation = consultation
        self.sections = {}
        for section in consultation.sections.order_by("pk"):
            self.sections.setdefault(section.number, section)
        self.body_required = consultation.kind != Consultation.Kind.SURVEY

    def row(self, line: int, values: dict[str, str]) -> CsvRow | list[CsvRowError]:
        errors: list[CsvRowError] = []

        def check(column: str, func: Callable[[], object]):
            try:
                return func()
            except ValidationError as exc:
                errors.append(CsvRowError(line, column, " ".join(exc.messages)))
                return None

        channel = check("提出方法", lambda: self._channel(values.get("channel", "")))
        received_on = check("到着日", lambda: _parse_date(values.get("received_on", "")))
        section_value = check(
            "該当箇所",
            lambda: validate_user_text(
                values.get("section", ""),
                max_chars=SECTION_TEXT_MAX_CHARS,
                field_label=_("該当箇所"),
                required=False,
            ),
        )
        body = ""
        if values.get("body") or self.body_required:
            body = check(
                "意見",
                lambda: validate_user_text(
                    values.get("body", ""), max_chars=self.consultation.max_opinion_chars, field_label=_("意見")
                ),
            )
        identity = {key: values[key] for key in IDENTITY_KEYS if values.get(key)}
        kind_label = values.get("submitter_kind", "")
        if kind_label:
            if kind_label in KIND_BY_LABEL:
                identity["submitter_kind"] = KIND_BY_LABEL[kind_label]
            else:
                errors.append(
                    CsvRowError(
                        line, "提出者の種別", _("提出者の種別は 個人・団体・連名 のいずれかを入力してください。")
                    )
                )
        # One entry per 連名者 number from 2, blanks kept, so a message's 連名者N is its column's N.
        numbers = [n for n, _key in values.get("signers", {})]
        if numbers:
            identity["signers"] = [
                {key: values["signers"].get((n, key), "") for key in ("name", "address")}
                for n in range(2, max(numbers) + 1)
            ]
        try:
            identity = identity_clean(identity)
        except ValidationError as exc:
            for field, field_errors in exc.error_dict.items():
                errors.append(
                    CsvRowError(
                        line, COLUMN_BY_FIELD.get(field, field), " ".join(ValidationError(field_errors).messages)
                    )
                )
        if errors:
            return errors
        section = self.sections.get(section_value or "")
        return CsvRow(
            line,
            {
                "channel": channel,
                "received_on": received_on,
                "section": section,
                "section_text": "" if section else (section_value or ""),
                "body": body or "",
                "identity": identity,
            },
        )

    @staticmethod
    def _channel(value: str) -> str:
        channel = CHANNEL_BY_LABEL.get(value.strip())
        if channel is None:
            raise ValidationError(_("提出方法は 郵送・FAX・電子メール・持参 のいずれかを入力してください。"))
        return channel


PROGRESS_EVERY = 500


def csv_rows_check(
    *,
    consultation: Consultation,
    raw: bytes,
    progress: Callable[[int, int], None] | None = None,
) -> list[CsvRow]:
    """Return every data row checked, or raise CsvImportFailed listing all problems.

    ``progress(checked, total)`` is called every few hundred rows so a job
    can show how far it is.
    """
    if consultation.invitation_required:
        # A CSV row carries no invitation code to spend, so importing one would
        # let the same person answer again on the web (#15).
        raise csv_file_error(
            _(
                "招待コードが必要なアンケート（標本調査）の回答はCSVで取り込めません。"
                "調査票ごとに、紙の回答の入力画面で招待コードとともに入力してください。"
            )
        )
    records = csv_records_read(csv_text_decode(raw), max_rows=MAX_ROWS)
    if not records:
        raise csv_file_error(_("ファイルが空です。見出し行と1行以上のデータがあるCSVファイルを選んでください。"))
    header_line, header = records[0]
    if header_line != 1:
        raise CsvImportFailed([CsvRowError(1, "", _("1行目（見出し行）が空です。"))])
    index = _header(header)
    data = records[1:]
    if len(data) > MAX_ROWS:
        raise CsvImportFailed(
            [
                CsvRowError(
                    FILE_LINE,
                    "",
                    _("一度に取り込めるのは%(max)s行までです。ファイルを分割して取り込んでください。")
                    % {"max": f"{MAX_ROWS:,}"},
                )
            ]
        )
    if not data:
        raise csv_file_error(_("見出し行のほかにデータの行がありません。"))
    checker = _Checker(consultation)
    width = len(header)
    rows: list[CsvRow] = []
    errors: list[CsvRowError] = []
    for done, (line, record) in enumerate(data, start=1):
        if any(field.strip() for field in record[width:]):
            errors.append(
                CsvRowError(
                    line,
                    "",
                    _(
                        "見出し行より列が多くなっています。意見などにカンマ（,）を含む場合は、"
                        'その欄を " で囲んでください（Excel で保存すれば自動で囲まれます）。'
                    ),
                )
            )
            continue
        values: dict = {"signers": {}}
        for name, i in index.items():
            value = record[i].strip() if i < len(record) else ""
            signer = _signer_column(name)
            if signer is None:
                values[COLUMNS[name]] = value
            elif value:
                values["signers"][signer] = value
        checked = checker.row(line, values)
        if isinstance(checked, CsvRow):
            rows.append(checked)
        else:
            errors.extend(checked)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(data))
    if errors:
        raise CsvImportFailed(errors, row_count=len(data))
    return rows
