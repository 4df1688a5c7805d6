from django.urls import path

from . import staff_views

app_name = "staff"
urlpatterns = [
    path("", staff_views.home, name="home"),
    path("consultations/<int:pk>/entry/", staff_views.entry, name="entry"),
    path("consultations/<int:pk>/import/", staff_views.csv_import, name="csv_import"),
]
