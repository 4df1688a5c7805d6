"""Reads for the パブリック・コメント workbench: access, lists and counts (texts: selectors_workbench_text).

Who may work on a consultation's 意見の概要と市の考え方 table is
accounts.access's rule, applied here through consultation_list_workable_by;
which submission texts a user may read is decided by
``submission_list_visible_to``.
"""

from collections import Counter
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.access import approves_for_department
from accounts.roles import KOUCHOU, has_role
from consultations.models import Consultation
from core.models import AuditEvent
from feedback.models import Channel, Signer, Submission, SubmitterIdentity
from feedback.selectors import consultation_list_workable_by, submission_list_visible_to
from nlp.screening import PublicText
from opinions import workflow
from opinions.models import OpinionGroup, OpinionItem

# ---- Access ----


def consultation_list_for_workbench(*, user) -> QuerySet[Consultation]:
    """Return the パブリック・コメント cases a member of staff may work on.

    The rule is consultation_list_workable_by's: 広聴 and admins every case,
    department staff and approvers the cases of their department_scope.
    """
    qs = Consultation.objects.filter(kind=Consultation.Kind.PUBLIC_COMMENT).select_related("department")
    return consultation_list_workable_by(user=user, consultations=qs)


def consultation_get_for_workbench(*, user, pk: int) -> Consultation | None:
    return consultation_list_for_workbench(user=user).filter(pk=pk).first()


def opinion_group_get_for_workbench(*, user, pk: int, consultation_pk: int | None = None) -> OpinionGroup | None:
    qs = OpinionGroup.objects.filter(consultation__in=consultation_list_for_workbench(user=user))
    if consultation_pk is not None:
        qs = qs.filter(consultation_id=consultation_pk)
    return qs.select_related("consultation", "consultation__department", "section").filter(pk=pk).first()


def can_approve_for_department(*, user, consultation: Consultation) -> bool:
    """True for a 課長 of the department responsible for the case."""
    return approves_for_department(user, consultation.department_id)


def can_check_as_kouchou(*, user) -> bool:
    return has_role(user, KOUCHOU)


# ---- Review: the rows of opinions.workflow this user may take ----


def _may_work_on(user, group: OpinionGroup) -> bool:
    return consultation_list_for_workbench(user=user).filter(pk=group.consultation_id).exists()


# The "who" names of opinions.workflow, as predicates of (user, group).
OPINION_WHO = {
    workflow.KACHO: lambda user, group: can_approve_for_department(user=user, consultation=group.consultation),
    workflow.KOUCHOU: lambda user, group: can_check_as_kouchou(user=user),
    workflow.WORKBENCH: _may_work_on,
}
WHO_LABELS = {
    workflow.KACHO: _("担当課の課長（承認者）"),
    workflow.KOUCHOU: _("広聴担当"),
    workflow.WORKBENCH: _("担当の職員"),
}


def opinion_group_may(*, user, group: OpinionGroup, who: tuple[str, ...]) -> bool:
    """True when the user is any of ``who`` (opinions.workflow names) for this group."""
    return any(OPINION_WHO[name](user, group) for name in who)


_REVIEW_AUDIT = "opinion_group.review."


def opinion_group_review_history(*, group: OpinionGroup) -> QuerySet[AuditEvent]:
    """The group's review audit rows (steps and send-backs), oldest first."""
    return AuditEvent.objects.filter(
        target_type=OpinionGroup._meta.label_lower,
        target_id=str(group.pk),
        action__startswith=_REVIEW_AUDIT,
    ).order_by("pk")


def opinion_group_previous_step(*, group: OpinionGroup) -> tuple[str, int | None] | None:
    """Return (action, actor id) of the forward step that brought the group to its state.

    None when the last review row is a send-back or the group reached its
    state otherwise (作成中 from the start, or data put there directly).
    """
    last = opinion_group_review_history(group=group).only("action", "actor_id", "after").last()
    if last is None:
        return None
    action = last.action.removeprefix(_REVIEW_AUDIT)
    if action not in workflow.FORWARD or (last.after or {}).get("review") != group.review:
        return None
    return action, last.actor_id


def opinion_group_separation_refusal(*, user, group: OpinionGroup, row: workflow.Transition) -> str:
    """The message refusing ``row`` to ``user`` under 職務の分離, or "" when they may take it.

    The person who took the step that brought the group to its state may
    not take the next forward step (KOE_REVIEW_SEPARATION_OF_DUTIES);
    sending back stays open to them.
    """
    if not getattr(settings, "KOE_REVIEW_SEPARATION_OF_DUTIES", True) or row.action not in workflow.FORWARD:
        return ""
    previous = opinion_group_previous_step(group=group)
    if previous is None or previous[1] is None or previous[1] != user.pk:
        return ""
    return str(workflow.SEPARATION_REFUSED) % {
        "previous": workflow.STEP_NAMES[previous[0]],
        "step": workflow.STEP_NAMES[row.action],
        "who": "・".join(str(WHO_LABELS[who]) for who in row.who),
    }


