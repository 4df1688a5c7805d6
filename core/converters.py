"""URL converters for the codes residents and staff see in addresses.

``<code:…>`` takes one path segment, like ``<str:…>``, but refuses (404, the
next pattern is tried) a segment that no code can be: one holding a control
character or longer than any stored code. Such a value then never reaches a
query — PostgreSQL refuses NUL in text and the request would end in a 500.
The pattern stays ``[^/]+`` so reversing any stored code always works.
"""

import re

# Longer than every code column (受付番号 32, 施策コード 20), with room to grow.
CODE_MAX_CHARS = 64
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class CodeConverter:
    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        if len(value) > CODE_MAX_CHARS or _CONTROL_RE.search(value):
            raise ValueError("not a code")
        return value

    def to_url(self, value) -> str:
        return str(value)
