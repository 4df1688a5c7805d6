from django.urls import path

from . import results_views, views
from .feeds import ConsultationFeed

app_name = "consultations"
urlpatterns = [
    path("", views.index, name="index"),
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/<int:pk>/", views.consultation_detail, name="detail"),
    path("letter/", views.letter, name="letter"),
    path("consultations/feed.atom", ConsultationFeed(), name="feed"),
    path("consultations/<int:pk>/results/", results_views.results_page, name="results"),
    path("consultations/<int:pk>/results.csv", results_views.results_csv, name="results_csv"),
    path("consultations/<int:pk>/results.xlsx", results_views.results_xlsx, name="results_xlsx"),
    path("consultations/<int:pk>/results.json", results_views.results_json, name="results_json"),
    path("results.json", results_views.results_index_json, name="results_index_json"),
]
