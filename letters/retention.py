"""保存年限 of 市長への手紙: what is erased when a letter's years are over.

Counted from the case's completion: the reply was sent (sent_at), the letter
was filed as 参考意見 without a reply, or the writer withdrew it. A case still
being worked on never expires. LetterCase has no filing date, so a filed
case counts from its last change (updated_at), which is on or after the day
it was filed: the letter is kept at least as long as the policy says.

The policy: the letter is reduced to its statistical and public record. Its
identity and account link, the original text, the masked copy routed to the
所管課, the reply text, the approval comments, the staff notes and the
analyses' copies of the text are erased. What stays: 受付番号, dates, 所管課,
status and 回答しない理由 (the dashboards' on-time figures count them), and,
for a letter published with the writer's consent, the published 意見の要旨 and
回答の要旨, which are the public record.
"""

import datetime

from django.db.models import Case, Count, Exists, Max, Min, OuterRef, Q, QuerySet, When

from core.retention import Affected, RetentionKind, retention_kind_register
from feedback.models import Submission
from feedback.services.retention import submission_identities_erase, submission_originals_erase
from letters.models import LetterApproval, LetterCase
from nlp.retention import analyses_text_erase, analyses_with_text
from triage.retention import internal_notes_delete, internal_notes_of

# SQLite allows a few hundred bound parameters per statement.
BATCH_SIZE = 500
COMPLETED = Case(
    When(submission__status=Submission.Status.WITHDRAWN, then="submission__withdrawn_at"),
    When(status=LetterCase.Status.SENT, then="sent_at"),
    When(status=LetterCase.Status.FILED, then="updated_at"),
    default=None,
)


def _not_yet_erased() -> Q:
    submission = OuterRef("submission")
    return (
        Q(submission__identity__isnull=False)
        | Q(submission__author__isnull=False)
        | ~Q(submission__body="")
        | ~Q(routed_text="")
        | ~Q(reply_text="")
        | Exists(LetterApproval.objects.filter(case=OuterRef("pk")).exclude(comment=""))
        | Exists(internal_notes_of(submission_ref=submission))
        | Exists(analyses_with_text(submission_ref=submission))
    )


def _expired(cutoff: datetime.datetime) -> QuerySet[LetterCase]:
    return (
        LetterCase.objects.annotate(completed=COMPLETED)
        .filter(completed__lt=cutoff)
        .filter(_not_yet_erased())
        .order_by()
    )


def _measure(cutoff: datetime.datetime) -> Affected:
    row = _expired(cutoff).aggregate(count=Count("id"), oldest=Min("completed"), newest=Max("completed"))
    return Affected(**row)


def _erase(cutoff: datetime.datetime) -> int:
    rows = list(_expired(cutoff).values_list("id", "submission_id"))
    for start in range(0, len(rows), BATCH_SIZE):
        batch = rows[start : start + BATCH_SIZE]
        case_ids = [case_id for case_id, _ in batch]
        submission_ids = [submission_id for _, submission_id in batch]
        submission_identities_erase(submission_ids=submission_ids)
        submission_originals_erase(submission_ids=submission_ids)
        analyses_text_erase(submission_ids=submission_ids)
        internal_notes_delete(submission_ids=submission_ids)
        # A queryset update leaves updated_at (auto_now) alone, so a filed case
        # keeps the date its years were counted from.
        LetterCase.objects.filter(pk__in=case_ids).update(routed_text="", reply_text="")
        LetterApproval.objects.filter(case_id__in=case_ids).exclude(comment="").update(comment="")
    return len(rows)


retention_kind_register(
    RetentionKind(
        key="letter",
        label="市長への手紙",
        setting="KOE_RETENTION_YEARS_LETTER",
        counted_from="案件の完結（回答送付・回答せず受理・取り下げ）",
        action=(
            "提出者の個人情報・アカウントとの紐付け・手紙の原文・回付用の本文・回答文・承認コメント・内部メモ・"
            "解析結果の本文を消去（受付番号・日付・所管課・状態と、公表した意見の要旨・回答の要旨は残す）"
        ),
        measure=_measure,
        erase=_erase,
        note="対応中の手紙は完結するまで保存年限の計算に入りません。",
        order=20,
    )
)
