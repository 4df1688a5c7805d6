"""A minimal asyncio HTTP/1.1 client for the load generator (stdlib only).

One connection per request with ``Connection: close``, which is what
gunicorn's sync workers answer anyway. It only ever connects to a loopback
address: the generator is a measuring tool for one's own machine, never a
way to flood someone else's server.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode


class NotLoopback(ValueError):
    """The target is not on this machine."""


def check_loopback(host: str) -> str:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise NotLoopback(f"the load generator only targets loopback addresses, not {host!r}") from None
    if not address.is_loopback:
        raise NotLoopback(f"the load generator only targets loopback addresses, not {host!r}")
    return host


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    def cookies(self) -> dict[str, str]:
        out = {}
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                name, _, val = pair.partition("=")
                out[name.strip()] = val.strip()
        return out

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Client:
    """Requests to ``host:port`` as a browser behind the site's TLS terminator would send them."""

    port: int
    host: str = "127.0.0.1"
    timeout: float = 15.0
    # gunicorn sits behind a TLS terminator in production; this is the
    # header that terminator adds (trusted from loopback only).
    forwarded_proto: str = "https"
    extra_headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        check_loopback(self.host)

    @property
    def origin(self) -> str:
        return f"{self.forwarded_proto}://{self.host}:{self.port}"

    async def request(
        self,
        method: str,
        path: str,
        *,
        form: dict | None = None,
        cookies: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        body = urlencode(form or {}, doseq=True).encode() if form is not None else b""
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Connection: close",
            "User-Agent: koe-bench-load",
            "Accept-Language: ja",
            f"X-Forwarded-Proto: {self.forwarded_proto}",
        ]
        if cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
        if form is not None:
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
                f"Origin: {self.origin}",
                f"Referer: {self.origin}{path}",
            ]
        lines += [f"{k}: {v}" for k, v in {**self.extra_headers, **(headers or {})}.items()]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        return await asyncio.wait_for(self._exchange(raw), self.timeout)

    async def _exchange(self, raw: bytes) -> Response:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(raw)
            await writer.drain()
            data = await reader.read()
        finally:
            writer.close()
        return parse_response(data)


def parse_response(data: bytes) -> Response:
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        raise ConnectionError("incomplete HTTP response")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = []
    for line in lines[1:]:
        key, _, value = line.partition(":")
        headers.append((key.strip(), value.strip()))
    if any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in headers):
        body = _dechunk(body)
    return Response(status=status, headers=headers, body=body)


def _dechunk(body: bytes) -> bytes:
    out, rest = [], body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out.append(rest[:size])
        rest = rest[size + 2 :]
    return b"".join(out)


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    if not match:
        raise ValueError("no csrfmiddlewaretoken in the page")
    return match.group(1)
