"""Input and output shapes of the workbench API: counts, 意見要旨, 意見, and the write requests."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.http import client_ip
from opinions.models import OpinionGroup
from opinions.selectors.groups import opinion_item_list_for_group
from opinions.selectors.text import opinion_group_summary_draft, opinion_item_views, shown_submissions
from opinions.services.answers import REVIEW_ACTIONS
from triage.services import originals_viewed

ITEM_LIMIT = 500


class ChannelCountOutputSerializer(serializers.Serializer):
    channel = serializers.CharField(help_text="提出方法のコード")
    label = serializers.CharField(help_text="提出方法")
    submissions = serializers.IntegerField(help_text="提出者数")
    submitters = serializers.IntegerField(
        help_text="提出者数（submitter_rule の数え方。連名を1人ずつ数える場合は submissions より多い）"
    )
    items = serializers.IntegerField(help_text="意見件数")


class OpinionCountsOutputSerializer(serializers.Serializer):
    submissions = serializers.IntegerField(help_text="提出者数（取り下げを除く提出の数）")
    submitters = serializers.IntegerField(
        help_text="提出者数（submitter_rule の数え方：signers は連名を1人ずつ・団体を1、submissions は1通を1）"
    )
    submitter_rule = serializers.ChoiceField(
        choices=["signers", "submissions"], help_text="提出者数の数え方（KOE_SUBMITTER_COUNT）"
    )
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
    screen_override = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "結果公表済みの案件で承認すると、その文章がすぐ公表されます。個人情報・伏せ字の指摘（400）を"
            "確認したうえで公表する場合に true（広聴担当のみ、理由必須、監査ログに記録）"
        ),
    )
    screen_override_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=500, help_text="公表して差し支えない理由"
    )


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
