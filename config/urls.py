from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from core.accessibility.views import accessibility_statement
from core.health import healthz

urlpatterns = [
    # Container health checks and monitoring: no login, plain HTTP allowed
    # (SECURE_REDIRECT_EXEMPT), JSON 200/503 (core.health).
    path("healthz", healthz, name="healthz"),
    path("", include("consultations.urls")),
    path("", include("feedback.urls")),
    path("", include("letters.urls")),
    path("", include("results.urls")),
    path("plan/", include("plans.urls")),
    path("committees/", include("committees.urls")),
    path("staff/", include("config.staff_urls")),
    # set_language: the header's language switcher posts here (core.i18n).
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    # The statement renders the last complete browser-test run (core.accessibility).
    path("accessibility/", accessibility_statement, name="accessibility"),
    path(
        "privacy/",
        TemplateView.as_view(template_name="pages/privacy.html"),
        name="privacy",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Japanese error pages in the site's layout; under /api/ the API's JSON
# error shape instead (core.views).
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
