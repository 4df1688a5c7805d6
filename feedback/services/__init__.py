"""Writes for submissions, one module each: intake (submission_create, withdrawal,
the receipt e-mail), identity (identity_clean), csv_import and updates (staff
triage and NLP suggestions). The names most callers need are re-exported here."""

from feedback.services.csv_import import (
    CsvImportFailed,
    CsvRowError,
    submission_import_csv,
)
from feedback.services.identity import identity_clean
from feedback.services.intake import (
    AnswerInput,
    SubmissionClosed,
    submission_create,
    submission_receipt_send,
    submission_withdraw,
)
from feedback.services.updates import (
    submission_suggestion_apply,
    submission_triage_update,
)

__all__ = [
    "AnswerInput",
    "CsvImportFailed",
    "CsvRowError",
    "SubmissionClosed",
    "identity_clean",
    "submission_create",
    "submission_import_csv",
    "submission_receipt_send",
    "submission_suggestion_apply",
    "submission_triage_update",
    "submission_withdraw",
]
