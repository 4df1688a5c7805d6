"""A resident deletes their own account (linked from 提出した意見).

Two steps on one URL: the page explains what is kept and what goes, and asks
for the password again (a left-open session alone cannot delete the account)
and a tick; the POST deletes, ends the session and shows the Japanese
confirmation. Staff get a page saying an admin deletes staff accounts.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django_ratelimit.core import get_usage

from core.forms import KoeForm
from core.http import client_ip
from feedback.selectors import submission_list_for_author
from feedback.services.account import letters_awaiting_reply, may_delete_own_account, resident_account_delete

# Wrong passwords per account: a session left open on a shared PC must not
# become a way to guess the password.
PASSWORD_ATTEMPT_RATE = "5/15m"
_ATTEMPTS = {"group": "koe-account-delete", "key": "user", "rate": PASSWORD_ATTEMPT_RATE}


def _password_attempts_used_up(request) -> bool:
    usage = get_usage(request, increment=False, **_ATTEMPTS)
    return usage is not None and usage["count"] >= usage["limit"]


def _count_wrong_password(request) -> None:
    get_usage(request, increment=True, **_ATTEMPTS)


class AccountDeleteForm(KoeForm):
    password = forms.CharField(
        label=_l("現在のパスワード"),
        help_text=_l("ご本人の確認のため、ログインに使っているパスワードを入力してください。"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_l("上記の内容を理解したうえで、アカウントを削除します"),
        help_text=_l("削除したアカウントは元に戻せません。"),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("パスワードが正しくありません。"), code="wrong_password")
        return password


def _context(request, form):
    submissions = submission_list_for_author(user=request.user)
    return {
        "form": form,
        "submission_count": submissions.count(),
        "letters_awaiting_reply": letters_awaiting_reply(user=request.user),
    }


@login_required
def account_delete(request):
    if not may_delete_own_account(request.user):
        return render(request, "feedback/account_delete_staff.html", status=403)
    if request.method != "POST":
        return render(request, "feedback/account_delete.html", _context(request, AccountDeleteForm(user=request.user)))
    form = AccountDeleteForm(request.POST, user=request.user)
    if _password_attempts_used_up(request):
        form.is_valid()
        form.errors.clear()
        form.add_error(
            None,
            _("パスワードの誤りが続いたため、しばらく削除を受け付けません。15分ほど待ってからもう一度お試しください。"),
        )
        return render(request, "feedback/account_delete.html", _context(request, form), status=429)
    if not form.is_valid():
        if "password" in form.errors:
            _count_wrong_password(request)
        return render(request, "feedback/account_delete.html", _context(request, form), status=400)
    try:
        result = resident_account_delete(user=request.user, ip_address=client_ip(request))
    except PermissionDenied:
        return render(request, "feedback/account_delete_staff.html", status=403)
    logout(request)
    return render(
        request,
        "feedback/account_deleted.html",
        {"result": result, "site_title": settings.SITE_TITLE},
    )
