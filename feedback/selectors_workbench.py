"""Reads for the パブリック・コメント workbench: access, counts, masked text.

Who may work on a consultation's 意見の概要と市の考え方 table is decided
here (and only here); which submission texts a user may read is still
decided by ``submission_list_visible_to``.
"""

import difflib
from collections import Counter
from dataclasses import asdict, dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from consultations.models import Consultation

from .models import Channel, OpinionGroup, OpinionItem, Submission
from .selectors import (
    can_view_personal_data,
    department_scope,
    submission_list_visible_to,
)

SUMMARY_DRAFT_MAX_CHARS = 120
FALLBACK_MASK = "＊＊＊"


# ---- Access ----

def consultation_list_for_workbench(*, user) -> QuerySet[Consultation]:
    """Return the パブリック・コメント cases a member of staff may work on.

    広聴 and admins work on every case; department staff and approvers on
    the cases their department (or a 課 under their 部) is responsible for.
    """
    from accounts.roles import (
        ADMIN,
        DEPARTMENT_APPROVER,
        DEPARTMENT_STAFF,
        KOUCHOU,
        has_role,
    )

    qs = Consultation.objects.filter(kind=Consultation.Kind.PUBLIC_COMMENT).select_related("department")
    if has_role(user, KOUCHOU, ADMIN):
        return qs
    if has_role(user, DEPARTMENT_STAFF, DEPARTMENT_APPROVER):
        return qs.filter(department_id__in=department_scope(user))
    return qs.none()


def consultation_get_for_workbench(*, user, pk: int) -> Consultation | None:
    return consultation_list_for_workbench(user=user).filter(pk=pk).first()


def opinion_group_get_for_workbench(*, user, pk: int, consultation_pk: int | None = None) -> OpinionGroup | None:
    qs = OpinionGroup.objects.filter(consultation__in=consultation_list_for_workbench(user=user))
    if consultation_pk is not None:
        qs = qs.filter(consultation_id=consultation_pk)
    return qs.select_related("consultation", "consultation__department", "section").filter(pk=pk).first()


def can_approve_for_department(*, user, consultation: Consultation) -> bool:
    """True for a 課長 of the department responsible for the case."""
    from accounts.roles import DEPARTMENT_APPROVER, has_role

    return (
        consultation.department_id is not None
        and has_role(user, DEPARTMENT_APPROVER)
        and consultation.department_id in department_scope(user)
    )


def can_check_as_kouchou(*, user) -> bool:
    from accounts.roles import KOUCHOU, has_role

    return has_role(user, KOUCHOU)


REVIEW_BUTTONS = {
    "approve_department": _("課長として承認する"),
    "check": _("広聴として確認する"),
    "approve": _("承認する（公表内容を確定）"),
    "send_back": _("差し戻す（理由を入力）"),
}


def opinion_group_review_actions(*, user, group: OpinionGroup) -> list[tuple[str, str]]:
    """Return the (action, label) review steps this user may take now."""
    Review = OpinionGroup.Review
    kacho = can_approve_for_department(user=user, consultation=group.consultation)
    kouchou = can_check_as_kouchou(user=user)
    allowed = {
        "approve_department": group.review == Review.DRAFT and kacho,
        "check": group.review == Review.DEPARTMENT_APPROVED and kouchou,
        "approve": group.review == Review.KOUCHOU_CHECKED and kouchou,
        "send_back": group.review != Review.DRAFT and (kouchou or (kacho and group.review == Review.DEPARTMENT_APPROVED)),
    }
    return [(action, label) for action, label in REVIEW_BUTTONS.items() if allowed[action]]


# ---- Lists ----

def _counted_items() -> Q:
    return ~Q(items__submission__status=Submission.Status.WITHDRAWN)


def opinion_group_list(*, consultation: Consultation, counted: bool = True) -> QuerySet[OpinionGroup]:
    """Return the case's groups in 番号 order, with ``item_count`` (同趣旨 N件) unless not ``counted``."""
    groups = OpinionGroup.objects.filter(consultation=consultation).select_related("section").order_by("number")
    return groups.annotate(item_count=Count("items", filter=_counted_items())) if counted else groups


def opinion_item_list_for_group(*, group: OpinionGroup, user=None) -> QuerySet[OpinionItem]:
    """Return the group's items; only those the user may read if given."""
    qs = OpinionItem.objects.filter(group=group)
    if user is not None:
        qs = qs.filter(submission__in=submission_list_visible_to(user=user))
    return qs.select_related("submission", "section").order_by("submission__submitted_at", "submission_id", "order")


def opinion_item_list_ungrouped(*, consultation: Consultation) -> QuerySet[OpinionItem]:
    return (
        OpinionItem.objects.filter(submission__consultation=consultation, group__isnull=True)
        .exclude(submission__status=Submission.Status.WITHDRAWN)
        .select_related("submission")
        .order_by("submission__submitted_at", "submission_id", "order")
    )


