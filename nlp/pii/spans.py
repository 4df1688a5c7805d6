"""A found piece of personal data, and the placeholder that replaces each type."""

from __future__ import annotations

from dataclasses import dataclass

MASKS = {
    "person": "〇〇",
    "address": "〇〇",
    "phone": "XXX-XXXX-XXXX",
    "email": "xxx@xxx",
    "postcode": "〒XXX-XXXX",
    "mynumber": "XXXX-XXXX-XXXX",
    "birthdate": "XXXX年XX月XX日",
}


@dataclass(frozen=True)
class PiiSpan:
    start: int
    end: int
    type: str
