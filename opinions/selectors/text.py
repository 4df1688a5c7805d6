"""Reads for the workbench's texts: masked excerpts, item views, diffs, summary drafts.

Which text a user may read is decided by ``submission_list_visible_to`` and
``can_view_personal_data``; this module only shapes what they may read.
"""

import difflib
from dataclasses import dataclass

from accounts.access import can_view_personal_data
from core.text import text_diff
from feedback.models import Submission
from nlp.selectors import latest_key_phrases, latest_masked_texts
from opinions.models import OpinionGroup, OpinionItem
from opinions.selectors.groups import (
    opinion_item_list_for_group,
    visible_submission_ids,
)

SUMMARY_DRAFT_MAX_CHARS = 120
FALLBACK_MASK = "＊＊＊"


def _opcodes(original: str, masked: str):
    # autojunk would discard frequent characters such as 「の」 and misalign.
    return difflib.SequenceMatcher(None, original, masked, autojunk=False).get_opcodes()


def masked_excerpt(*, original: str, masked: str, start: int, end: int) -> str:
    """Return the masked form of ``original[start:end]``.

    The masked text is aligned with the original; a masked span that
    overlaps the excerpt is shown as its placeholder, whole.
    """
    if masked == original:
        return original[start:end]
    if start <= 0 and end >= len(original):
        return masked
    out = []
    for tag, i1, i2, j1, j2 in _opcodes(original, masked):
        if tag == "equal":
            lo, hi = max(i1, start), min(i2, end)
            if lo < hi:
                out.append(masked[j1 + lo - i1 : j1 + hi - i1])
        elif (i1 < end and start < i2) or (i1 == i2 and start <= i1 < end):
            out.append(masked[j1:j2] or FALLBACK_MASK)
    return "".join(out)


def masked_span_to_original(*, original: str, masked: str, start: int, end: int) -> tuple[int, int]:
    """Map ``masked[start:end]`` back to offsets in the original.

    A span that begins or ends inside a placeholder grows to cover the
    whole masked part, so an excerpt never cuts personal data in two.
    """
    if masked == original:
        return start, end
    opcodes = _opcodes(original, masked)
    orig_start = orig_end = None
    for tag, i1, i2, j1, j2 in opcodes:
        if orig_start is None and j1 <= start < j2:
            orig_start = i1 + (start - j1) if tag == "equal" else i1
        if orig_end is None and j1 < end <= j2:
            orig_end = i1 + (end - j1) if tag == "equal" else i2
    return (
        orig_start if orig_start is not None else 0,
        orig_end if orig_end is not None else len(original),
    )


@dataclass(frozen=True)
class ItemView:
    """What one viewer may see of an item; ``text`` None means hidden."""

    item: OpinionItem
    text: str | None
    masked: bool
    hidden_reason: str = ""
    diff: list[tuple[str, str]] | None = None
    in_scope: bool = True  # the viewer may work on it (its submission is visible)


def item_offsets(item: OpinionItem) -> tuple[int, int]:
    body = item.submission.body
    if item.start is not None and item.end is not None:
        return item.start, item.end
    found = body.find(item.text)
    return (found, found + len(item.text)) if found >= 0 else (0, len(body))


def opinion_item_views(*, user, items) -> list[ItemView]:
    """Return items as the user may see them: original, masked or hidden."""
    items = list(items)
    submission_ids = {item.submission_id for item in items}
    visible = visible_submission_ids(user=user, submission_ids=submission_ids)
    may_see_pii = can_view_personal_data(user=user)
    masked_texts = {} if may_see_pii else latest_masked_texts(submission_ids=submission_ids & visible)
    views = []
    for item in items:
        if item.submission_id not in visible:
            views.append(
                ItemView(
                    item,
                    None,
                    True,
                    "担当外の提出のため本文は表示できません。",
                    in_scope=False,
                )
            )
        elif may_see_pii:
            views.append(ItemView(item, item.text, False))
        elif item.submission_id not in masked_texts:
            views.append(
                ItemView(
                    item,
                    None,
                    True,
                    "個人情報のマスク処理が済んでいないため本文は表示できません。",
                )
            )
        else:
            start, end = item_offsets(item)
            text = masked_excerpt(
                original=item.submission.body,
                masked=masked_texts[item.submission_id],
                start=start,
                end=end,
            )
            views.append(ItemView(item, text, True))
    return views


def shown_submissions(views: list[ItemView]) -> list[Submission]:
    """The submissions whose text (original or masked) these item views show."""
    return [view.item.submission for view in views if view.text is not None]


def submission_text_for(*, user, submission: Submission) -> tuple[str | None, bool]:
    """Return (text, masked) of a whole submission for this viewer."""
    if can_view_personal_data(user=user):
        return submission.body, False
    return latest_masked_texts(submission_ids=[submission.pk]).get(submission.pk), True


# ---- Diff and summary draft ----


def with_diffs(*, views: list[ItemView], base: ItemView | None) -> list[ItemView]:
    """Attach to each shown item its diff against ``base`` (the representative)."""
    if base is None or base.text is None:
        return views
    out = []
    for view in views:
        if view.text is None or view.item.pk == base.item.pk:
            out.append(view)
            continue
        diff = text_diff(base=base.text, other=view.text)
        out.append(
            ItemView(
                view.item,
                view.text,
                view.masked,
                view.hidden_reason,
                diff,
                view.in_scope,
            )
        )
    return out


def _first_sentences(text: str, limit: int) -> str:
    text = " ".join(text.split())
    out = ""
    for sentence in text.replace("。", "。\n").splitlines():
        if out and len(out) + len(sentence) > limit:
            break
        out += sentence
    return out[:limit]


def opinion_group_summary_draft(*, group: OpinionGroup, user) -> str:
    """Draft a 意見の概要 from the masked representative and key phrases.

    Only masked text is used: the summary is published, so it must never
    start from a name or an address. Only items the user may read are
    used. Staff edit the draft before saving.
    """
    items = list(opinion_item_list_for_group(group=group, user=user)[:200])
    if not items:
        return ""
    representative = next((i for i in items if i.pk == group.representative_id), items[0])
    masked = latest_masked_texts(submission_ids=[representative.submission_id]).get(representative.submission_id)
    if masked:
        start, end = item_offsets(representative)
        excerpt = masked_excerpt(original=representative.submission.body, masked=masked, start=start, end=end)
        draft = _first_sentences(excerpt, SUMMARY_DRAFT_MAX_CHARS)
        if draft:
            return draft
    phrases = latest_key_phrases(submission_ids={i.submission_id for i in items})[:5]
    if phrases:
        return "「" + "」「".join(phrases) + "」に関するご意見"
    return ""
