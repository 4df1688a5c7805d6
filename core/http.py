"""Request helpers shared by views, the API and the admin: who the client is.

In production the app sits behind a TLS terminator, so REMOTE_ADDR is the
proxy's address for every resident. The proxies listed in
KOE_TRUSTED_PROXIES (addresses or CIDR networks) are believed about the
client: its address is the rightmost X-Forwarded-For entry that is not
itself a trusted proxy (entries to its left were written by the client and
prove nothing). From any other peer X-Forwarded-For and X-Forwarded-Proto
are removed before Django reads them, so nobody can claim HTTPS
(SECURE_PROXY_SSL_HEADER) or another address by sending the header.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

# Headers only a trusted proxy may set. Django reads X-Forwarded-Proto
# (SECURE_PROXY_SSL_HEADER) and, when enabled, X-Forwarded-Host/Port.
FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_proxy_networks() -> tuple[Network, ...]:
    """KOE_TRUSTED_PROXIES parsed (config.settings.resilience refuses a bad entry at start)."""
    return _networks(tuple(getattr(settings, "KOE_TRUSTED_PROXIES", ()) or ()))


def _address(value: str) -> Address | None:
    """An X-Forwarded-For entry as an address: "[::1]:443" and "192.0.2.1:80" allowed."""
    value = value.strip().strip('"')
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is still that IPv4 client.
    return getattr(address, "ipv4_mapped", None) or address


def _is_trusted(address: Address | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def is_trusted_proxy(remote_addr: str | None) -> bool:
    networks = trusted_proxy_networks()
    return bool(networks) and _is_trusted(_address(remote_addr or ""), networks)


def client_ip(request) -> str | None:
    """Return the client address recorded in audit rows and used for rate limits."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    networks = trusted_proxy_networks()
    if not networks or not _is_trusted(_address(remote or ""), networks):
        return remote
    # Walk from the proxy nearest to us towards the client; stop at the
    # first hop that is not one of our proxies.
    client = remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(entry)
        if address is None:
            # Garbage can only have come from the client side of the chain;
            # the last address a trusted proxy vouched for is the answer.
            break
        client = str(address)
        if not _is_trusted(address, networks):
            break
    return client


class TrustedProxyMiddleware:
    """Drop forwarding headers unless the peer is a trusted proxy.

    Runs before SecurityMiddleware, which decides HTTPS redirects from
    X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER in production).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
