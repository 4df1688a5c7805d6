"""Read-only consultation endpoints; anyone may call them."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from consultations.api.serializers import (
    ConsultationDetailOutputSerializer,
    ConsultationFilterSerializer,
    ConsultationListOutputSerializer,
)
from consultations.selectors import (
    consultation_get_letter,
    consultation_get_public,
    consultation_list_open,
)
from core.api import ErrorDetailOutputSerializer
from core.api_schema import error_response

TAGS = ["consultations"]


@extend_schema(
    tags=TAGS,
    summary="募集中の案件の一覧",
    description="いま意見・回答を募集しているパブリック・コメントとアンケートを、締切の早い順に返します。",
    parameters=[ConsultationFilterSerializer],
    responses={
        200: ConsultationListOutputSerializer(many=True),
        400: error_response(400, "kind に使えない値が指定された"),
    },
)
class ConsultationListApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ConsultationListOutputSerializer

    def get_queryset(self):
        filters = ConsultationFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return consultation_list_open(**filters.validated_data)


@extend_schema(
    tags=TAGS,
    summary="案件の詳細",
    description="案の項目（該当箇所）、設問と選択肢、募集期間、提出できる方、必須の本人情報を返します。"
    "募集を終えた案件も読めます（is_accepting が false）。",
    responses={
        200: ConsultationDetailOutputSerializer,
        404: OpenApiResponse(ErrorDetailOutputSerializer, description="公開されていない案件"),
    },
)
class ConsultationDetailApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request, pk: int):
        consultation = consultation_get_public(pk=pk)
        if consultation is None:
            raise Http404
        return Response(ConsultationDetailOutputSerializer(consultation, context={"request": request}).data)


@extend_schema(
    tags=TAGS,
    summary="市長への手紙の受付窓口",
    description="市長への手紙の受付条件（最大文字数など）を返します。回答を希望する場合は氏名と、"
    "送付方法に応じた連絡先（メールアドレス、または郵便番号と住所）が必要です。",
    responses={
        200: ConsultationDetailOutputSerializer,
        404: OpenApiResponse(ErrorDetailOutputSerializer, description="受付窓口がない"),
    },
)
class LetterDetailApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        letter = consultation_get_letter()
        if letter is None:
            raise Http404
        return Response(ConsultationDetailOutputSerializer(letter, context={"request": request}).data)
