"""Print the 個人情報ファイル簿 built from the models' declarations (CSV or Markdown)."""

import sys

from django.core.management.base import BaseCommand

from accounts.personal_data import register_csv, register_markdown


class Command(BaseCommand):
    help = (
        "個人情報ファイル簿を出力します（各モデルの PERSONAL_DATA 宣言と保存年限の設定から生成）。"
        "--format csv は UTF-8（BOM付き）・CRLF の CSV、md は Markdown。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "md"], default="md", help="出力形式（既定: md）")
        parser.add_argument("--output", "-o", default="-", help="出力先のファイル（既定: 標準出力）")
        parser.add_argument("--no-counts", action="store_true", help="記録件数を出力しない（差分の確認用）")

    def handle(self, *args, format="md", output="-", no_counts=False, **options):
        with_counts = not no_counts
        if format == "csv":
            content = register_csv(with_counts=with_counts)
        else:
            content = register_markdown(with_counts=with_counts).encode("utf-8")
        if output == "-":
            stream = getattr(self.stdout, "_out", sys.stdout)
            buffer = getattr(stream, "buffer", None)
            if buffer is not None:
                buffer.write(content)
                buffer.flush()
            else:  # a StringIO in tests
                stream.write(content.decode("utf-8"))
        else:
            with open(output, "wb") as handle:
                handle.write(content)
            self.stderr.write(f"{output} に書き出しました。")
