"""Apply the 保存年限 now, or (--dry-run) list what would be erased.

The listing gives, per record kind, the years, the cutoff, how many records
are past it and the oldest/newest of their dates — never a name, address or
text, so it can be pasted into a ticket.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.retention import RetentionOutcome, retention_apply, retention_preview


def _day(value) -> str:
    return timezone.localdate(value).isoformat() if value else "—"


class Command(BaseCommand):
    help = (
        "保存年限を過ぎた個人情報を消去します（記録の種類ごとの件数を監査ログに1行記録）。"
        "--dry-run では何も変更せず、消去する件数と日付の範囲だけを表示します。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="変更せずに、種類ごとの対象件数と最も古い・新しい日付を表示する",
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        if dry_run:
            outcomes = retention_preview(now=now)
            self.stdout.write(f"保存年限の確認（試行：何も変更しません） 基準日 {_day(now)}")
        else:
            outcomes = retention_apply(now=now, source="manage.py retention_apply")
            self.stdout.write(f"保存年限を適用しました 基準日 {_day(now)}")
        for outcome in outcomes:
            self.stdout.write(self._line(outcome, dry_run=dry_run))

    def _line(self, outcome: RetentionOutcome, *, dry_run: bool) -> str:
        kind = outcome.kind
        head = f"- {kind.label}（{kind.key}）: 保存年限 {kind.years}年、起算 {kind.counted_from}"
        if not kind.applied:
            return f"{head} — 未適用（宣言のみ）: {kind.note}"
        affected = outcome.affected
        count = affected.count if dry_run else outcome.changed
        verb = "消去する対象" if dry_run else "消去"
        span = f"、最も古い {_day(affected.oldest)}、最も新しい {_day(affected.newest)}" if affected.count else ""
        return f"{head}、{_day(outcome.cutoff)} より前 — {verb} {count}件{span}"
