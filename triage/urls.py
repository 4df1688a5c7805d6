from django.urls import path

from triage import staff_views

# Mounted under /staff/ in the "staff" namespace by config/staff_urls.py.
staff_urlpatterns = [
    path("", staff_views.home, name="home"),
    path("queue/", staff_views.queue, name="queue"),
    path("submissions/<int:pk>/", staff_views.detail, name="submission_detail"),
    path(
        "submissions/<int:pk>/personal-data/",
        staff_views.personal_data,
        name="personal_data",
    ),
]
