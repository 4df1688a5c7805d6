"""Input and output serializers for submissions.

The input serializers only fix the JSON shape. The rules themselves
(required identity, text checks, kana and phone normalisation, survey
limits) are those of the web forms: each serializer runs the matching form
and returns the keyword arguments for ``submission_create``, so a resident
gets the same answer from the API as from the web.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from rest_framework import serializers
from rest_framework.settings import api_settings

from consultations.models import Consultation, Question
from core.api_schema import DocumentedLimitCharField
from feedback.forms.fields import TEXT_LIMITS
from feedback.forms.letter import LetterForm
from feedback.forms.public_comment import PublicCommentForm
from feedback.forms.survey import FREE_TEXT_MAX_CHARS, SurveyForm
from feedback.models import (
    AgeBand,
    Gender,
    Household,
    Occupation,
    ResidenceYears,
    Submission,
    SubmitterIdentity,
)

_OPTIONAL_TEXT = {
    "required": False,
    "allow_blank": True,
    "default": "",
    "trim_whitespace": False,
}


# SurveyForm adds the field only for invitation-only surveys, so it cannot be read here.
INVITATION_CODE_MAX_CHARS = 32


def _text(help_text=None, *, limit=None, **kwargs):
    # The form checks the limit (with the web form's message); the schema shows it.
    return DocumentedLimitCharField(**{**_OPTIONAL_TEXT, **kwargs}, limit=limit, help_text=help_text)


def _limit(form_class, name: str) -> int | None:
    return form_class.base_fields[name].max_length


def _form_errors(form, *, group_of) -> dict:
    """Return the form's errors keyed as in the JSON request.

    ``group_of`` maps a form field name to (group, key) when the field sits
    inside a nested object, e.g. ``"name" -> ("identity", "name")``.
    """
    errors: dict = {}
    for name, messages in form.errors.items():
        if name == NON_FIELD_ERRORS:
            errors.setdefault(api_settings.NON_FIELD_ERRORS_KEY, []).extend(messages)
        elif name in group_of:
            group, key = group_of[name]
            errors.setdefault(group, {})[key] = list(messages)
        else:
            errors[name] = list(messages)
    return errors


def _validated_form(form, *, group_of=None, extra_errors=None):
    if not form.is_valid() or extra_errors:
        errors = _form_errors(form, group_of=group_of or {})
        for group, messages in (extra_errors or {}).items():
            errors.setdefault(group, {}).update(messages)
        raise serializers.ValidationError(errors)
    return form


class IdentityInputSerializer(serializers.Serializer):
    """氏名・住所・連絡先。どれが必須かは案件の required_identity によります。"""

    name = _text(_l("氏名"), limit=_limit(LetterForm, "name"))
    name_kana = _text(_l("ふりがな（ひらがな・カタカナ）"), limit=_limit(LetterForm, "name_kana"))
    postcode = _text(_l("郵便番号（例：332-8601）"), limit=_limit(LetterForm, "postcode"))
    address = _text(_l("住所"), limit=_limit(LetterForm, "address"))
    address_building = _text(_l("方書（建物名・部屋番号）"), limit=_limit(LetterForm, "address_building"))
    phone = _text(_l("電話番号（例：048-258-1110）"), limit=_limit(LetterForm, "phone"))
    email = _text(_l("メールアドレス（受付番号をお送りします）"), limit=_limit(LetterForm, "email"))


class PublicCommentIdentityInputSerializer(IdentityInputSerializer):
    organization = _text(_l("団体名（団体として提出する場合）"), limit=_limit(PublicCommentForm, "organization"))
    representative = _text(_l("代表者氏名（団体の場合）"), limit=TEXT_LIMITS["representative"])
    eligibility = _text(_l("提出できる方の区分（案件の eligibility の code）"))
    eligibility_detail = _text(
        _l("区分の詳細（勤務先・学校名・利害関係の内容など）"),
        limit=_limit(PublicCommentForm, "eligibility_detail"),
    )


def _identity_group(serializer_class) -> dict:
    return {name: ("identity", name) for name in serializer_class().fields}


class PublicCommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(
        trim_whitespace=False,
        allow_blank=True,
        help_text=_l("ご意見。案件の max_opinion_chars 文字以内。HTMLタグと制御文字は使えません。"),
    )
    section = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_l("該当箇所（sections の id）。案全体への意見なら省略します。"),
    )
    section_text = _text(_l("該当箇所（ページ・項目など、自由記入）"), limit=_limit(PublicCommentForm, "section_text"))
    identity = PublicCommentIdentityInputSerializer(required=False)

    def validate(self, attrs):
        consultation = self.context["consultation"]
        section = attrs["section"]
        data = {
            "body": attrs["body"],
            "section": "" if section is None else str(section),
            "section_text": attrs["section_text"],
            **attrs.get("identity", {}),
        }
        form = _validated_form(
            PublicCommentForm(data=data, consultation=consultation),
            group_of=_identity_group(PublicCommentIdentityInputSerializer),
        )
        return {
            "body": form.cleaned_data["body"],
            "section": form.section_object(),
            "section_text": form.cleaned_data.get("section_text", ""),
            "identity": form.identity(),
        }


class LetterInputSerializer(serializers.Serializer):
    body = serializers.CharField(
        trim_whitespace=False,
        allow_blank=True,
        help_text=_l("ご意見・ご提案。max_opinion_chars 文字以内。"),
    )
    reply_requested = serializers.BooleanField(
        help_text=_l("回答を希望するか。true なら identity.name と送付方法に応じた連絡先が必須です。"),
    )
    contact_method = serializers.ChoiceField(
        choices=SubmitterIdentity.ContactMethod.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_l("回答の送付方法（回答を希望する場合）。email は identity.email、post は郵便番号と住所が必須。"),
    )
    publication_consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_l("個人が特定されない形に要約して公表してもよいか"),
    )
    identity = IdentityInputSerializer(required=False)

    def validate(self, attrs):
        data = {
            "body": attrs["body"],
            "reply_requested": "yes" if attrs["reply_requested"] else "no",
            "contact_method": attrs["contact_method"],
            "publication_consent": attrs["publication_consent"],
            **attrs.get("identity", {}),
        }
        form = _validated_form(
            LetterForm(data=data, consultation=self.context["consultation"]),
            group_of=_identity_group(IdentityInputSerializer),
        )
        return {
            "body": form.cleaned_data["body"],
            "reply_requested": form.cleaned_data["reply_requested"],
            "publication_consent": form.cleaned_data["publication_consent"],
            "identity": form.identity(),
        }


class AnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(help_text=_l("設問の id"))
    choices = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text=_l("選んだ選択肢の id（single・scale5 は1つ、multiple は max_choices まで）"),
    )
    text = _text(_l("自由記述（free_text の設問）"), limit=FREE_TEXT_MAX_CHARS)


class AttributesInputSerializer(serializers.Serializer):
    """年代・性別・地区・居住年数・職業・世帯構成。すべて任意で、「回答しない」は na です。
    調査が尋ねない属性（案件の respondent_attributes にないもの）は保存しません。"""

    age_band = serializers.ChoiceField(choices=AgeBand.choices, required=False, allow_blank=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    district = serializers.IntegerField(required=False, allow_null=True, help_text=_l("地区の id"))
    residence_years = serializers.ChoiceField(choices=ResidenceYears.choices, required=False, allow_blank=True)
    occupation = serializers.ChoiceField(choices=Occupation.choices, required=False, allow_blank=True)
    household = serializers.ChoiceField(choices=Household.choices, required=False, allow_blank=True)


class SurveyInputSerializer(serializers.Serializer):
    answers = AnswerInputSerializer(
        many=True,
        help_text=_l("設問ごとの回答。回答しない設問は省略できます（必須の設問を除く）。"),
    )
    attributes = AttributesInputSerializer(required=False)
    invitation_code = _text(_l("招待コード（invitation_required の調査のみ）"), limit=INVITATION_CODE_MAX_CHARS)

    def validate(self, attrs):
        consultation = self.context["consultation"]
        questions = {question.pk: question for question in consultation.questions.all()}
        data, answer_errors = _survey_answers_as_form_data(attrs["answers"], questions)
        attributes = {key: "" if value is None else str(value) for key, value in attrs.get("attributes", {}).items()}
        data.update(attributes, invitation_code=attrs["invitation_code"])
        form = SurveyForm(data=data, consultation=consultation)
        group_of = {f"q{pk}": ("answers", str(pk)) for pk in questions}
        group_of.update({name: ("attributes", name) for name in AttributesInputSerializer().fields})
        form = _validated_form(
            form,
            group_of=group_of,
            extra_errors={"answers": answer_errors} if answer_errors else None,
        )
        return {
            "answers": form.answers(),
            "attributes": form.attributes(),
            "invitation_code": form.cleaned_data.get("invitation_code", ""),
        }


def _survey_answers_as_form_data(answers: list[dict], questions: dict[int, Question]):
    """Return (SurveyForm data, errors keyed by question id) for the answers.

    Only the JSON shape is checked here; SurveyForm checks the answers.
    """
    data, errors = {}, {}
    for answer in answers:
        pk, choices, text = answer["question"], answer["choices"], answer["text"]
        question = questions.get(pk)
        if question is None:
            errors[str(pk)] = [_("この調査にない設問です。")]
            continue
        name = f"q{pk}"
        if name in data:
            errors[str(pk)] = [_("問%(n)sへの回答が重複しています。") % {"n": question.number}]
        elif question.kind == Question.Kind.FREE_TEXT:
            if choices:
                errors[str(pk)] = [_("問%(n)sは自由記述の設問です。text で回答してください。") % {"n": question.number}]
            data[name] = text
        else:
            if text:
                errors[str(pk)] = [
                    _("問%(n)sは選択式の設問です。choices で回答してください。") % {"n": question.number}
                ]
            elif question.kind != Question.Kind.MULTIPLE and len(choices) > 1:
                errors[str(pk)] = [_("問%(n)sは選択肢を1つだけ選んでください。") % {"n": question.number}]
            ids = [str(choice) for choice in choices]
            data[name] = ids if question.kind == Question.Kind.MULTIPLE else (ids[0] if ids else "")
    return data, errors


class ReceiptOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Submission
        fields = ["receipt_number", "submitted_at"]
        read_only_fields = fields


class SubmissionConsultationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consultation
        fields = ["id", "kind", "title"]
        read_only_fields = fields


class MySubmissionOutputSerializer(serializers.ModelSerializer):
    consultation = SubmissionConsultationOutputSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Submission
        fields = [
            "receipt_number",
            "consultation",
            "channel",
            "status",
            "status_label",
            "submitted_at",
            "section_text",
            "body",
            "reply_requested",
            "withdrawn_at",
        ]
        read_only_fields = fields
