"""Workbench forms: they validate input and nothing else."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from nlp import screening
from opinions.models import InspectionRedaction, OpinionGroup, decision_choices
from opinions.services.answers import REVIEW_ACTIONS

SPLIT_MARK = re.compile(r"^[ \t　]*(?:-{3,}|ー{3,}|―{3,})[ \t　]*$", re.MULTILINE)


class SplitForm(forms.Form):
    parts_text = forms.CharField(
        label=_("分割した意見"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "意見を区切る位置に「---」（半角ハイフン3つ）だけの行を入れてください。"
            "各部分は原文のとおり（順番どおり、重ならないように）残してください。意見でない部分（挨拶など）は削除できます。"
        ),
        error_messages={"required": _("分割した意見を入力してください。")},
        strip=False,
    )

    def clean_parts_text(self):
        text = self.cleaned_data["parts_text"].replace("\r\n", "\n")
        if not any(part.strip() for part in SPLIT_MARK.split(text)):
            raise forms.ValidationError(_("分割した意見を入力してください。"), code="required")
        return text

    def parts(self) -> list[str]:
        return [part.strip() for part in SPLIT_MARK.split(self.cleaned_data["parts_text"]) if part.strip()]


class GroupForm(forms.Form):
    section = forms.ModelChoiceField(
        label=_("該当箇所"),
        queryset=None,
        required=False,
        empty_label=_("（指定なし）"),
    )
    summary = forms.CharField(
        label=_("意見の概要"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("意見の趣旨を変えない範囲で整理・要約します。氏名・住所などの個人情報は書かないでください。"),
    )
    response = forms.CharField(
        label=_("市の考え方"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("対応とその理由を記載します。"),
    )
    decision = forms.ChoiceField(
        label=_("対応区分"),
        required=False,
        choices=lambda: [("", _("（未選択）")), *decision_choices()],
    )
    revised = forms.BooleanField(label=_("案を修正する（修正の有無）"), required=False)
    revised_text = forms.CharField(
        label=_("修正後の文案"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("修正する場合に入力します。"),
    )
    representative = forms.ModelChoiceField(
        label=_("代表意見"),
        queryset=None,
        required=False,
        empty_label=_("（変更しない）"),
        help_text=_("他の意見との違いは、この意見を基準に表示します。"),
    )

    def __init__(self, *args, group: OpinionGroup, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = group.consultation.sections.all()
        self.fields["representative"].queryset = items
        self.fields["representative"].label_from_instance = lambda item: (
            f"{item.submission.receipt_number}（{item.order}）"
        )

    def clean(self):
        data = super().clean()
        if data.get("revised") and not (data.get("revised_text") or "").strip():
            self.add_error(
                "revised_text",
                forms.ValidationError(_("修正する場合は修正後の文案を入力してください。"), code="required"),
            )
        return data


class MoveForm(forms.Form):
    NEW = "new"

    items = forms.TypedMultipleChoiceField(
        label=_("移動する意見"),
        coerce=int,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("移動する意見を選んでください。")},
    )
    target = forms.ChoiceField(
        label=_("移動先の意見要旨"),
        choices=(),
        error_messages={"required": _("移動先を選んでください。")},
    )

    def __init__(self, *args, item_choices, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = item_choices
        self.fields["target"].choices = [
            (self.NEW, _("新しい意見要旨を作る")),
            *[(str(g.pk), f"{g.number}. {(g.summary or '（概要未入力）')[:40]}") for g in groups],
        ]


class MergeForm(forms.Form):
    others = forms.ModelMultipleChoiceField(
        label=_("この意見要旨に統合するもの"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("統合する意見要旨を選んでください。")},
    )

    def __init__(self, *args, group: OpinionGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["others"].queryset = (
            OpinionGroup.objects.filter(consultation=group.consultation, review=OpinionGroup.Review.DRAFT)
            .exclude(pk=group.pk)
            .order_by("number")
        )
        self.fields["others"].label_from_instance = lambda g: f"{g.number}. {(g.summary or '（概要未入力）')[:40]}"


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in REVIEW_ACTIONS], widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("コメント（差し戻す場合は理由を必ず入力）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Approving a group of a case already published puts its texts on the
    # public table: the personal-data screen may refuse, and 広聴 override.
    screen_override = forms.BooleanField(label=screening.OVERRIDE_LABEL, required=False)
    screen_override_reason = forms.CharField(
        label=screening.OVERRIDE_REASON_LABEL,
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def show_override(self) -> bool:
        return screening.override_offered(self)


class WithholdForm(forms.Form):
    reason = forms.CharField(
        label=_("公表しない理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("第三者の利益を害するおそれなど、正当な理由を具体的に記載します（記録に残ります）。"),
        error_messages={"required": _("公表しない理由を入力してください。")},
    )


class InspectionRedactionForm(forms.Form):
    """閲覧用の写しの墨塗り: a submission (by 受付番号), the whole or a passage, and why."""

    receipt_number = forms.CharField(
        label=_("受付番号"),
        max_length=32,
        help_text=_("例：PC-2026-000123"),
        error_messages={"required": _("受付番号を入力してください。")},
    )
    scope = forms.ChoiceField(
        label=_("範囲"),
        choices=InspectionRedaction.Scope.choices,
        widget=forms.RadioSelect,
        initial=InspectionRedaction.Scope.PASSAGE,
        help_text=_("提出全体を除くか、本文の一部だけを墨塗りにするかを選びます。"),
        error_messages={"required": _("範囲を選んでください。")},
    )
    passage = forms.CharField(
        label=_("墨塗りする部分（本文の一部の場合）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("閲覧用の写しの本文（マスク済み）から、墨塗りにする文をそのまま写してください。"),
    )
    reason = forms.CharField(
        label=_("理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "第三者の利益を害するおそれなど、閲覧用の写しから除く正当な理由を具体的に記載します（墨塗り記録に印刷されます）。"
        ),
        error_messages={"required": _("墨塗りの理由を入力してください。")},
    )


class InspectionRevokeForm(forms.Form):
    """Withdraw a staff 墨塗り of the 閲覧用の写し, with a reason."""

    redaction = forms.TypedChoiceField(
        label=_("取り消す墨塗り"),
        coerce=int,
        choices=(),
        error_messages={"required": _("取り消す墨塗りを選んでください。")},
    )
    reason = forms.CharField(
        label=_("取り消しの理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("取り消しの理由を入力してください。")},
    )

    def __init__(self, *args, redactions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["redaction"].choices = [("", _("選んでください"))] + [
            (r.pk, f"{r.submission.receipt_number}（{r.get_scope_display()}）{r.reason[:30]}") for r in redactions
        ]
