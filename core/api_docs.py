"""/api/v1/docs/: Swagger UI under the site's Content-Security-Policy ('self' only)."""

from django.templatetags.static import static
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerView


class ApiDocsView(SpectacularSwaggerView):
    """Swagger UI from the sidecar's files, started by static/js/swagger-init.js.

    drf-spectacular's own page starts Swagger UI with an inline script and
    styles the page with an inline <style>: under ``script-src 'self'`` the
    page stayed blank. The schema URL and the CSRF header travel as data
    attributes; the Swagger UI settings as a JSON data block.
    """

    template_name = "api/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        configured = spectacular_settings.SWAGGER_UI_SETTINGS
        response.data["swagger_settings"] = {
            # A JavaScript-literal string (which drf-spectacular allows) would
            # need eval: only a dict is passed on.
            **(configured if isinstance(configured, dict) else {}),
            # Swagger UI's default sends the schema's URL to validator.swagger.io
            # for a badge image: a third party, and blocked by img-src 'self'.
            "validatorUrl": None,
        }
        response.data["init_script"] = static("js/swagger-init.js")
        response.data["page_css"] = static("css/swagger-ui-page.css")
        return response
