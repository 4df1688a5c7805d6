"""Reads of consultations, with what the public may see decided here."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from consultations.models import Attachment, Consultation, DraftSection, DraftVersion
from core.templatetags.wareki import wareki_date
from core.text import text_diff

PUBLIC_STATUSES = (
    Consultation.Status.OPEN,
    Consultation.Status.CLOSED,
    Consultation.Status.PUBLISHED,
    Consultation.Status.WITHDRAWN,
)


def consultation_list_public(*, kind: str | None = None, status: str | None = None) -> QuerySet[Consultation]:
    """Return consultations the public may see, soonest deadline first."""
    qs = (
        Consultation.objects.filter(status__in=PUBLIC_STATUSES)
        .exclude(kind=Consultation.Kind.LETTER)
        .select_related("department", "department__parent")
        .prefetch_related("policies")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "closes_at", "-id")


def consultation_list_open(*, kind: str | None = None) -> QuerySet[Consultation]:
    return consultation_list_public(kind=kind, status=Consultation.Status.OPEN)


def consultation_get_public(*, pk: int) -> Consultation | None:
    return (
        consultation_list_public()
        .prefetch_related("sections", "attachments", "questions__choices")
        .filter(pk=pk)
        .first()
    )


def consultation_get_for_intake(*, pk: int) -> Consultation | None:
    """A public consultation with only what its submit form needs: the 該当箇所 of a パブリック・コメント.

    The submit POST is the deadline's hot path (every resident's final
    click); the detail page's prefetches (施策, attachments, questions) and
    joins cost it about a third of its time and are never read there. The
    survey form loads its own questions and choices.
    """
    consultation = (
        Consultation.objects.filter(status__in=PUBLIC_STATUSES)
        .exclude(kind=Consultation.Kind.LETTER)
        .filter(pk=pk)
        .first()
    )
    if consultation is not None and consultation.kind == Consultation.Kind.PUBLIC_COMMENT:
        prefetch_related_objects([consultation], "sections")
    return consultation


def consultation_get_letter() -> Consultation | None:
    """Return the always-open 市長への手紙 channel, if the city runs one."""
    return (
        Consultation.objects.filter(kind=Consultation.Kind.LETTER, status=Consultation.Status.OPEN)
        .order_by("id")
        .first()
    )


def consultation_is_accepting(consultation: Consultation, *, now=None) -> bool:
    """True while residents may submit through the web or API."""
    if consultation.status != Consultation.Status.OPEN:
        return False
    if consultation.is_always_open:
        return True
    now = now or timezone.now()
    if consultation.opens_at and now < consultation.opens_at:
        return False
    return not (consultation.closes_at and now > consultation.closes_at)


def consultation_accepts_paper(consultation: Consultation) -> bool:
    """True while staff may still enter paper/FAX/e-mail submissions."""
    return consultation.status in (Consultation.Status.OPEN, Consultation.Status.CLOSED)


def consultation_list_for_staff_entry() -> QuerySet[Consultation]:
    return Consultation.objects.filter(status__in=(Consultation.Status.OPEN, Consultation.Status.CLOSED)).order_by(
        "kind", "-id"
    )


def consultation_not_accepting_message(consultation: Consultation) -> str:
    """Why a case refuses a submission now, in the words the resident reads."""
    if consultation.status == Consultation.Status.WITHDRAWN:
        when = timezone.localdate(consultation.withdrawn_at) if consultation.withdrawn_at else None
        if when is None:
            return _("この案件は取り下げられたため、意見を受け付けていません。")
        # 2026年12月8日 in Japanese (the API's words); 8 December 2026 on an English page.
        japanese = (get_language() or "ja") in ("ja", "ja-easy")
        return _("この案件は%(date)sに取り下げられたため、意見を受け付けていません。") % {
            "date": f"{when:%Y年%-m月%-d日}" if japanese else wareki_date(when)
        }
    return _("この案件は現在、意見を受け付けていません。募集期間をご確認ください。")


# ---- 案の版 and its 変更履歴 (consultations.drafts writes them) ----


def draft_version_on(consultation: Consultation, *, day: datetime.date | None = None) -> int:
    """The version of the draft residents could read: now, or at the end of ``day`` (a paper 到着日).

    Costs no query while the draft has never changed.
    """
    if consultation.draft_version <= 1 or day is None:
        return consultation.draft_version
    tz = timezone.get_default_timezone()
    next_day = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    latest = DraftVersion.objects.filter(consultation=consultation, created_at__lt=next_day).aggregate(n=Max("number"))[
        "n"
    ]
    return latest or 1


@dataclass(frozen=True)
class DraftFile:
    label: str  # 変更前のファイル / 変更後のファイル
    name: str
    url: str


@dataclass(frozen=True)
class DraftChange:
    """One 該当箇所 or 資料 changed by a version, as the public reads it."""

    what: SafeString  # HTML: the words escaped, the label in <span lang="ja">
    diffs: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # (項目, core.text.text_diff runs)
    files: list[DraftFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DraftVersionView:
    number: int
    created_at: datetime.datetime
    reason: str
    changes: list[DraftChange]


_MODEL_OF_KIND = {"section": DraftSection, "attachment": Attachment}
_TEXT_FIELDS = {"number", "heading", "body", "page_label", "title"}


def _field_label(kind: str, name: str) -> str:
    return str(_MODEL_OF_KIND[kind]._meta.get_field(name).verbose_name)


def _what(entry: dict) -> SafeString:
    """「該当箇所「2-1 歩道の整備」の本文を変更」 in the page's language; the label (as staff wrote it) marked Japanese."""
    kind, action = entry["kind"], entry["action"]
    section = kind == "section"
    if action == "added":
        message = _("該当箇所「%(label)s」を追加") if section else _("資料「%(label)s」を追加")
    elif action == "removed":
        message = _("該当箇所「%(label)s」を削除") if section else _("資料「%(label)s」を削除")
    else:
        message = _("該当箇所「%(label)s」の%(fields)sを変更") if section else _("資料「%(label)s」の%(fields)sを変更")
    separator = pgettext("inline separator", "・")
    fields = separator.join(_field_label(kind, name) for name in entry.get("fields", {}))
    # Every part is escaped here: the words, the label and the field names.
    return mark_safe(
        conditional_escape(message)
        % {"label": format_html('<span lang="ja">{}</span>', entry["label"]), "fields": conditional_escape(fields)}
    )


