"""Staff triage API: queue, detail, topic correction, assignment."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Department
from accounts.permissions import IsTriageStaff
from core.api import ErrorDetailOutputSerializer
from core.api_schema import error_response
from core.http import client_ip
from feedback.models import Submission
from feedback.selectors import submission_list_visible_to
from nlp.selectors import latest_analysis
from plans.models import Policy
from triage import services
from triage.selectors.detail import shown_text
from triage.selectors.queue import QueueFilters, submission_queue


class QueueItemSerializer(serializers.ModelSerializer):
    consultation = serializers.CharField(source="consultation.title")
    department = serializers.CharField(source="department.code", default=None, allow_null=True)
    policy = serializers.CharField(source="policy.code", default=None, allow_null=True, help_text="確定した施策")
    suggested_policy = serializers.CharField(
        source="suggested_policy.code", default=None, allow_null=True, help_text="推定した施策"
    )

    class Meta:
        model = Submission
        fields = [
            "id",
            "receipt_number",
            "consultation",
            "channel",
            "status",
            "submitted_at",
            "department",
            "policy",
            "suggested_policy",
            "suggestion_confidence",
            "duplicate_group_key",
        ]


class SubmissionDetailSerializer(QueueItemSerializer):
    text = serializers.SerializerMethodField(help_text="個人情報の閲覧権限がない場合はマスク済みの文面")
    topics = serializers.SerializerMethodField()
    model_version = serializers.SerializerMethodField()

    class Meta(QueueItemSerializer.Meta):
        fields = [*QueueItemSerializer.Meta.fields, "text", "topics", "model_version"]

    def _analysis(self, obj):
        if not hasattr(obj, "_analysis"):
            obj._analysis = latest_analysis(obj)
        return obj._analysis

    def get_text(self, obj) -> str:
        return shown_text(
            submission=obj,
            user=self.context["request"].user,
            analysis=self._analysis(obj),
        )

    def get_topics(self, obj) -> list[dict]:
        analysis = self._analysis(obj)
        return analysis.topics if analysis else []

    def get_model_version(self, obj) -> str | None:
        analysis = self._analysis(obj)
        return analysis.model_version if analysis else None


QUEUE_PARAMETERS = [
    OpenApiParameter(name, type=str, required=False, description=desc)
    for name, desc in [
        ("consultation", "案件ID"),
        ("channel", "提出方法"),
        ("policy", "施策コード"),
        ("status", "状態"),
        ("department", "所管課ID"),
        ("group", "同趣旨グループ"),
        ("confidence_below", "確信度がこの値未満"),
        ("q", "本文検索"),
        ("order", "confidence | newest | oldest"),
    ]
]


def _int(value):
    return int(value) if value and value.isdigit() else None


class QueueApi(ListAPIView):
    permission_classes = [IsTriageStaff]
    serializer_class = QueueItemSerializer

    @extend_schema(parameters=QUEUE_PARAMETERS, summary="受付一覧（確信度の低い順）")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        below = p.get("confidence_below")
        try:
            below = float(below) if below else None
        except ValueError:
            below = None
        filters = QueueFilters(
            consultation=_int(p.get("consultation")),
            channel=p.get("channel", ""),
            policy=p.get("policy", ""),
            status=p.get("status", ""),
            department=_int(p.get("department")),
            group=p.get("group", ""),
            confidence_below=below,
            q=p.get("q", ""),
            order=p.get("order", "confidence"),
        )
        return submission_queue(user=self.request.user, filters=filters)


class SubmissionDetailApi(APIView):
    permission_classes = [IsTriageStaff]

    @extend_schema(responses=SubmissionDetailSerializer, summary="提出の詳細（解析結果付き）")
    def get(self, request, pk):
        submission = get_object_or_404(submission_list_visible_to(user=request.user), pk=pk)
        data = SubmissionDetailSerializer(submission, context={"request": request}).data
        services.original_text_view(actor=request.user, submission=submission, ip_address=client_ip(request))
        return Response(data)


class TopicInput(serializers.Serializer):
    policy = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Policy.objects.all(),
        help_text="施策コード（例: VI-1）",
    )


class AssignInput(serializers.Serializer):
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), help_text="所管課コード"
    )


# Service errors become these in core.api.api_exception_handler.
_WRITE_RESPONSES = {
    204: None,
    400: error_response(400, "入力の誤り（項目ごとの日本語メッセージ）"),
    403: OpenApiResponse(ErrorDetailOutputSerializer, description="この操作を行う権限がない"),
    404: OpenApiResponse(ErrorDetailOutputSerializer, description="提出がない、または担当外で見えない"),
}


def _visible_submission(request, pk) -> Submission:
    return get_object_or_404(submission_list_visible_to(user=request.user), pk=pk)


class SubmissionTopicApi(APIView):
    permission_classes = [IsTriageStaff]

    @extend_schema(
        request=TopicInput,
        responses=_WRITE_RESPONSES,
        summary="施策を確定・訂正する（学習データになる）",
    )
    def post(self, request, pk):
        data = TopicInput(data=request.data)
        data.is_valid(raise_exception=True)
        submission = _visible_submission(request, pk)
        services.submission_set_topic(
            actor=request.user,
            submission_ids=[submission.pk],
            policy=data.validated_data["policy"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class SubmissionAssignApi(APIView):
    permission_classes = [IsTriageStaff]

    @extend_schema(request=AssignInput, responses=_WRITE_RESPONSES, summary="所管課を割り当てる")
    def post(self, request, pk):
        data = AssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        submission = _visible_submission(request, pk)
        services.submission_assign(
            actor=request.user,
            submission_ids=[submission.pk],
            department=data.validated_data["department"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
