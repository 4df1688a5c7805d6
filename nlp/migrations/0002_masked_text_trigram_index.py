"""Trigram index for department staff's queue search over the masked text.

Departments search what they may read (the latest analysis's masked_text),
not the original body; this is the same pg_trgm GIN index as
feedback_submission_body_trgm, for that column. PostgreSQL only; SQLite
falls back to a scan.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS nlp_submissionanalysis_masked_text_trgm"
    " ON nlp_submissionanalysis USING gin (masked_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS nlp_submissionanalysis_masked_text_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("nlp", "0001_initial"),
        ("feedback", "0002_search_and_queue_indexes"),  # creates the pg_trgm extension first
    ]
    operations = [migrations.RunPython(forwards, backwards)]
