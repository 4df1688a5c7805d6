"""GET /api/v1/committees/ratios/: the yearly 応募倍率 of 公募委員, for other systems and for checks.

Public and counts only (no person). Ratios are rounded half-up to two
places; a 年度 without a 公募 is listed with null ratios. Each 年度 also
carries its 例外件数 (seats given beyond the 兼職 or 在任期間 cap, by the
年度 of the 委嘱日), so a 年度 with exceptions and no 公募 is listed too.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from committees.selectors import committee_from_query
from committees.selectors.report import ratio_report
from core.api_schema import error_response


class ExceptionCountOutputSerializer(serializers.Serializer):
    concurrent_seats = serializers.IntegerField(help_text="兼職の上限を超えて委嘱した件数（例外）")
    tenure = serializers.IntegerField(help_text="同一機関での在任期間の上限を超えて委嘱（再任）した件数（例外）")


class RatioYearOutputSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField(help_text="年度（西暦、4月始まり）")
    rounds = serializers.IntegerField(help_text="公募の件数")
    seats = serializers.IntegerField(help_text="募集人数の合計")
    applicants = serializers.IntegerField(help_text="応募者数（資格のない応募も含む。取り下げは含まない）")
    eligible_applicants = serializers.IntegerField(help_text="応募資格のある応募者数")
    ratio_all = serializers.FloatField(allow_null=True, help_text="応募者数 ÷ 募集人数（公募がない年度は null）")
    ratio_eligible = serializers.FloatField(allow_null=True, help_text="資格のある応募者数 ÷ 募集人数")
    exceptions = ExceptionCountOutputSerializer(
        help_text="例外件数：委嘱日がこの年度の委員のうち、上限を超えて例外として委嘱したもの（公募委員以外も含む）"
    )


class RatioWindowOutputSerializer(serializers.Serializer):
    first = serializers.IntegerField()
    last = serializers.IntegerField()


class RatioReportOutputSerializer(serializers.Serializer):
    baseline = serializers.FloatField(allow_null=True, help_text="総合計画の現状値（例: H27～R1の平均値 2.4）")
    baseline_label = serializers.CharField()
    window = RatioWindowOutputSerializer(help_text="five_year_mean と five_year_pooled の対象年度")
    years = RatioYearOutputSerializer(many=True)
    five_year_mean = serializers.FloatField(allow_null=True, help_text="年度ごとの倍率の平均（公募のあった年度）")
    five_year_pooled = serializers.FloatField(allow_null=True, help_text="期間の応募者数の合計 ÷ 募集人数の合計")


@extend_schema(
    tags=["committees"],
    summary="公募委員の応募倍率と例外件数（年度別）",
    description="附属機関等の公募委員の応募倍率と、兼職・在任期間の上限の例外件数を年度ごとに返します。個人の情報は含みません。",
    parameters=[OpenApiParameter("committee", int, description="附属機関等のID（省略すると市全体）")],
    responses={
        200: RatioReportOutputSerializer,
        404: error_response(404, "committee に存在しない附属機関等が指定された"),
    },
)
class CommitteeRatiosApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        committee = committee_from_query(request.query_params.get("committee", ""))
        return Response(ratio_report(committee=committee).as_json())
