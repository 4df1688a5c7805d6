"""View helpers shared by the staff pages, and the site's error pages."""

import logging
from collections.abc import Callable, Mapping

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.middleware import csrf
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import gettext_lazy as _l

from core.api import NOT_FOUND_DEFAULT, PERMISSION_DENIED_DEFAULT

logger = logging.getLogger(__name__)


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form (per field when it names the form's fields)."""
    if hasattr(exc, "error_dict") and set(exc.error_dict) <= {*form.fields, "__all__"}:
        form.add_error(None, exc)
        return
    for message in exc.messages:
        form.add_error(None, message)


def form_action(
    request,
    form,
    act: Callable[[dict], str],
    *,
    success_url: str,
    template: str,
    context: Mapping | Callable[[], Mapping] | None = None,
) -> HttpResponse:
    """Run one form-backed action the same way on every staff page.

    form → ``act(form.cleaned_data)`` (one service call, returning the success
    message) → ``messages.success`` → redirect to ``success_url``.

    An invalid form, or a ValidationError raised by the service, re-renders
    ``template`` with the bound form as ``form`` (so what was typed is kept
    and each error shows beside its field and in the error summary) with
    status 400. A GET renders the unbound form. ``context`` may be a callable
    so a page that is costly to build is only built when it is shown.
    """
    if request.method == "POST" and form.is_valid():
        try:
            message = act(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if message:
                messages.success(request, message)
            return redirect(success_url)
    extra = context() if callable(context) else (context or {})
    return render(request, template, {"form": form, **extra}, status=400 if form.errors else 200)


# ---- Error pages (handler400/403/404/500 in config/urls.py, CSRF_FAILURE_VIEW) ----
#
# Paths under /api/ answer in the API's JSON shape ({"detail": "..."}, as
# core.api); every other path gets a Japanese page in the site's layout.

API_PREFIX = "/api/"
BAD_REQUEST_MESSAGE = _l("送信された内容またはアドレスに誤りがあるため、処理できませんでした。")
SERVER_ERROR_MESSAGE = _l("サーバーで問題が発生しました。時間をおいて、もう一度お試しください。")
CSRF_API_MESSAGE = _l(
    "セキュリティ確認（CSRF）に失敗したため、送信を受け付けませんでした。ページを開き直してから送信してください。"
)
# Shown if even the 500 template cannot be rendered (a broken template
# engine or URLconf): plain Japanese, no layout, no database.
_LAST_RESORT_500 = (
    '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>サーバーエラー</title></head>'
    "<body><main><h1>サーバーで問題が発生しました</h1>"
    "<p>時間をおいて、もう一度お試しください。送信の途中だった場合、内容は届いていない可能性があります。"
    "ブラウザの「戻る」で入力画面に戻ると、入力した文章が残っていることがあります。</p>"
    '<p><a href="/">トップページへ</a></p></main></body></html>'
)


def is_api_path(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _api_error(status: int, message) -> JsonResponse:
    return JsonResponse({"detail": str(message)}, status=status, json_dumps_params={"ensure_ascii": False})


def error_response(request, *, status: int, message) -> HttpResponse:
    """A 4xx answer: JSON under /api/, else the page for that status with ``message``."""
    if is_api_path(request):
        return _api_error(status, message)
    return render(request, f"{status}.html", {"message": message}, status=status)


def _exception_message(exception) -> str:
    # Services raise PermissionDenied with a Japanese message meant for the
    # user; Django's own 404s ("No Policy matches the given query.") are
    # English and internal, so they are never shown.
    if exception is None or not exception.args or not isinstance(exception.args[0], str):
        return ""
    return exception.args[0]


def bad_request(request, exception=None):
    return error_response(request, status=400, message=BAD_REQUEST_MESSAGE)


def permission_denied(request, exception=None):
    message = _exception_message(exception)
    if is_api_path(request):
        return _api_error(403, message or PERMISSION_DENIED_DEFAULT)
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request, exception=None):
    if is_api_path(request):
        return _api_error(404, NOT_FOUND_DEFAULT)
    return render(request, "404.html", status=404)


def server_error(request):
    """The 500 page, rendered without the request's context processors.

    Whatever broke (the database, the session store, a template) may break
    again while the error page is drawn, so it gets only settings values and
    no request: no query, no session, no user.
    """
    if request is not None and is_api_path(request):
        return _api_error(500, SERVER_ERROR_MESSAGE)
    context = {"SITE_TITLE": settings.SITE_TITLE, "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME}
    try:
        content = loader.get_template("500.html").render(context)
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        logger.exception("500.html could not be rendered")
        content = _LAST_RESORT_500
    return HttpResponseServerError(content)


def csrf_failure(request, reason="", template_name="403_csrf.html"):
    """CSRF_FAILURE_VIEW: tell the resident the form was not sent and how to keep the text."""
    if is_api_path(request):
        return _api_error(403, CSRF_API_MESSAGE)
    context = {"no_cookie": reason == csrf.REASON_NO_CSRF_COOKIE}
    return render(request, template_name, context, status=403)
