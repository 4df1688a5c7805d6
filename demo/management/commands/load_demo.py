"""Load reference data, the plan and demo consultations/users (idempotent)."""

from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Department
from accounts.services_reference import municipality_load
from consultations.models import Consultation
from consultations.spec import consultation_create_from_spec
from plans.models import Indicator
from plans.services.indicator_values import indicator_value_record
from results.services.dashboard import dashboard_stats_refresh

CITY_DATA_DIR = Path(settings.BASE_DIR) / "core" / "data"
DEMO_DATA_DIR = Path(__file__).resolve().parents[2] / "data"
PLAN_FILE = Path(settings.BASE_DIR) / "plans" / "data" / "kawaguchi_section6.yaml"
DEMO_PASSWORD = "demo-pass-2026"
DEMO_USERS = [
    # email, display name, department code, roles, superuser, what the account can do
    (
        "citizen@example.jp",
        "川口 花子",
        None,
        ["citizen"],
        False,
        "意見・アンケート・市長への手紙の提出、委員公募への応募、提出したものと回答の確認",
    ),
    (
        "kouchou@example.jp",
        "広聴課 職員",
        "kouchou",
        ["kouchou"],
        False,
        "受付一覧、市長への手紙の回付・送付、意見要旨の広聴確認、結果の公表、目標指標の入力",
    ),
    (
        "kouchou-lead@example.jp",
        "広聴課 係長",
        "kouchou",
        ["kouchou"],
        False,
        "広聴の最終承認（確認した人とは別の人が承認します）",
    ),
    (
        "kyodo@example.jp",
        "協働推進課 職員",
        "kyodo",
        ["department_staff"],
        False,
        "協働推進課の案件の作業台・紙の入力、回付された手紙の回答案",
    ),
    (
        "kyodo-chief@example.jp",
        "協働推進課 課長",
        "kyodo",
        ["department_approver"],
        False,
        "協働推進課の意見要旨・回答案の課長承認と差し戻し",
    ),
    (
        "shimin-bucho@example.jp",
        "市民生活部 部長",
        "shimin",
        ["department_approver"],
        False,
        "市民生活部の回答案の部長承認と差し戻し",
    ),
    (
        "kikaku@example.jp",
        "企画経営課 職員",
        "kikaku-keiei",
        ["department_staff"],
        False,
        "企画経営課の案件（締切済みのパブリック・コメント、市民意識調査）の作業",
    ),
    (
        "kikaku-chief@example.jp",
        "企画経営課 課長",
        "kikaku-keiei",
        ["department_approver"],
        False,
        "企画経営課の意見要旨・回答案の課長承認と差し戻し",
    ),
    (
        "kikaku-bucho@example.jp",
        "企画財政部 部長",
        "kikaku",
        ["department_approver"],
        False,
        "企画財政部の回答案の部長承認と差し戻し",
    ),
    (
        "kyodo-secretariat@example.jp",
        "協働推進課 附属機関事務局",
        "kyodo",
        ["committee_secretariat"],
        False,
        "協働推進課が事務局の附属機関等の委員名簿・公募・応募者・抽選・選任",
    ),
    (
        "mayor@example.jp",
        "秘書課 職員（市長確認）",
        None,
        ["mayor"],
        False,
        "市長確認が必要と指定された市長への手紙の、回答の市長確認（承認と差し戻し）",
    ),
    ("admin@example.jp", "システム管理者", None, ["admin"], True, "すべての画面と管理サイト"),
]


