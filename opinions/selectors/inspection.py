"""The 閲覧用の写し of a パブリック・コメント case and its 墨塗り記録 (reads).

行政手続法43条2項: when only the 意見の概要 are published, the opinions as
received are kept available (窓口での閲覧, or a copy on request); 43条3項
lets the city leave out what would harm a third party. The copy built here
is every submission of the case the reader may see (``submission_list_visible_to``;
取り下げ left out), in 受付番号 order, each with its 受付番号, 受付日,
提出方法 and 該当箇所 and its text as the newest analysis masked it
(``nlp.selectors.latest_maskings``) — for every reader, 広聴 too: the copy is
for people outside the city hall, so it never holds an original.

What is withheld beyond the masking, and why:

- a submission not masked yet (no analysis) is withheld whole: 「マスク処理が済んでいない」;
- staff decisions (``InspectionRedaction``): a whole submission, or a passage
  shown as ``REDACTION_MARK``;
- the 意見 of a 意見要旨 withheld from the published table
  (``opinion_group_withhold``, 43条3項) are blacked out as passages, with
  that reason and whoever withheld it;
- the text then passes the screen the published texts pass
  (``nlp.screening.public_text_screen``); the masks themselves are expected
  in a masked text, anything else it finds (a name or phone number the
  masking missed) withholds the submission whole, naming only the kinds.

The 墨塗り記録 lists each of these per submission — the kinds of personal
data masked (from the analysis's spans, never their values), passages and
submissions withheld, with the reason, by whom (システム or the member of
staff) and when. Nothing here writes; the pages audit each generation
(``opinions.services.inspection.inspection_copy_generated``).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.models import Consultation
from core.models import AuditEvent
from feedback.models import Submission
from feedback.selectors import submission_list_visible_to
from nlp.pii import PLACEHOLDER
from nlp.screening import KIND_LABELS, PublicText, public_text_screen
from nlp.selectors import Masking, latest_maskings
from opinions.models import InspectionRedaction, OpinionGroup, OpinionItem
from opinions.selectors.text import item_offsets, masked_excerpt, masked_span_to_original

REDACTION_MARK = "［墨塗り］"
COPY_LABEL = gettext_lazy("閲覧用（個人情報をマスク済み）")

# 墨塗り記録: what was done.
KIND_MASKED = "masked"
KIND_SUBMISSION = "submission"
KIND_PASSAGE = "passage"
KIND_SECTION = "section"
KIND_LABELS_LOG = {
    KIND_MASKED: gettext_lazy("個人情報の伏せ字"),
    KIND_SUBMISSION: gettext_lazy("提出全体を除外"),
    KIND_PASSAGE: gettext_lazy("本文の一部を墨塗り"),
    KIND_SECTION: gettext_lazy("該当箇所の記入を除外"),
}
SYSTEM_MASKING = gettext_lazy("システム（個人情報の自動マスク）")
SYSTEM_SCREEN = gettext_lazy("システム（公表前の個人情報チェック）")

NOT_MASKED_REASON = gettext_lazy("個人情報のマスク処理が済んでいないため")
WITHHELD_GROUP_AUDIT = "opinion_group.withhold"


def _kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind or _("その他")))


def kinds_summary(kinds) -> str:
    """「氏名 2件、電話番号 1件」: the kinds counted, in the screen's order of kinds."""
    counts = Counter(kinds)
    order = list(KIND_LABELS)
    ranked = sorted(counts, key=lambda k: (order.index(k) if k in order else len(order), k))
    return "、".join(_("%(kind)s %(n)s件") % {"kind": _kind_label(kind), "n": counts[kind]} for kind in ranked)


@dataclass(frozen=True)
class InspectionEntry:
    """One submission in the 閲覧用の写し; ``text`` None: withheld whole (``withheld_reason``)."""

    submission: Submission
    received_on: datetime.date
    channel: str
    section: str
    text: str | None
    withheld_reason: str = ""
    masked_kinds: str = ""  # kinds_summary of what the analysis masked
    passages: int = 0  # passages blacked out (staff and withheld 意見要旨)

    @property
    def receipt_number(self) -> str:
        return self.submission.receipt_number


