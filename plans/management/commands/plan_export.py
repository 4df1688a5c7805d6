"""manage.py plan_export: write a plan as YAML or JSON."""

import json
from decimal import Decimal
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plans.models import Plan
from plans.services.plan_export import plan_export


class _Dumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper, value):
    # Plain numbers with their digits (88.60, not 88.6; 375, not 375.0).
    tag = "int" if value.as_tuple().exponent >= 0 else "float"
    return dumper.represent_scalar(f"tag:yaml.org,2002:{tag}", str(value))


_Dumper.add_representer(Decimal, _represent_decimal)


def _json_default(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value).__name__)


class Command(BaseCommand):
    help = _("総合計画を YAML または JSON で書き出します（plan_import で読み込める形式）。")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["yaml", "json"], default="yaml")
        parser.add_argument("--output", help=_("出力ファイル（省略時は標準出力）"))
        parser.add_argument("--plan", type=int, help=_("総合計画のID（1件だけのときは省略可）"))

    def handle(self, *args, **options):
        plans = Plan.objects.order_by("pk")
        if options["plan"] is not None:
            plans = plans.filter(pk=options["plan"])
        if not plans.exists():
            raise CommandError(_("書き出す総合計画がありません。"))
        if options["plan"] is None and plans.count() > 1:
            raise CommandError(_("総合計画が複数あります。--plan でIDを指定してください。"))
        data = plan_export(plan=plans.get())
        if options["format"] == "json":
            text = json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
        else:
            text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(_("%(file)s に書き出しました。") % {"file": options["output"]})
        else:
            self.stdout.write(text, ending="")
