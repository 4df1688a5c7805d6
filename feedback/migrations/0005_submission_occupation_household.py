# 職業・世帯構成 as survey respondent attributes (#15), asked when the survey enables them.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_submission_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="occupation",
            field=models.CharField(
                blank=True,
                choices=[
                    ("self", "自営業・自由業（家族従業を含む）"),
                    ("employee", "会社員・公務員・団体職員"),
                    ("parttime", "パート・アルバイト・派遣・契約社員"),
                    ("student", "学生"),
                    ("home", "家事専業"),
                    ("none", "無職"),
                    ("other", "その他"),
                    ("na", "回答しない"),
                ],
                max_length=12,
                verbose_name="職業",
            ),
        ),
        migrations.AddField(
            model_name="submission",
            name="household",
            field=models.CharField(
                blank=True,
                choices=[
                    ("single", "ひとり暮らし"),
                    ("couple", "夫婦のみ"),
                    ("two_gen", "親と子（二世代）"),
                    ("three_gen", "親と子と孫（三世代）"),
                    ("other", "その他の世帯"),
                    ("na", "回答しない"),
                ],
                max_length=12,
                verbose_name="世帯構成",
            ),
        ),
    ]
