from django.urls import path

from consultations import staff_views, views

app_name = "consultations"
urlpatterns = [
    path("", views.index, name="index"),
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/<int:pk>/", views.consultation_detail, name="detail"),
]

# Mounted under /staff/ in the "staff" namespace by config/staff_urls.py.
staff_urlpatterns = [
    path("consultations/<int:pk>/withdraw/", staff_views.withdraw, name="consultation_withdraw"),
]
