"""The API's JSON parser: bounded in depth and characters.

``json.load`` recurses once per nesting level: ``[[[[…]]]]`` a few thousand
deep raised RecursionError, which is no ValueError, so DRF's JSONParser let
it through and the anonymous caller got a 500. ``LimitedJSONParser``
(REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"], and the submission endpoints'
only parser) answers 400 instead for:

- nesting deeper than KOE_API_JSON_MAX_DEPTH (the deepest request the API
  takes, a survey answer, is 4 levels);
- malformed JSON, bad UTF-8, NaN/Infinity, or an unpaired surrogate escape
  (``"\\ud800"``: valid JSON, but no text a city can store or print).

The size is bounded before parsing: DRF reads a JSON body through
``request.body``, so DATA_UPLOAD_MAX_MEMORY_SIZE applies, and
core.api.api_exception_handler turns Django's RequestDataTooBig into a 413.
Every answer is ``{"detail": "<日本語>"}``, like the API's other errors.
"""

import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

JSON_INVALID = _("送信された JSON の形式に誤りがあります（%(reason)s）。")
JSON_TOO_DEEP = _("送信された JSON の入れ子が深すぎます（%(limit)s 段まで）。")
JSON_SURROGATE = _("送信された JSON に文字として扱えない符号（対になっていないサロゲート）が含まれています。")
JSON_BAD_ENCODING = _("送信された内容を文字として読めません（文字コードは UTF-8 にしてください）。")
JSON_CONSTANT = _("NaN・Infinity は JSON の数値として使えません。")


def json_depth_exceeds(data, limit: int) -> bool:
    """True when ``data`` nests lists/objects more than ``limit`` deep (iteratively)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def has_lone_surrogate(data) -> bool:
    """True when a key or string anywhere in ``data`` is not encodable as UTF-8."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            strings = (value,)
        elif isinstance(value, dict):
            strings = value.keys()
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
            continue
        else:
            continue
        for text in strings:
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def _reject_constant(name):
    raise ParseError(JSON_CONSTANT)


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise ParseError(JSON_BAD_ENCODING) from exc
        max_depth = settings.KOE_API_JSON_MAX_DEPTH
        try:
            data = json.loads(text, parse_constant=_reject_constant if self.strict else None)
        except RecursionError as exc:
            raise ParseError(JSON_TOO_DEEP % {"limit": max_depth}) from exc
        except ValueError as exc:
            raise ParseError(JSON_INVALID % {"reason": _reason(exc)}) from exc
        if json_depth_exceeds(data, max_depth):
            raise ParseError(JSON_TOO_DEEP % {"limit": max_depth})
        if has_lone_surrogate(data):
            raise ParseError(JSON_SURROGATE)
        return data


def _reason(exc: ValueError) -> str:
    # json's messages are English ("Expecting value"); the position is what
    # helps the caller find the mistake.
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.lineno}行{exc.colno}文字目"
    return "JSON として読めません"
