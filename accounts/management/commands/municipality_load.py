from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.services_reference import municipality_load


class Command(BaseCommand):
    help = "地区・部課などの団体の基本データを YAML から読み込みます。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"ファイルが見つかりません: {file}")
        counts = municipality_load(path=file)
        self.stdout.write(f"地区 {counts['districts']} 件、課 {counts['departments']} 件を読み込みました。")
