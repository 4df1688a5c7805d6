"""Forms of the 漏えい等事案 pages (accounts.incident_views); core.incidents.services checks again."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _l

from core.forms import KoeForm
from core.incidents.models import Incident
from core.incidents.rules import PERSON_THRESHOLD
from core.incidents.services import TEXT_MAX_CHARS

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _datetime_field(label, *, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=help_text,
        error_messages={"invalid": _l("日時は 2026-12-08 09:30 の形で、実在する日時を入力してください。")},
    )


def _text(label, name, *, required=True, rows=4, help_text=""):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label, required=required, max_length=TEXT_MAX_CHARS[name], widget=widget, help_text=help_text, strip=False
    )


NO_NAMES = _l("被害を受けた本人の氏名・住所などは書かないでください（人数と情報の項目で記録します）。")


class IncidentForm(KoeForm):
    """The facts of an incident: what the 報告義務 is judged on."""

    title = _text(_l("件名"), "title", rows=0, help_text=_l("例：市長への手紙の回答メールの誤送信"))
    discovered_at = _datetime_field(
        _l("発覚日時"),
        help_text=_l(
            "市のいずれかの職員が事態を知った日時。報告の期限はこの日を1日目として数えます。例：2026-12-08 09:30"
        ),
    )
    occurred_at = _datetime_field(
        _l("発生日時"), required=False, help_text=_l("分かれば入力します（分からなければ空欄）。")
    )
    description = _text(
        _l("事案の概要"),
        "description",
        rows=5,
        help_text=format_lazy("{} {}", _l("何が起きたか、どのように分かったか。"), NO_NAMES),
    )
    data_items = _text(
        _l("漏えい等した個人情報の項目"),
        "data_items",
        rows=3,
        help_text=_l("例：氏名、住所、メールアドレス、手紙の本文（健康状態の記載を含む）"),
    )
    sensitive = forms.BooleanField(
        label=_l("要配慮個人情報を含む"),
        required=False,
        help_text=_l(
            "人種、信条、社会的身分、病歴、犯罪の経歴、犯罪により害を被った事実、心身の障害、健康診断等の結果など（個人情報保護法2条3項）。"
        ),
    )
    ordinance_sensitive = forms.BooleanField(
        label=_l("条例要配慮個人情報を含む"),
        required=False,
        help_text=_l("市の個人情報保護法施行条例で定めた条例要配慮個人情報がある場合だけ該当します。"),
    )
    financial_harm = forms.BooleanField(
        label=_l("不正に利用されると財産的被害が生じるおそれがある"),
        required=False,
        help_text=_l("例：クレジットカード番号、口座番号と暗証番号、ネットバンキングのID・パスワード。"),
    )
    improper_purpose = forms.BooleanField(
        label=_l("不正の目的をもって行われたおそれがある"),
        required=False,
        help_text=_l("例：不正アクセス、ウイルス感染、盗難、職員や委託先による持ち出し。確報の期限が60日になります。"),
    )
    persons = forms.IntegerField(
        label=_l("本人の数"),
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=format_lazy(
            _l(
                "漏えい等した（おそれを含む）個人情報の本人の数。{n}人を超えると報告対象です。分からないときは推定した数。"
            ),
            n=PERSON_THRESHOLD,
        ),
        error_messages={
            "invalid": _l("本人の数は半角数字の整数で入力してください。"),
            "min_value": _l("本人の数は1以上にしてください。"),
        },
    )
    persons_estimated = forms.BooleanField(
        label=_l("本人の数は推定"), required=False, help_text=_l("確定していない数のとき選びます。")
    )
    protected = forms.BooleanField(
        label=_l("高度な暗号化等の措置が講じられていた"),
        required=False,
        help_text=_l(
            "第三者が見られない水準の暗号化がされ、復号の鍵は漏えいしていない場合など。"
            "この場合はどの事由にも当たらず、報告と本人への通知は義務ではありません。迷うときは選ばないでください。"
        ),
    )
    systems = _text(
        _l("関係するシステム・ページ"),
        "systems",
        rows=3,
        help_text=_l("例：Koe 市長への手紙の回答送付（/staff/letters/）、職員のメール"),
    )
    containment = _text(
        _l("被害の拡大防止の措置"),
        "containment",
        rows=4,
        help_text=_l("例：誤送信先に削除を依頼し削除を確認、該当ページを非公開にした、パスワードを変更した。"),
    )
    cause = _text(_l("原因"), "cause", required=False, rows=3, help_text=_l("分かった段階で入力します。"))
    prevention = _text(_l("再発防止策"), "prevention", required=False, rows=3, help_text=_l("確報までに入力します。"))

    FACT_GROUPS = (
        (_l("事案"), ("title", "discovered_at", "occurred_at", "description", "systems")),
        (_l("漏えい等した個人情報"), ("data_items", "persons", "persons_estimated")),
        (
            _l("報告義務の判断（個人情報保護法68条・施行規則43条）"),
            ("sensitive", "ordinance_sensitive", "financial_harm", "improper_purpose", "protected"),
        ),
        (_l("対応"), ("containment", "cause", "prevention")),
    )

    def groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FACT_GROUPS]


# The detail page holds the three forms below at once: a prefix each keeps their ids apart.


class ReportForm(KoeForm):
    prefix = "report"
    kind = forms.ChoiceField(
        label=_l("報告の種類"),
        choices=Incident.Report.choices,
        widget=forms.RadioSelect,
        help_text=_l("1回の報告ですべての報告事項を報告したときは「速報と確報を兼ねる報告」を選びます。"),
    )
    sent_at = _datetime_field(
        _l("報告した日時"), help_text=_l("個人情報保護委員会に報告を送った日時。例：2026-12-10 15:00")
    )
    note = _text(
        _l("報告の備考"),
        "note",
        required=False,
        rows=0,
        help_text=_l("例：委員会の報告フォームで送信（受付番号 ○○）"),
    )


class NoticeForm(KoeForm):
    prefix = "notice"
    notice = forms.ChoiceField(label=_l("本人への対応"), choices=Incident.Notice.choices, widget=forms.RadioSelect)
    notice_at = _datetime_field(_l("本人への対応の日時"), help_text=_l("通知した日時、または代替措置をとった日時。"))
    method = _text(
        _l("通知の方法"),
        "notice_method",
        required=False,
        rows=0,
        help_text=_l("「本人へ通知した」とき入力します。例：郵送（○人）、メール（○人）"),
    )
    difficulty = _text(
        _l("通知が困難な理由"),
        "notice_difficulty",
        required=False,
        rows=3,
        help_text=_l("「代替措置」のとき入力します。例：連絡先を保有していない。"),
    )
    substitute = _text(
        _l("代替措置"),
        "notice_substitute",
        required=False,
        rows=3,
        help_text=_l("「代替措置」のとき入力します。例：市ホームページで事案を公表し、問い合わせ窓口を設けた。"),
    )


class CloseForm(KoeForm):
    prefix = "close"
    note = _text(
        _l("終結の記録"),
        "closing_note",
        rows=4,
        help_text=_l("対応の結果と再発防止策の実施状況。終結すると、この事案は変更できなくなります。"),
    )
    confirm = forms.BooleanField(
        label=_l("報告・本人への対応・再発防止策を確認し、事案を終結します"),
        error_messages={"required": _l("終結する前に、確認の欄を選んでください。")},
    )
