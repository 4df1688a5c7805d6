"""Trigram index for Japanese free-text search in the staff queue.

PostgreSQL only (pg_trgm ships with PostgreSQL contrib); SQLite falls back to
a scan, which is fine for the embedded demo.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS feedback_submission_body_trgm ON feedback_submission USING gin (body gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS feedback_submission_body_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0005_workbench_item_offsets_and_representative")]
    operations = [migrations.RunPython(forwards, backwards)]
