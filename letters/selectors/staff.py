"""Reads of 市長への手紙 cases.

Who sees a case is accounts.access's rule, applied through
``submission_list_visible_to``; this module only narrows it to letters and
adds what the screens need.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import can_view_personal_data
from accounts.models import User
from accounts.roles import DEPARTMENT_APPROVER, DEPARTMENT_ROLES, KOUCHOU, has_role
from core.calendar import add_working_days, working_days_between
from core.models import AuditEvent
from feedback.models import Submission
from feedback.selectors import submission_list_for_author, submission_list_visible_to
from letters import workflow
from letters.models import LetterApproval, LetterCase, PolicyDepartment
from nlp.pii import contact_spans, mask
from nlp.selectors import latest_masked_texts

# States in which the 所管課 owes something (a draft or an approval).
DEPARTMENT_STATUSES = workflow.WITH_DEPARTMENT
CLOSED_STATUSES = workflow.CLOSED
REMINDER_WORKING_DAYS_BEFORE = 2
MASK = "〇〇"


def letter_case_list_visible_to(*, user) -> QuerySet[LetterCase]:
    """Return the letter cases the user may see, with their joins."""
    visible = submission_list_visible_to(user=user).values("pk")
    return LetterCase.objects.filter(submission__in=visible).select_related(
        "submission",
        "submission__department",
        "submission__department__parent",
        "submission__suggested_policy",
        "submission__policy",
    )


def letter_case_get_visible(*, user, pk: int) -> LetterCase | None:
    return letter_case_list_visible_to(user=user).filter(pk=pk).first()


@dataclass(frozen=True)
class LetterRow:
    case: LetterCase
    days_left: int | None  # 開庁日; negative once overdue

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0 and self.case.status not in CLOSED_STATUSES


def letter_inbox_cases(*, user, closed: bool = False) -> QuerySet[LetterCase]:
    """Open cases unrouted first, then by due date; or closed cases, newest first."""
    qs = letter_case_list_visible_to(user=user)
    if closed:
        return qs.filter(status__in=CLOSED_STATUSES).order_by("-submission__submitted_at", "-pk")
    return qs.exclude(status__in=CLOSED_STATUSES).order_by(
        F("due_on").asc(nulls_first=True),
        "submission__submitted_at",
        "pk",
    )


def letter_rows(cases, *, today: datetime.date | None = None) -> list[LetterRow]:
    """Pair each case with the 開庁日 left until its due date."""
    today = today or timezone.localdate()
    return [
        LetterRow(
            case=case,
            days_left=working_days_between(today, case.due_on) if case.due_on else None,
        )
        for case in cases
    ]


def letter_received_on(*, submission: Submission) -> datetime.date:
    """Return the day the letter reached the city (paper: its arrival)."""
    return submission.received_on or timezone.localdate(submission.submitted_at)


def letter_due_on(*, submission: Submission) -> datetime.date:
    return add_working_days(letter_received_on(submission=submission), settings.KOE_LETTER_DUE_WORKING_DAYS)


def _identity_strings(submission: Submission) -> list[str]:
    identity = getattr(submission, "identity", None)
    if identity is None:
        return []
    values = [
        identity.name,
        identity.name_kana,
        identity.address,
        identity.email,
        identity.phone,
        identity.postcode,
        identity.representative,
        identity.organization,
    ]
    # "川口 太郎" is also written "川口太郎"; a lone 姓 is not matched, as it
    # is often a place name too (川口, 青木).
    values += [re.sub(r"[\s\u3000]+", "", v) for v in (identity.name, identity.name_kana) if v]
    return sorted({v.strip() for v in values if v and len(v.strip()) >= 2}, key=len, reverse=True)


def letter_personal_data_in(*, submission: Submission, text: str) -> list[str]:
    """Return the submitter's own details (or e-mail/phone patterns) in text."""
    found = [value for value in _identity_strings(submission) if value in text]
    found += [text[span.start : span.end] for span in contact_spans(text)]
    return found


def letter_masked_suggestion(*, case: LetterCase) -> str:
    """Return the NLP-masked text, or the original with the writer's details hidden."""
    masked = latest_masked_texts(submission_ids=[case.submission_id]).get(case.submission_id)
    text = masked or case.submission.body
    for value in _identity_strings(case.submission):
        text = text.replace(value, MASK)
    return mask(text, contact_spans(text), placeholder=MASK)


