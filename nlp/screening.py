"""The screen every staff-written text passes before it becomes public.

A 意見の概要, 市の考え方 or 修正後の文案 of a results table and the 要旨 of a
市長への手紙 are written by staff, often from a draft built on a masked
submission, and are published as they are. Before they are, the services
that publish them (results.services.publication, opinions' final approval of
a group already public, letters.services.filing) call ``public_text_guard``:

- ``public_text_screen`` runs the personal-data detector of ``nlp.pii``
  (氏名, 住所, 電話番号, メールアドレス, 郵便番号, マイナンバー, 生年月日)
  and looks for the masking placeholders ``nlp.pii.MASKS`` leaves
  (``XXX-XXXX-XXXX``, ``〇〇`` …) — a draft published unedited;
- a finding refuses the publication with a message naming the field and
  the text found (``市の考え方（意見番号 3）に電話番号「048-…」が含まれています。``);
- 広聴 (``accounts.access.may_publish_flagged_text``) may publish anyway,
  ticking the override and giving a reason; the override is an audit row
  listing what was found. Nobody else may.

This is the NLP shell (it speaks Django: messages, errors, audit); the
detector itself stays in the Django-free ``nlp.pii``.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import may_publish_flagged_text
from core.services import audit_record
from nlp.pii import PLACEHOLDER, find_pii, placeholder_spans

# The form / serializer field names of the override, the same on every page and API.
OVERRIDE_FIELD = "screen_override"
OVERRIDE_REASON_FIELD = "screen_override_reason"
OVERRIDE_LABEL = gettext_lazy("個人情報の指摘を確認したうえで公表する（広聴担当のみ）")
OVERRIDE_REASON_LABEL = gettext_lazy("公表して差し支えない理由")
OVERRIDE_AUDIT_ACTION = "public_text.screen_override"

KIND_LABELS = {
    "person": gettext_lazy("氏名"),
    "address": gettext_lazy("住所"),
    "phone": gettext_lazy("電話番号"),
    "email": gettext_lazy("メールアドレス"),
    "postcode": gettext_lazy("郵便番号"),
    "mynumber": gettext_lazy("マイナンバー（個人番号）"),
    "birthdate": gettext_lazy("生年月日"),
    PLACEHOLDER: gettext_lazy("伏せ字（自動で伏せた箇所）"),
}
# A found span is quoted in the message; a long one is cut.
QUOTE_MAX_CHARS = 40


@dataclass(frozen=True)
class PublicText:
    """One text about to be published.

    ``label`` names it for people (``市の考え方（意見番号 3）``); ``field`` is
    the form or API field it came from, so the error sits beside it (None:
    the error is about the page as a whole).
    """

    label: str
    text: str
    field: str | None = None


@dataclass(frozen=True)
class PublicTextFinding:
    label: str
    field: str | None
    kind: str
    found: str
    start: int
    end: int

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def message(self) -> str:
        found = self.found if len(self.found) <= QUOTE_MAX_CHARS else self.found[:QUOTE_MAX_CHARS] + "…"
        if self.kind == PLACEHOLDER:
            template = _("%(label)sに伏せ字「%(found)s」が残っています。自動作成の下書きを編集してください。")
        else:
            template = _("%(label)sに%(kind)s「%(found)s」が含まれています。")
        return template % {"label": self.label, "kind": self.kind_label, "found": found}

    def as_json(self) -> dict:
        return {"field": self.label, "kind": self.kind, "text": self.found, "start": self.start, "end": self.end}


def public_text_screen(texts: Iterable[PublicText]) -> list[PublicTextFinding]:
    """Return the personal data and leftover placeholders in ``texts``, in order.

    Placeholders are looked for first: a 〇〇 is not also reported as a name.
    """
    findings: list[PublicTextFinding] = []
    for item in texts:
        text = item.text or ""
        if not text.strip():
            continue
        spans = placeholder_spans(text)
        taken = [(s.start, s.end) for s in spans]
        for span in find_pii(text):
            if all(span.end <= start or end <= span.start for start, end in taken):
                spans.append(span)
        for span in sorted(spans, key=lambda s: s.start):
            findings.append(
                PublicTextFinding(
                    label=item.label,
                    field=item.field,
                    kind=span.type,
                    found=text[span.start : span.end],
                    start=span.start,
                    end=span.end,
                )
            )
    return findings


def _refusal(findings: list[PublicTextFinding], extra: dict[str, str] | None = None) -> ValidationError:
    """One error per finding, beside its field (or for the page), and how to go on."""
    errors: dict[str, list[ValidationError]] = {}
    for finding in findings:
        errors.setdefault(finding.field or NON_FIELD_ERRORS, []).append(
            ValidationError(finding.message, code="personal_data_in_public_text")
        )
    errors.setdefault(NON_FIELD_ERRORS, []).append(
        ValidationError(
            _(
                "公表する文章に個人情報または伏せ字が含まれているため公表できません。該当箇所を修正してください。"
                "広聴担当は、内容を確認して差し支えない場合に限り「%(override)s」を選び、理由を入力して公表できます。"
            )
            % {"override": OVERRIDE_LABEL},
            code="personal_data_in_public_text",
        )
    )
    for field, message in (extra or {}).items():
        errors.setdefault(field, []).append(ValidationError(message, code="override_refused"))
    return ValidationError(errors)


def override_offered(form) -> bool:
    """True once the screen has refused on this bound form, or its override is ticked.

    Pages show the override (checkbox and reason) only then, so it is never
    the first thing staff reach for.
    """
    if not form.is_bound:
        return False
    refused = any(
        error.code in ("personal_data_in_public_text", "override_refused")
        for errors in form.errors.as_data().values()
        for error in errors
    )
    return refused or bool(form.data.get(form.add_prefix(OVERRIDE_FIELD)))


def public_text_guard(
    *,
    actor,
    texts: Iterable[PublicText],
    target,
    override: bool = False,
    override_reason: str = "",
    ip_address: str | None = None,
) -> list[PublicTextFinding]:
    """Refuse to publish ``texts`` while the screen finds anything, unless 広聴 overrides.

    Call inside the publishing service's transaction, before it writes. With
    nothing found it returns []; with findings it raises ValidationError
    (field-keyed, plus a page-level note), or — when ``override`` is set by a
    user ``may_publish_flagged_text`` with a reason — writes an audit row
    ``public_text.screen_override`` on ``target`` (the findings and the
    reason) and returns the findings.
    """
    findings = public_text_screen(texts)
    if not findings:
        return []
    if not override:
        raise _refusal(findings)
    if not may_publish_flagged_text(user=actor):
        raise _refusal(findings, {OVERRIDE_FIELD: _("個人情報の指摘を確認して公表できるのは広聴担当だけです。")})
    reason = (override_reason or "").strip()
    if not reason:
        raise _refusal(findings, {OVERRIDE_REASON_FIELD: _("公表して差し支えない理由を入力してください。")})
    audit_record(
        actor=actor,
        action=OVERRIDE_AUDIT_ACTION,
        target=target,
        summary=reason,
        after={"reason": reason, "findings": [f.as_json() for f in findings]},
        ip_address=ip_address,
    )
    return findings
