"""Workbench API on 意見: move items to another (or a new) 意見要旨, split a submission into items."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from core.http import client_ip
from opinions.api.base import _ERRORS_400, TAGS, WorkbenchApi
from opinions.api.serializers import (
    MoveInputSerializer,
    OpinionGroupDetailOutputSerializer,
    OpinionItemOutputSerializer,
    SplitInputSerializer,
)
from opinions.models import OpinionGroup
from opinions.selectors.groups import submission_list_for_workbench
from opinions.selectors.text import opinion_item_views, shown_submissions
from opinions.services.items import opinion_item_move, opinion_items_split
from triage.services import originals_viewed


@extend_schema(
    tags=TAGS,
    summary="意見を別の（または新しい）意見要旨へ移動",
    request=MoveInputSerializer,
    responses={200: OpinionGroupDetailOutputSerializer, **_ERRORS_400},
)
class OpinionItemMoveApi(WorkbenchApi):
    def post(self, request, pk):
        consultation = self.get_consultation()
        serializer = MoveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = None
        if serializer.validated_data["group_id"] is not None:
            group = OpinionGroup.objects.filter(
                pk=serializer.validated_data["group_id"], consultation=consultation
            ).first()
            if group is None:
                raise serializers.ValidationError({"group_id": ["この案件の意見要旨を指定してください。"]})
        group = opinion_item_move(
            actor=request.user,
            item_ids=serializer.validated_data["item_ids"],
            group=group,
            consultation=consultation,
        )
        return self.group_response(group)


@extend_schema(
    tags=TAGS,
    summary="提出を意見ごとに分割（原文は変わりません）",
    request=SplitInputSerializer,
    responses={200: OpinionItemOutputSerializer(many=True), **_ERRORS_400},
)
class SubmissionSplitApi(WorkbenchApi):
    def post(self, request, pk, submission_pk):
        consultation = self.get_consultation()
        submission = (
            submission_list_for_workbench(user=request.user, consultation=consultation).filter(pk=submission_pk).first()
        )
        if submission is None:
            raise Http404
        serializer = SplitInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        items = opinion_items_split(
            actor=request.user,
            submission=submission,
            parts=serializer.validated_data["parts"],
        )
        views = opinion_item_views(user=request.user, items=items)
        originals_viewed(
            actor=request.user,
            submissions=shown_submissions(views),
            ip_address=client_ip(request),
        )
        return Response(
            [
                {
                    "id": v.item.pk,
                    "receipt_number": submission.receipt_number,
                    "order": v.item.order,
                    "channel": submission.channel,
                    "text": v.text,
                    "masked": v.masked,
                    "hidden_reason": v.hidden_reason,
                    "representative": False,
                }
                for v in views
            ]
        )
