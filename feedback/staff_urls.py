from django.urls import path

from . import staff_queue_views, staff_views

app_name = "staff"
urlpatterns = [
    path("", staff_views.home, name="home"),
    path("consultations/<int:pk>/entry/", staff_views.entry, name="entry"),
    path("consultations/<int:pk>/import/", staff_views.csv_import, name="csv_import"),
    path("queue/", staff_queue_views.queue, name="queue"),
    path("submissions/<int:pk>/", staff_queue_views.detail, name="submission_detail"),
    path("submissions/<int:pk>/personal-data/", staff_queue_views.personal_data, name="personal_data"),
]
