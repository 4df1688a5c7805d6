from django.urls import path

from committees import staff_views, views

app_name = "committees"
urlpatterns = [
    path("", views.committee_index, name="index"),
    path("recruitments/<int:pk>/", views.round_detail, name="round"),
    path("recruitments/<int:pk>/apply/", views.round_apply, name="apply"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<str:receipt_number>/", views.application_receipt, name="application_receipt"),
    path("applications/<str:receipt_number>/withdraw/", views.application_withdraw_view, name="application_withdraw"),
    path("ratios/", views.ratio_page, name="ratios"),
    path("ratios.csv", views.ratio_csv, name="ratios_csv"),
    path("ratios.xlsx", views.ratio_xlsx, name="ratios_xlsx"),
]

# Mounted under /staff/ in the staff namespace (config/staff_urls.py).
staff_urlpatterns = [
    path("committees/", staff_views.committee_list, name="committee_list"),
    path("committees/<int:pk>/", staff_views.committee_detail, name="committee_detail"),
    path("committees/rounds/<int:pk>/", staff_views.round_applicants, name="committee_round"),
    path("committees/rounds/<int:pk>/paper/", staff_views.round_paper_entry, name="committee_round_paper"),
    path("committees/rounds/<int:pk>/lottery/", staff_views.round_lottery, name="committee_round_lottery"),
    path("committees/rounds/<int:pk>/decide/", staff_views.round_decide_view, name="committee_round_decide"),
    path("committees/applications/<int:pk>/", staff_views.application_detail, name="committee_application"),
    path(
        "committees/applications/<int:pk>/appoint/",
        staff_views.application_appoint_view,
        name="committee_application_appoint",
    ),
    path(
        "committees/applications/<int:pk>/letter/", staff_views.application_letter, name="committee_application_letter"
    ),
]
