from django.db import migrations

# The 分野 most cities' 市長への手紙 reports count by (editable in the admin
# afterwards: rename, reorder, add, or make inactive).
CATEGORIES = [
    ("welfare", "福祉・医療"),
    ("children", "子育て・教育"),
    ("environment", "環境・ごみ"),
    ("roads", "道路・交通"),
    ("safety", "防災・防犯"),
    ("town-planning", "まちづくり"),
    ("industry", "産業・観光"),
    ("administration", "市政・行財政"),
    ("culture", "文化・スポーツ"),
    ("other", "その他"),
]
# accounts.roles.MAYOR: 市長・秘書課, who approve the replies marked 市長確認が必要.
MAYOR_ROLE = "mayor"


def seed(apps, schema_editor):
    LetterCategory = apps.get_model("letters", "LetterCategory")
    for number, (code, name) in enumerate(CATEGORIES, start=1):
        LetterCategory.objects.get_or_create(code=code, defaults={"name": name, "order": number * 10})
    apps.get_model("auth", "Group").objects.get_or_create(name=MAYOR_ROLE)


def unseed(apps, schema_editor):
    LetterCategory = apps.get_model("letters", "LetterCategory")
    LetterCategory.objects.filter(code__in=[code for code, _name in CATEGORIES], cases__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0002_lettercategory_mayor_review"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
