"""Receipts whose mail was never queued: found again from the database."""

import datetime

from django.conf import settings
from django.utils import timezone

from consultations.models import Consultation
from core.queue import enqueue
from feedback.models import Submission
from feedback.tasks import submission_receipt_send_task

# Receipts queued per sweep (every 10 minutes); a longer backlog takes more runs.
MAIL_SWEEP_BATCH = 1000


def submission_receipts_sweep(*, now=None) -> int:
    """Queue the receipts that were never sent (the broker was down at submit time).

    Looks at submissions older than KOE_MAIL_SWEEP_AFTER_MINUTES (their own
    task has had its chance) and younger than KOE_MAIL_SWEEP_WITHIN_HOURS (a
    receipt days late is worse than none, and old rows from before receipts
    existed are left alone). Sending is idempotent, so a receipt queued twice
    is still sent once.
    """
    now = now or timezone.now()
    after = datetime.timedelta(minutes=settings.KOE_MAIL_SWEEP_AFTER_MINUTES)
    within = datetime.timedelta(hours=settings.KOE_MAIL_SWEEP_WITHIN_HOURS)
    ids = list(
        Submission.objects.filter(
            receipt_sent_at__isnull=True,
            submitted_at__gte=now - within,
            submitted_at__lte=now - after,
            identity__email__gt="",
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:MAIL_SWEEP_BATCH]
    )
    for submission_id in ids:
        if not enqueue(submission_receipt_send_task, submission_id):
            break
    return len(ids)


def results_notices_queue(*, consultation_id: int) -> int:
    """Queue the 結果公表のお知らせ of a published case's residents who asked and were not told yet."""
    from feedback.tasks import submission_results_notice_send_task

    ids = list(
        Submission.objects.filter(
            consultation_id=consultation_id,
            consultation__status=Consultation.Status.PUBLISHED,
            results_notice=True,
            results_notice_sent_at__isnull=True,
        )
        .exclude(status=Submission.Status.WITHDRAWN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for submission_id in ids:
        if not enqueue(submission_results_notice_send_task, submission_id):
            break  # the broker is down; the next publication check or a rerun finds the rest
    return len(ids)


def results_notices_sweep(*, now=None) -> int:
    """Queue again the 結果公表のお知らせ of cases published in the last KOE_MAIL_SWEEP_WITHIN_HOURS whose
    notices are still unsent after KOE_MAIL_SWEEP_AFTER_MINUTES (the broker was down at publication)."""
    now = now or timezone.now()
    after = datetime.timedelta(minutes=settings.KOE_MAIL_SWEEP_AFTER_MINUTES)
    within = datetime.timedelta(hours=settings.KOE_MAIL_SWEEP_WITHIN_HOURS)
    cases = (
        Submission.objects.filter(
            results_notice=True,
            results_notice_sent_at__isnull=True,
            consultation__status=Consultation.Status.PUBLISHED,
            consultation__published_at__gte=now - within,
            consultation__published_at__lte=now - after,
        )
        .values_list("consultation_id", flat=True)
        .distinct()
    )
    return sum(results_notices_queue(consultation_id=pk) for pk in cases)
