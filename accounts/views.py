"""Staff pages of accounts: the idle-session status/extension and the 個人情報ファイル簿."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import staff_member_required
from accounts.middleware import idle_mark_active, idle_seconds_left
from accounts.personal_data import register_csv, register_entries, register_markdown
from accounts.roles import is_staff_member
from core.exports import csv_response


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_http_methods(["GET", "HEAD", "POST"])
def session_extend(request):
    """GET: seconds left before the idle logout (not itself activity). POST: extend.

    StaffIdleTimeoutMiddleware has already refused an ended session; the
    POST stores the time now (the middleware stores it only every
    IDLE_WRITE_SECONDS).
    """
    if not request.user.is_authenticated or not is_staff_member(request.user):
        return JsonResponse({"detail": _("職員としてログインしていません。")}, status=403)
    if request.method == "POST":
        idle_mark_active(request)
    if request.method == "POST" and not _wants_json(request):
        # Without the script the dialog's form posts here: go back to the page.
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = "staff:home"
        return redirect(target)
    return JsonResponse(
        {
            "seconds_left": round(idle_seconds_left(request)),
            "timeout_seconds": round(float(settings.KOE_STAFF_IDLE_TIMEOUT_MINUTES) * 60),
            "warning_seconds": settings.KOE_STAFF_IDLE_WARNING_SECONDS,
        }
    )


@staff_member_required()
def personal_data_register(request):
    """個人情報ファイル簿: every record kind holding personal data, from the models' declarations."""
    fmt = request.GET.get("format", "")
    if fmt == "csv":
        return csv_response(content=register_csv(), filename="personal-data-register.csv")
    if fmt == "md":
        return HttpResponse(register_markdown(), content_type="text/markdown; charset=utf-8")
    return render(request, "accounts/personal_data_register.html", {"entries": register_entries()})
