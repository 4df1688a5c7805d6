"""「市長への手紙のテーマ」 (#14): themes of one 年度's letters, for one 課 or every 課.

Who may ask for which 年度 and 課 is letters.selectors.themes.letter_theme_scope
(every 課 for 広聴/admins only; department staff their department_scope). The
computation, its audit row and the page's map and table are nlp's, as on the
作業台's theme page; letters have no 意見要旨, so nothing is adopted here.
"""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import staff_member_required
from accounts.roles import STAFF_WORKING_ROLES
from letters.selectors.themes import LetterThemeScope, letter_theme_scope
from nlp.selectors import theme_run_latest
from nlp.services import theme_run_request
from nlp.theme_page import theme_page_context, theme_progress


def _scope(request, params) -> LetterThemeScope:
    scope = letter_theme_scope(user=request.user, params=params)
    if scope is None:
        raise Http404
    return scope


def _url(name: str, scope: LetterThemeScope) -> str:
    return f"{reverse(name)}?{urlencode(scope.params)}"


@staff_member_required(*STAFF_WORKING_ROLES)
def letter_themes(request):
    scope = _scope(request, request.GET)
    context = {
        "scope": scope,
        "status_url": _url("staff:letter_themes_status", scope),
        **theme_page_context(request.GET, scope_params=scope.params, **scope.run_scope()),
    }
    return render(request, "letters/staff/themes.html", context)


@staff_member_required(*STAFF_WORKING_ROLES)
def letter_themes_status(request):
    """The progress block's JSON, polled by static/js/job-progress.js."""
    scope = _scope(request, request.GET)
    return JsonResponse(theme_progress(theme_run_latest(**scope.run_scope())))


@require_POST
@staff_member_required(*STAFF_WORKING_ROLES)
def letter_themes_compute(request):
    """POST ``fiscal_year`` and ``department`` (the page's scope): queue its computation."""
    scope = _scope(request, request.POST)
    theme_run_request(actor=request.user, **scope.run_scope())
    messages.success(
        request,
        _("%(scope)s のテーマの計算を依頼しました。終わると、このページに結果が表示されます。")
        % {"scope": scope.label},
    )
    return redirect(_url("staff:letter_themes", scope))