@dataclass(frozen=True)
class RedactionLogRow:
    """One line of the 墨塗り記録; never holds a withheld or masked value."""

    receipt_number: str
    kind: str
    detail: str
    reason: str
    by_system: bool
    by: str
    at: datetime.datetime | None
    revoked_at: datetime.datetime | None = None
    revoked_by: str = ""
    revoke_reason: str = ""

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS_LOG[self.kind])

    @property
    def decided_by_label(self) -> str:
        return _("システム") if self.by_system else _("職員の判断")


@dataclass
class InspectionCopy:
    consultation: Consultation
    generated_at: datetime.datetime
    entries: list[InspectionEntry] = field(default_factory=list)
    log: list[RedactionLogRow] = field(default_factory=list)
    total: int = 0  # the case's submissions, 取り下げ left out
    withdrawn: int = 0

    @property
    def out_of_scope(self) -> int:
        """Submissions of the case this reader may not see (another 課's): not in this copy."""
        return self.total - len(self.entries)

    @property
    def withheld(self) -> int:
        return sum(1 for entry in self.entries if entry.text is None)

    @property
    def masked(self) -> int:
        return sum(1 for entry in self.entries if entry.masked_kinds)

    @property
    def passages(self) -> int:
        return sum(entry.passages for entry in self.entries)

    def counts(self) -> dict:
        """For the audit row of a generation."""
        return {
            "submissions": len(self.entries),
            "withheld": self.withheld,
            "masked": self.masked,
            "passages": self.passages,
            "out_of_scope": self.out_of_scope,
        }


# ---- Texts ----


def redact_passages(*, original: str, masked: str, spans: list[tuple[int, int]]) -> str:
    """The masked text with ``spans`` (offsets into the original) shown as REDACTION_MARK.

    Overlapping and touching spans become one mark; a mask that overlaps a
    span is blacked out with it.
    """
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(original), e)) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    if not merged:
        return masked
    out, position = [], 0
    for start, end in merged:
        out.append(masked_excerpt(original=original, masked=masked, start=position, end=start))
        out.append(REDACTION_MARK)
        position = end
    out.append(masked_excerpt(original=original, masked=masked, start=position, end=len(original)))
    return "".join(out)


def passage_locate(*, original: str, masked: str, passage: str) -> tuple[int, int] | None | str:
    """Find ``passage`` (copied from the masked copy) and return its offsets in the original.

    None when it is not in the masked text, "many" when it is there more
    than once (the caller asks for more context).
    """
    found = masked.find(passage)
    if not passage or found < 0:
        return None
    if masked.find(passage, found + 1) >= 0:
        return "many"
    return masked_span_to_original(original=original, masked=masked, start=found, end=found + len(passage))


def screen_findings(text: str) -> list[str]:
    """The kinds of personal data the public-text screen finds, masks left by masking set aside."""
    return [f.kind for f in public_text_screen([PublicText("", text)]) if f.kind != PLACEHOLDER]


# ---- The copy ----


def inspection_submissions(*, user, consultation: Consultation) -> QuerySet[Submission]:
    """The case's submissions this reader's copy holds, in 受付番号 order (取り下げ left out)."""
    return (
        submission_list_visible_to(user=user)
        .filter(consultation=consultation)
        .exclude(status=Submission.Status.WITHDRAWN)
        .select_related("section")
        .order_by("receipt_number", "id")
    )


def inspection_redaction_list(*, consultation: Consultation, submission_ids=None) -> QuerySet[InspectionRedaction]:
    """Staff redactions of the case (withdrawn ones too), oldest first."""
    qs = InspectionRedaction.objects.filter(consultation=consultation).select_related("submission")
    if submission_ids is not None:
        qs = qs.filter(submission_id__in=list(submission_ids))
    return qs.order_by("submission__receipt_number", "created_at", "id")


