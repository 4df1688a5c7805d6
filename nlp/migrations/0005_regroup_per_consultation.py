"""Group keys are now scoped to one consultation: mark every analysis for
regrouping, so the sweeper (one regroup per consultation) rewrites the stored
keys and drops the old, cross-consultation ones."""

from django.db import migrations


def mark_for_regroup(apps, schema_editor):
    apps.get_model("nlp", "SubmissionAnalysis").objects.update(grouped_at=None)


class Migration(migrations.Migration):
    dependencies = [("nlp", "0004_masked_text_trigram_index")]

    operations = [migrations.RunPython(mark_for_regroup, migrations.RunPython.noop)]