def opinion_group_item_counts(*, group_ids: list[int]) -> dict[int, int]:
    """同趣旨 N件 of the given groups, withdrawn submissions left out."""
    counted = OpinionGroup.objects.filter(pk__in=group_ids).annotate(n=Count("items", filter=_counted_items()))
    return dict(counted.values_list("pk", "n"))


def opinion_table_rows(*, consultation: Consultation, counted: bool = True) -> QuerySet[OpinionGroup]:
    """Return the rows of the published table: groups not withheld."""
    return opinion_group_list(consultation=consultation, counted=counted).filter(withheld=False)


def opinion_table_ready(*, consultation: Consultation, counts: "OpinionCounts") -> bool:
    """True when every group is approved and the counts reconcile."""
    groups = OpinionGroup.objects.filter(consultation=consultation)
    return counts.reconciled and groups.exists() and not groups.exclude(review=OpinionGroup.Review.APPROVED).exists()


def submission_list_for_workbench(*, user, consultation: Consultation) -> QuerySet[Submission]:
    """Return the case's submissions the user may read, with ``item_count``."""
    return (
        submission_list_visible_to(user=user)
        .filter(consultation=consultation)
        .annotate(item_count=Count("items"))
        .order_by("submitted_at", "id")
    )


def visible_submission_ids(*, user, submission_ids) -> set[int]:
    """Return which of the given submissions the user may read."""
    return set(submission_list_visible_to(user=user).filter(pk__in=list(submission_ids)).values_list("pk", flat=True))


# ---- Counts (提出者数・意見件数) ----

@dataclass(frozen=True)
class ChannelCount:
    channel: str
    label: str
    submissions: int
    items: int


@dataclass(frozen=True)
class OpinionCounts:
    """Counts for the result header; ``issues`` empty means they reconcile."""

    submissions: int
    items: int
    grouped_items: int
    ungrouped_items: int
    groups: int
    revised_groups: int
    withheld_groups: int
    by_channel: list[ChannelCount]
    by_group: dict[int, int]
    issues: list[str] = field(default_factory=list)

    @property
    def reconciled(self) -> bool:
        return not self.issues

    def to_json(self) -> dict:
        """A JSON-safe copy, stored with the published results."""
        data = asdict(self)
        data["by_group"] = {str(pk): n for pk, n in self.by_group.items()}
        return data

    @classmethod
    def from_json(cls, data: dict) -> "OpinionCounts":
        return cls(**{
            **data, "by_channel": [ChannelCount(**row) for row in data["by_channel"]],
            "by_group": {int(pk): n for pk, n in data["by_group"].items()},
        })


def opinion_counts(*, consultation: Consultation) -> OpinionCounts:
    """Count 提出者数 and 意見件数 and check every item is in one group.

    A submission that has not been split counts as one item. Campaign copies
    are counted like any other submission: they add to 同趣旨 N件, never to
    a vote (行政手続法42条).
    """
    counted = Submission.objects.filter(consultation=consultation).exclude(status=Submission.Status.WITHDRAWN)
    item_rows = OpinionItem.objects.filter(submission__in=counted)
    # GROUP BY in the database: a consultation may hold 100,000s of submissions.
    submissions_by_channel = Counter(dict(
        counted.order_by().values("channel").annotate(n=Count("id")).values_list("channel", "n")))
    split = {
        channel: (submissions, items)
        for channel, submissions, items in item_rows.order_by().values("submission__channel").annotate(
            submissions=Count("submission_id", distinct=True), items=Count("id"),
        ).values_list("submission__channel", "submissions", "items")
    }
    items_by_channel: Counter[str] = Counter({
        channel: n - split.get(channel, (0, 0))[0] + split.get(channel, (0, 0))[1]
        for channel, n in submissions_by_channel.items()
    })
    unsplit = sum(submissions_by_channel.values()) - sum(subs for subs, _items in split.values())
    items_total = sum(items_by_channel.values())

    grouped = item_rows.filter(group__isnull=False)
    by_group = dict(grouped.order_by().values("group_id").annotate(n=Count("id")).values_list("group_id", "n"))
    foreign = grouped.exclude(group__consultation=consultation).count()
    ungrouped = item_rows.filter(group__isnull=True).count() + unsplit
    groups = list(OpinionGroup.objects.filter(consultation=consultation).values_list("pk", "number", "revised", "withheld"))

    issues = []
    if ungrouped:
        issues.append(f"どの意見要旨にも入っていない意見が{ungrouped}件あります。")
    if foreign:
        issues.append(f"他の案件の意見要旨に入っている意見が{foreign}件あります。")
    empty = [number for pk, number, _revised, _withheld in groups if not by_group.get(pk)]
    if empty:
        issues.append("意見が0件の意見要旨があります（番号 " + "、".join(map(str, empty)) + "）。")
    grouped_total = sum(by_group.values())
    if grouped_total + ungrouped != items_total:
        issues.append(f"意見件数（{items_total}件）と意見要旨ごとの件数の合計（{grouped_total}件）が一致しません。")

    labels = dict(Channel.choices)
    by_channel = [
        ChannelCount(channel=c, label=str(labels.get(c, c)), submissions=submissions_by_channel[c], items=items_by_channel[c])
        for c in labels if submissions_by_channel[c]
    ]
    return OpinionCounts(
        submissions=sum(submissions_by_channel.values()), items=items_total, grouped_items=grouped_total, ungrouped_items=ungrouped,
        groups=len(groups), revised_groups=sum(1 for g in groups if g[2] and not g[3]),
        withheld_groups=sum(1 for g in groups if g[3]), by_channel=by_channel, by_group=by_group, issues=issues,
    )