def opinion_group_transitions_for(*, user, group: OpinionGroup) -> list[workflow.Transition]:
    """Return the workflow rows this user may take on this group now, in table order.

    A step refused under 職務の分離 is not offered (see
    ``opinion_group_separation_refusal``; the page says why).
    """
    rows = [
        row
        for row in workflow.opinion_transitions_from(group.review)
        if opinion_group_may(user=user, group=group, who=row.who)
    ]
    return [row for row in rows if not opinion_group_separation_refusal(user=user, group=group, row=row)]


def opinion_group_separation_notes(*, user, group: OpinionGroup) -> list[str]:
    """Why steps this user could otherwise take now are not offered (職務の分離), for the page."""
    return [
        message
        for row in workflow.opinion_transitions_from(group.review)
        if opinion_group_may(user=user, group=group, who=row.who)
        and (message := opinion_group_separation_refusal(user=user, group=group, row=row))
    ]


def opinion_group_actions(*, user, group: OpinionGroup) -> set[str]:
    """Return the names of the workflow actions this user may take on the group now."""
    return {row.action for row in opinion_group_transitions_for(user=user, group=group)}


def opinion_group_review_actions(*, user, group: OpinionGroup) -> list[tuple[str, str]]:
    """Return the (action, label) review steps this user may take now."""
    return [
        (row.action, str(row.label))
        for row in opinion_group_transitions_for(user=user, group=group)
        if row.action in workflow.REVIEW_ACTIONS
    ]


_HISTORY_LABELS = {
    f"{_REVIEW_AUDIT}{workflow.APPROVE_DEPARTMENT}": _("課長承認"),
    f"{_REVIEW_AUDIT}{workflow.CHECK}": _("広聴確認"),
    f"{_REVIEW_AUDIT}{workflow.APPROVE}": _("承認"),
    f"{_REVIEW_AUDIT}{workflow.SEND_BACK}": _("差し戻し"),
    "opinion_group.withhold": _("公表しない扱いにした"),
    "opinion_group.unwithhold": _("公表する扱いに戻した"),
}


def opinion_group_history_rows(*, group: OpinionGroup) -> list[dict]:
    """The group's 経過 for its page: review steps, send-backs with their reason, withholding."""
    events = AuditEvent.objects.filter(
        target_type=OpinionGroup._meta.label_lower,
        target_id=str(group.pk),
        action__in=list(_HISTORY_LABELS),
    ).order_by("pk")
    labels = dict(OpinionGroup.Review.choices)
    return [
        {
            "at": event.occurred_at,
            "actor": event.actor_label if event.actor_id else _("システム"),
            "label": _HISTORY_LABELS[event.action],
            "state": labels.get((event.after or {}).get("review"), ""),
            "sent_back": event.action == f"{_REVIEW_AUDIT}{workflow.SEND_BACK}",
            # The whole reason (the summary column keeps 500 characters).
            "summary": (event.after or {}).get("comment") or event.summary,
        }
        for event in events
    ]


def opinion_group_review_waits_for(*, group: OpinionGroup) -> str:
    """Return who takes the next review step, for the page ("" once 承認済み)."""
    return "・".join(str(WHO_LABELS[who]) for who in workflow.opinion_review_waits_for(group.review))


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


def opinion_group_public_texts(*, group: OpinionGroup, keyed: bool = True) -> list[PublicText]:
    """The texts of a group the published table shows, named for the personal-data screen.

    ``keyed``: each text carries its form field name (the group's page);
    otherwise the errors are about the table as a whole.
    """
    params = {"number": group.number}
    texts = [
        ("summary", _("意見の概要（意見番号 %(number)s）") % params, group.summary),
        ("response", _("市の考え方（意見番号 %(number)s）") % params, group.response),
    ]
    if group.revised:
        texts.append(("revised_text", _("修正後の文案（意見番号 %(number)s）") % params, group.revised_text))
    return [PublicText(str(label), text, name if keyed else None) for name, label, text in texts]


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


# 提出者数 (#15, KOE_SUBMITTER_COUNT): "signers" counts a 連名 once per named
# person and a 団体 as one; "submissions" counts every 提出 (通) as one.
SUBMITTER_COUNT_SIGNERS = "signers"
SUBMITTER_COUNT_SUBMISSIONS = "submissions"
SUBMITTER_COUNT_RULES = (SUBMITTER_COUNT_SIGNERS, SUBMITTER_COUNT_SUBMISSIONS)


@dataclass(frozen=True)
class ChannelCount:
    channel: str
    label: str
    submissions: int
    items: int
    # 提出者数 under the counts' rule; counts stored before #15 have none (= submissions).
    submitters: int | None = None

    def __post_init__(self):
        if self.submitters is None:
            object.__setattr__(self, "submitters", self.submissions)

    @property
    def display_label(self) -> str:
        """The channel's name in the page's language (``label`` is kept as counted, in Japanese)."""
        if self.channel in Channel.values:
            return str(Channel(self.channel).label)
        return self.label


