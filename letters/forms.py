"""Forms for 市長への手紙 case handling (validation only; services decide)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _l

from accounts.models import Department
from letters.models import LetterApproval, LetterCase, LetterCategory
from nlp import screening


class SectionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} {obj.name}"


class LetterRouteForm(forms.Form):
    department = SectionChoiceField(
        label=_l("回付先の課"),
        queryset=Department.objects.filter(parent__isnull=False)
        .select_related("parent")
        .order_by("parent__order", "order", "code"),
        empty_label=_l("選んでください"),
        error_messages={"required": _l("回付先の課を選んでください。")},
    )
    category = forms.ModelChoiceField(
        label=_l("分野"),
        queryset=LetterCategory.objects.filter(active=True),
        empty_label=_l("選んでください"),
        help_text=_l("手紙の内容の分野です。ダッシュボードの分野別の件数に使います。"),
        error_messages={"required": _l("分野を選んでください。")},
    )
    routed_text = forms.CharField(
        label=_l("回付用の本文（個人情報を伏せたもの）"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_l("担当課にはこの本文だけが表示されます。氏名・住所・連絡先などが残っていないか確認してください。"),
        error_messages={"required": _l("回付用の本文を入力してください。")},
    )
    mayor_review = forms.BooleanField(
        label=_l("市長確認が必要"),
        required=False,
        help_text=_l("選ぶと、回答案は広聴の承認の後に市長（秘書課）の確認を受けてから送付します。"),
    )

    def __init__(self, *args, case: LetterCase | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None and case.category_id:
            # A 分野 made inactive since stays choosable for the letter that has it.
            self.fields["category"].queryset = LetterCategory.objects.filter(Q(active=True) | Q(pk=case.category_id))


class LetterDraftForm(forms.Form):
    text = forms.CharField(
        label=_l("回答案"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_l("市長名で送付する回答の本文です。宛名と結びは印刷時に付きます。"),
        error_messages={"required": _l("回答案を入力してください。")},
    )


class LetterApproveForm(forms.Form):
    DECISIONS = (("approve", _l("承認する")), ("send_back", _l("差し戻す")))

    stage = forms.ChoiceField(choices=LetterApproval.Stage.choices, widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=DECISIONS,
        error_messages={"required": _l("承認か差し戻しかを選んでください。")},
    )
    comment = forms.CharField(
        label=_l("コメント"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_l("差し戻す場合は理由を必ず入力してください。"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "send_back" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _l("差し戻す理由を入力してください。"))
        return cleaned


class LetterFileForm(forms.Form):
    disposition = forms.ChoiceField(
        label=_l("回答しない理由"),
        choices=LetterCase.Disposition.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _l("回答しない理由を選んでください。")},
    )


class LetterPublishForm(forms.Form):
    summary = forms.CharField(
        label=_l("意見の要旨"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_l("個人が特定されない形に要約してください。"),
        error_messages={"required": _l("意見の要旨を入力してください。")},
    )
    reply_summary = forms.CharField(
        label=_l("回答の要旨"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_l("回答を送付した手紙では必須です。"),
    )
    # Shown once the personal-data screen has refused (nlp.screening).
    screen_override = forms.BooleanField(
        label=screening.OVERRIDE_LABEL,
        required=False,
        help_text=_l("指摘された箇所が個人を特定しないと確認できた場合だけ選んでください。記録に残ります。"),
    )
    screen_override_reason = forms.CharField(
        label=screening.OVERRIDE_REASON_LABEL,
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_l("例：「佐藤」は地名（佐藤町）で個人名ではない。"),
    )

    OVERRIDE_FIELDS = (screening.OVERRIDE_FIELD, screening.OVERRIDE_REASON_FIELD)

    def show_override(self) -> bool:
        return screening.override_offered(self)