# ---- Masked text ----

def latest_masked_texts(*, submission_ids) -> dict[int, str]:
    """Return the newest analysis's masked text per submission (if any)."""
    from nlp.models import SubmissionAnalysis

    found: dict[int, str] = {}
    rows = (
        SubmissionAnalysis.objects.filter(submission_id__in=list(submission_ids))
        .order_by("submission_id", "-analysed_at", "-id")
        .values_list("submission_id", "masked_text")
    )
    for submission_id, masked in rows:
        found.setdefault(submission_id, masked or "")
    return {pk: text for pk, text in found.items() if text}


def latest_key_phrases(*, submission_ids) -> list[str]:
    """Return key phrases of the newest analyses, most frequent first."""
    from nlp.models import SubmissionAnalysis

    seen: set[int] = set()
    counts: Counter[str] = Counter()
    rows = (
        SubmissionAnalysis.objects.filter(submission_id__in=list(submission_ids))
        .order_by("submission_id", "-analysed_at", "-id")
        .values_list("submission_id", "key_phrases")
    )
    for submission_id, phrases in rows:
        if submission_id in seen:
            continue
        seen.add(submission_id)
        for phrase in phrases if isinstance(phrases, list) else []:
            text = phrase.get("text") or phrase.get("phrase") if isinstance(phrase, dict) else phrase
            if isinstance(text, str) and text.strip():
                counts[text.strip()] += 1
    return [phrase for phrase, _n in counts.most_common()]


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
                out.append(masked[j1 + lo - i1:j1 + hi - i1])
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
    return (orig_start if orig_start is not None else 0, orig_end if orig_end is not None else len(original))


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
            views.append(ItemView(item, None, True, "担当外の提出のため本文は表示できません。", in_scope=False))
        elif may_see_pii:
            views.append(ItemView(item, item.text, False))
        elif item.submission_id not in masked_texts:
            views.append(ItemView(item, None, True, "個人情報のマスク処理が済んでいないため本文は表示できません。"))
        else:
            start, end = item_offsets(item)
            text = masked_excerpt(original=item.submission.body, masked=masked_texts[item.submission_id], start=start, end=end)
            views.append(ItemView(item, text, True))
    return views


def submission_text_for(*, user, submission: Submission) -> tuple[str | None, bool]:
    """Return (text, masked) of a whole submission for this viewer."""
    if can_view_personal_data(user=user):
        return submission.body, False
    return latest_masked_texts(submission_ids=[submission.pk]).get(submission.pk), True


# ---- Diff and summary draft ----

DIFF_MIN_EQUAL = 2


def text_diff(*, base: str, other: str) -> list[tuple[str, str]]:
    """Return (op, text) runs turning ``base`` into ``other``.

    op is "equal", "insert" or "delete"; a replacement is a deletion
    followed by an insertion. Characters are compared one by one, as
    Japanese has no spaces between words; a lone matching character
    between two changes is folded into them so the result stays readable.
    """
    merged: list[list] = []  # [tag, i1, i2, j1, j2]
    opcodes = difflib.SequenceMatcher(None, base, other, autojunk=False).get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        short_gap = (tag == "equal" and i2 - i1 < DIFF_MIN_EQUAL and 0 < n < len(opcodes) - 1)
        if merged and merged[-1][0] != "equal" and (tag != "equal" or short_gap):
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append(["change" if tag != "equal" else "equal", i1, i2, j1, j2])
    runs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in merged:
        if tag == "equal":
            runs.append(("equal", base[i1:i2]))
            continue
        if i2 > i1:
            runs.append(("delete", base[i1:i2]))
        if j2 > j1:
            runs.append(("insert", other[j1:j2]))
    return runs


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
        out.append(ItemView(view.item, view.text, view.masked, view.hidden_reason, diff, view.in_scope))
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
