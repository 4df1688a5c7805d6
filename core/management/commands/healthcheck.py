"""`manage.py healthcheck`: the /healthz report on stdout; exit 1 when it fails.

Worker containers run it as their health check (``--check worker --queue
analysis``): they serve no HTTP, and their question is whether their own
queue is being consumed.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.health import CHECK_NAMES, health_report


class Command(BaseCommand):
    help = "データベース・ブローカー・ワーカー・beat の状態を JSON で表示します（異常なら終了コード 1）。"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="append", choices=CHECK_NAMES, help="調べる項目（既定はすべて）")
        parser.add_argument(
            "--queue", action="append", choices=settings.KOE_CELERY_QUEUES, help="worker で調べるキュー（既定はすべて）"
        )

    def handle(self, *args, check=None, queue=None, **options):
        report = health_report(check, queue)
        self.stdout.write(json.dumps(report, ensure_ascii=False))
        if report["status"] != "ok":
            raise CommandError("healthcheck failed", returncode=1)
