"""Staff API for 市長への手紙: list, detail, route, draft, approve.

Access is the same as the staff pages: cases come from
``letter_case_list_visible_to`` and every write goes through the service,
which refuses the wrong person or the wrong stage.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Department
from accounts.permissions import IsTriageStaff
from core.api import ErrorDetailOutputSerializer
from core.api_schema import DocumentedLimitCharField, error_response
from core.http import client_ip
from letters.models import LetterApproval, LetterCase, LetterCategory
from letters.selectors.actions import letter_allowed_actions, letter_pending_stage
from letters.selectors.case import letter_can_reply, letter_text_for
from letters.selectors.inbox import letter_case_get_visible, letter_inbox_cases, letter_rows
from letters.services import letter_reply_approve, letter_reply_draft, letter_route
from letters.services.steps import REPLY_MAX_CHARS
from triage.services import original_text_view

TAGS = ["staff-letters"]
# A plain string: Submission.Status also has a "status" enum in the schema.
STATUS_HELP = "案件の状態: " + ", ".join(f"{value}={label}" for value, label in LetterCase.Status.choices)
_ERRORS = {
    400: error_response(400, "入力の誤り、またはこの状態では行えない操作（項目ごとの日本語メッセージ）"),
    403: OpenApiResponse(
        ErrorDetailOutputSerializer,
        description="この操作を行う権限がない（担当外・段階違いの承認者など）",
    ),
    404: OpenApiResponse(ErrorDetailOutputSerializer, description="案件がない、または担当外で見えない"),
}


class LetterListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="case.pk")
    receipt_number = serializers.CharField(source="case.submission.receipt_number")
    status = serializers.CharField(source="case.status", help_text=STATUS_HELP)
    department = serializers.CharField(
        source="case.submission.department.code",
        default=None,
        allow_null=True,
        help_text="回付先の課の組織コード（未回付なら null）",
    )
    submitted_at = serializers.DateTimeField(source="case.submission.submitted_at")
    due_on = serializers.DateField(source="case.due_on", allow_null=True, help_text="回答期限")
    days_left = serializers.IntegerField(allow_null=True, help_text="回答期限までの開庁日数（超過は負）")
    overdue = serializers.BooleanField(help_text="回答期限を過ぎている")


class LetterApprovalSerializer(serializers.ModelSerializer):
    approver = serializers.StringRelatedField(allow_null=True, help_text="承認者（アカウントが削除されていれば null）")

    class Meta:
        model = LetterApproval
        fields = ["stage", "approver", "approved", "comment", "decided_at"]


class LetterDetailSerializer(serializers.ModelSerializer):
    status = serializers.CharField(help_text=STATUS_HELP)
    receipt_number = serializers.CharField(source="submission.receipt_number")
    department = serializers.CharField(source="submission.department.code", default=None, allow_null=True)
    category = serializers.CharField(
        source="category.code", default=None, allow_null=True, help_text="分野のコード（未回付なら null）"
    )
    mayor_review = serializers.BooleanField(help_text="市長確認が必要（広聴の承認の後に市長の承認を経て送付）")
    submitted_at = serializers.DateTimeField(source="submission.submitted_at")
    reply_requested = serializers.BooleanField(source="submission.reply_requested")
    publication_consent = serializers.BooleanField(source="submission.publication_consent")
    text = serializers.SerializerMethodField(help_text="広聴・管理者には原文、担当課には個人情報を伏せた回付用の本文")
    can_reply = serializers.SerializerMethodField(help_text="回答希望があり、送付先がそろっている")
    pending_stage = serializers.SerializerMethodField(
        help_text="承認待ちの段階（kacho=課長, bucho=部長, kouchou=広聴, mayor=市長）"
    )
    allowed_actions = serializers.SerializerMethodField(help_text="この利用者が今行える操作")
    approvals = LetterApprovalSerializer(many=True, read_only=True)

    class Meta:
        model = LetterCase
        fields = [
            "id",
            "receipt_number",
            "status",
            "department",
            "category",
            "mayor_review",
            "submitted_at",
            "due_on",
            "reply_requested",
            "publication_consent",
            "text",
            "reply_text",
            "reply_channel",
            "sent_at",
            "disposition",
            "can_reply",
            "pending_stage",
            "allowed_actions",
            "approvals",
        ]

    def get_text(self, obj) -> str:
        return letter_text_for(user=self.context["request"].user, case=obj)

    def get_can_reply(self, obj) -> bool:
        return letter_can_reply(case=obj)

    def get_pending_stage(self, obj) -> str | None:
        return letter_pending_stage(case=obj)

    def get_allowed_actions(self, obj) -> list[str]:
        return sorted(letter_allowed_actions(user=self.context["request"].user, case=obj))


class LetterRouteInputSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), help_text="回付先の課のID")
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=LetterCategory.objects.all(),
        help_text="分野のコード（welfare など。管理サイトの「市長への手紙の分野」）",
        error_messages={
            "required": "分野（category）を指定してください。",
            "null": "分野（category）を指定してください。",
            "does_not_exist": "分野「{value}」はありません。",
        },
    )
    mayor_review = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true で市長確認が必要、false で不要。省略すると今の指定のまま",
    )
    # The service checks the length (and HTML, control characters) with its own message.
    routed_text = DocumentedLimitCharField(
        required=False,
        limit=REPLY_MAX_CHARS,
        help_text="回付用の本文。省略すると個人情報を伏せた候補を使う",
    )


class LetterDraftInputSerializer(serializers.Serializer):
    text = DocumentedLimitCharField(limit=REPLY_MAX_CHARS, help_text="回答案の本文")


class LetterApproveInputSerializer(serializers.Serializer):
    approved = serializers.BooleanField(help_text="true で承認、false で担当課へ差し戻し")
    comment = serializers.CharField(required=False, allow_blank=True, default="", help_text="差し戻しでは必須")
    stage = serializers.ChoiceField(
        choices=LetterApproval.Stage.choices,
        required=False,
        help_text="承認者が見ていた段階。進んでいれば 400 で拒否する",
    )


class _LetterCaseApi(APIView):
    permission_classes = [IsTriageStaff]

    def get_case(self) -> LetterCase:
        case = letter_case_get_visible(user=self.request.user, pk=self.kwargs["pk"])
        if case is None:
            raise Http404
        return case

    def detail(self, case: LetterCase) -> Response:
        case = letter_case_get_visible(user=self.request.user, pk=case.pk) or case
        data = LetterDetailSerializer(case, context={"request": self.request}).data
        original_text_view(
            actor=self.request.user,
            submission=case.submission,
            ip_address=client_ip(self.request),
        )
        return Response(data)

    def run(self, func, **kwargs) -> Response:
        case = self.get_case()
        func(actor=self.request.user, case=case, **kwargs)
        return self.detail(case)


@extend_schema(
    tags=TAGS,
    summary="市長への手紙の一覧（職員）",
    description="広聴・管理者はすべて、担当課は自課（部は配下の課）の手紙だけを返します。未回付を先に、回答期限の近い順。",
    parameters=[
        OpenApiParameter(
            "closed",
            bool,
            required=False,
            description="true で送付済み・ファイル済みを返す",
        )
    ],
    responses={200: LetterListItemSerializer(many=True), 403: _ERRORS[403]},
)
class LetterListApi(ListAPIView):
    permission_classes = [IsTriageStaff]
    serializer_class = LetterListItemSerializer

    def get_queryset(self):
        closed = self.request.query_params.get("closed") in ("1", "true")
        return letter_inbox_cases(user=self.request.user, closed=closed)

    def list(self, request, *args, **kwargs):
        # Page the cases in the database, then add the 開庁日 left to that page only.
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(letter_rows(page), many=True).data)


@extend_schema(
    tags=TAGS,
    summary="市長への手紙の詳細（職員）",
    responses={200: LetterDetailSerializer, 403: _ERRORS[403], 404: _ERRORS[404]},
)
class LetterDetailApi(_LetterCaseApi):
    def get(self, request, pk):
        return self.detail(self.get_case())


@extend_schema(
    tags=TAGS,
    summary="担当課への回付（広聴）",
    description="回答期限を受付日から設定の開庁日数後に設定します（土日祝・年末年始を除く）。",
    request=LetterRouteInputSerializer,
    responses={200: LetterDetailSerializer, **_ERRORS},
)
class LetterRouteApi(_LetterCaseApi):
    def post(self, request, pk):
        data = LetterRouteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.run(
            letter_route,
            department=data.validated_data["department"],
            category=data.validated_data["category"],
            routed_text=data.validated_data.get("routed_text"),
            mayor_review=data.validated_data.get("mayor_review"),
        )


@extend_schema(
    tags=TAGS,
    summary="回答案の作成（回付先の課）",
    request=LetterDraftInputSerializer,
    responses={200: LetterDetailSerializer, **_ERRORS},
)
class LetterDraftApi(_LetterCaseApi):
    def post(self, request, pk):
        data = LetterDraftInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.run(letter_reply_draft, text=data.validated_data["text"])


@extend_schema(
    tags=TAGS,
    summary="回答案の承認・差し戻し（課長→部長→広聴。市長確認は職員用の画面で行う）",
    request=LetterApproveInputSerializer,
    responses={200: LetterDetailSerializer, **_ERRORS},
)
class LetterApproveApi(_LetterCaseApi):
    def post(self, request, pk):
        data = LetterApproveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self.run(letter_reply_approve, **data.validated_data)
