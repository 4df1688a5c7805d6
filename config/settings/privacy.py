"""Personal data over its whole life: 保存年限 per record kind, staff idle timeout.

Imported at the end of base.py, so every environment gets these. The record
kinds themselves (what is erased, counted from when) are declared by the apps
that hold them (``<app>/retention.py``, run by core.retention); here are only
the numbers a city sets from its 文書管理規程.
"""

import environ
from celery.schedules import crontab

# base.py is still being imported when it star-imports this module; it is
# already in sys.modules with MIDDLEWARE and CELERY_BEAT_SCHEDULE defined, so
# the two lists are extended in place here and base.py keeps one line for us.
from config.settings import base as _base

env = environ.Env()

__all__ = [
    "KOE_RETENTION_YEARS_SUBMISSION_IDENTITY",
    "KOE_RETENTION_YEARS_LETTER",
    "KOE_RETENTION_YEARS_APPLICATION",
    "KOE_RETENTION_YEARS_AUDIT",
    "KOE_RETENTION_FROM_NEXT_FISCAL_YEAR",
    "KOE_STAFF_IDLE_TIMEOUT_MINUTES",
    "KOE_STAFF_IDLE_WARNING_SECONDS",
]

# ---- 保存年限 (years; at least 1) ----
# 提出者の個人情報 (氏名・住所・電話・メール…) on パブリック・コメント and survey
# submissions, counted from the consultation's 募集締切. The opinion text stays.
KOE_RETENTION_YEARS_SUBMISSION_IDENTITY = env.int("KOE_RETENTION_YEARS_SUBMISSION_IDENTITY", default=5)
# 市長への手紙 (the letter, its identity, the routed copy, the reply and the
# approval comments), counted from the case's completion (回答送付 or 受理).
KOE_RETENTION_YEARS_LETTER = env.int("KOE_RETENTION_YEARS_LETTER", default=5)
# 公募委員の応募 (committees): declared for when that app has its models.
KOE_RETENTION_YEARS_APPLICATION = env.int("KOE_RETENTION_YEARS_APPLICATION", default=3)
# 監査ログ rows, counted from the event.
KOE_RETENTION_YEARS_AUDIT = env.int("KOE_RETENTION_YEARS_AUDIT", default=5)
# Japanese 文書管理規程 count a 保存期間 from 4月1日 of the fiscal year after the
# record was completed (a letter answered on 2025-06-10 with 5 years is kept
# until 2031-03-31). False counts from the day itself.
KOE_RETENTION_FROM_NEXT_FISCAL_YEAR = env.bool("KOE_RETENTION_FROM_NEXT_FISCAL_YEAR", default=True)

# Daily at 03:30 JST, on the default queue; the job is idempotent.
_base.CELERY_BEAT_SCHEDULE["core-retention-apply"] = {
    "task": "core.tasks.retention_apply_task",
    "schedule": crontab(hour=3, minute=30),
}

# ---- Staff sessions (WCAG 2.2.1: warn before the end, let them extend) ----
# A staff session with no request for this long is logged out; residents'
# sessions are not affected.
KOE_STAFF_IDLE_TIMEOUT_MINUTES = env.float("KOE_STAFF_IDLE_TIMEOUT_MINUTES", default=30)
# The warning dialog (「延長する」) opens this many seconds before the end.
KOE_STAFF_IDLE_WARNING_SECONDS = env.int("KOE_STAFF_IDLE_WARNING_SECONDS", default=120)

# After authentication and messages (it logs out and leaves a message), before
# the MFA check (an idle session is ended before anything else is asked).
_base.MIDDLEWARE.insert(
    _base.MIDDLEWARE.index("accounts.middleware.StaffMFARequiredMiddleware"),
    "accounts.middleware.StaffIdleTimeoutMiddleware",
)
