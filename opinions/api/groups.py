"""Workbench API on 意見要旨.

A case's groups and counts, seeding groups, and one group's detail,
update, review and withholding.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from consultations.models import DraftSection
from core.http import client_ip
from opinions.api.base import _ERRORS, _ERRORS_400, TAGS, WorkbenchApi
from opinions.api.serializers import (
    OpinionCountsOutputSerializer,
    OpinionGroupDetailOutputSerializer,
    OpinionGroupOutputSerializer,
    OpinionGroupUpdateInputSerializer,
    ReviewInputSerializer,
    SeedOutputSerializer,
    WithholdInputSerializer,
)
from opinions.selectors.groups import opinion_counts, opinion_group_list
from opinions.services.answers import opinion_group_review, opinion_group_update, opinion_group_withhold
from opinions.services.seeding import opinion_groups_seed


@extend_schema(
    tags=TAGS,
    summary="意見要旨の一覧（意見の概要と市の考え方）",
    description="案件の意見要旨を番号順に返します。担当課の職員・課長は自課の案件だけ、広聴・管理者はすべて。",
    responses={200: OpinionGroupOutputSerializer(many=True), **_ERRORS},
)
class OpinionGroupListApi(WorkbenchApi):
    def get(self, request, pk):
        groups = opinion_group_list(consultation=self.get_consultation())
        return Response(OpinionGroupOutputSerializer(groups, many=True).data)


@extend_schema(
    tags=TAGS,
    summary="提出者数・意見件数（提出方法別）と件数の照合",
    responses={200: OpinionCountsOutputSerializer, **_ERRORS},
)
class OpinionCountsApi(WorkbenchApi):
    def get(self, request, pk):
        counts = opinion_counts(consultation=self.get_consultation())
        data = {
            **counts.__dict__,
            "by_channel": [c.__dict__ for c in counts.by_channel],
            "reconciled": counts.reconciled,
        }
        return Response(OpinionCountsOutputSerializer(data).data)


@extend_schema(
    tags=TAGS,
    summary="未分類の意見から意見要旨を作る（何度実行しても同じ結果）",
    request=None,
    responses={200: SeedOutputSerializer, **_ERRORS},
)
class OpinionGroupSeedApi(WorkbenchApi):
    def post(self, request, pk):
        result = opinion_groups_seed(
            actor=request.user,
            consultation=self.get_consultation(),
        )
        return Response(SeedOutputSerializer(result.__dict__).data)


class OpinionGroupDetailApi(WorkbenchApi):
    @extend_schema(
        tags=TAGS,
        summary="意見要旨の詳細（含まれる意見つき）",
        responses={200: OpinionGroupDetailOutputSerializer, **_ERRORS},
    )
    def get(self, request, group_pk):
        return self.group_response(self.get_group())

    @extend_schema(
        tags=TAGS,
        summary="意見の概要・市の考え方・対応区分・修正の有無の更新（作成中のみ）",
        request=OpinionGroupUpdateInputSerializer,
        responses={200: OpinionGroupDetailOutputSerializer, **_ERRORS_400},
    )
    def patch(self, request, group_pk):
        group = self.get_group()
        serializer = OpinionGroupUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        section = group.section
        if "section_id" in data:
            section = None
            if data["section_id"] is not None:
                section = DraftSection.objects.filter(pk=data["section_id"], consultation=group.consultation).first()
                if section is None:
                    raise serializers.ValidationError({"section_id": ["この案件の該当箇所を指定してください。"]})
        opinion_group_update(
            actor=request.user,
            group=group,
            section=section,
            **{
                name: data.get(name, getattr(group, name))
                for name in (
                    "summary",
                    "response",
                    "decision",
                    "revised",
                    "revised_text",
                )
            },
        )
        return self.group_response(group)


@extend_schema(
    tags=TAGS,
    summary="確認・承認（課長承認 → 広聴確認 → 承認、差し戻し）",
    request=ReviewInputSerializer,
    responses={200: OpinionGroupDetailOutputSerializer, **_ERRORS_400},
)
class OpinionGroupReviewApi(WorkbenchApi):
    def post(self, request, group_pk):
        serializer = ReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = opinion_group_review(
            actor=request.user,
            group=self.get_group(),
            ip_address=client_ip(request),
            **serializer.validated_data,
        )
        return self.group_response(group)


@extend_schema(
    tags=TAGS,
    summary="公表しない意見要旨にする（理由必須・記録されます）",
    request=WithholdInputSerializer,
    responses={200: OpinionGroupDetailOutputSerializer, **_ERRORS_400},
)
class OpinionGroupWithholdApi(WorkbenchApi):
    def post(self, request, group_pk):
        serializer = WithholdInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = opinion_group_withhold(
            actor=request.user,
            group=self.get_group(),
            reason=serializer.validated_data["reason"],
        )
        return self.group_response(group)
