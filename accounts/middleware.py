"""Staff must enrol TOTP before they reach any staff page; idle staff sessions end."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import mfa_activation_redirect, staff_needs_second_factor
from accounts.roles import is_staff_member

IDLE_SESSION_KEY = "koe_staff_last_activity"
# At most this often (and at most every 1/20 of the timeout) the time is stored.
IDLE_WRITE_SECONDS = 30


def idle_clock() -> float:
    """Seconds since the epoch; tests replace it to travel in time."""
    return time.time()


def idle_timeout_seconds() -> float:
    return float(settings.KOE_STAFF_IDLE_TIMEOUT_MINUTES) * 60


def idle_write_interval() -> float:
    return min(IDLE_WRITE_SECONDS, idle_timeout_seconds() / 20)


def idle_mark_active(request) -> None:
    request.session[IDLE_SESSION_KEY] = idle_clock()


def idle_seconds_left(request) -> float:
    """How long the staff session may stay idle from now (0 when it has ended)."""
    last = request.session.get(IDLE_SESSION_KEY)
    if last is None:
        return idle_timeout_seconds()
    return max(0.0, idle_timeout_seconds() - (idle_clock() - last))


def _is_idle_status_request(request) -> bool:
    return request.method in ("GET", "HEAD") and request.path == reverse("staff:session_extend")


def _log_out_idle(request):
    status_request = _is_idle_status_request(request)
    logging_out = request.path == reverse("account_logout")
    logout(request)
    # logout() flushed the session; the message goes into the new one.
    messages.info(
        request,
        _("一定時間（%(minutes)s分）操作がなかったため、安全のためログアウトしました。もう一度ログインしてください。")
        % {"minutes": f"{settings.KOE_STAFF_IDLE_TIMEOUT_MINUTES:g}"},
    )
    if status_request:
        # The page's script asked how long is left: it goes to the login page itself.
        return JsonResponse({"seconds_left": 0, "logged_out": True, "login_url": resolve_url(settings.LOGIN_URL)})
    if logging_out:
        return redirect(settings.LOGIN_URL)
    return redirect_to_login(request.get_full_path())


# Paths a staff member without MFA may still open: MFA enrolment itself,
# logging out, and static files.
_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/media/")
_STAFF_PREFIXES = ("/staff/", "/admin/")


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if (
            path.startswith(_STAFF_PREFIXES)
            and not path.startswith(_EXEMPT_PREFIXES)
            and staff_needs_second_factor(request.user)
        ):
            return mfa_activation_redirect(request)
        return self.get_response(request)


class StaffIdleTimeoutMiddleware:
    """End a staff session after KOE_STAFF_IDLE_TIMEOUT_MINUTES without a request.

    The time of a staff member's last request is kept in their session. A
    request that comes later than the timeout logs them out and sends them
    to the login page with a Japanese message, then back to where they were.
    The staff pages' script (static/js/idle-timeout.js) warns
    KOE_STAFF_IDLE_WARNING_SECONDS before the end and offers 「延長する」,
    which posts to ``staff:session_extend`` — itself a request, so it extends
    (WCAG 2.2.1). The script asks how long is left with a GET to that URL,
    which is the one request that does not count as activity (another tab
    may have extended the session meanwhile). Residents' sessions are left
    as they are.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not is_staff_member(user):
            return self.get_response(request)
        now = idle_clock()
        last = request.session.get(IDLE_SESSION_KEY)
        if last is not None and now - last > idle_timeout_seconds():
            return _log_out_idle(request)
        # Stored at most every idle_write_interval(): a session write per
        # request would cost every staff page three queries. The session may
        # thus end up to that much before the timeout, never after; the
        # warning's GET reads the stored time, so the dialog shows the time left.
        if not _is_idle_status_request(request) and (last is None or now - last >= idle_write_interval()):
            idle_mark_active(request)
        return self.get_response(request)
