"""Create or rotate a staff member's API token and print it once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import api_token_issue


class Command(BaseCommand):
    help = "職員の API トークンを発行します（既存のトークンは無効になります）。トークンはこのとき一度だけ表示されます。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="職員のメールアドレス")

    def handle(self, *args, username, **options):
        try:
            user = User.objects.get(email__iexact=username.strip())
        except User.DoesNotExist:
            raise CommandError(f"利用者 {username} は登録されていません。") from None
        try:
            key = api_token_issue(user=user)
        except ValidationError:
            raise CommandError(
                f"{username} は職員ではないか無効なアカウントのため、API トークンを発行できません。"
            ) from None
        self.stderr.write(
            "API トークンを発行しました。再表示はできないため、安全な場所に保管してください。"
            "利用時は Authorization: Token <トークン> ヘッダーを付けます。"
        )
        self.stdout.write(key)
