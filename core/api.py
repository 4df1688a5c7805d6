"""The one place where a service error becomes an API response.

Services raise Django's own exceptions (``ValidationError``,
``PermissionDenied``, ``Http404``); API views call the service and return
the serializer, and this handler (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``)
turns what the service raised into the response:

- ``ValidationError`` → 400, a body keyed by field
  (``{"field": ["message"], ...}``); errors that name no field, and
  ``NON_FIELD_ERRORS`` (``"__all__"``), go under ``"non_field_errors"``.
- ``PermissionDenied`` → 403 ``{"detail": "..."}`` (the service's Japanese
  message, or a Japanese default).
- ``Http404`` → 404 ``{"detail": "見つかりませんでした。"}`` (never the English
  "No X matches the given query" of ``get_object_or_404``).
- ``RequestDataTooBig`` (a body over DATA_UPLOAD_MAX_MEMORY_SIZE) → 413.

Everything else (DRF's own exceptions) goes to DRF's default handler.

The shapes are declared here too, for the schema: ``ErrorDetailOutputSerializer``
(``{"detail": "..."}``, every 401/403/404/405/413/415/429) and
``VALIDATION_ERROR_SCHEMA`` (a 400's body); core.api_schema adds them to
every operation that can answer them.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

PERMISSION_DENIED_DEFAULT = _("この操作を行う権限がありません。")
NOT_FOUND_DEFAULT = _("見つかりませんでした。")


class RequestBodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("送信された内容が大きすぎます（%(limit)s バイトまで）。")
    default_code = "too_large"


class ErrorDetailOutputSerializer(serializers.Serializer):
    """エラーの理由。401・403・404・405・410・413・415・429 などの本文。"""

    # (The docstring is the component's description in the OpenAPI schema,
    # which callers read: Japanese, like the API's messages.)

    detail = serializers.CharField(help_text=_("理由（日本語）"))


_MESSAGES = {"type": "array", "items": {"type": "string"}}
# A 400: messages keyed by the request's field names, nested like the
# request (an object for an object, an object keyed by position or id for a
# list); "non_field_errors" for the request as a whole, "detail" when the
# body could not be read at all (malformed or too deeply nested JSON).
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "入力の誤り。項目名をキーに日本語のメッセージの配列（入れ子の項目は入れ子のオブジェクト）。",
    "properties": {
        "detail": {"type": "string", "description": "本文を読めない場合の理由（JSON の誤りなど）"},
        "non_field_errors": {**_MESSAGES, "description": "特定の項目によらない誤り"},
    },
    "additionalProperties": {"anyOf": [_MESSAGES, {"type": "object"}, {"type": "array"}]},
}


def validation_error_detail(exc: DjangoValidationError) -> dict:
    """A service ValidationError as ``{"field": [messages], ...}``.

    Messages are formatted with their params and keep their codes.
    """
    detail = get_error_detail(exc)
    if isinstance(detail, dict):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): (
                value if isinstance(value, list | dict) else [value]
            )
            for key, value in detail.items()
        }
    if not isinstance(detail, list):
        detail = [detail]
    return {api_settings.NON_FIELD_ERRORS_KEY: detail}


def api_exception_handler(exc, context) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_error_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        message = str(exc.args[0]) if exc.args and exc.args[0] else None
        exc = exceptions.PermissionDenied(message or PERMISSION_DENIED_DEFAULT)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(NOT_FOUND_DEFAULT)
    elif isinstance(exc, RequestDataTooBig):
        # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE when the
        # parser reads request.body; otherwise a generic 400 page would answer.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = RequestBodyTooLarge(RequestBodyTooLarge.default_detail % {"limit": f"{limit:,}"})
    return exception_handler(exc, context)
