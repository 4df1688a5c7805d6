"""Signals intake sends, so apps above it can act without intake importing them."""

from django.dispatch import Signal

# Sent inside submission_create's transaction with ``submission``; a receiver
# that must run only once the row is committed uses transaction.on_commit.
submission_received = Signal()
