"""What the submitter forms share: the identity fields (name, address,
contact), the 個人・団体・連名 fields and the opinion text box."""

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext

from core import towns
from core.forms import KoeForm
from core.jp import clean_kana, clean_phone, normalize_email, normalize_postcode
from core.text import validate_user_text
from feedback.models import Signer, SubmitterIdentity
from feedback.services.identity import (
    MAX_SIGNERS,
    identity_kind_problems,
    signer_label,
    submitter_kind_infer,
)

TEXT_LIMITS = {
    "name": 100,
    "name_kana": 100,
    "organization": 200,
    "representative": 100,
    "address": 300,
    "address_building": 200,
    "eligibility_detail": 200,
}


class TownAddressInput(forms.TextInput):
    """住所 with the city's 町名 offered as the resident types: an HTML <datalist>, no script.

    The options are 川口市 followed by each 町名 of the city's own list
    (core.towns), whose attribution (CC BY 4.0) is shown under the field.
    """

    template_name = "feedback/widgets/town_address.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        suggestions = towns.town_suggestions()
        if suggestions:
            list_id = f"{context['widget']['attrs'].get('id') or name}_towns"
            context["widget"]["attrs"]["list"] = list_id
            context["towns"] = {
                "list_id": list_id,
                "options": suggestions,
                "source": towns.ATTRIBUTION,
                "source_url": towns.ATTRIBUTION_URL,
                "license": towns.LICENSE,
                "license_url": towns.LICENSE_URL,
            }
        return context


