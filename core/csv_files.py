"""Reading a CSV file staff upload: the encodings Excel saves, row numbers as
Excel shows them, and errors listed per row and column.

Every import (paper submissions in feedback, statistic values in plans)
reads its file here and checks its own columns; a file with any bad row
imports nothing, so fixing it and uploading it again makes no duplicates.
Messages never quote a cell's value: a cell may hold NUL or markup.
"""

import csv
import io
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

# Line 0 is "the whole file" in the error list.
FILE_LINE = 0

# Magic numbers of files staff pick by mistake instead of a CSV.
_NOT_CSV = (
    (b"PK\x03\x04", "xlsx"),
    (b"\xd0\xcf\x11\xe0", "xls"),
    (b"%PDF", "pdf"),
)


@dataclass(frozen=True)
class CsvRowError:
    line: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


class CsvImportFailed(Exception):
    def __init__(self, errors: list[CsvRowError], *, row_count: int | None = None):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors
        self.row_count = row_count


def csv_file_error(message: str) -> CsvImportFailed:
    return CsvImportFailed([CsvRowError(FILE_LINE, "", message)])


def csv_text_decode(raw: bytes) -> str:
    """Return the text of an uploaded CSV file, or raise CsvImportFailed saying why not."""
    if not raw.strip():
        raise csv_file_error(_("ファイルが空です。見出し行と1行以上のデータがあるCSVファイルを選んでください。"))
    for magic, kind in _NOT_CSV:
        if raw.startswith(magic):
            raise csv_file_error(
                _(
                    "CSVファイルではありません（%(kind)s 形式のようです）。"
                    "Excel では「名前を付けて保存」で「CSV UTF-8（コンマ区切り）」を選んで保存してください。"
                )
                % {"kind": kind.upper()}
            )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise csv_file_error(
            _("UTF-16（Unicode テキスト）のファイルは読めません。「CSV UTF-8（コンマ区切り）」で保存し直してください。")
        )
    # Excel on Japanese Windows saves CSV as Shift_JIS (cp932) by default.
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise csv_file_error(_("文字コードを判別できません。UTF-8 または Shift_JIS で保存してください。"))


def csv_records_read(text: str, *, max_rows: int) -> list[tuple[int, list[str]]]:
    """(row number, fields) of the header and every non-blank record.

    The row number is the one Excel shows (a blank line is a row too), even
    when an opinion spans several lines inside quotes. Reading stops one row
    past the limit: that is enough to say the file is too long.
    """
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    while len(records) <= max_rows + 1:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise CsvImportFailed(
                [
                    CsvRowError(
                        number,
                        "",
                        _(
                            'この行をCSVとして読み取れません（1つの欄が長すぎるか、引用符 " の対応が崩れています）。'
                            "この行以降は確認していません。"
                        ),
                    )
                ]
            ) from exc
        if any(field.strip() for field in record):
            records.append((number, record))
    return records
