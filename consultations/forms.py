"""Staff forms for running a sampled survey: issuing invitation codes and recording 督促;
and for 案の取り下げ.

The survey pages are results.staff_views.survey_operations; the writes are
consultations.survey_operations, which checks everything again. The
withdrawal page is consultations.staff_views.withdraw (consultation_withdraw).
"""

from django import forms
from django.utils.translation import gettext_lazy as _l

from consultations.services import WITHDRAWAL_REASON_MAX_CHARS
from consultations.survey_operations import INVITATION_BATCH_MAX, NOTE_MAX_CHARS
from core.forms import KoeForm

NUMBER_WIDGET = forms.NumberInput(attrs={"inputmode": "numeric"})


class InvitationIssueForm(KoeForm):
    count = forms.IntegerField(
        label=_l("発行する数"),
        min_value=1,
        max_value=INVITATION_BATCH_MAX,
        widget=NUMBER_WIDGET,
        help_text=_l("依頼状を送る人数（1回に5,000まで）。コードは発行した後の画面でだけ印刷・CSV出力できます。"),
        error_messages={
            "invalid": _l("発行する数は半角数字の整数で入力してください。"),
            "min_value": _l("発行する数は1以上にしてください。"),
            "max_value": _l("発行する数は1回に5,000までです。それより多いときは分けて発行してください。"),
        },
    )
    note = forms.CharField(
        label=_l("発行の備考"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        help_text=_l("例：住民基本台帳から無作為抽出した18歳以上の市民（200文字まで）"),
    )


class ReminderWaveForm(KoeForm):
    sent_on = forms.DateField(
        label=_l("発送日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_l("督促（礼状兼督促はがき等）を発送した日。例：2026-06-10"),
        error_messages={"invalid": _l("発送日は 2026-06-10 の形で、実在する日付を入力してください。")},
    )
    sent_count = forms.IntegerField(
        label=_l("発送数"),
        min_value=1,
        widget=NUMBER_WIDGET,
        help_text=_l("発送した通数（半角数字）"),
        error_messages={
            "invalid": _l("発送数は半角数字の整数で入力してください。"),
            "min_value": _l("発送数は1以上にしてください。"),
        },
    )
    note = forms.CharField(
        label=_l("督促の備考"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        help_text=_l("例：礼状兼督促はがき（全員に送付）"),
    )


class ConsultationWithdrawForm(KoeForm):
    """案の取り下げ: the reason, published with the title and the date."""

    reason = forms.CharField(
        label=_l("取り下げの理由"),
        max_length=WITHDRAWAL_REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_l(
            "案件のページ・一覧・更新情報（Atom）にそのまま公表されます。"
            "例：国の制度改正により、計画の前提が変わったため。改めて案を作成する場合はその旨も書いてください。"
        ),
    )
