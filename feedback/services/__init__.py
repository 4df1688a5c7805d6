"""Writes for submissions, one module each: intake (submission_create, withdrawal,
the receipt e-mail), identity (identity_clean), csv_import (reading and
checking a CSV file), imports (the CSV import job: upload, run, resume) and
updates (staff triage and NLP suggestions). The names most callers need are
re-exported here."""

from feedback.services.csv_import import CsvImportFailed, CsvRowError, csv_rows_check
from feedback.services.identity import identity_clean
from feedback.services.imports import (
    DuplicateImport,
    submission_import_resume,
    submission_import_run,
    submission_import_upload,
)
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
    "DuplicateImport",
    "SubmissionClosed",
    "csv_rows_check",
    "identity_clean",
    "submission_create",
    "submission_import_resume",
    "submission_import_run",
    "submission_import_upload",
    "submission_receipt_send",
    "submission_suggestion_apply",
    "submission_triage_update",
    "submission_withdraw",
]
