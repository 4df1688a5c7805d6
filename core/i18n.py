"""Languages of the public pages (#15): which one a page is in, and how it says so.

Django's LocaleMiddleware picks the visitor's language (the cookie the
header's switcher sets through ``set_language``, else Accept-Language, else
Japanese); JapaneseOnlyPathsMiddleware, right after it, puts Japanese back on
the paths of ``KOE_JAPANESE_ONLY_PATHS`` (staff, admin, API, downloads, pages
not translated yet), so a staff page never comes out half English. What
residents and staff wrote (titles, draft text, comments) is never translated.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

# The language staff pages, mails from workers and every stored default use.
JAPANESE = "ja"
# BCP 47 has no subtag for やさしい日本語; its pages are Japanese to browsers
# and screen readers (WCAG 3.1.1), so they say lang="ja".
_HTML_LANG = {"ja-easy": "ja"}


def html_lang(code: str | None) -> str:
    """The ``lang`` attribute for a Django language code: "ja", "en", "zh-Hans"."""
    code = (code or JAPANESE).lower()
    if code in _HTML_LANG:
        return _HTML_LANG[code]
    language, _sep, rest = code.partition("-")
    if not rest:
        return language
    # Script subtags are title case (zh-Hans), regions upper case (en-GB).
    return f"{language}-{rest.title() if len(rest) == 4 else rest.upper()}"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_supported(code: str | None) -> str:
    """``code`` if the site offers it, else Japanese (a stored or posted value)."""
    return code if code in language_codes() else JAPANESE


@lru_cache(maxsize=1)
def _japanese_only_re(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else re.compile(r"(?!)")


def is_japanese_only(path: str) -> bool:
    return bool(_japanese_only_re(tuple(settings.KOE_JAPANESE_ONLY_PATHS)).search(path))


class JapaneseOnlyPathsMiddleware:
    """After LocaleMiddleware: Japanese on KOE_JAPANESE_ONLY_PATHS, whatever was chosen.

    ``request.koe_language_chosen`` keeps the visitor's choice, so a public
    page shown only in Japanese can say so in the visitor's language. The
    thread's language is reset after the response (a test client or a
    worker thread must not inherit the last visitor's).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = translation.get_language() or JAPANESE
        request.koe_language_chosen = chosen
        request.koe_japanese_only = is_japanese_only(request.path_info)
        if request.koe_japanese_only and chosen != JAPANESE:
            translation.activate(JAPANESE)
            request.LANGUAGE_CODE = JAPANESE
        try:
            response = self.get_response(request)
            # Set here, before the language is reset; LocaleMiddleware's own
            # setdefault then leaves it.
            response.headers.setdefault("Content-Language", html_lang(translation.get_language()))
            # The page depends on the language cookie as well as Accept-Language.
            patch_vary_headers(response, ("Cookie",))
        finally:
            translation.deactivate()
        return response


def language_context(request) -> dict:
    """Template context: ``HTML_LANG`` and the switcher's choices (each in its own language)."""
    current = translation.get_language() or JAPANESE
    chosen = getattr(request, "koe_language_chosen", current)
    choices = []
    for code in language_codes():
        info = translation.get_language_info(code)
        choices.append({"code": code, "name": info["name_local"], "lang": html_lang(code), "current": code == chosen})
    return {
        "HTML_LANG": html_lang(current),
        "LANGUAGE_CHOICES": choices,
        # A public page not translated yet, for a visitor who chose another language.
        "JAPANESE_ONLY_NOTICE_LANGUAGE": (
            chosen if getattr(request, "koe_japanese_only", False) and chosen != JAPANESE else ""
        ),
    }
