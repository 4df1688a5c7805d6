"""Submission endpoints: validate, then one call to submission_create."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, NotAuthenticated, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.models import Consultation
from consultations.selectors import (
    consultation_get_letter,
    consultation_get_public,
    consultation_is_accepting,
    consultation_not_accepting_message,
)
from core.api import VALIDATION_ERROR_SCHEMA, ErrorDetailOutputSerializer
from core.api_parsers import LimitedJSONParser
from core.http import client_ip
from feedback.api.serializers import (
    LetterInputSerializer,
    MySubmissionOutputSerializer,
    PublicCommentInputSerializer,
    ReceiptOutputSerializer,
    SurveyInputSerializer,
)
from feedback.models import Channel
from feedback.selectors import submission_list_for_author
from feedback.services import SubmissionClosed, submission_create
from feedback.views import submit_rate_limited

TAGS = ["submissions"]


class SubmissionNotAccepted(APIException):
    status_code = status.HTTP_410_GONE
    default_detail = _("この案件は現在、意見を受け付けていません。募集期間をご確認ください。")
    default_code = "closed"


class SubmissionRateLimited(Throttled):
    default_detail = _(
        "短時間に多くの送信があったため、受付を一時停止しています。しばらく待ってから、もう一度送信してください。"
    )
    # Appended by Throttled when it knows the wait (also sent as Retry-After).
    extra_detail_singular = extra_detail_plural = _("{wait}秒ほどたつと送信できます。")


class LoginRequiredToSubmit(NotAuthenticated):
    default_detail = _("この案件に提出するには、ログインまたは API トークンによる認証が必要です。")


_ERROR_RESPONSES = {
    400: OpenApiResponse(
        VALIDATION_ERROR_SCHEMA,
        description="入力の誤り。項目ごとに日本語のメッセージの配列を返します。identity と attributes は"
        "項目名、answers は設問の id をキーにした入れ子です。",
        examples=[
            OpenApiExample(
                "パブリック・コメント",
                value={
                    "body": ["ご意見は4,000文字以内で入力してください（現在4,120文字）。"],
                    "identity": {"postcode": ["郵便番号は7桁の数字で入力してください（例：332-8601）。"]},
                },
            ),
            OpenApiExample(
                "アンケート",
                value={
                    "answers": {
                        "12": ["この項目は必須です。"],
                        "13": ["選べるのは2つまでです（3つ選ばれています）。"],
                    },
                    "invitation_code": ["招待コードを入力してください。"],
                },
            ),
        ],
    ),
    401: OpenApiResponse(
        ErrorDetailOutputSerializer,
        description="この案件はアカウントなしでは提出できない（allow_anonymous_account が false）",
    ),
    404: OpenApiResponse(ErrorDetailOutputSerializer, description="案件が見つからない"),
    410: OpenApiResponse(ErrorDetailOutputSerializer, description="募集期間外などで受け付けていない"),
    429: OpenApiResponse(
        ErrorDetailOutputSerializer,
        description="同じ接続元からの送信が多すぎる（しばらく待って再送）。ウェブフォームと共通の制限です。",
    ),
}


class SubmissionCreateApi(APIView):
    """Take one submission for a consultation through the "api" channel.

    The order of checks follows the web form: closed (410), then who may
    submit (401), then the input (400), then the rate limit (429), which
    only counts submissions that would otherwise be stored.
    """

    # Anonymous submission is allowed or not per consultation; see post().
    permission_classes = [AllowAny]
    # The body has nested objects, which form encodings cannot carry; the
    # parser bounds its depth and characters (core.api_parsers).
    parser_classes = [LimitedJSONParser]

    def get_consultation(self) -> Consultation:
        raise NotImplementedError

    def get_input_serializer_class(self, consultation: Consultation) -> type[serializers.Serializer]:
        raise NotImplementedError

    def post(self, request, **kwargs):
        consultation = self.get_consultation()
        if not consultation_is_accepting(consultation):
            raise SubmissionNotAccepted(consultation_not_accepting_message(consultation))
        if not (consultation.allow_anonymous_account or request.user.is_authenticated):
            raise LoginRequiredToSubmit()
        serializer_class = self.get_input_serializer_class(consultation)
        serializer = serializer_class(data=request.data, context={"consultation": consultation})
        serializer.is_valid(raise_exception=True)
        wait = submit_rate_limited(request)
        if wait:
            raise SubmissionRateLimited(wait=wait)
        try:
            submission = submission_create(
                consultation=consultation,
                channel=Channel.API,
                author=request.user,
                ip_address=client_ip(request),
                **serializer.validated_data,
            )
        except SubmissionClosed as exc:
            # Closed between the check above and the write: 410, like the check.
            raise SubmissionNotAccepted(exc.messages[0]) from exc
        return Response(ReceiptOutputSerializer(submission).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=TAGS,
    summary="案件への意見・回答の提出",
    description=(
        "パブリック・コメントには body・section・identity を、アンケートには answers・attributes と"
        "（必要なら）invitation_code を送ります。必須の本人情報や文字数は案件の詳細を参照してください。"
        "受付番号と受付日時を返します。"
    ),
    request=PolymorphicProxySerializer(
        component_name="ConsultationSubmission",
        serializers=[PublicCommentInputSerializer, SurveyInputSerializer],
        resource_type_field_name=None,
    ),
    responses={201: ReceiptOutputSerializer, **_ERROR_RESPONSES},
)
class ConsultationSubmissionCreateApi(SubmissionCreateApi):
    input_serializer_by_kind = {
        Consultation.Kind.PUBLIC_COMMENT: PublicCommentInputSerializer,
        Consultation.Kind.SURVEY: SurveyInputSerializer,
    }

    def get_consultation(self):
        consultation = consultation_get_public(pk=self.kwargs["pk"])
        if consultation is None:
            raise Http404
        return consultation

    def get_input_serializer_class(self, consultation):
        return self.input_serializer_by_kind[consultation.kind]


@extend_schema(
    tags=TAGS,
    summary="市長への手紙の提出",
    description="受付番号と受付日時を返します。回答を希望する場合は identity.name と、"
    "contact_method に応じた identity.email または identity.postcode・identity.address が必要です。",
    request=LetterInputSerializer,
    responses={
        201: ReceiptOutputSerializer,
        **{code: _ERROR_RESPONSES[code] for code in (400, 401, 404, 429)},
    },
)
class LetterSubmissionCreateApi(SubmissionCreateApi):
    def get_consultation(self):
        letter = consultation_get_letter()
        if letter is None:
            raise Http404
        return letter

    def get_input_serializer_class(self, consultation):
        return LetterInputSerializer


@extend_schema(
    tags=TAGS,
    summary="自分が提出した意見の一覧",
    description="認証した利用者が提出した意見・回答・手紙を、新しい順に状態とともに返します。",
    responses={
        200: MySubmissionOutputSerializer(many=True),
        401: OpenApiResponse(ErrorDetailOutputSerializer, description="認証していない"),
    },
)
class MySubmissionListApi(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = MySubmissionOutputSerializer

    def get_queryset(self):
        return submission_list_for_author(user=self.request.user)
