from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_index, name="index"),
    path("policies/<str:code>/", views.policy_detail, name="policy_detail"),
]
