"""Redis (cache and broker) stops while residents submit through the web form, then returns.

Every resident gets the 受付番号 page (or, if the opinion truly could not be
stored, a Japanese page that still holds the text); every accepted
submission is in PostgreSQL; once Redis is back, beat's sweeper has the
worker analyse every one of them, once.
"""

from bench.processes import wait_until
from feedback.models import Submission
from nlp.models import SubmissionAnalysis
from tests.consultations.factories import ConsultationFactory

from .support import Clock, analysis_counts, opinions, submit_opinions

BEFORE, DURING = 3, 8


def test_residents_submitting_while_redis_is_down_keep_their_opinions(stack):
    clock = Clock()
    consultation = ConsultationFactory()
    worker = stack.worker("analysis", wait=False)
    beat = stack.beat(sweep_seconds=3, wait=False)
    port = stack.web()
    stack.ready()
    before = submit_opinions(port, consultation.pk, opinions(BEFORE, "障害前"))
    assert all(o.has_receipt_page for o in before), [o.describe() for o in before]
    clock("stack up, first residents answered")

    # when: Redis goes away while residents send
    stack.redis.stop()
    during = submit_opinions(port, consultation.pk, opinions(DURING, "障害中"))
    clock("residents sent during the outage")

    # then: each one has a 受付番号 page or a Japanese message with their text
    unhelped = [o.describe() for o in during if not (o.has_receipt_page or o.kept_text_in_japanese)]
    assert not unhelped, (
        f"{len(unhelped)} of {DURING} residents got neither a 受付番号 nor their text back: {unhelped[:2]}"
    )
    accepted = {o.receipt for o in before + during if o.receipt}
    stored = set(Submission.objects.filter(consultation=consultation).values_list("receipt_number", flat=True))
    assert accepted <= stored, f"accepted but not stored: {accepted - stored}"
    # Intake must not need Redis at all: every resident of the outage was accepted.
    assert len(accepted) == BEFORE + DURING, [o.describe() for o in during if not o.receipt][:2]

    # when: Redis is back (empty: what was queued before is lost with it)
    stack.redis.start()
    clock("Redis back")
    ids = set(Submission.objects.filter(consultation=consultation).values_list("id", flat=True))

    def analysed():
        return set(SubmissionAnalysis.objects.filter(submission_id__in=ids).values_list("submission_id", flat=True))

    wait_until(lambda: analysed() == ids, timeout=180, interval=0.5, what="analysis of every stored submission")
    clock("all analysed")
    assert worker.alive(), "the worker did not survive the outage"
    assert beat.alive(), "beat did not survive the outage"
    rows = SubmissionAnalysis.objects.filter(submission_id__in=ids).values_list("submission_id", "model_version")
    _, twice, _ = analysis_counts(list(rows))
    assert not twice, f"analysed more than once: {twice}"
