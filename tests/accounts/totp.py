"""RFC 6238 codes for tests, computed with allauth's own HOTP helpers."""

import time

from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

PERIOD = 30


def new_totp_secret() -> str:
    return generate_totp_secret()


def totp_code(secret: str, *, at: float | None = None) -> str:
    """Return the code an authenticator app would show now (or at ``at``)."""
    counter = int(time.time() if at is None else at) // PERIOD
    return format_hotp_value(hotp_value(secret, counter))
