# Deleting a user must not rewrite audit rows: the actor FK loses its
# database constraint and SET_NULL (which issued an UPDATE) for DO_NOTHING.
# Existing rows keep their actor_id; rows already nulled keep actor_label.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作者",
            ),
        ),
    ]
