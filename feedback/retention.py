"""保存年限 of the submitters' identity (パブリック・コメント and surveys).

Counted from the consultation's 募集締切: until then, and for the years after
it while results are published and 情報公開 requests may come, 広聴 may need
to reach the submitter or check their 提出資格. A consultation not closed yet
(no 募集締切) never expires. 市長への手紙 are left to letters.retention, whose
policy covers the whole letter.
"""

import datetime

from django.db.models import Count, Max, Min, Q, QuerySet

from consultations.models import Consultation
from core.retention import Affected, RetentionKind, retention_kind_register
from feedback.models import Submission
from feedback.services.retention import submission_identities_erase


def _expired(cutoff: datetime.datetime) -> QuerySet[Submission]:
    return (
        Submission.objects.exclude(consultation__kind=Consultation.Kind.LETTER)
        .filter(consultation__closes_at__lt=cutoff)
        .filter(Q(identity__isnull=False) | Q(author__isnull=False))
        .order_by()
    )


def _measure(cutoff: datetime.datetime) -> Affected:
    row = _expired(cutoff).aggregate(
        count=Count("id"),
        oldest=Min("consultation__closes_at"),
        newest=Max("consultation__closes_at"),
    )
    return Affected(**row)


def _erase(cutoff: datetime.datetime) -> int:
    ids = list(_expired(cutoff).values_list("id", flat=True))
    submission_identities_erase(submission_ids=ids)
    return len(ids)


retention_kind_register(
    RetentionKind(
        key="submission_identity",
        label="提出者の個人情報",
        setting="KOE_RETENTION_YEARS_SUBMISSION_IDENTITY",
        counted_from="案件の募集締切",
        action="氏名・ふりがな・団体名・代表者・住所・電話・メール等とアカウントとの紐付けを消去（意見本文・受付番号・属性は残す）",
        measure=_measure,
        erase=_erase,
        note="パブリック・コメントとアンケートの提出。市長への手紙は「市長への手紙」の保存年限による。",
        order=10,
    )
)
