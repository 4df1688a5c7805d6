"""案の版 (#15): a draft changed after 公示 becomes a new version, with its reason and an audit row.

Before 公示 (準備中, or 公開予定 before its start) the 該当箇所 and 資料 of a
draft change freely. Once residents may read it (募集中 and after), a change
of a 該当箇所's 番号・見出し・本文・ページ or of a 資料's 名称・ファイル・案本体
goes through consultation_draft_revise: it needs a reason, which is
published with the change (the case page's 「変更履歴」), adds one
DraftVersion (第2版, 第3版…) and raises Consultation.draft_version, which
intake records on each submission (Submission.draft_version) so staff know
which text an opinion was written against. The Django admin's 該当箇所 and
資料 inlines save through it (consultations.admin). Order alone is not a
change of the text and makes no version.

A 該当箇所 cannot be deleted after 公示 (opinions point at its number); a
資料 can, and its file stays reachable from the history. A case whose results
are published, or that was withdrawn, keeps the draft it ended with.

Services as in consultations.services (keyword-only, atomic, one audit row);
a module of its own because consultations/services.py is past the size at
which a module is split by subdomain.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Attachment, Consultation, DraftSection, DraftVersion
from core.services import audit_record
from core.text import validate_user_text

# What a version records, per model; other fields (表示順) change silently.
TRACKED_FIELDS: dict[type, tuple[str, ...]] = {
    DraftSection: ("number", "heading", "body", "page_label"),
    Attachment: ("title", "file", "is_draft"),
}
KIND_OF = {DraftSection: "section", Attachment: "attachment"}
REASON_MAX_CHARS = 1000
# Seen by the public since these states (a 公開予定 case once its start has come).
ANNOUNCED_STATUSES = (
    Consultation.Status.OPEN,
    Consultation.Status.CLOSED,
    Consultation.Status.PUBLISHED,
    Consultation.Status.WITHDRAWN,
)
# The draft a case ended with is the record: no further version.
FINAL_STATUSES = (Consultation.Status.PUBLISHED, Consultation.Status.WITHDRAWN)


@dataclass(frozen=True)
class DraftEdit:
    """One 該当箇所 or 資料 of the case to save (new, or with its new values set on it) or to delete."""

    obj: DraftSection | Attachment
    delete: bool = False


def draft_is_announced(consultation: Consultation, *, now: datetime.datetime | None = None) -> bool:
    """True once residents may read the draft: 募集中 or after (a 公開予定 case from its start)."""
    if consultation.status in ANNOUNCED_STATUSES:
        return True
    now = now or timezone.now()
    return bool(
        consultation.status == Consultation.Status.SCHEDULED and consultation.opens_at and consultation.opens_at <= now
    )


def draft_fields_tracked(model: type, fields: Sequence[str]) -> bool:
    """True when changing ``fields`` of a 該当箇所 or 資料 is a change of the draft (a new version)."""
    return bool(set(fields) & set(TRACKED_FIELDS[model]))


def _value(obj, name: str):
    value = getattr(obj, name)
    if name == "file":
        return value.name or ""
    return value


def _values(obj) -> dict:
    return {name: _value(obj, name) for name in TRACKED_FIELDS[type(obj)]}


def _label(obj) -> str:
    if isinstance(obj, DraftSection):
        return f"{obj.number} {obj.heading}".strip()
    return obj.title


def _changed_fields(edit: DraftEdit, stored) -> list[str]:
    """The tracked fields an edit changes (all of them for a new or deleted one)."""
    fields = TRACKED_FIELDS[type(edit.obj)]
    if edit.delete or stored is None:
        return list(fields)
    changed = []
    for name in fields:
        if name == "file":
            # A new upload is uncommitted until saved, whatever its name.
            if not getattr(edit.obj.file, "_committed", True) or _value(edit.obj, name) != _value(stored, name):
                changed.append(name)
        elif _value(edit.obj, name) != _value(stored, name):
            changed.append(name)
    return changed


def _check(consultation: Consultation, edits: Sequence[DraftEdit]) -> None:
    for edit in edits:
        if type(edit.obj) not in TRACKED_FIELDS:
            raise TypeError(f"not a draft part: {type(edit.obj).__name__}")
        if edit.obj.consultation_id != consultation.pk:
            raise ValueError("every edit must belong to the consultation")


@transaction.atomic
def consultation_draft_revise(
    *,
    actor,
    consultation: Consultation,
    edits: Sequence[DraftEdit],
    reason: str = "",
    ip_address: str | None = None,
) -> DraftVersion | None:
    """Save and delete 該当箇所 and 資料 of one case; after 公示, as its next version.

    Returns the new DraftVersion, or None when nothing the public reads
    changed (before 公示, or only the order). After 公示 a change needs
    ``reason`` (published in the 変更履歴), a 該当箇所 cannot be deleted,
    and a published or withdrawn case refuses any change; the version keeps
    each changed field before and after (a file by its stored name, so the
    earlier file stays linked) and one ``consultation.draft_revise`` audit
    row names what changed.
    """
    stored_case = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _check(stored_case, edits)
    if not draft_is_announced(stored_case):
        for edit in edits:
            if edit.delete:
                edit.obj.delete()
            else:
                edit.obj.save()
        return None
    stored_rows = {
        id(edit): type(edit.obj).objects.filter(pk=edit.obj.pk).first() if edit.obj.pk else None for edit in edits
    }
    planned = [(edit, _changed_fields(edit, stored_rows[id(edit)])) for edit in edits]
    if any(fields for _edit, fields in planned):
        if stored_case.status in FINAL_STATUSES:
            raise ValidationError(
                _("%(status)sの案件の案は変更できません（案は最後の版のまま記録に残ります）。")
                % {"status": stored_case.get_status_display()},
                code="final",
            )
        for edit, _fields in planned:
            if edit.delete and isinstance(edit.obj, DraftSection):
                raise ValidationError(
                    _(
                        "公示後は該当箇所「%(label)s」を削除できません。意見がこの番号を指しているため、"
                        "本文を改めてください（変更は変更履歴に公表されます）。"
                    )
                    % {"label": _label(stored_rows[id(edit)] or edit.obj)},
                    code="section_delete",
                )
        try:
            reason = validate_user_text(reason, max_chars=REASON_MAX_CHARS, field_label=_("案を変更する理由"))
        except ValidationError as exc:
            raise ValidationError({"reason": exc}) from exc
    changes = []
    for edit, fields in planned:
        stored = stored_rows[id(edit)]
        before = _values(stored) if stored is not None else {}
        kind = KIND_OF[type(edit.obj)]
        if edit.delete:
            label = _label(stored or edit.obj)
            edit.obj.delete()
            changes.append(
                {"kind": kind, "action": "removed", "label": label, "fields": {n: [before[n], None] for n in fields}}
            )
            continue
        edit.obj.save()
        if not fields:
            continue
        after = _values(edit.obj)
        if stored is None:
            entry = {"action": "added", "fields": {n: [None, after[n]] for n in fields if after[n] not in ("", False)}}
        else:
            entry = {"action": "changed", "fields": {n: [before[n], after[n]] for n in fields if before[n] != after[n]}}
        if entry["fields"] or entry["action"] == "added":
            changes.append({"kind": kind, "label": _label(edit.obj), **entry})
    if not changes:
        return None
    number = stored_case.draft_version + 1
    version = DraftVersion.objects.create(
        consultation=stored_case,
        number=number,
        changes=changes,
        reason=reason,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    stored_case.draft_version = number
    stored_case.save(update_fields=["draft_version", "updated_at"])
    consultation.draft_version = number
    audit_record(
        actor=actor,
        action="consultation.draft_revise",
        target=stored_case,
        summary=f"第{number}版：{reason}",
        before={"draft_version": number - 1},
        after={
            "draft_version": number,
            "reason": reason,
            "changes": [
                {"kind": c["kind"], "action": c["action"], "label": c["label"], "fields": sorted(c["fields"])}
                for c in changes
            ],
        },
        ip_address=ip_address,
    )
    return version