def letter_text_for(*, user, case: LetterCase) -> str:
    """Return the original for 広聴 and admins, the masked copy for departments."""
    if can_view_personal_data(user=user):
        return case.submission.body
    return case.routed_text


def letter_suggested_department(*, case: LetterCase):
    """Return the 課 the city maps the letter's 施策 to, or None."""
    submission = case.submission
    policy_id = submission.policy_id or submission.suggested_policy_id
    if policy_id is None:
        return None
    row = PolicyDepartment.objects.select_related("department").filter(policy_id=policy_id).first()
    return row.department if row else None


def letter_can_reply(*, case: LetterCase) -> bool:
    """True when the writer asked for a reply and left a way to send it."""
    submission = case.submission
    identity = getattr(submission, "identity", None)
    if not submission.reply_requested or identity is None or not identity.name:
        return False
    by_mail = bool(identity.email)
    by_post = bool(identity.address and identity.postcode)
    if identity.contact_method == identity.ContactMethod.EMAIL:
        return by_mail
    if identity.contact_method == identity.ContactMethod.POST:
        return by_post
    return by_mail or by_post


def letter_has_contact(*, case: LetterCase) -> bool:
    identity = getattr(case.submission, "identity", None)
    return bool(identity and identity.name and (identity.email or (identity.address and identity.postcode)))


def letter_reply_channel(*, case: LetterCase) -> str:
    """Return "email" or "post" as the writer chose (e-mail when unsaid)."""
    identity = case.submission.identity
    if identity.contact_method:
        return identity.contact_method
    return "email" if identity.email else "post"


def letter_reminder_due_cases(*, today: datetime.date) -> tuple[list[int], list[int]]:
    """Return ids of cases needing the pre-deadline and the overdue reminder."""
    active = LetterCase.objects.filter(
        status__in=DEPARTMENT_STATUSES,
        due_on__isnull=False,
        submission__department__isnull=False,
    )
    soon = add_working_days(today, REMINDER_WORKING_DAYS_BEFORE)
    before = active.filter(reminded_before_at__isnull=True, due_on__gt=today, due_on__lte=soon)
    overdue = active.filter(reminded_overdue_at__isnull=True, due_on__lt=today)
    return list(before.values_list("pk", flat=True)), list(overdue.values_list("pk", flat=True))


def letter_department_recipients(*, department) -> list[str]:
    """Return the e-mail addresses of the 課's active staff and approvers."""
    return _active_emails(
        User.objects.filter(
            department=department,
            groups__name__in=DEPARTMENT_ROLES,
        )
    )


def letter_reminder_recipients(*, case: LetterCase) -> list[str]:
    """The 課 of the case and, while it waits for the 部長's approval, the 部's approvers."""
    department = case.submission.department
    recipients = letter_department_recipients(department=department)
    if department.parent_id and letter_pending_stage(case=case) == LetterApproval.Stage.BUCHO:
        bucho = _active_emails(
            User.objects.filter(department_id=department.parent_id, groups__name=DEPARTMENT_APPROVER)
        )
        recipients = sorted(set(recipients) | set(bucho))
    return recipients


def _active_emails(users) -> list[str]:
    return list(
        users.filter(is_active=True).exclude(email="").order_by("email").values_list("email", flat=True).distinct()
    )


