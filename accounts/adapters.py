"""allauth customisation: only through adapters (see code-anchors rule 12)."""

import base64
import datetime
import hashlib
import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import CITIZEN, is_staff_member
from core.http import client_ip
from core.ratelimit import rate_period_seconds, retry_after_mark


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "ログインの失敗が続いたため、しばらくログインできません。"
            "5分ほどたってから、もう一度お試しください。"
            "パスワードを忘れた場合は「パスワードを忘れた方」から再設定できます。"
        ),
    }

    def get_client_ip(self, request):
        # The one client address (trusted proxies, core.http) for allauth's
        # per-IP limits, as for intake's and the audit rows.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def validation_error(self, code, *args):
        """The login lock — of the password and of the 2段階認証 code — answers 429 with Retry-After.

        allauth raises both locks through this one error (the form still
        shows why); a lock seen only as a 200 form error tells neither a
        person's browser nor a script when to try again.
        """
        if code == "too_many_login_attempts" and context.request is not None:
            # allauth keeps failures per rate ("10/m/ip,5/5m/key"); waiting the
            # longest window always frees the account again.
            rates = str(settings.ACCOUNT_RATE_LIMITS.get("login_failed") or "").split(",")
            retry_after_mark(context.request, max((_window(rate) for rate in rates), default=300))
        return super().validation_error(code, *args)

    def get_login_redirect_url(self, request):
        """Staff start at the staff home (enrolling TOTP on the way), residents at their submissions.

        A ``next`` in the login URL still wins (allauth asks this only without one).
        """
        user = getattr(request, "user", None)
        if user is not None and is_staff_member(user):
            return reverse("staff:home")
        return super().get_login_redirect_url(request)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A member of staff enrolling TOTP for the first time, minutes after typing the password,
        is not asked for it again (#13: staff were sent from the login straight to 再認証).

        Only the first enrolment (and its recovery codes page), only within
        allauth's reauthentication timeout of the sign-in: a second factor that
        existed before this sign-in is changed or removed only after 再認証.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = context.request
        if not required or app != "allauth.mfa" or request is None or not request.user.is_authenticated:
            return required
        records = get_authentication_records(request, request.user)
        signed_in_at = max((r.get("at", 0) for r in records if r.get("method") == "password"), default=0)
        if time.time() - signed_in_at >= account_settings.REAUTHENTICATION_TIMEOUT:
            return True
        signed_in = datetime.datetime.fromtimestamp(signed_in_at, tz=datetime.UTC)
        return Authenticator.objects.filter(user=request.user, created_at__lt=signed_in).exists()

    def is_open_for_signup(self, request):
        return settings.ACCOUNT_ALLOW_REGISTRATION

    def save_user(self, request, user, form, commit=True):
        """Give every self-registered account the citizen role."""
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user.groups.add(Group.objects.get_or_create(name=CITIZEN)[0])
        return user

    def format_email_subject(self, subject):
        # The site title, not the django.contrib.sites name ("example.com").
        return f"{settings.EMAIL_SUBJECT_PREFIX}{subject}"


def _window(rate: str) -> int:
    """Seconds of an allauth rate such as "5/5m/key" (its "5/5m" part)."""
    amount, _sep, rest = rate.strip().partition("/")
    return rate_period_seconds(f"{amount}/{rest.split('/')[0]}") if rest else 0


def _fernet() -> Fernet:
    # A key of its own when configured, else derived from SECRET_KEY, so a
    # database dump alone does not reveal staff TOTP secrets.
    secret = settings.KOE_MFA_ENCRYPTION_KEY or settings.SECRET_KEY
    digest = hashlib.sha256(f"koe.mfa:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "職員のアカウントは2段階認証を無効にできません。"
            "認証アプリを入れ替える場合はシステム管理者に連絡してください。"
        ),
    }

    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Staff must keep TOTP; an operator resets it in the admin if the
        # phone is lost.
        if authenticator.type == Authenticator.Type.TOTP and is_staff_member(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
