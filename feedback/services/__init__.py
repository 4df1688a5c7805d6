from .csv_import import CsvImportFailed, CsvRowError, submission_import_csv
from .intake import (
    AnswerInput,
    SubmissionClosed,
    invitation_code_hash,
    submission_create,
    submission_receipt_send,
    submission_withdraw,
)
from .letters import (
    letter_file,
    letter_publish,
    letter_reminders_send,
    letter_reply_approve,
    letter_reply_draft,
    letter_reply_email_deliver,
    letter_reply_send,
    letter_route,
)
from .triage import (
    note_add,
    original_text_view,
    originals_viewed,
    personal_data_view,
    submission_apply_analysis,
    submission_assign,
    submission_set_status,
    submission_set_topic,
    submissions_add_to_group,
)

__all__ = [
    "note_add",
    "original_text_view",
    "originals_viewed",
    "personal_data_view",
    "submission_apply_analysis",
    "submission_assign",
    "submission_set_status",
    "submission_set_topic",
    "submissions_add_to_group",
    "AnswerInput",
    "CsvImportFailed",
    "CsvRowError",
    "SubmissionClosed",
    "invitation_code_hash",
    "submission_create",
    "submission_import_csv",
    "submission_receipt_send",
    "submission_withdraw",
    "letter_file",
    "letter_publish",
    "letter_reminders_send",
    "letter_reply_approve",
    "letter_reply_draft",
    "letter_reply_email_deliver",
    "letter_reply_send",
    "letter_route",
]

from .workbench import (  # noqa: E402
    SeedResult,
    opinion_group_merge,
    opinion_groups_seed,
    opinion_item_move,
    opinion_items_split,
)
from .workbench_answers import (  # noqa: E402
    opinion_group_review,
    opinion_group_unwithhold,
    opinion_group_update,
    opinion_group_withhold,
)

__all__ += [
    "SeedResult",
    "opinion_group_merge",
    "opinion_group_review",
    "opinion_group_unwithhold",
    "opinion_group_update",
    "opinion_group_withhold",
    "opinion_groups_seed",
    "opinion_item_move",
    "opinion_items_split",
]

from .stats import dashboard_stats_refresh  # noqa: E402

__all__ += ["dashboard_stats_refresh"]
