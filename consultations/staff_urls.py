"""Staff pages for survey results; mounted at /staff/surveys/ in config/urls.py."""

from django.urls import path

from . import survey_results_views

app_name = "staff_surveys"
urlpatterns = [
    path("<int:pk>/results/", survey_results_views.results, name="results"),
    path("<int:pk>/results/tally/", survey_results_views.tallies_refresh, name="tallies_refresh"),
    path("<int:pk>/results/indicators/", survey_results_views.indicators_compute, name="indicators_compute"),
]
