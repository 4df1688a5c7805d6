"""Django shell around the NLP core: store results per model version."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback.models import Submission
from feedback.selectors import submission_analysis_texts
from feedback.services import submission_suggestion_apply
from nlp.analysis import TextAnalysis, analyze_texts
from nlp.duplicates import consultation_group_key, group_duplicates
from nlp.engine import current_engine, section_classifier
from nlp.keyphrases import rank_phrases
from nlp.models import DuplicateGroup, SubmissionAnalysis, TopicLabel

# One batch is ~50 texts, well under a second of CPU: cheap to redeliver
# when a worker dies mid-batch.
ANALYSIS_BATCH_SIZE = 50
SWEEP_BATCH_SIZE = 500
TOP_SECTIONS = 3


# A submission with no text to analyse (a survey response of choices only):
# no 施策 suggestion, no duplicate key, so never a 同趣旨 member.
NO_TEXT = TextAnalysis(normalized_text="", masked_text="", duplicate_key="")


def _has_text(text: str) -> bool:
    return bool(text.strip())


def _row_fields(result: TextAnalysis) -> dict:
    topics = [{"label": t.label_id, "confidence": t.confidence} for t in result.topics]
    return {
        "normalized_text": result.normalized_text,
        "masked_text": result.masked_text,
        "pii_spans": [{"start": s.start, "end": s.end, "type": s.type} for s in result.pii_spans],
        "topics": topics,
        "top_confidence": topics[0]["confidence"] if topics else None,
        "no_topic": result.no_topic,
        "key_phrases": result.key_phrases,
        "duplicate_key": result.duplicate_key,
    }


def _store(
    submission_id: int,
    consultation_id: int,
    version: str,
    result: TextAnalysis,
    section_topics: list[dict],
) -> SubmissionAnalysis:
    try:
        with transaction.atomic():
            analysis = SubmissionAnalysis.objects.create(
                submission_id=submission_id,
                model_version=version,
                section_topics=section_topics,
                **_row_fields(result),
            )
    except IntegrityError:
        # Another worker stored it first (at-least-once delivery).
        analysis = SubmissionAnalysis.objects.get(submission_id=submission_id, model_version=version)
    _apply(analysis, _group_key(consultation_id, analysis.duplicate_key))
    return analysis


def _group_key(consultation_id: int, duplicate_key: str) -> str:
    """The submission's 同趣旨 key; "" for a submission with no text to group."""
    return consultation_group_key(consultation_id, duplicate_key) if duplicate_key else ""


def _apply(analysis: SubmissionAnalysis, group_key: str) -> None:
    """Copy the suggestion onto the submission for the triage queue."""
    top = analysis.topics[0] if analysis.topics else {}
    submission_suggestion_apply(
        submission_id=analysis.submission_id,
        # 該当なし: no 施策 is suggested; the confidence stays so the queue
        # still puts the submission among the least certain.
        policy_code=None if analysis.no_topic else top.get("label"),
        confidence=top.get("confidence"),
        group_key=group_key,
    )


def submission_analysis_run(*, submission_id: int) -> SubmissionAnalysis | None:
    """Analyse a submission once per model version; return the stored row."""
    stored = analysis_run_batch(submission_ids=[submission_id])
    return stored[0] if stored else None


def analysis_run_batch(*, submission_ids: Iterable[int]) -> list[SubmissionAnalysis]:
    """Analyse the given submissions that lack a current analysis.

    Idempotent: rows are keyed by (submission, model version), so a
    redelivered batch only fills what is missing.
    """
    classifier, version = current_engine()
    ids = list(submission_ids)
    done = {a.submission_id: a for a in SubmissionAnalysis.objects.filter(submission_id__in=ids, model_version=version)}
    pending = list(
        Submission.objects.filter(pk__in=set(ids) - set(done)).order_by("pk").values_list("pk", "consultation_id")
    )
    texts = submission_analysis_texts(submission_ids=[pk for pk, _ in pending])
    todo = [(pk, texts[pk], consultation_id) for pk, consultation_id in pending]
    written = [text for _, text, _ in todo if _has_text(text)]
    analysed = iter(analyze_texts(written, classifier))
    results = [next(analysed) if _has_text(text) else NO_TEXT for _, text, _ in todo]
    sections = _section_topics(todo)
    for (pk, _, consultation_id), result in zip(todo, results, strict=True):
        done[pk] = _store(pk, consultation_id, version, result, sections.get(pk, []))
    return [done[pk] for pk in ids if pk in done]


