from .csv_import import CsvImportFailed, CsvRowError, submission_import_csv
from .intake import (
    AnswerInput,
    SubmissionClosed,
    invitation_code_hash,
    submission_create,
    submission_receipt_send,
    submission_withdraw,
)

__all__ = [
    "AnswerInput",
    "CsvImportFailed",
    "CsvRowError",
    "SubmissionClosed",
    "invitation_code_hash",
    "submission_create",
    "submission_import_csv",
    "submission_receipt_send",
    "submission_withdraw",
]
