from django.urls import path

from results.feeds import ConsultationFeed
from results.staff_views import dashboard, publication, survey
from results.views import policy_page, published

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
    path(
        "surveys/<int:pk>/results/indicators/",
        survey.indicators_compute,
        name="survey_indicators_compute",
    ),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/policies/", dashboard.policies, name="dashboard_policies"),
    path("dashboard/policies/<code:code>/", dashboard.policy, name="dashboard_policy"),
    path("dashboard/refresh/", dashboard.refresh, name="dashboard_refresh"),
]
