"""Indexes for the queue order (unanalysed first, then lowest confidence).

PostgreSQL only uses an index for ORDER BY ... ASC NULLS FIRST when the index
has the same null ordering; SQLite sorts NULLs first by default and cannot
declare it, so it gets plain indexes.
"""

from django.db import migrations

INDEXES = {
    "submission_queue_order": "(suggestion_confidence {nulls}, id)",
    "submission_queue_by_case": "(consultation_id, suggestion_confidence {nulls}, id)",
}


def forwards(apps, schema_editor):
    nulls = "ASC NULLS FIRST" if schema_editor.connection.vendor == "postgresql" else "ASC"
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON feedback_submission {columns.format(nulls=nulls)}")


def backwards(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("feedback", "0006_search_trigram_index")]
    operations = [
        migrations.RemoveIndex(model_name="submission", name="feedback_su_suggest_1502e4_idx"),
        migrations.RemoveIndex(model_name="submission", name="feedback_su_consult_590692_idx"),
        migrations.RunPython(forwards, backwards),
    ]
