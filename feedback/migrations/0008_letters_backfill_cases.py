# Letters received before intake opened a LetterCase for each one get theirs.

from django.db import migrations

BATCH_SIZE = 500


def open_missing_cases(apps, schema_editor):
    Submission = apps.get_model("feedback", "Submission")
    LetterCase = apps.get_model("feedback", "LetterCase")
    missing = (
        Submission.objects.filter(consultation__kind="letter", letter_case__isnull=True)
        .order_by("pk").values_list("pk", flat=True)
    )
    ids = list(missing)
    for start in range(0, len(ids), BATCH_SIZE):
        LetterCase.objects.bulk_create(
            [LetterCase(submission_id=pk) for pk in ids[start:start + BATCH_SIZE]], ignore_conflicts=True,
        )


class Migration(migrations.Migration):

    dependencies = [
        ("feedback", "0007_queue_order_indexes"),
    ]

    operations = [
        migrations.RunPython(open_missing_cases, migrations.RunPython.noop),
    ]