def _withheld_group_passages(submission_ids) -> dict[int, list[tuple[OpinionItem, OpinionGroup]]]:
    items = (
        OpinionItem.objects.filter(submission_id__in=list(submission_ids), group__withheld=True)
        .select_related("group", "submission")
        .order_by("submission_id", "order")
    )
    found: dict[int, list[tuple[OpinionItem, OpinionGroup]]] = {}
    for item in items:
        found.setdefault(item.submission_id, []).append((item, item.group))
    return found


def _withhold_events(group_ids) -> dict[int, AuditEvent]:
    """The latest 公表しない row of each group: who withheld it and when."""
    events = AuditEvent.objects.filter(
        target_type=OpinionGroup._meta.label_lower,
        target_id__in=[str(pk) for pk in group_ids],
        action=WITHHELD_GROUP_AUDIT,
    ).order_by("pk")
    return {int(event.target_id): event for event in events}


def _received_on(submission: Submission) -> datetime.date:
    return submission.received_on or timezone.localdate(submission.submitted_at)


def _staff_row(redaction: InspectionRedaction, *, detail: str) -> RedactionLogRow:
    return RedactionLogRow(
        receipt_number=redaction.submission.receipt_number,
        kind=KIND_SUBMISSION if redaction.scope == InspectionRedaction.Scope.SUBMISSION else KIND_PASSAGE,
        detail=detail,
        reason=redaction.reason,
        by_system=False,
        by=redaction.created_by_label,
        at=redaction.created_at,
        revoked_at=redaction.revoked_at,
        revoked_by=redaction.revoked_by_label,
        revoke_reason=redaction.revoke_reason,
    )


def _section_label(submission: Submission, log: list[RedactionLogRow], now) -> str:
    if submission.section_id:
        return str(submission.section)
    typed = submission.section_text.strip()
    if not typed:
        return ""
    kinds = screen_findings(typed)
    if not kinds:
        return typed
    log.append(
        RedactionLogRow(
            receipt_number=submission.receipt_number,
            kind=KIND_SECTION,
            detail=_("該当箇所の記入"),
            reason=_("%(kinds)sと思われる記述が見つかったため") % {"kinds": kinds_summary(kinds)},
            by_system=True,
            by=str(SYSTEM_SCREEN),
            at=now,
        )
    )
    return _("（個人情報と思われる記述があるため表示しません）")