class Command(BaseCommand):
    help = "デモ用のデータ（地区・部課・総合計画・案件・利用者）を読み込みます。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="DEBUG でない環境でも読み込む")
        parser.add_argument("--no-submissions", action="store_true", help="デモの意見・回答を登録しない")

    def handle(self, *args, force=False, no_submissions=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("本番環境ではデモデータを読み込みません（--force で強制）。")
        municipality_load(path=CITY_DATA_DIR / "kawaguchi.yaml")
        if PLAN_FILE.exists():
            call_command("plan_import", str(PLAN_FILE), verbosity=0)
        self._users()
        self._consultations()
        self._indicator_values()
        self._committees()
        from demo.services import demo_submissions_create

        created = 0 if no_submissions else demo_submissions_create()
        if created:
            self.stdout.write(f"デモの意見・回答を{created}件登録しました。")
            from demo.workflows import demo_letters_advance

            staged = demo_letters_advance()
            if staged:
                self.stdout.write(
                    f"市長への手紙を各段階（回付・回答案・課長承認済み・部長承認済み・送付済み・市長確認待ち）に{staged}件進めました。"
                )
            from demo.workflows import demo_surveys_publish

            if demo_surveys_publish():
                self.stdout.write("締め切った市民意識調査の結果（重要度×満足度を含む）を広聴が公表しました。")
            from demo.workflows import demo_themes_compute

            if demo_themes_compute():
                self.stdout.write(
                    "募集を終えたパブリック・コメントの意見をテーマにまとめました（作業台の「意見のテーマ」）。"
                )
        # Dashboards read aggregate tables the worker rebuilds every 10
        # minutes; count once now so a fresh demo shows figures at once.

        dashboard_stats_refresh()

    def _users(self):
        User = get_user_model()
        for email, name, dept, roles, superuser, _can in DEMO_USERS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={
                    "display_name": name,
                    "department": Department.objects.filter(code=dept).first(),
                    "is_staff": superuser,
                    "is_superuser": superuser,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                user.groups.set(Group.objects.filter(name__in=roles))
                from allauth.account.models import EmailAddress

                EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        self.stdout.write(f"デモ利用者（パスワードはすべて {DEMO_PASSWORD}）:")
        for email, name, _dept, _roles, _superuser, can in DEMO_USERS:
            self.stdout.write(f"  {email:<30} {name}：{can}")
        self.stdout.write("職員アカウントは初回ログイン時に二要素認証（TOTP）の登録を求められます。")

    def _indicator_values(self):
        specs = yaml.safe_load((DEMO_DATA_DIR / "demo.yaml").read_text(encoding="utf-8")).get("indicator_values", [])
        stored = 0
        for spec in specs:
            indicator = Indicator.objects.filter(policy__code=spec["policy"], name=spec["name"]).first()
            if indicator is None or indicator.values.exists():
                continue  # No plan loaded, or values entered already: never overwrite them.
            for year, value in spec["values"].items():
                indicator_value_record(
                    indicator=indicator,
                    fiscal_year=int(year),
                    value=Decimal(str(value)),
                    source="other",
                    source_detail="デモ用のサンプル値（川口市の実際の値ではありません）",
                )
                stored += 1
        if stored:
            self.stdout.write(f"目標指標のサンプル値を{stored}件登録しました。")

    def _committees(self):
        from demo.committees import demo_committees_create

        specs = yaml.safe_load((DEMO_DATA_DIR / "demo.yaml").read_text(encoding="utf-8")).get("committees", [])
        added = demo_committees_create(specs)
        if added:
            self.stdout.write(f"附属機関等（サンプル）を{added}件、過去5年度の公募とともに登録しました。")

    def _matrix(self, consultation, specs):
        """The survey's 重要度×満足度 items, pairing its questions by 問番号."""
        from plans.models import Policy
        from results.services.survey_matrix import survey_matrix_item_create

        questions = {q.number: q for q in consultation.questions.all()}
        for order, spec in enumerate(specs):
            survey_matrix_item_create(
                consultation=consultation,
                actor=None,
                label=spec["label"],
                importance_question=questions[spec["importance"]],
                satisfaction_question=questions[spec["satisfaction"]],
                policy=Policy.objects.filter(code=spec.get("policy")).first(),
                order=order,
            )
        self.stdout.write(f"  重要度×満足度の項目: {len(specs)}件")

    def _consultations(self):
        specs = yaml.safe_load((DEMO_DATA_DIR / "demo.yaml").read_text(encoding="utf-8"))["consultations"]
        for spec in specs:
            if Consultation.objects.filter(title=spec["title"]).exists():
                continue
            consultation, codes = consultation_create_from_spec(spec=spec)
            self.stdout.write(f"案件を作成: {consultation.title}")
            if spec.get("matrix"):
                self._matrix(consultation, spec["matrix"])
            if codes:
                self.stdout.write(f"  招待コード（デモ）: {', '.join(codes)}")
