"""Create a staff account from the command line (for operators)."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Department, User
from accounts.roles import ROLE_LABELS, STAFF_ROLES
from accounts.services import user_create_staff

PASSWORD_ENV = "KOE_STAFF_PASSWORD"


class Command(BaseCommand):
    help = (
        "職員アカウントを作成します。メールアドレスは確認済みとして登録されます。"
        "初回ログイン後に認証アプリ（2段階認証）の設定が必要です。"
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="職員のメールアドレス（ログイン ID）")
        parser.add_argument(
            "--role",
            action="append",
            dest="roles",
            required=True,
            choices=sorted(STAFF_ROLES),
            help="役割（複数指定可）: " + ", ".join(f"{name}={ROLE_LABELS[name]}" for name in sorted(STAFF_ROLES)),
        )
        parser.add_argument("--department", help="所属の組織コード")
        parser.add_argument("--display-name", default="", help="表示名")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"パスワードを尋ねず、環境変数 {PASSWORD_ENV} から読みます。",
        )

    def handle(self, *args, email, roles, department, display_name, interactive, **options):
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"{email} はすでに登録されています。")
        dept = None
        if department:
            try:
                dept = Department.objects.get(code=department)
            except Department.DoesNotExist:
                raise CommandError(f"組織コード {department} は登録されていません。") from None
        password = self._password(interactive)
        try:
            user = user_create_staff(
                email=email,
                password=password,
                department=dept,
                roles=roles,
                display_name=display_name,
            )
        except ValidationError as exc:
            raise CommandError("作成できませんでした: " + " ".join(exc.messages)) from exc
        self.stdout.write(f"職員アカウント {user.email} を作成しました（役割: {', '.join(roles)}）。")

    def _password(self, interactive: bool) -> str:
        # Never accept the password as an argument: it would land in the
        # shell history and the process list.
        if not interactive:
            password = os.environ.get(PASSWORD_ENV, "")
            if not password:
                raise CommandError(f"--noinput のときは環境変数 {PASSWORD_ENV} にパスワードを設定してください。")
            return password
        password = getpass.getpass("パスワード: ")
        if password != getpass.getpass("パスワード（確認）: "):
            raise CommandError("パスワードが一致しません。")
        return password
