"""Requests refused before any view or database sees them."""

import re

from django.utils.translation import gettext as _

from core.views import API_PREFIX, error_response

# Every C0 control and DEL. None has a place in a URL path or a query
# parameter of this site; NUL in particular reaches PostgreSQL, which refuses
# it in text ("A string literal cannot contain NUL"), and the request ends in
# a 500. Form bodies may carry tab and newline (a textarea), so only NUL is
# refused there; other controls in text fields get core.text's field message.
_URL_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
_FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(querydict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in querydict.lists())


def _has_url_control(querydict) -> bool:
    return any(
        _URL_CONTROL_RE.search(key) or any(_URL_CONTROL_RE.search(value) for value in values)
        for key, values in querydict.lists()
    )


def _form_data(request):
    """The parsed form body of a POST to a page, or None.

    The API is left out: DRF parses its own bodies (its CharFields refuse
    NUL), and parsing a multipart body here would consume the stream before
    DRF's parsers and limits see it. A body that cannot be parsed raises as
    it would a moment later in CsrfViewMiddleware (a 400 for one too large);
    only a broken connection (OSError) is left to the view.
    """
    if request.method != "POST" or request.path.startswith(API_PREFIX):
        return None
    if request.content_type not in _FORM_CONTENT_TYPES:
        return None
    try:
        return request.POST
    except OSError:
        return None


class RejectControlCharactersMiddleware:
    """Answer 400 with a Japanese message when a URL or form carries NUL.

    The decoded path and query string are checked for every C0 control, the
    form-encoded (or multipart) body of a page's POST for NUL. Paths under /api/ get the API's
    JSON error shape (``{"detail": "..."}``, as core.api), the rest a page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _URL_CONTROL_RE.search(request.path_info) or _URL_CONTROL_RE.search(request.path):
            return error_response(
                request,
                status=400,
                message=_("URL に使用できない文字（制御文字）が含まれています。アドレスを確かめてください。"),
            )
        if _has_url_control(request.GET):
            return error_response(
                request,
                status=400,
                message=_(
                    "URL の検索条件などに使用できない文字（制御文字）が含まれています。条件を入力し直してください。"
                ),
            )
        data = _form_data(request)
        if data is not None and _has_nul(data):
            return error_response(
                request,
                status=400,
                message=_(
                    "送信された内容に使用できない文字（NUL 文字）が含まれています。"
                    "ブラウザの「戻る」で入力画面に戻り、その文字を削除してから送信してください。"
                ),
            )
        return self.get_response(request)
