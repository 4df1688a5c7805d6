"""保存年限 of 公募委員の応募 (applications to 附属機関 seats): declared, not applied yet.

The committees app has no models until its own issue; the kind is declared
now so the register and the dry run show the city's setting, and so the
application model, when it lands, only has to add ``measure`` and ``erase``.
Counted from the end of the selection (選考結果の通知), after which the
applicant's 申込書 and 小論文 are no longer needed except for the term of the
appointed members.
"""

from core.retention import RetentionKind, retention_kind_register

retention_kind_register(
    RetentionKind(
        key="application",
        label="公募委員の応募",
        setting="KOE_RETENTION_YEARS_APPLICATION",
        counted_from="選考結果の通知",
        action="応募者の氏名・住所・生年月日・応募書類を消去（選任結果の件数は残す）",
        note="附属機関の公募はまだ実装されていないため、宣言のみで適用していません。",
        order=30,
    )
)
