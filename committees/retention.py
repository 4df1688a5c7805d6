"""保存年限 of 公募委員の応募 (applications to 附属機関 seats).

Counted from the end of the selection (選考結果の確定), after which the
applicant's 申込書 and 小論文 are no longer needed; for an appointed
applicant, from the end of the term they were appointed for. A round still
being selected never expires. What stays: 受付番号, dates, channel,
eligibility and its reasons, outcome — the counts behind 応募倍率 — and the
member record of the registry, which the secretariat keeps as its 名簿.
"""

import datetime

from django.db.models import Case, Count, DateTimeField, F, Max, Min, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from committees.models import Application, Gender
from core.retention import Affected, RetentionKind, retention_kind_register

ERASED = {
    "name": "",
    "name_kana": "",
    "birth_date": None,
    "address": "",
    "phone": "",
    "email": "",
    "occupation": "",
    "activities": "",
    "essay": "",
    "interview_note": "",
    "gender": Gender.NO_ANSWER,
    "applicant": None,
}
COMPLETED = Case(
    When(outcome=Application.Outcome.APPOINTED, then=Cast(F("round__term_end"), DateTimeField())),
    default=F("round__decided_at"),
    output_field=DateTimeField(),
)


def _expired(cutoff: datetime.datetime) -> QuerySet[Application]:
    return (
        Application.objects.filter(round__decided_at__isnull=False, erased_at__isnull=True)
        .annotate(completed=COMPLETED)
        .filter(completed__lt=cutoff)
        .order_by()
    )


def _measure(cutoff: datetime.datetime) -> Affected:
    row = _expired(cutoff).aggregate(count=Count("id"), oldest=Min("completed"), newest=Max("completed"))
    return Affected(**row)


def _erase(cutoff: datetime.datetime) -> int:
    ids = list(_expired(cutoff).values_list("id", flat=True))
    Application.objects.filter(pk__in=ids).update(**ERASED, erased_at=Value(timezone.now()))
    return len(ids)


retention_kind_register(
    RetentionKind(
        key="application",
        label="公募委員の応募",
        setting="KOE_RETENTION_YEARS_APPLICATION",
        counted_from="選考結果の確定（選任された応募は任期の終わり）",
        action="応募者の氏名・住所・生年月日・連絡先・応募書類・面接の記録を消去（受付番号・応募資格・選考結果の件数は残す）",
        measure=_measure,
        erase=_erase,
        note="選考中の公募の応募は、選考結果が確定するまで保存年限の計算に入りません。",
        order=30,
    )
)
