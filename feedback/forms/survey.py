"""The survey form, built from the consultation's questions, and the
respondent attributes it asks after them (年代・性別・地区・居住年数・職業・
世帯構成, those the survey enables in ``respondent_attributes``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from consultations.models import Consultation, Question
from core.forms import KoeForm
from core.models import District
from core.text import validate_user_text
from feedback.models import AgeBand, Gender, Household, Occupation, ResidenceYears
from feedback.services import AnswerInput
from feedback.services.intake import invitation_check


class RespondentAttributesForm(KoeForm):
    """年代・性別・地区・居住年数・職業・世帯構成 (all optional; 「回答しない」 is offered).

    The field names are Consultation.RespondentAttribute's values.
    """

    age_band = forms.ChoiceField(
        label=_l("年代"),
        choices=AgeBand.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    gender = forms.ChoiceField(
        label=_l("性別"),
        choices=Gender.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    district = forms.ModelChoiceField(
        label=_l("お住まいの地区"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_l("選択してください（市外・回答しない場合は空欄）"),
    )
    residence_years = forms.ChoiceField(
        label=_l("居住年数"),
        choices=ResidenceYears.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    occupation = forms.ChoiceField(
        label=_l("職業"),
        choices=Occupation.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_l("複数ある場合は、主なものを1つ選んでください。"),
    )
    household = forms.ChoiceField(
        label=_l("世帯構成"),
        choices=Household.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_l("一緒に住んでいる家族の構成を選んでください。"),
    )


FREE_TEXT_MAX_CHARS = 2000


def question_number(question: Question) -> str:
    """'問3' (Q3 in English); the question's text is the city's, shown as written."""
    return _("問%(number)s") % {"number": question.number}


def _question_field(question: Question) -> forms.Field:
    label = f"{question_number(question)}　{question.text}"
    choices = [(str(c.pk), c.label) for c in question.choices.all()]
    common = {
        "label": label,
        "required": question.required,
        "help_text": question.help_text,
    }
    if question.kind == Question.Kind.MULTIPLE:
        if question.max_choices:
            common["help_text"] = _("%(n)sつまで選べます。") % {"n": question.max_choices}
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if question.kind == Question.Kind.FREE_TEXT:
        common["help_text"] = common["help_text"] or _("%(max)s文字以内") % {"max": f"{FREE_TEXT_MAX_CHARS:,}"}
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), strip=False, **common)
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)


class SurveyForm(RespondentAttributesForm):
    # More choices than 「Nつまで」: the resident on the web is asked to choose
    # again, whatever the question's rule for paper (Question.over_limit),
    # which StaffSurveyEntryForm applies to answers typed in from paper.
    applies_paper_rules = False

    def __init__(self, *args, consultation: Consultation, **kwargs):
        self.consultation = consultation
        super().__init__(*args, **kwargs)
        enabled = set(consultation.respondent_attributes or [])
        attribute_fields = {name: field for name, field in self.fields.items() if name in enabled}
        self.fields.clear()
        # What the paper rule set aside, for the staff member to read after saving.
        self.limit_notices: list[str] = []
        if consultation.invitation_required:
            self.fields["invitation_code"] = forms.CharField(
                label=_l("招待コード"),
                max_length=32,
                help_text=_l(
                    "依頼状に記載されたコードを入力してください（小文字・全角・ハイフン入りでも構いません）。"
                    "回答とコードは結び付けずに保存します。"
                ),
                error_messages={"required": _l("招待コードを入力してください。")},
            )
        self.questions = list(consultation.questions.prefetch_related("choices"))
        for question in self.questions:
            self.fields[f"q{question.pk}"] = _question_field(question)
        self.fields.update(attribute_fields)

    def clean_invitation_code(self):
        """Normalise the code as issued and check it now, before the confirmation page.

        A wrong, used or other survey's code is refused on the first screen;
        submission_create checks again (under a lock) and marks it used.
        """
        return invitation_check(consultation=self.consultation, code=self.cleaned_data.get("invitation_code", ""))

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            name = f"q{question.pk}"
            value = cleaned.get(name)
            if (
                question.kind == Question.Kind.MULTIPLE
                and question.max_choices
                and value
                and len(value) > question.max_choices
            ):
                self._over_limit(question, name, value, cleaned)
            if question.kind == Question.Kind.FREE_TEXT and value:
                try:
                    cleaned[name] = validate_user_text(
                        value,
                        max_chars=FREE_TEXT_MAX_CHARS,
                        field_label=question_number(question),
                        required=False,
                    )
                except ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned

    def _over_limit(self, question: Question, name: str, value: list[str], cleaned: dict) -> None:
        """More choices than 「Nつまで」: refuse, or (paper, KEEP_FIRST) keep the lowest-numbered N."""
        limit, count = question.max_choices, len(value)
        if not self.applies_paper_rules:
            self.add_error(
                name,
                _("選べるのは%(n)sつまでです（%(count)sつ選ばれています）。") % {"n": limit, "count": count},
            )
            return
        if question.over_limit != Question.OverLimit.KEEP_FIRST:
            self.add_error(
                name,
                _(
                    "%(n)sつまでの設問に%(count)sつ○が付いています。この設問は上限を超えた回答を受け付けない設定のため、"
                    "このままでは登録できません。調査の取り決めに従い、%(n)sつ以内にするか無回答として入力してください。"
                )
                % {"n": limit, "count": count},
            )
            return
        # The choices' numbers on paper are their order on the form (1, 2, 3 …).
        numbers = {str(choice.pk): number for number, choice in enumerate(question.choices.all(), start=1)}
        chosen = sorted(value, key=lambda pk: numbers.get(pk, len(numbers) + 1))
        kept, dropped = chosen[:limit], chosen[limit:]
        cleaned[name] = kept
        self.limit_notices.append(
            _(
                "問%(question)sは%(n)sつまでの設問のため、番号の小さい選択肢%(kept)sを有効とし、"
                "選択肢%(dropped)sは集計に含めませんでした。"
            )
            % {
                "question": question.number,
                "n": limit,
                "kept": "・".join(str(numbers[pk]) for pk in kept),
                "dropped": "・".join(str(numbers[pk]) for pk in dropped),
            }
        )

    def answers(self) -> list[AnswerInput]:
        result = []
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if not value:
                continue
            if question.kind == Question.Kind.FREE_TEXT:
                result.append(AnswerInput(question.pk, text=value))
            else:
                ids = value if isinstance(value, list) else [value]
                result.append(AnswerInput(question.pk, choice_ids=[int(i) for i in ids]))
        return result

    def attributes(self) -> dict:
        keys = Consultation.RespondentAttribute.values
        return {key: self.cleaned_data[key] for key in keys if key in self.fields and self.cleaned_data.get(key)}
