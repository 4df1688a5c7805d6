"""Staff pages of accounts, mounted under /staff/ in the "staff" namespace by config/staff_urls.py."""

from django.urls import path

from accounts import views

staff_urlpatterns = [
    path("session/extend/", views.session_extend, name="session_extend"),
    path("personal-data/", views.personal_data_register, name="personal_data_register"),
]
