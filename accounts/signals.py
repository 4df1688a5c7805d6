"""Audit rows for security events on accounts (connected in apps.ready).

Login, MFA and password events come from Django and allauth, so they are
recorded through signals rather than by forking allauth's views.
"""

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
)
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

from accounts.middleware import idle_mark_active
from accounts.roles import is_staff_member
from core.http import client_ip
from core.services import audit_record


def _record(request, user, action: str, summary: str) -> None:
    audit_record(
        actor=user,
        action=action,
        target=user,
        summary=summary,
        ip_address=client_ip(request),
    )


@receiver(user_logged_in, dispatch_uid="accounts.audit_staff_login")
def audit_staff_login(sender, request, user, **kwargs):
    # Citizens' logins are not audited: only access to staff pages matters.
    if is_staff_member(user):
        _record(request, user, "staff.login", _("職員がログインしました"))


@receiver(authenticator_added, dispatch_uid="accounts.audit_mfa_added")
def audit_mfa_added(sender, request, user, authenticator, **kwargs):
    _record(
        request,
        user,
        "mfa.added",
        _("2段階認証を追加しました（%(type)s）") % {"type": authenticator.type},
    )


@receiver(authenticator_removed, dispatch_uid="accounts.audit_mfa_removed")
def audit_mfa_removed(sender, request, user, authenticator, **kwargs):
    _record(
        request,
        user,
        "mfa.removed",
        _("2段階認証を削除しました（%(type)s）") % {"type": authenticator.type},
    )


@receiver(authentication_failed, dispatch_uid="accounts.audit_mfa_failed")
def audit_mfa_failed(sender, request, user, **kwargs):
    if is_staff_member(user):
        _record(request, user, "mfa.failed", _("2段階認証のコードが誤っていました"))


@receiver(password_changed, dispatch_uid="accounts.audit_password_changed")
def audit_password_changed(sender, request, user, **kwargs):
    _record(request, user, "user.password_changed", _("パスワードを変更しました"))


@receiver(password_reset, dispatch_uid="accounts.audit_password_reset")
def audit_password_reset(sender, request, user, **kwargs):
    _record(request, user, "user.password_reset", _("パスワードを再設定しました"))


@receiver(user_logged_in, dispatch_uid="accounts.staff_idle_start")
def staff_idle_start(sender, request, user, **kwargs):
    # The idle clock of a staff session starts at login, not at its first page.
    if request is not None and hasattr(request, "session") and is_staff_member(user):
        idle_mark_active(request)