def _section_topics(todo: list[tuple[int, str, int]]) -> dict[int, list[dict]]:
    """Rank each consultation's draft sections for its submissions."""
    by_consultation: dict[int, list[tuple[int, str]]] = {}
    for pk, text, consultation_id in todo:
        if _has_text(text):
            by_consultation.setdefault(consultation_id, []).append((pk, text))
    out = {}
    for consultation_id, items in by_consultation.items():
        classifier = section_classifier(consultation_id)
        if classifier is None:
            continue
        ranked = classifier.predict_texts([body for _, body in items])
        for (pk, _), scores in zip(items, ranked, strict=True):
            out[pk] = [{"label": s.label_id, "confidence": s.confidence} for s in scores[:TOP_SECTIONS]]
    return out


def analysis_sweep() -> int:
    """Enqueue batches for unanalysed submissions and stale groupings."""
    from nlp.tasks import analysis_batch_task, duplicate_groups_refresh_task

    _, version = current_engine()
    ids = list(
        Submission.objects.exclude(analyses__model_version=version)
        .order_by("id")
        .values_list("id", flat=True)[:SWEEP_BATCH_SIZE]
    )
    for start in range(0, len(ids), ANALYSIS_BATCH_SIZE):
        analysis_batch_task.delay(ids[start : start + ANALYSIS_BATCH_SIZE])
    # order_by() clears Meta.ordering: otherwise analysed_at joins the
    # SELECT DISTINCT and every analysis queues its own regroup.
    stale = (
        SubmissionAnalysis.objects.filter(model_version=version, grouped_at__isnull=True)
        .order_by()
        .values_list("submission__consultation_id", flat=True)
        .distinct()
    )
    for consultation_id in sorted(stale):
        duplicate_groups_refresh_task.delay(consultation_id)
    return len(ids)


def duplicate_groups_refresh(*, consultation_id: int) -> int:
    """Regroup a consultation's analysed submissions; return group count."""
    _, version = current_engine()
    rows = {
        r["pk"]: r
        for r in SubmissionAnalysis.objects.filter(
            submission__consultation_id=consultation_id,
            model_version=version,
        ).values("pk", "submission_id", "duplicate_key", "key_phrases")
    }
    # Only texts with a duplicate key are grouped: a survey response of
    # choices only has none and is never a 同趣旨 member.
    texts = submission_analysis_texts(submission_ids=[r["submission_id"] for r in rows.values() if r["duplicate_key"]])
    groups = [
        sorted(g)
        for g in group_duplicates([(pk, texts[r["submission_id"]]) for pk, r in rows.items() if r["duplicate_key"]])
    ]
    with transaction.atomic():
        kept = [_group_store(consultation_id, members, rows) for members in groups]
        grouped = {pk for members in groups for pk in members}
        SubmissionAnalysis.objects.filter(pk__in=set(rows) - grouped).update(duplicate_group=None)
        DuplicateGroup.objects.filter(consultation_id=consultation_id).exclude(pk__in=kept).delete()
        SubmissionAnalysis.objects.filter(pk__in=rows).update(grouped_at=timezone.now())
    for analysis in SubmissionAnalysis.objects.filter(pk__in=rows).select_related("duplicate_group"):
        group = analysis.duplicate_group
        _apply(analysis, group.key if group else _group_key(consultation_id, analysis.duplicate_key))
    return len(groups)


def _group_store(consultation_id: int, members: list[int], rows: dict) -> int:
    # The earliest member's exact key, scoped to the consultation, names the
    # group, so it stays stable as later copies arrive and never matches
    # another consultation's group of the same text.
    key = consultation_group_key(consultation_id, rows[members[0]]["duplicate_key"])
    phrases = rank_phrases(Counter(p for pk in members for p in rows[pk]["key_phrases"]))
    group, _ = DuplicateGroup.objects.update_or_create(
        consultation_id=consultation_id,
        key=key,
        defaults={"size": len(members), "key_phrases": phrases},
    )
    SubmissionAnalysis.objects.filter(pk__in=members).update(duplicate_group=group)
    return group.pk


def topic_label_record(*, submission, label: str, actor) -> TopicLabel:
    """Record a staff-confirmed 施策 as a training label (latest wins)."""
    row, _ = TopicLabel.objects.update_or_create(
        submission=submission,
        defaults={"label_id": label, "confirmed_by": actor},
    )
    return row


# Themes (#14) live in their own module; re-exported so callers keep one import path.
from nlp.services.themes import theme_run_compute as theme_run_compute  # noqa: E402
from nlp.services.themes import theme_run_publish as theme_run_publish  # noqa: E402
from nlp.services.themes import theme_run_request as theme_run_request  # noqa: E402
from nlp.services.themes import theme_run_unpublish as theme_run_unpublish  # noqa: E402
