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

Everything else (DRF's own exceptions) goes to DRF's default handler.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

PERMISSION_DENIED_DEFAULT = _("この操作を行う権限がありません。")
NOT_FOUND_DEFAULT = _("見つかりませんでした。")


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
    return exception_handler(exc, context)
