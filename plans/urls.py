from django.urls import path

from plans import staff_views, views

app_name = "plans"
urlpatterns = [
    path("", views.plan_index, name="index"),
]

staff_urlpatterns = [
    path("indicators/", staff_views.indicator_values, name="indicator_values"),
    path("indicators/import/", staff_views.indicator_values_upload, name="indicator_values_import"),
    path("indicators/comparisons/", staff_views.indicator_comparisons, name="indicator_comparisons"),
]
