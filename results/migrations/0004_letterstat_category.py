import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """市長への手紙 counted by 分野 too (the dashboard's 分野別・所管課別 tables, #15)."""

    dependencies = [
        ("letters", "0002_lettercategory_mayor_review"),
        ("results", "0003_survey_matrix_item"),
    ]

    operations = [
        migrations.AddField(
            model_name="letterstat",
            name="category",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="letters.lettercategory",
                verbose_name="分野",
            ),
        ),
    ]
