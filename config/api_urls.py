"""REST API v1, mounted at /api/v1/ (see config/urls.py)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from consultations.api.views import (
    ConsultationDetailApi,
    ConsultationListApi,
    LetterDetailApi,
)
from feedback.api.staff import QueueApi, SubmissionAssignApi, SubmissionDetailApi, SubmissionTopicApi
from feedback.api.views import (
    ConsultationSubmissionCreateApi,
    LetterSubmissionCreateApi,
    MySubmissionListApi,
)

urlpatterns = [
    path("consultations/", ConsultationListApi.as_view(), name="api-consultation-list"),
    path("consultations/<int:pk>/", ConsultationDetailApi.as_view(), name="api-consultation-detail"),
    path(
        "consultations/<int:pk>/submissions/",
        ConsultationSubmissionCreateApi.as_view(),
        name="api-consultation-submission-create",
    ),
    path("letter/", LetterDetailApi.as_view(), name="api-letter-detail"),
    path("letter/submissions/", LetterSubmissionCreateApi.as_view(), name="api-letter-submission-create"),
    path("me/submissions/", MySubmissionListApi.as_view(), name="api-my-submission-list"),
    path("staff/queue/", QueueApi.as_view(), name="api-staff-queue"),
    path("staff/submissions/<int:pk>/", SubmissionDetailApi.as_view(), name="api-staff-submission"),
    path("staff/submissions/<int:pk>/topic/", SubmissionTopicApi.as_view(), name="api-staff-submission-topic"),
    path("staff/submissions/<int:pk>/assign/", SubmissionAssignApi.as_view(), name="api-staff-submission-assign"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
