"""Request helpers shared by views, the API and the admin."""


def client_ip(request) -> str | None:
    """Return the address recorded in audit rows and used for rate limits.

    Behind a proxy, Django must be told which header to trust (set
    SECURE_PROXY_SSL_HEADER and the proxy's X-Forwarded-For handling);
    REMOTE_ADDR is what WSGI gives us.
    """
    return request.META.get("REMOTE_ADDR") if request is not None else None
