"""Signals the consultation lifecycle sends to the apps above it."""

from django.dispatch import Signal

# Sent inside the closing transaction with ``consultation``; receivers that
# queue work use transaction.on_commit.
consultation_closed = Signal()

# Sent inside the publishing transaction with ``consultation`` once a
# パブリック・コメント's results are public; receivers queue work on commit.
consultation_results_published = Signal()
