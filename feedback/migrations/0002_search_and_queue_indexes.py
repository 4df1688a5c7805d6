"""Indexes Django's schema editor cannot declare on both databases.

- A pg_trgm GIN index for Japanese free-text search of the original in the
  staff queue (PostgreSQL only; SQLite scans, which is fine for the demo).
- Indexes for the queue order (unanalysed first, then lowest confidence):
  PostgreSQL uses an index for ORDER BY ... ASC NULLS FIRST only when the
  index has the same null ordering; SQLite sorts NULLs first by default and
  cannot declare it, so it gets plain indexes.
"""

from django.db import migrations

TRIGRAM = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS feedback_submission_body_trgm ON feedback_submission USING gin (body gin_trgm_ops)",
]
QUEUE_ORDER = {
    "submission_queue_order": "(suggestion_confidence {nulls}, id)",
    "submission_queue_by_case": "(consultation_id, suggestion_confidence {nulls}, id)",
}


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        for sql in TRIGRAM:
            schema_editor.execute(sql)
    nulls = "ASC NULLS FIRST" if postgres else "ASC"
    for name, columns in QUEUE_ORDER.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON feedback_submission {columns.format(nulls=nulls)}")


def backwards(apps, schema_editor):
    for name in [*QUEUE_ORDER, "feedback_submission_body_trgm"]:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
