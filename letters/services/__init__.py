"""市長への手紙 writes: route → draft → 課長 → 部長 → 広聴 → send, or file; publish.

The app's public write API, re-exported from its modules:

- ``routing``: open the case of a letter received, route it to a 課 with its 分野 and
  due date; mark it 市長確認が必要 (or not);
- ``replies``: the 課's draft, its approval or sending back, sending the reply and e-mailing it;
- ``filing``: file without a reply (with the reason), publish the 要旨;
- ``reminders``: due-date reminders to the 課;
- ``categories``: the 分野 list (admin edits, audited);
- ``themes``: the nightly request of the current 年度's themes (per 課 and citywide);
- ``steps``: what every step shares — lock the case, find its row in
  ``letters.workflow`` or refuse.
"""

from letters.services.categories import letter_category_delete, letter_category_save
from letters.services.filing import letter_file, letter_publish
from letters.services.reminders import letter_reminders_send
from letters.services.replies import (
    letter_replies_sweep,
    letter_reply_approve,
    letter_reply_draft,
    letter_reply_email_deliver,
    letter_reply_send,
)
from letters.services.routing import letter_case_open, letter_mayor_review_set, letter_route
from letters.services.themes import letter_themes_refresh

__all__ = [
    "letter_case_open",
    "letter_category_delete",
    "letter_category_save",
    "letter_file",
    "letter_mayor_review_set",
    "letter_publish",
    "letter_reminders_send",
    "letter_replies_sweep",
    "letter_reply_approve",
    "letter_reply_draft",
    "letter_reply_email_deliver",
    "letter_reply_send",
    "letter_route",
    "letter_themes_refresh",
]
