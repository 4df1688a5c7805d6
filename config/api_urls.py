"""REST API v1, mounted at /api/v1/ (see config/urls.py)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from committees.api import CommitteeRatiosApi
from consultations.api.views import (
    ConsultationDetailApi,
    ConsultationListApi,
    LetterDetailApi,
)
from core.api_docs import ApiDocsView
from feedback.api.views import (
    ConsultationSubmissionCreateApi,
    LetterSubmissionCreateApi,
    MySubmissionListApi,
)
from letters.api import (
    LetterApproveApi,
    LetterDraftApi,
    LetterListApi,
    LetterRouteApi,
)
from letters.api import LetterDetailApi as StaffLetterDetailApi
from opinions.api import (
    OpinionCountsApi,
    OpinionGroupDetailApi,
    OpinionGroupListApi,
    OpinionGroupReviewApi,
    OpinionGroupSeedApi,
    OpinionGroupWithholdApi,
    OpinionItemMoveApi,
    SubmissionSplitApi,
)
from triage.api import (
    QueueApi,
    SubmissionAssignApi,
    SubmissionDetailApi,
    SubmissionTopicApi,
)

urlpatterns = [
    path("consultations/", ConsultationListApi.as_view(), name="api-consultation-list"),
    path(
        "consultations/<int:pk>/",
        ConsultationDetailApi.as_view(),
        name="api-consultation-detail",
    ),
    path(
        "consultations/<int:pk>/submissions/",
        ConsultationSubmissionCreateApi.as_view(),
        name="api-consultation-submission-create",
    ),
    path("letter/", LetterDetailApi.as_view(), name="api-letter-detail"),
    path(
        "letter/submissions/",
        LetterSubmissionCreateApi.as_view(),
        name="api-letter-submission-create",
    ),
    path("committees/ratios/", CommitteeRatiosApi.as_view(), name="api-committee-ratios"),
    path("me/submissions/", MySubmissionListApi.as_view(), name="api-my-submission-list"),
    path("staff/queue/", QueueApi.as_view(), name="api-staff-queue"),
    path(
        "staff/submissions/<int:pk>/",
        SubmissionDetailApi.as_view(),
        name="api-staff-submission",
    ),
    path(
        "staff/submissions/<int:pk>/topic/",
        SubmissionTopicApi.as_view(),
        name="api-staff-submission-topic",
    ),
    path(
        "staff/submissions/<int:pk>/assign/",
        SubmissionAssignApi.as_view(),
        name="api-staff-submission-assign",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI under the site's CSP (no inline script): core.api_docs.
    path("docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
]

# Staff: パブリック・コメント workbench (意見要旨・市の考え方).

urlpatterns += [
    path(
        "staff/consultations/<int:pk>/opinion-groups/",
        OpinionGroupListApi.as_view(),
        name="api-staff-opinion-group-list",
    ),
    path(
        "staff/consultations/<int:pk>/opinion-groups/seed/",
        OpinionGroupSeedApi.as_view(),
        name="api-staff-opinion-group-seed",
    ),
    path(
        "staff/consultations/<int:pk>/opinion-counts/",
        OpinionCountsApi.as_view(),
        name="api-staff-opinion-counts",
    ),
    path(
        "staff/consultations/<int:pk>/opinion-items/move/",
        OpinionItemMoveApi.as_view(),
        name="api-staff-opinion-item-move",
    ),
    path(
        "staff/consultations/<int:pk>/submissions/<int:submission_pk>/split/",
        SubmissionSplitApi.as_view(),
        name="api-staff-submission-split",
    ),
    path(
        "staff/opinion-groups/<int:group_pk>/",
        OpinionGroupDetailApi.as_view(),
        name="api-staff-opinion-group-detail",
    ),
    path(
        "staff/opinion-groups/<int:group_pk>/review/",
        OpinionGroupReviewApi.as_view(),
        name="api-staff-opinion-group-review",
    ),
    path(
        "staff/opinion-groups/<int:group_pk>/withhold/",
        OpinionGroupWithholdApi.as_view(),
        name="api-staff-opinion-group-withhold",
    ),
]

# Staff: 市長への手紙 case handling.

urlpatterns += [
    path("staff/letters/", LetterListApi.as_view(), name="api-staff-letter-list"),
    path(
        "staff/letters/<int:pk>/",
        StaffLetterDetailApi.as_view(),
        name="api-staff-letter-detail",
    ),
    path(
        "staff/letters/<int:pk>/route/",
        LetterRouteApi.as_view(),
        name="api-staff-letter-route",
    ),
    path(
        "staff/letters/<int:pk>/draft/",
        LetterDraftApi.as_view(),
        name="api-staff-letter-draft",
    ),
    path(
        "staff/letters/<int:pk>/approve/",
        LetterApproveApi.as_view(),
        name="api-staff-letter-approve",
    ),
]
