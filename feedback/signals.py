"""Signals intake sends, so apps above it can act without intake importing them."""

from django.dispatch import Signal

# Sent inside submission_create's transaction with ``submission`` and
# ``batched``; a receiver that must run only once the row is committed uses
# transaction.on_commit. ``batched=True``: the caller announces this
# submission again with others in submissions_imported, so per-row work that
# has a batch form (queueing analysis) waits for that.
submission_received = Signal()

# Sent inside a CSV import batch's transaction with ``submission_ids`` (the
# batch's new submissions, each already sent with batched=True) and
# ``consultation_id``.
submissions_imported = Signal()
