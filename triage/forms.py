"""Forms for the staff queue: filters (GET) and bulk actions (POST)."""

from django import forms
from django.utils.translation import gettext_lazy as _l

from accounts.access import can_view_personal_data
from accounts.models import Department
from consultations.models import Consultation
from core.forms import KoeForm
from feedback.forms.fields import TownAddressInput
from feedback.models import Channel, Submission
from plans.models import Policy
from triage.selectors.queue import QueueFilters

# A 課 is labelled "部 課" (Department.__str__): read its 部 in the same query.
_DEPARTMENTS = Department.objects.select_related("parent")

CONFIDENCE_CHOICES = [
    ("", _l("指定なし")),
    ("0.5", _l("50%未満")),
    ("0.7", _l("70%未満")),
    ("0.9", _l("90%未満")),
]
ORDER_CHOICES = [
    ("confidence", _l("確信度の低い順")),
    ("newest", _l("新しい順")),
    ("oldest", _l("古い順")),
]


def _policy_choices():
    return [("", _l("すべて"))] + [(p.code, str(p)) for p in Policy.objects.order_by("code")]


class QueueFilterForm(KoeForm):
    q = forms.CharField(label=_l("本文を検索"), required=False, max_length=100)
    consultation = forms.ModelChoiceField(
        label=_l("案件"),
        queryset=Consultation.objects.order_by("-id"),
        required=False,
        empty_label=_l("すべて"),
    )
    channel = forms.ChoiceField(
        label=_l("提出方法"),
        required=False,
        choices=[("", _l("すべて")), *Channel.choices],
    )
    policy = forms.ChoiceField(label=_l("施策"), required=False)
    status = forms.ChoiceField(
        label=_l("状態"),
        required=False,
        choices=[("", _l("すべて")), *Submission.Status.choices],
    )
    department = forms.ModelChoiceField(
        label=_l("所管課"),
        queryset=_DEPARTMENTS,
        required=False,
        empty_label=_l("すべて"),
    )
    confidence_below = forms.ChoiceField(label=_l("分類の確信度"), required=False, choices=CONFIDENCE_CHOICES)
    group = forms.CharField(
        label=_l("同趣旨グループ"),
        required=False,
        max_length=64,
        widget=forms.HiddenInput,
    )
    date_from = forms.DateField(
        label=_l("受付日（から）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_l("受付日（まで）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    town = forms.CharField(
        label=_l("提出者の住所の町名"),
        required=False,
        max_length=50,
        help_text=_l(
            "例：青木2丁目（二丁目・２丁目・青木2-1-1 のどの書き方でも同じ町名に当たります）。丁目を省くとその町のすべての丁目。"
        ),
        widget=TownAddressInput(attrs={"autocomplete": "off"}),
    )
    order = forms.ChoiceField(label=_l("並び順"), required=False, choices=ORDER_CHOICES)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = _policy_choices()
        # The submitters' addresses are personal data: 広聴 and admins only.
        if user is None or not can_view_personal_data(user=user):
            del self.fields["town"]

    def filters(self) -> QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        below = data.get("confidence_below")
        return QueueFilters(
            consultation=data["consultation"].pk if data.get("consultation") else None,
            channel=data.get("channel", ""),
            policy=data.get("policy", ""),
            status=data.get("status", ""),
            department=data["department"].pk if data.get("department") else None,
            group=data.get("group", ""),
            confidence_below=float(below) if below else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=(data.get("q") or "").strip(),
            town=(data.get("town") or "").strip(),
            order=data.get("order") or "confidence",
        )


class BulkActionForm(KoeForm):
    ACTIONS = [
        ("assign", _l("所管課を割り当てる")),
        ("topic", _l("施策を確定する")),
        ("status", _l("状態を変更する")),
        ("group", _l("意見要旨に加える")),
    ]

    selected = forms.ModelMultipleChoiceField(
        label=_l("対象"),
        queryset=Submission.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _l("対象の提出を1件以上選んでください。")},
    )
    action = forms.ChoiceField(label=_l("一括操作"), choices=ACTIONS)
    department = forms.ModelChoiceField(label=_l("割り当てる所管課"), queryset=_DEPARTMENTS, required=False)
    policy = forms.ChoiceField(label=_l("確定する施策"), required=False)
    status = forms.ChoiceField(
        label=_l("変更後の状態"),
        required=False,
        choices=[
            ("", "―"),
            *[c for c in Submission.Status.choices if c[0] != Submission.Status.WITHDRAWN],
        ],
    )
    group_number = forms.IntegerField(
        label=_l("加える意見要旨の番号"),
        required=False,
        min_value=1,
        help_text=_l("パブリック・コメントの作業台に表示される番号（同じ案件の提出を選んでください）"),
    )

    def __init__(self, *args, visible, **kwargs):
        # The filter form on the same page has 所管課/施策/状態 fields too:
        # distinct ids keep each label tied to its own control.
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = visible
        self.fields["policy"].choices = [("", "―")] + _policy_choices()[1:]
        # The controls sit below the table but submit with its checkboxes.
        for field in self.fields.values():
            field.widget.attrs["form"] = "bulk-form"

    def clean(self):
        cleaned = super().clean()
        needed = {
            "assign": "department",
            "topic": "policy",
            "status": "status",
            "group": "group_number",
        }.get(cleaned.get("action"))
        if needed and not cleaned.get(needed):
            self.add_error(
                needed,
                _l("この操作には「%(label)s」の指定が必要です。") % {"label": self.fields[needed].label},
            )
        return cleaned


class NoteForm(KoeForm):
    text = forms.CharField(
        label=_l("内部メモ（公開されません）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": _l("メモの内容を入力してください。"),
            "max_length": _l("メモは%(limit_value)d文字以内で入力してください（現在%(show_value)d文字）。"),
        },
    )


class TopicForm(KoeForm):
    policy = forms.ChoiceField(
        label=_l("施策"),
        error_messages={"invalid_choice": _l("選んだ施策は見つかりません。一覧から選び直してください。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].choices = _policy_choices()[1:]


class AssignForm(KoeForm):
    department = forms.ModelChoiceField(
        label=_l("所管課"),
        queryset=_DEPARTMENTS,
        error_messages={"invalid_choice": _l("選んだ所管課は見つかりません。一覧から選び直してください。")},
    )
