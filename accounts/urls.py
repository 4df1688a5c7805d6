"""Staff pages of accounts, mounted under /staff/ in the "staff" namespace by config/staff_urls.py."""

from django.urls import path

from accounts import incident_views, views

staff_urlpatterns = [
    path("session/extend/", views.session_extend, name="session_extend"),
    path("personal-data/", views.personal_data_register, name="personal_data_register"),
    # 漏えい等事案 (個人情報保護法68条): 広聴 and admins.
    path("incidents/", incident_views.incident_list, name="incident_list"),
    path("incidents/new/", incident_views.incident_create, name="incident_create"),
    path("incidents/register.csv", incident_views.incident_csv, name="incident_csv"),
    path("incidents/<int:pk>/", incident_views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/edit/", incident_views.incident_edit, name="incident_edit"),
    path("incidents/<int:pk>/report/", incident_views.incident_report, name="incident_report"),
    path("incidents/<int:pk>/notice/", incident_views.incident_notice, name="incident_notice"),
    path("incidents/<int:pk>/close/", incident_views.incident_close, name="incident_close"),
]
