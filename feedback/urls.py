from django.urls import path

from feedback import account_views, staff_views, views

app_name = "feedback"
urlpatterns = [
    path("consultations/<int:pk>/submit/", views.SubmitView.as_view(), name="submit"),
    path("letter/submit/", views.LetterSubmitView.as_view(), name="letter_submit"),
    path("receipt/<code:receipt_number>/", views.receipt, name="receipt"),
    path("mypage/submissions/", views.my_submissions, name="my_submissions"),
    path("mypage/account/delete/", account_views.account_delete, name="account_delete"),
    path(
        "mypage/submissions/<code:receipt_number>/withdraw/",
        views.WithdrawView.as_view(),
        name="withdraw",
    ),
]

# Mounted under /staff/ in the "staff" namespace by config/staff_urls.py.
staff_urlpatterns = [
    path("consultations/<int:pk>/entry/", staff_views.entry, name="entry"),
    path("consultations/<int:pk>/import/", staff_views.csv_import, name="csv_import"),
    path(
        "consultations/<int:pk>/import/<int:import_id>/",
        staff_views.csv_import_detail,
        name="csv_import_detail",
    ),
    path(
        "consultations/<int:pk>/import/<int:import_id>/status/",
        staff_views.csv_import_status,
        name="csv_import_status",
    ),
    path(
        "consultations/<int:pk>/import/<int:import_id>/resume/",
        staff_views.csv_import_resume,
        name="csv_import_resume",
    ),
]