@dataclass(frozen=True)
class OpinionCounts:
    """Counts for the result header; ``issues`` empty means they reconcile.

    ``submissions`` is the number of 提出 (通); ``submitters`` the 提出者数
    under ``submitter_rule`` (the city's KOE_SUBMITTER_COUNT when counted,
    kept with published counts, so a page says the rule its figure used).
    Counts published before #15 read as "submissions", which they were.
    """

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
    submitters: int | None = None
    submitter_rule: str = SUBMITTER_COUNT_SUBMISSIONS
    organizations: int = 0  # 提出 from a 団体
    joint_submissions: int = 0  # 提出 by 連名
    joint_signers: int = 0  # the people named on them

    def __post_init__(self):
        if self.submitters is None:
            object.__setattr__(self, "submitters", self.submissions)

    @property
    def reconciled(self) -> bool:
        return not self.issues

    @property
    def counts_signers(self) -> bool:
        return self.submitter_rule == SUBMITTER_COUNT_SIGNERS

    def to_json(self) -> dict:
        """A JSON-safe copy, stored with the published results."""
        data = asdict(self)
        data["by_group"] = {str(pk): n for pk, n in self.by_group.items()}
        return data

    @classmethod
    def from_json(cls, data: dict) -> "OpinionCounts":
        return cls(
            **{
                **data,
                "by_channel": [ChannelCount(**row) for row in data["by_channel"]],
                "by_group": {int(pk): n for pk, n in data["by_group"].items()},
            }
        )


def opinion_counts(*, consultation: Consultation) -> OpinionCounts:
    """Count 提出者数 and 意見件数 and check every item is in one group.

    A submission that has not been split counts as one item. Campaign copies
    are counted like any other submission: they add to 同趣旨 N件, never to
    a vote (行政手続法42条).
    """
    counted = Submission.objects.filter(consultation=consultation).exclude(status=Submission.Status.WITHDRAWN)
    item_rows = OpinionItem.objects.filter(submission__in=counted)
    # GROUP BY in the database: a consultation may hold 100,000s of submissions.
    submissions_by_channel = Counter(
        dict(counted.order_by().values("channel").annotate(n=Count("id")).values_list("channel", "n"))
    )
    split = {
        channel: (submissions, items)
        for channel, submissions, items in item_rows.order_by()
        .values("submission__channel")
        .annotate(
            submissions=Count("submission_id", distinct=True),
            items=Count("id"),
        )
        .values_list("submission__channel", "submissions", "items")
    }
    items_by_channel: Counter[str] = Counter(
        {
            channel: n - split.get(channel, (0, 0))[0] + split.get(channel, (0, 0))[1]
            for channel, n in submissions_by_channel.items()
        }
    )
    unsplit = sum(submissions_by_channel.values()) - sum(subs for subs, _items in split.values())
    items_total = sum(items_by_channel.values())

    grouped = item_rows.filter(group__isnull=False)
    by_group = dict(grouped.order_by().values("group_id").annotate(n=Count("id")).values_list("group_id", "n"))
    foreign = grouped.exclude(group__consultation=consultation).count()
    ungrouped = item_rows.filter(group__isnull=True).count() + unsplit
    groups = list(
        OpinionGroup.objects.filter(consultation=consultation).values_list("pk", "number", "revised", "withheld")
    )

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

    # 団体 and 連名 (#15): the other signers of each 連名, by channel.
    identities = SubmitterIdentity.objects.filter(submission__in=counted).order_by()
    by_kind = dict(identities.values("submitter_kind").annotate(n=Count("id")).values_list("submitter_kind", "n"))
    extra_signers = Counter(
        dict(
            Signer.objects.filter(
                identity__submission__in=counted, identity__submitter_kind=SubmitterIdentity.Kind.JOINT
            )
            .order_by()
            .values("identity__submission__channel")
            .annotate(n=Count("id"))
            .values_list("identity__submission__channel", "n")
        )
    )
    joint = by_kind.get(SubmitterIdentity.Kind.JOINT, 0)
    rule = settings.KOE_SUBMITTER_COUNT
    per_signer = rule == SUBMITTER_COUNT_SIGNERS

    labels = dict(Channel.choices)
    by_channel = [
        ChannelCount(
            channel=c,
            label=str(labels.get(c, c)),
            submissions=submissions_by_channel[c],
            items=items_by_channel[c],
            submitters=submissions_by_channel[c] + (extra_signers[c] if per_signer else 0),
        )
        for c in labels
        if submissions_by_channel[c]
    ]
    return OpinionCounts(
        submitters=sum(submissions_by_channel.values()) + (sum(extra_signers.values()) if per_signer else 0),
        submitter_rule=rule,
        organizations=by_kind.get(SubmitterIdentity.Kind.ORGANIZATION, 0),
        joint_submissions=joint,
        joint_signers=joint + sum(extra_signers.values()),
        submissions=sum(submissions_by_channel.values()),
        items=items_total,
        grouped_items=grouped_total,
        ungrouped_items=ungrouped,
        groups=len(groups),
        revised_groups=sum(1 for g in groups if g[2] and not g[3]),
        withheld_groups=sum(1 for g in groups if g[3]),
        by_channel=by_channel,
        by_group=by_group,
        issues=issues,
    )
