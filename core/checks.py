"""System checks for the site's own settings."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@checks.register(checks.Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs):
    """In production KOE_SITE_URL must be the public https address (feed links, mails)."""
    url = urlsplit(settings.KOE_SITE_URL)
    if url.scheme == "https" and url.hostname and url.hostname not in _LOCAL_HOSTS:
        return []
    return [
        checks.Warning(
            f"KOE_SITE_URL が公開サイトの https のアドレスではありません: {settings.KOE_SITE_URL}",
            hint="Atom フィードのリンクやメールの URL に使われます。例: KOE_SITE_URL=https://koe.city.kawaguchi.lg.jp",
            id="core.W001",
        )
    ]
