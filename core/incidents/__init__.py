"""漏えい等事案の記録と報告 (個人情報保護法68条): the register of personal-data incidents.

- ``rules``: the 報告義務 triggers of 施行規則43条 for 行政機関等 and the
  deadlines of 44条, as pure functions (no Django);
- ``models``: ``Incident``, one row per 漏えい・滅失・毀損 (or its おそれ);
- ``services``: every write (record, change, 報告, 本人への通知, 終結),
  each with its audit row;
- ``selectors``: the list with days left, the timeline from the audit
  rows, the CSV of the register.

Who may handle incidents is decided above core, in accounts.access
(``may_handle_incidents``: 広聴 and admins); the staff pages are
accounts.incident_views.
"""
