"""Staff API for the パブリック・コメント workbench (groups and responses).

The same selectors and services as the workbench pages decide access and
do the writes: a case outside the user's department is 404, a step the
user may not take is 403, and item texts are masked unless the user may
see personal data.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import StaffApiPermission
from accounts.roles import STAFF_WORKING_ROLES
from consultations.api.serializers import ErrorDetailOutputSerializer
from consultations.models import DraftSection
from core.http import client_ip
from opinions.models import OpinionGroup
from opinions.selectors.groups import (
    consultation_get_for_workbench,
    opinion_counts,
    opinion_group_get_for_workbench,
    opinion_group_list,
    opinion_item_list_for_group,
    submission_list_for_workbench,
)
from opinions.selectors.text import (
    opinion_group_summary_draft,
    opinion_item_views,
    shown_submissions,
)
from opinions.services.answers import (
    REVIEW_ACTIONS,
    opinion_group_review,
    opinion_group_update,
    opinion_group_withhold,
)
from opinions.services.items import opinion_item_move, opinion_items_split
from opinions.services.seeding import opinion_groups_seed
from triage.services import originals_viewed

TAGS = ["staff: opinion groups"]
ITEM_LIMIT = 500


class IsWorkbenchStaff(StaffApiPermission):
    """Workbench roles; a browser session also needs TOTP enrolled (see accounts.access)."""

    roles = STAFF_WORKING_ROLES
    message = "意見の整理を行う権限がありません。"


# ---- Serializers ----


class ChannelCountOutputSerializer(serializers.Serializer):
    channel = serializers.CharField(help_text="提出方法のコード")
    label = serializers.CharField(help_text="提出方法")
    submissions = serializers.IntegerField(help_text="提出者数")
    items = serializers.IntegerField(help_text="意見件数")


class OpinionCountsOutputSerializer(serializers.Serializer):
    submissions = serializers.IntegerField(help_text="提出者数（取り下げを除く提出の数）")
    items = serializers.IntegerField(help_text="意見件数（分割していない提出は1件）")
    grouped_items = serializers.IntegerField(help_text="意見要旨に入っている意見の数")
    ungrouped_items = serializers.IntegerField(help_text="どの意見要旨にも入っていない意見の数")
    groups = serializers.IntegerField(help_text="意見要旨の数")
    revised_groups = serializers.IntegerField(help_text="修正箇所数")
    withheld_groups = serializers.IntegerField(help_text="公表しない意見要旨の数")
    by_channel = ChannelCountOutputSerializer(many=True)
    reconciled = serializers.BooleanField(help_text="すべての意見がちょうど1つの意見要旨に入り、件数が一致しているか")
    issues = serializers.ListField(child=serializers.CharField(), help_text="件数が一致しない理由")


class OpinionGroupOutputSerializer(serializers.ModelSerializer):
    section = serializers.SerializerMethodField(help_text="該当箇所（番号 見出し）")
    decision_label = serializers.CharField(source="get_decision_display")
    review_label = serializers.CharField(source="get_review_display")
    item_count = serializers.IntegerField(help_text="同趣旨 N件 の N（取り下げを除く）")

    class Meta:
        model = OpinionGroup
        fields = [
            "id",
            "number",
            "section",
            "section_id",
            "summary",
            "response",
            "decision",
            "decision_label",
            "revised",
            "revised_text",
            "review",
            "review_label",
            "withheld",
            "withheld_reason",
            "item_count",
            "updated_at",
        ]

    def get_section(self, group) -> str | None:
        return str(group.section) if group.section_id else None


class OpinionItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    receipt_number = serializers.CharField()
    order = serializers.IntegerField(help_text="提出の中での順番")
    channel = serializers.CharField()
    text = serializers.CharField(
        allow_null=True,
        help_text="本文（個人情報を閲覧できない職員にはマスク済み）。表示できない場合は null",
    )
    masked = serializers.BooleanField()
    hidden_reason = serializers.CharField(help_text="本文を表示できない理由")
    representative = serializers.BooleanField(help_text="代表意見か")


class OpinionGroupDetailOutputSerializer(OpinionGroupOutputSerializer):
    items = serializers.SerializerMethodField()
    summary_draft = serializers.SerializerMethodField(
        help_text="意見の概要が空のときの下書き（マスク済みの代表意見・キーフレーズから）"
    )

    class Meta(OpinionGroupOutputSerializer.Meta):
        fields = [*OpinionGroupOutputSerializer.Meta.fields, "items", "summary_draft"]

    @extend_schema_field(OpinionItemOutputSerializer(many=True))
    def get_items(self, group):
        user = self.context["request"].user
        items = opinion_item_list_for_group(group=group)[:ITEM_LIMIT]
        views = opinion_item_views(user=user, items=items)
        originals_viewed(
            actor=user,
            submissions=shown_submissions(views),
            ip_address=client_ip(self.context["request"]),
        )
        return [
            {
                "id": v.item.pk,
                "receipt_number": v.item.submission.receipt_number,
                "order": v.item.order,
                "channel": v.item.submission.channel,
                "text": v.text,
                "masked": v.masked,
                "hidden_reason": v.hidden_reason,
                "representative": v.item.pk == group.representative_id,
            }
            for v in views
        ]

    def get_summary_draft(self, group) -> str:
        return "" if group.summary else opinion_group_summary_draft(group=group, user=self.context["request"].user)


class OpinionGroupUpdateInputSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, help_text="意見の概要")
    response = serializers.CharField(required=False, allow_blank=True, help_text="市の考え方")
    decision = serializers.ChoiceField(required=False, allow_blank=True, choices=OpinionGroup.Decision.choices)
    revised = serializers.BooleanField(required=False, help_text="修正の有無")
    revised_text = serializers.CharField(required=False, allow_blank=True, help_text="修正後の文案")
    section_id = serializers.IntegerField(required=False, allow_null=True, help_text="該当箇所の id（null で指定なし）")


class ReviewInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=REVIEW_ACTIONS,
        help_text="approve_department（課長承認）, check（広聴確認）, approve（承認）, send_back（差し戻し）",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", help_text="差し戻しの場合は必須")


class WithholdInputSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="公表しない理由（第三者の利益を害するおそれ等）")


class MoveInputSerializer(serializers.Serializer):
    item_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    group_id = serializers.IntegerField(allow_null=True, help_text="移動先の意見要旨の id。null で新しい意見要旨を作る")


class SplitInputSerializer(serializers.Serializer):
    parts = serializers.ListField(
        child=serializers.CharField(),
        allow_empty=False,
        help_text="原文（個人情報を閲覧できない職員はマスク済みの文面）の連続した一部を順番に",
    )


class SeedOutputSerializer(serializers.Serializer):
    items_created = serializers.IntegerField()
    groups_created = serializers.IntegerField()
    items_grouped = serializers.IntegerField()


_ERRORS = {
    403: OpenApiResponse(ErrorDetailOutputSerializer, description="この操作を行う権限がない"),
    404: OpenApiResponse(
        ErrorDetailOutputSerializer,
        description="案件・意見要旨が見つからない（担当外を含む）",
    ),
}
_ERRORS_400 = {
    400: OpenApiResponse(description="入力または状態の誤り（項目ごとの日本語メッセージ）"),
    **_ERRORS,
}


# ---- Views ----


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
