"""manage.py plan_import FILE: load a plan from YAML or JSON."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plans.loader import PlanFileError, plan_document_read
from plans.schema.document import validate_plan
from plans.services.plan_import import plan_import


class Command(BaseCommand):
    help = _("総合計画を YAML または JSON ファイルから取り込みます（全件成功か、何も変更しないかのどちらか）。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("取り込むファイル（.yaml / .yml / .json）"))
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("検証だけ行い、データベースは変更しない"),
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            document = plan_document_read(path)
            if options["check"]:
                validate_plan(document.data, source_name=path.name, lines=document.lines)
                self.stdout.write(self.style.SUCCESS(_("%(file)s に問題はありません。") % {"file": path.name}))
                return
            result = plan_import(data=document.data, source_name=path.name, lines=document.lines)
        except PlanFileError as exc:
            message = _("%(count)d 件の問題があるため取り込みませんでした:") % {"count": len(exc.errors)}
            raise CommandError("\n".join([message, *exc.errors])) from None
        self.stdout.write(self.style.SUCCESS(_("「%(plan)s」を取り込みました。") % {"plan": result.plan}))
        if not (result.created or result.updated or result.deleted):
            self.stdout.write(_("  変更はありません。"))
        for label, counts in (
            (_("追加"), result.created),
            (_("更新"), result.updated),
            (_("削除"), result.deleted),
        ):
            if counts:
                detail = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
                self.stdout.write(f"  {label}: {detail}")
