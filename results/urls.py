from django.urls import path

from results.feeds import ConsultationFeed
from results.staff_views import dashboard, publication, survey, survey_matrix
from results.staff_views import survey_operations as operations
from results.views import policy_page, published, survey_published

app_name = "results"
urlpatterns = [
    path("consultations/feed.atom", ConsultationFeed(), name="feed"),
    path("consultations/<int:pk>/results/", published.results_page, name="detail"),
    path("consultations/<int:pk>/results.csv", published.results_csv, name="csv"),
    path("consultations/<int:pk>/results.xlsx", published.results_xlsx, name="xlsx"),
    path("consultations/<int:pk>/results.json", published.results_json, name="json"),
    path("consultations/<int:pk>/themes.csv", published.themes_csv, name="themes_csv"),
    path("consultations/<int:pk>/themes.xlsx", published.themes_xlsx, name="themes_xlsx"),
    path("results.json", published.results_index_json, name="index_json"),
    path("consultations/<int:pk>/survey-results/", survey_published.survey_results_page, name="survey_detail"),
    path("consultations/<int:pk>/survey-results.csv", survey_published.survey_results_csv, name="survey_csv"),
    path("consultations/<int:pk>/survey-matrix.csv", survey_published.survey_matrix_csv, name="survey_matrix_csv"),
    path("consultations/<int:pk>/survey-results.xlsx", survey_published.survey_results_xlsx, name="survey_xlsx"),
    path("plan/policies/<code:code>/", policy_page.policy_detail, name="policy_detail"),
]

# Mounted under /staff/ in the "staff" namespace by config/staff_urls.py.
staff_urlpatterns = [
    path("consultations/<int:pk>/results/publish/", publication.publish, name="results_publish"),
    path("surveys/<int:pk>/results/", survey.results, name="survey_results"),
    path(
        "surveys/<int:pk>/results/tally/",
        survey.tallies_refresh,
        name="survey_tallies_refresh",
    ),
    path("surveys/<int:pk>/results/publish/", survey.publish, name="survey_results_publish"),
    path("surveys/<int:pk>/results/unpublish/", survey.unpublish, name="survey_results_unpublish"),
    path("surveys/<int:pk>/matrix/", survey_matrix.matrix_items, name="survey_matrix"),
    path("surveys/<int:pk>/matrix/<int:item_pk>/", survey_matrix.matrix_item_edit, name="survey_matrix_item"),
    path(
        "surveys/<int:pk>/matrix/<int:item_pk>/delete/",
        survey_matrix.matrix_item_delete,
        name="survey_matrix_item_delete",
    ),
    path(
        "surveys/<int:pk>/results/indicators/",
        survey.indicators_compute,
        name="survey_indicators_compute",
    ),
    # 調査の運営: invitation codes (依頼状, CSV) and 督促 (results.staff_views.survey_operations).
    path("surveys/<int:pk>/operations/", operations.operations, name="survey_operations"),
    path("surveys/<int:pk>/invitations/", operations.invitations_issue, name="survey_invitations_issue"),
    path("surveys/<int:pk>/invitations/sheet/", operations.invitation_sheet, name="survey_invitation_sheet"),
    path("surveys/<int:pk>/invitations/codes.csv", operations.invitation_csv, name="survey_invitation_csv"),
    path("surveys/<int:pk>/invitations/forget/", operations.invitation_forget, name="survey_invitation_forget"),
    path("surveys/<int:pk>/invitations/void/", operations.invitation_void, name="survey_invitation_void"),
    path("surveys/<int:pk>/reminders/", operations.reminder_record, name="survey_reminder_record"),
    path("surveys/<int:pk>/reminders/delete/", operations.reminder_delete, name="survey_reminder_delete"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/policies/", dashboard.policies, name="dashboard_policies"),
    path("dashboard/policies/<code:code>/", dashboard.policy, name="dashboard_policy"),
    path("dashboard/refresh/", dashboard.refresh, name="dashboard_refresh"),
]
