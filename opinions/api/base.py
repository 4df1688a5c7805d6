"""What every workbench endpoint shares.

The permission, the case and group lookups (404 outside the user's access),
the group response, and the error responses in the schema.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import StaffApiPermission
from accounts.roles import STAFF_WORKING_ROLES
from core.api import ErrorDetailOutputSerializer
from core.api_schema import error_response
from opinions.api.serializers import OpinionGroupDetailOutputSerializer
from opinions.models import OpinionGroup
from opinions.selectors.groups import (
    consultation_get_for_workbench,
    opinion_group_get_for_workbench,
    opinion_group_list,
)

TAGS = ["staff: opinion groups"]


class IsWorkbenchStaff(StaffApiPermission):
    """Workbench roles; a browser session also needs TOTP enrolled (see accounts.access)."""

    roles = STAFF_WORKING_ROLES
    message = "意見の整理を行う権限がありません。"


_ERRORS = {
    403: OpenApiResponse(ErrorDetailOutputSerializer, description="この操作を行う権限がない"),
    404: OpenApiResponse(
        ErrorDetailOutputSerializer,
        description="案件・意見要旨が見つからない（担当外を含む）",
    ),
}
_ERRORS_400 = {
    400: error_response(400, "入力または状態の誤り（項目ごとの日本語メッセージ）"),
    **_ERRORS,
}


class WorkbenchApi(APIView):
    permission_classes = [IsAuthenticated, IsWorkbenchStaff]

    def get_consultation(self):
        consultation = consultation_get_for_workbench(user=self.request.user, pk=self.kwargs["pk"])
        if consultation is None:
            raise Http404
        return consultation

    def get_group(self) -> OpinionGroup:
        group = opinion_group_get_for_workbench(user=self.request.user, pk=self.kwargs["group_pk"])
        if group is None:
            raise Http404
        return group

    def group_response(self, group, status_code=status.HTTP_200_OK):
        group = opinion_group_list(consultation=group.consultation).get(pk=group.pk)
        data = OpinionGroupDetailOutputSerializer(group, context={"request": self.request}).data
        return Response(data, status=status_code)
