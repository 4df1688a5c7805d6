"""Absolute addresses of the public site, from KOE_SITE_URL.

A feed reader, a mail client or a worker has no request to take the host
from, and django.contrib.sites still says "example.com"; these links come
from the one setting instead.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """Return ``path`` (starting with /) on the public site, e.g. https://koe.example.lg.jp/consultations/."""
    return settings.KOE_SITE_URL.rstrip("/") + path


def absolute_reverse(viewname: str, *args) -> str:
    return absolute_url(reverse(viewname, args=args or None))


def tag_uri(*, day: datetime.date, specific: str) -> str:
    """Return a tag: URI (RFC 4151) minted by the site on ``day``.

    Stable identifiers for things that have no page of their own (a feed
    entry for one event of a consultation): tag:<host>,<YYYY-MM-DD>:<specific>.
    """
    host = urlsplit(settings.KOE_SITE_URL).hostname or "localhost"
    return f"tag:{host},{day:%Y-%m-%d}:{specific}"
