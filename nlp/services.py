"""Django shell around the NLP core: store results per model version."""

from django.db import IntegrityError, transaction

from feedback.models import Submission

from .analysis import MODEL_VERSION, analyze_texts
from .models import SubmissionAnalysis

SWEEP_BATCH_SIZE = 500


def submission_analysis_run(*, submission_id: int) -> SubmissionAnalysis | None:
    """Analyse a submission once per model version; return the stored row."""
    existing = SubmissionAnalysis.objects.filter(
        submission_id=submission_id, model_version=MODEL_VERSION
    ).first()
    if existing is not None:
        return existing
    submission = Submission.objects.filter(pk=submission_id).only("id", "body").first()
    if submission is None:
        return None
    result = analyze_texts([submission.body])[0]
    try:
        with transaction.atomic():
            return SubmissionAnalysis.objects.create(
                submission=submission,
                model_version=MODEL_VERSION,
                normalized_text=result.normalized_text,
                masked_text=result.masked_text,
                duplicate_key=result.duplicate_key,
            )
    except IntegrityError:
        # Another worker stored it first (at-least-once delivery).
        return SubmissionAnalysis.objects.get(
            submission_id=submission_id, model_version=MODEL_VERSION
        )


def analysis_sweep() -> int:
    """Enqueue analysis for up to one batch of unanalysed submissions."""
    from .tasks import submission_analyze_task

    pending = (
        Submission.objects.exclude(analyses__model_version=MODEL_VERSION)
        .order_by("id")
        .values_list("id", flat=True)[:SWEEP_BATCH_SIZE]
    )
    ids = list(pending)
    for submission_id in ids:
        submission_analyze_task.delay(submission_id)
    return len(ids)
