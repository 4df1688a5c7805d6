"""Output (and query) serializers for the consultation endpoints."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consultations.models import (
    Attachment,
    Choice,
    Consultation,
    DraftSection,
    Question,
)
from consultations.selectors import consultation_is_accepting


class ConsultationFilterSerializer(serializers.Serializer):
    # 市長への手紙 is a standing channel, not a listed consultation: see
    # /api/v1/letter/.
    kind = serializers.ChoiceField(
        choices=[(kind.value, kind.label) for kind in Consultation.Kind if kind != Consultation.Kind.LETTER],
        required=False,
        help_text=_("種別で絞り込みます（市長への手紙は /api/v1/letter/ を参照）。"),
    )


class CodeLabelSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class CodeLabelListField(serializers.ListField):
    """Show stored codes (e.g. ["resident"]) with their Japanese labels."""

    child = CodeLabelSerializer()

    def __init__(self, *, choices, **kwargs):
        self.labels = dict(choices)
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, data):
        return [{"code": code, "label": str(self.labels.get(code, code))} for code in data or []]


class ChoiceOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Choice
        fields = ["id", "label", "value"]
        read_only_fields = fields


class QuestionOutputSerializer(serializers.ModelSerializer):
    # Named answer_type so it is not confused with the consultation's kind.
    answer_type = serializers.ChoiceField(
        source="kind",
        choices=Question.Kind.choices,
        read_only=True,
        help_text=_(
            "single と scale5 は choices から1つ、multiple は max_choices まで、free_text は text で回答します。"
        ),
    )
    choices = ChoiceOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = [
            "id",
            "number",
            "text",
            "answer_type",
            "required",
            "max_choices",
            "help_text",
            "choices",
        ]
        read_only_fields = fields


class SectionOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = DraftSection
        fields = ["id", "number", "heading", "body", "page_label"]
        read_only_fields = fields


class AttachmentOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["title", "file", "is_draft"]
        read_only_fields = fields


class ConsultationListOutputSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    department = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "summary",
            "department",
            "announced_on",
            "opens_at",
            "closes_at",
            "allow_anonymous_account",
            "invitation_required",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_department(self, consultation) -> str | None:
        return str(consultation.department) if consultation.department_id else None


class ConsultationDetailOutputSerializer(ConsultationListOutputSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    is_accepting = serializers.SerializerMethodField(
        help_text=_("いま API・ウェブから提出できるとき true。"),
    )
    period_days = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text=_("公示日から締切日までの日数（両端を含む）"),
    )
    eligibility = CodeLabelListField(
        choices=Consultation.Eligibility.choices,
        help_text=_("提出できる方の区分（空なら制限なし）"),
    )
    required_identity = CodeLabelListField(
        choices=Consultation.IdentityField.choices,
        help_text=_("提出に必須の本人情報。name は氏名または団体名、contact は電話番号またはメールアドレス。"),
    )
    respondent_attributes = CodeLabelListField(
        choices=Consultation.RespondentAttribute.choices,
        help_text=_("アンケートが尋ねる回答者の属性（attributes に送れるもの）。"),
    )
    sections = SectionOutputSerializer(many=True, read_only=True)
    questions = QuestionOutputSerializer(many=True, read_only=True)
    attachments = AttachmentOutputSerializer(many=True, read_only=True)

    class Meta(ConsultationListOutputSerializer.Meta):
        fields = ConsultationListOutputSerializer.Meta.fields + [
            "status",
            "status_label",
            "is_accepting",
            "legal_basis",
            "period_days",
            "short_period_reason",
            "postal_rule",
            "submission_address",
            "eligibility",
            "required_identity",
            "max_opinion_chars",
            "target_population",
            "sample_size",
            "respondent_attributes",
            "sections",
            "questions",
            "attachments",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_accepting(self, consultation) -> bool:
        return consultation_is_accepting(consultation)