class IdentityFields(KoeForm):
    """Name, address and contact; which are required depends on the case."""

    name = forms.CharField(
        label=_l("氏名"),
        required=False,
        max_length=100,
        help_text=_l("表示できない文字は近い字で入力し、その旨をご意見欄に書き添えてください。"),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    name_kana = forms.CharField(
        label=_l("ふりがな"),
        required=False,
        max_length=100,
        help_text=_l("ひらがな・カタカナどちらでも構いません。"),
    )
    organization = forms.CharField(
        label=_l("団体名（団体として提出する場合）"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    postcode = forms.CharField(
        label=_l("郵便番号"),
        required=False,
        max_length=10,
        help_text=_l("7桁の数字（例：332-8601）"),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    address = forms.CharField(
        label=_l("住所"),
        required=False,
        max_length=300,
        help_text=_l(
            "都道府県・市区町村から番地まで（例：川口市青木2-1-1）。川口市内の方は「川口市」に続けて町名を入力すると候補が表示されます。"
        ),
        widget=TownAddressInput(attrs={"autocomplete": "address-line1"}),
    )
    address_building = forms.CharField(
        label=_l("方書（建物名・部屋番号）"),
        required=False,
        max_length=200,
        help_text=_l("マンション・アパート名や部屋番号など（例：川口ハイツ203号室）。なければ空欄で構いません。"),
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    phone = forms.CharField(
        label=_l("電話番号"),
        required=False,
        max_length=20,
        help_text=_l("例：048-258-1110"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label=_l("メールアドレス"),
        required=False,
        max_length=254,
        help_text=_l("受付番号をお送りします。"),
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email"}),
    )

    def _clean_text(self, name):
        value = self.cleaned_data.get(name, "")
        return validate_user_text(
            value,
            max_chars=TEXT_LIMITS[name],
            field_label=str(self.fields[name].label),
            required=False,
        )

    def clean_name(self):
        return self._clean_text("name")

    def clean_organization(self):
        return self._clean_text("organization")

    def clean_address(self):
        return self._clean_text("address")

    def clean_address_building(self):
        return self._clean_text("address_building")

    def clean_name_kana(self):
        # As typed: the help text allows ひらがな or カタカナ.
        return clean_kana(self.cleaned_data.get("name_kana", ""))

    def clean_postcode(self):
        value = self.cleaned_data.get("postcode", "")
        return normalize_postcode(value) if value.strip() else ""

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        return clean_phone(value) if value.strip() else ""

    def clean_email(self):
        value = normalize_email(self.cleaned_data.get("email", ""))
        if value:
            forms.EmailField().clean(value)
        return value

    def identity(self) -> dict:
        keys = [name for name in self.fields if hasattr(SubmitterIdentity, name)]
        identity = {key: self.cleaned_data.get(key) for key in keys if self.cleaned_data.get(key)}
        signers = getattr(self, "signers", lambda: [])()
        if signers:
            identity["signers"] = signers
        return identity


# ---- 個人・団体・連名 (#15) ----

# Blank 連名者 rows a form offers; 「連名者の入力欄を増やす」 adds SIGNER_ROWS_MORE
# (a round trip to the server, so it works without JavaScript).
SIGNER_ROWS = 5
SIGNER_ROWS_MORE = 5
MORE_SIGNERS_STEP = "more_signers"


def _signer_rows_wanted(data) -> int:
    """How many 連名者 rows to show for what was posted: never fewer than were filled in."""
    if not data:
        return SIGNER_ROWS
    try:
        posted = int(data.get("signer_rows") or 0)
    except (TypeError, ValueError):
        posted = 0
    filled = 0
    for index in range(MAX_SIGNERS):
        if data.get(f"signer_{index}_name") or data.get(f"signer_{index}_address"):
            filled = index + 1
    rows = max(SIGNER_ROWS, min(posted, MAX_SIGNERS), filled)
    if data.get("step") == MORE_SIGNERS_STEP:
        rows += SIGNER_ROWS_MORE
    return min(rows, MAX_SIGNERS)


class SubmitterKindMixin:
    """提出者の種別 (個人・団体・連名), 代表者氏名 and the other 連名者 (氏名, optional 住所).

    A form calls ``add_submitter_kind_fields`` in its ``__init__``; the
    連名者 are ``signer_<i>_name`` / ``signer_<i>_address`` (i from 0: 連名者2,
    連名者3, …, as the 氏名 above is the first signer). ``strict``: the web
    form asks for the 代表者 of a 団体 and the 氏名 of a 連名's first signer;
    staff entry keeps paper as received, and intake flags what is missing.
    """

    strict_submitter_kind = True
    # The 連名者 block is shown right after this field.
    signers_after = "email"

    def add_submitter_kind_fields(self):
        kinds = SubmitterIdentity.Kind
        self.fields["submitter_kind"] = forms.ChoiceField(
            label=_l("提出者"),
            required=False,
            initial=kinds.INDIVIDUAL,
            widget=forms.RadioSelect,
            choices=[
                (kinds.INDIVIDUAL, _l("個人")),
                (kinds.ORGANIZATION, _l("団体（団体名と代表者氏名を入力）")),
                (kinds.JOINT, _l("連名（複数の方のお名前で提出）")),
            ],
            help_text=_l(
                "連名の場合は、「氏名」に連絡先となる方（1人目）を、下の「連名者」に2人目からの方のお名前を入力してください。"
            ),
        )
        self.fields["representative"] = forms.CharField(
            label=_l("代表者氏名（団体の場合）"),
            required=False,
            max_length=100,
        )
        rows = _signer_rows_wanted(self.data if self.is_bound else None)
        self.fields["signer_rows"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
        # A bound form shows what was posted: the hidden count says how many rows are shown now.
        if self.is_bound:
            self.data = self.data.copy()
            self.data["signer_rows"] = str(rows)
        else:
            self.initial = {**self.initial, "signer_rows": rows}
        for index in range(rows):
            label = signer_label(index)
            name = forms.CharField(
                label=_l("%(label)sの氏名") % {"label": label},
                required=False,
                max_length=Signer._meta.get_field("name").max_length,
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )
            address = forms.CharField(
                label=_l("%(label)sの住所（任意）") % {"label": label},
                required=False,
                max_length=Signer._meta.get_field("address").max_length,
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )
            name.is_signer = address.is_signer = True
            self.fields[f"signer_{index}_name"] = name
            self.fields[f"signer_{index}_address"] = address
        self._signer_count = rows

    def clean_representative(self):
        return validate_user_text(
            self.cleaned_data.get("representative", ""),
            max_chars=TEXT_LIMITS["representative"],
            field_label=str(self.fields["representative"].label),
            required=False,
        )

    def _clean_signers(self) -> list[dict]:
        signers = []
        for index in range(self._signer_count):
            row = {}
            for key in ("name", "address"):
                field_name = f"signer_{index}_{key}"
                if field_name in self.errors:
                    continue
                try:
                    row[key] = validate_user_text(
                        self.cleaned_data.get(field_name, ""),
                        max_chars=self.fields[field_name].max_length,
                        field_label=str(self.fields[field_name].label),
                        required=False,
                    )
                except forms.ValidationError as exc:
                    self.add_error(field_name, exc)
            if row.get("address") and not row.get("name"):
                self.add_error(
                    f"signer_{index}_name",
                    _("%(label)sの住所だけが入力されています。氏名も入力してください。")
                    % {"label": signer_label(index)},
                )
            elif row.get("name"):
                signers.append({key: value for key, value in row.items() if value})
        return signers

    def clean_submitter_kinds(self, cleaned):
        """Check the 種別 against what was typed; field errors name what to fix."""
        signers = self._clean_signers()
        chosen = cleaned.get("submitter_kind")
        kind = chosen or submitter_kind_infer(cleaned, signers)
        cleaned["submitter_kind"] = kind
        self._signers = signers
        kinds = SubmitterIdentity.Kind
        for key, message in identity_kind_problems(kind, cleaned, signers).items():
            self.add_error("signer_0_name" if key == "signers" else key, message)
        # Only when chosen on the form: an API caller, who has no such field, is not asked.
        if self.strict_submitter_kind and chosen:
            if kind == kinds.ORGANIZATION and not cleaned.get("representative") and "representative" not in self.errors:
                self.add_error("representative", _("団体として提出する場合は代表者氏名を入力してください。"))
            if kind == kinds.JOINT and not cleaned.get("name") and "name" not in self.errors:
                self.add_error("name", _("連名で提出する場合は、連絡先となる方（1人目）の氏名を入力してください。"))
        return cleaned

    def signers(self) -> list[dict]:
        return list(getattr(self, "_signers", []))

    def signer_pairs(self):
        """(氏名, 住所) bound fields of each 連名者 row, for the template."""
        return [(self[f"signer_{i}_name"], self[f"signer_{i}_address"]) for i in range(self._signer_count)]

    def signers_open(self) -> bool:
        """Show the 連名者 block open: 連名 chosen, a row filled in, or an error in it."""
        if not self.is_bound:
            return self.initial.get("submitter_kind") == SubmitterIdentity.Kind.JOINT
        if self.data.get("submitter_kind") == SubmitterIdentity.Kind.JOINT:
            return True
        return any(
            self.data.get(f"signer_{i}_{key}") or f"signer_{i}_{key}" in self.errors
            for i in range(self._signer_count)
            for key in ("name", "address")
        )

    def show_without_errors(self):
        """Re-show what was typed with more 連名者 rows, without judging it yet."""
        self._errors = ErrorDict()
        self.cleaned_data = {}

    def confirmation_skip(self) -> tuple[str, ...]:
        skip = ["signer_rows", *(f"signer_{i}_{key}" for i in range(self._signer_count) for key in ("name", "address"))]
        if self.cleaned_data.get("submitter_kind") != SubmitterIdentity.Kind.ORGANIZATION:
            skip.append("representative")
        return tuple(skip)

    def confirmation_extra_rows(self) -> list[tuple[str, str]]:
        if self.cleaned_data.get("submitter_kind") != SubmitterIdentity.Kind.JOINT:
            return []
        shown = []
        for index, signer in enumerate(self.signers()):
            text = f"{signer_label(index)} {signer['name']}"
            if signer.get("address"):
                text += pgettext("signer address", "（%(address)s）") % {"address": signer["address"]}
            shown.append(text)
        return [(_("連名者"), pgettext("list separator", "、").join(shown))]


OPINION_LABEL = _l("ご意見")


def opinion_field(max_chars: int, label=OPINION_LABEL) -> forms.CharField:
    # No max_length on the widget: a browser would silently cut the text;
    # the server counts code points and says how much is over.
    return forms.CharField(
        label=label,
        required=True,
        strip=False,
        help_text=_l("%(max)s文字以内。改行できます。") % {"max": f"{max_chars:,}"},
        widget=forms.Textarea(
            attrs={
                "rows": 12,
                "data-max-chars": max_chars,
                # static/js/charcount.js says the count in the page's language.
                "data-count-text": _l("現在 %(n)s 文字（あと %(left)s 文字）"),
                "data-count-over-text": _l("現在 %(n)s 文字（%(over)s 文字多すぎます）"),
            }
        ),
        error_messages={"required": _l("ご意見を入力してください。")},
    )