def letter_reply_for_author(*, user, receipt_number: str) -> LetterCase | None:
    """Return the sent reply to the user's own letter, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        LetterCase.objects.select_related("submission", "submission__consultation")
        .filter(
            submission__author=user,
            submission__receipt_number=receipt_number,
            status=LetterCase.Status.SENT,
        )
        .first()
    )


def submission_list_for_author_with_replies(*, user) -> QuerySet[Submission]:
    return submission_list_for_author(user=user).select_related("letter_case")


# ---- Who may act on a case now: the rows of letters.workflow. ----


def letter_pending_stage(*, case: LetterCase) -> str | None:
    """Return the approval stage (LetterApproval.Stage) the case waits for, or None."""
    return workflow.letter_stage_awaited(case.status)


def letter_is_kouchou(*, user) -> bool:
    return has_role(user, KOUCHOU)


def letter_may_draft(*, user, case: LetterCase) -> bool:
    """True for staff and approvers of the 課 the letter was routed to."""
    department_id = case.submission.department_id
    return bool(department_id and user.department_id == department_id and has_role(user, *DEPARTMENT_ROLES))


def _is_approver_in(user, department_id) -> bool:
    return bool(department_id and user.department_id == department_id and has_role(user, DEPARTMENT_APPROVER))


def letter_is_kacho(*, user, case: LetterCase) -> bool:
    """True for an approver of the 課 the letter was routed to."""
    return _is_approver_in(user, case.submission.department_id)


def letter_is_bucho(*, user, case: LetterCase) -> bool:
    """True for an approver of the 部 above that 課 (a 部 has no parent)."""
    department = case.submission.department
    return bool(
        department is not None and _is_approver_in(user, department.parent_id) and user.department.parent_id is None
    )


# The "who" names of letters.workflow, as predicates of (user, case).
LETTER_WHO = {
    workflow.KOUCHOU: lambda user, case: letter_is_kouchou(user=user),
    workflow.KA_STAFF: lambda user, case: letter_may_draft(user=user, case=case),
    workflow.KACHO: lambda user, case: letter_is_kacho(user=user, case=case),
    workflow.BUCHO: lambda user, case: letter_is_bucho(user=user, case=case),
}
# The condition names of letters.workflow, as predicates of the case.
LETTER_CONDITIONS = {
    workflow.CAN_REPLY: lambda case: letter_can_reply(case=case),
    workflow.CONSENT: lambda case: bool(case.submission.publication_consent),
}


def letter_may(*, user, case: LetterCase, who: str) -> bool:
    """True when the user is ``who`` (a letters.workflow name) for this case."""
    return LETTER_WHO[who](user, case)


def letter_condition_met(*, case: LetterCase, condition: str) -> bool:
    return LETTER_CONDITIONS[condition](case)


def letter_transitions_for(*, user, case: LetterCase) -> list[workflow.Transition]:
    """Return the workflow rows this user may take on this case now, in table order."""
    return [
        row
        for row in workflow.letter_transitions_from(case.status)
        if letter_may(user=user, case=case, who=row.who)
        and all(letter_condition_met(case=case, condition=c) for c in row.requires)
    ]


@dataclass(frozen=True)
class LetterOffer:
    """One action the case page offers: a workflow row and where it is taken."""

    action: str
    label: str
    url_name: str
    stage: str | None = None


def letter_offers(*, user, case: LetterCase) -> list[LetterOffer]:
    """Return the actions to show on the case page, from the workflow rows."""
    offers = []
    for row in letter_transitions_for(user=user, case=case):
        label = row.label
        if row.action == workflow.DRAFT and case.reply_text:
            # A draft sent back to the 課 is revised, not written afresh.
            label = workflow.letter_transition(LetterCase.Status.DRAFTED, workflow.DRAFT).label
        offers.append(
            LetterOffer(
                action=row.action,
                label=str(label),
                url_name=workflow.ACTIONS[row.action].url_name,
                stage=row.stage,
            )
        )
    return offers


# Pages that are not steps of the workflow: 広聴's print-out of an approved
# or sent reply (it shows the address), and the writer's personal data.
PRINTABLE_STATUSES = (LetterCase.Status.APPROVED, LetterCase.Status.SENT)


def letter_allowed_actions(*, user, case: LetterCase) -> set[str]:
    """Return the names of the workflow actions and pages this user may use now."""
    actions = {row.action for row in letter_transitions_for(user=user, case=case)}
    if letter_is_kouchou(user=user) and case.status in PRINTABLE_STATUSES:
        actions.add("print")
    if can_view_personal_data(user=user):
        actions.add("personal_data")
    return actions


HISTORY_LABELS = {
    "letter.route": _("担当課へ回付"),
    "letter.draft": _("回答案を作成"),
    "letter.approve": _("承認"),
    "letter.send_back": _("差し戻し"),
    "letter.send": _("回答を送付"),
    "letter.reply_emailed": _("回答メールを送信"),
    "letter.file": _("回答せずファイル"),
    "letter.publish": _("要旨を公表"),
    "letter.remind_before": _("期限前の通知"),
    "letter.remind_overdue": _("期限超過の通知"),
}


def letter_history(*, case: LetterCase):
    """Return the audit rows of the case, oldest first."""
    return AuditEvent.objects.filter(target_type="letters.lettercase", target_id=str(case.pk)).order_by("pk")


def letter_history_rows(*, case: LetterCase) -> list[dict]:
    """Return the case's history for display, with Japanese labels."""
    return [
        {
            "at": event.occurred_at,
            "actor": event.actor_label if event.actor_id else _("システム"),
            "label": HISTORY_LABELS.get(event.action, event.action),
            "summary": event.summary,
        }
        for event in letter_history(case=case)
    ]
