import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """分野 (LetterCategory, chosen at routing) and the optional 市長確認 step.

    The old ``category`` text field (分類, never written by any form or
    service) is replaced by the 分野 foreign key.
    """

    dependencies = [
        ("letters", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="LetterCategory",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "code",
                    models.SlugField(
                        help_text="API と CSV で使う英数字（例：welfare）",
                        max_length=30,
                        unique=True,
                        verbose_name="コード",
                    ),
                ),
                ("name", models.CharField(max_length=40, unique=True, verbose_name="分野")),
                ("order", models.PositiveIntegerField(default=0, verbose_name="表示順")),
                (
                    "active",
                    models.BooleanField(
                        default=True, help_text="外すと、回付の画面で選べなくなります。", verbose_name="使用中"
                    ),
                ),
            ],
            options={
                "verbose_name": "市長への手紙の分野",
                "verbose_name_plural": "市長への手紙の分野",
                "ordering": ["order", "pk"],
            },
        ),
        migrations.RemoveField(model_name="lettercase", name="category"),
        migrations.AddField(
            model_name="lettercase",
            name="category",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="letters.lettercategory",
                verbose_name="分野",
            ),
        ),
        migrations.AddField(
            model_name="lettercase",
            name="mayor_review",
            field=models.BooleanField(default=False, verbose_name="市長確認が必要"),
        ),
        migrations.AlterField(
            model_name="letterapproval",
            name="stage",
            field=models.CharField(
                choices=[("kacho", "課長"), ("bucho", "部長"), ("kouchou", "広聴"), ("mayor", "市長")],
                max_length=10,
                verbose_name="段階",
            ),
        ),
        migrations.AlterField(
            model_name="lettercase",
            name="status",
            field=models.CharField(
                choices=[
                    ("received", "受付"),
                    ("routed", "担当課へ回付"),
                    ("drafted", "回答案作成済み"),
                    ("kacho_approved", "課長承認"),
                    ("bucho_approved", "部長承認"),
                    ("kouchou_approved", "広聴確認済み（市長確認待ち）"),
                    ("approved", "広聴確認済み"),
                    ("sent", "回答送付済み"),
                    ("filed", "回答せず受理（参考意見）"),
                ],
                db_index=True,
                default="received",
                max_length=20,
                verbose_name="状態",
            ),
        ),
    ]