def _entry(
    submission: Submission,
    *,
    masking: Masking | None,
    redactions: list[InspectionRedaction],
    withheld_items: list[tuple[OpinionItem, OpinionGroup]],
    withhold_events: dict[int, AuditEvent],
    log: list[RedactionLogRow],
    now: datetime.datetime,
) -> InspectionEntry:
    section = _section_label(submission, log, now)
    base = {
        "submission": submission,
        "received_on": _received_on(submission),
        "channel": submission.get_channel_display(),
        "section": section,
    }
    masked_kinds = kinds_summary(k for k in masking.span_kinds) if masking and masking.span_kinds else ""
    if masked_kinds:
        log.append(
            RedactionLogRow(
                receipt_number=submission.receipt_number,
                kind=KIND_MASKED,
                detail=masked_kinds,
                reason=_("個人情報のため（解析 %(version)s）") % {"version": masking.model_version},
                by_system=True,
                by=str(SYSTEM_MASKING),
                at=masking.analysed_at,
            )
        )
    base["masked_kinds"] = masked_kinds

    whole = [r for r in redactions if r.scope == InspectionRedaction.Scope.SUBMISSION]
    for redaction in whole:
        log.append(_staff_row(redaction, detail=_("提出全体")))
    active_whole = [r for r in whole if r.active]

    def passage_chars(start, end):
        if masking is None:
            return end - start
        return len(masked_excerpt(original=submission.body, masked=masking.masked_text, start=start, end=end))

    spans: list[tuple[int, int]] = []
    for redaction in (r for r in redactions if r.scope == InspectionRedaction.Scope.PASSAGE):
        chars = passage_chars(redaction.start, redaction.end)
        log.append(_staff_row(redaction, detail=_("本文の一部（%(n)s文字）") % {"n": chars}))
        if redaction.active:
            spans.append((redaction.start, redaction.end))
    for item, group in withheld_items:
        start, end = item_offsets(item)
        event = withhold_events.get(group.pk)
        log.append(
            RedactionLogRow(
                receipt_number=submission.receipt_number,
                kind=KIND_PASSAGE,
                detail=_("意見要旨 %(number)s の意見（%(n)s文字）")
                % {"number": group.number, "n": passage_chars(start, end)},
                reason=_("公表しない意見要旨（%(reason)s）") % {"reason": group.withheld_reason},
                by_system=False,
                by=(event.actor_label if event and event.actor_id else "") or _("職員"),
                at=event.occurred_at if event else group.updated_at,
            )
        )
        spans.append((start, end))

    if active_whole:
        reason = "／".join(r.reason for r in active_whole)
        return InspectionEntry(**base, text=None, withheld_reason=_("職員の判断：%(reason)s") % {"reason": reason})
    if not submission.body.strip():
        return InspectionEntry(**base, text="")
    if masking is None:
        log.append(
            RedactionLogRow(
                receipt_number=submission.receipt_number,
                kind=KIND_SUBMISSION,
                detail=_("提出全体"),
                reason=str(NOT_MASKED_REASON),
                by_system=True,
                by=str(SYSTEM_SCREEN),
                at=now,
            )
        )
        return InspectionEntry(**base, text=None, withheld_reason=str(NOT_MASKED_REASON))
    text = redact_passages(original=submission.body, masked=masking.masked_text, spans=spans)
    kinds = screen_findings(text)
    if kinds:
        reason = _("マスク後の本文に%(kinds)sと思われる記述が残っているため（内容は表示しません）") % {
            "kinds": kinds_summary(kinds)
        }
        log.append(
            RedactionLogRow(
                receipt_number=submission.receipt_number,
                kind=KIND_SUBMISSION,
                detail=_("提出全体"),
                reason=reason,
                by_system=True,
                by=str(SYSTEM_SCREEN),
                at=now,
            )
        )
        return InspectionEntry(**base, text=None, withheld_reason=reason)
    return InspectionEntry(**base, text=text, passages=len(spans))


def inspection_copy_build(*, user, consultation: Consultation) -> InspectionCopy:
    """The 閲覧用の写し and 墨塗り記録 of a case as this reader may see it (see the module)."""
    now = timezone.now()
    all_submissions = Submission.objects.filter(consultation=consultation)
    withdrawn = all_submissions.filter(status=Submission.Status.WITHDRAWN).count()
    copy = InspectionCopy(
        consultation=consultation,
        generated_at=now,
        total=all_submissions.count() - withdrawn,
        withdrawn=withdrawn,
    )
    submissions = list(inspection_submissions(user=user, consultation=consultation))
    ids = [s.pk for s in submissions]
    maskings = latest_maskings(submission_ids=ids)
    redactions: dict[int, list[InspectionRedaction]] = {}
    for redaction in inspection_redaction_list(consultation=consultation, submission_ids=ids):
        redactions.setdefault(redaction.submission_id, []).append(redaction)
    withheld = _withheld_group_passages(ids)
    events = _withhold_events({group.pk for pairs in withheld.values() for _item, group in pairs})
    for submission in submissions:
        copy.entries.append(
            _entry(
                submission,
                masking=maskings.get(submission.pk),
                redactions=redactions.get(submission.pk, []),
                withheld_items=withheld.get(submission.pk, []),
                withhold_events=events,
                log=copy.log,
                now=now,
            )
        )
    return copy