def _change(entry: dict) -> DraftChange:
    kind = entry["kind"]
    storage = Attachment._meta.get_field("file").storage
    diffs, files, notes = [], [], []
    for name, (before, after) in entry["fields"].items():
        if name in _TEXT_FIELDS and entry["action"] != "removed":
            diffs.append((_field_label(kind, name), text_diff(base=before or "", other=after or "")))
        elif name == "file":
            for label, value in ((_("変更前のファイル"), before), (_("変更後のファイル"), after)):
                if value:
                    files.append(DraftFile(label=label, name=value.rsplit("/", 1)[-1], url=storage.url(value)))
        elif name == "is_draft" and entry["action"] == "changed":
            notes.append(_("案本体に指定しました。") if after else _("案本体の指定を外しました。"))
    return DraftChange(what=_what(entry), diffs=diffs, files=files, notes=notes)


def draft_history(*, consultation: Consultation) -> list[DraftVersionView]:
    """The 変更履歴 of a draft after 公示, newest first: date, what changed (with the diff), reason."""
    return [
        DraftVersionView(
            number=version.number,
            created_at=version.created_at,
            reason=version.reason,
            changes=[_change(entry) for entry in version.changes],
        )
        for version in DraftVersion.objects.filter(consultation=consultation).order_by("-number")
    ]
