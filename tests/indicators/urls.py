"""Test URLconf: the project's routes plus the survey results pages.

config/urls.py gets `path("staff/surveys/", include("consultations.staff_urls"))`
from its owner; until then the view tests mount it here.
"""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("staff/surveys/", include("consultations.staff_urls")),
    *project_urlpatterns,
]
