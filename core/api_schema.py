"""The OpenAPI schema tells the truth about errors and limits, and its docs page obeys the CSP.

``KoeAutoSchema`` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds to every
operation the error answers it can give whatever its view declares, so a
client (and schemathesis in tests/config/test_api_schemathesis.py) can rely
on the list:

- 401 everywhere: a wrong or expired token is refused before any view runs,
  even on public endpoints; and an anonymous call to a login-only one.
- 403 where a permission can refuse a signed-in caller, and on every write
  (a browser session without the CSRF token).
- 404 for a path with an id (not found, or outside the caller's access) and
  for a paginated list (a page number past the end).
- 400 everywhere (a URL with a control character is refused before any
  view); with a request body also a field's error.
- 413 and 415 where a request body is read: a body over
  DATA_UPLOAD_MAX_MEMORY_SIZE, a media type other than those listed.

Views still declare the answers only they know (410, 429, a 404 for a
missing letter channel) and their own wording, which wins.

``DocumentedLimitCharField`` is a text field whose length a Django form or a
service checks (so the API answers with the web form's or the service's
message, not DRF's); the schema still shows the limit. (The docs page is core.api_docs: drf_spectacular.views loads
this module, so this module must not load it.)
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers
from rest_framework.authentication import SessionAuthentication

from core.api import VALIDATION_ERROR_SCHEMA, ErrorDetailOutputSerializer

# Permissions that never refuse a caller who is signed in: they answer 401
# (not 403) to an anonymous one.
_NEVER_FORBID = (permissions.AllowAny, permissions.IsAuthenticated, permissions.IsAuthenticatedOrReadOnly)

ERROR_DESCRIPTIONS = {
    400: _("入力の誤り（項目ごとの日本語メッセージ）、または URL に使えない文字（制御文字）"),
    401: _("認証が必要、またはトークンが正しくない（無効・失効）"),
    403: _("この操作を行う権限がない（ブラウザのセッションでは CSRF トークンがない場合も）"),
    404: _("見つからない（権限のない対象、範囲外のページ番号を含む）"),
    413: _("送信された内容が大きすぎる"),
    415: _("対応していない Content-Type"),
}


class KoeAutoSchema(AutoSchema):
    # @extend_schema(responses=...) replaces get_response_serializers() on a
    # subclass of this one, so the errors are added a step later, to the
    # response bodies built from whatever the view declared.
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        declared = self.get_response_serializers()
        for code in self._possible_error_codes(declared):
            if str(code) not in bodies:
                bodies[str(code)] = self._get_response_for_code(error_response(code), str(code), direction=direction)
        return bodies

    def _possible_error_codes(self, declared) -> list[int]:
        # 400 everywhere: a URL (path or query) with a control character is
        # refused before any view (core.middleware), whatever the operation.
        codes = [400]
        if self._reads_body():
            codes += [413, 415]
        if self.view.get_authenticators():
            codes.append(401)
        if self._may_forbid():
            codes.append(403)
        if "{" in self.path or self._is_paginated(declared):
            codes.append(404)
        return codes

    def _reads_body(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None

    def _may_forbid(self) -> bool:
        unsafe = self.method not in permissions.SAFE_METHODS
        if unsafe and any(isinstance(auth, SessionAuthentication) for auth in self.view.get_authenticators()):
            return True
        return not all(isinstance(permission, _NEVER_FORBID) for permission in self.view.get_permissions())

    def _is_paginated(self, declared) -> bool:
        # _is_list_view() without a serializer would ask get_response_serializers() again.
        return (
            self.method == "GET"
            and declared is not None
            and self._is_list_view(declared)
            and self._get_paginator() is not None
        )


def error_response(code: int, description=None) -> OpenApiResponse:
    """The documented answer for an error status: its body schema and a description."""
    body = VALIDATION_ERROR_SCHEMA if code == 400 else ErrorDetailOutputSerializer
    return OpenApiResponse(body, description=str(description or ERROR_DESCRIPTIONS.get(code, "")))


class DocumentedLimitCharField(serializers.CharField):
    """A text field whose length limit is checked further on; the schema shows it as maxLength."""

    def __init__(self, *, limit: int | None = None, **kwargs):
        self.limit = limit
        super().__init__(**kwargs)


class DocumentedLimitCharFieldExtension(OpenApiSerializerFieldExtension):
    target_class = DocumentedLimitCharField

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if self.target.limit is not None:
            schema["maxLength"] = self.target.limit
        return schema
