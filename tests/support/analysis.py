"""Store an NLP result as the engine would, without running the engine."""

from nlp.models import SubmissionAnalysis


def analyse(submission, masked_text=None, key_phrases=(), version="test-1"):
    """Store an NLP result as the engine would (masked text, key phrases)."""
    return SubmissionAnalysis.objects.create(
        submission=submission,
        model_version=version,
        masked_text=submission.body if masked_text is None else masked_text,
        key_phrases=list(key_phrases),
    )
