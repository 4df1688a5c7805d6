"""The one place that reads the latest analysis of submissions.

"Latest" is the newest ``analysed_at`` (then the highest id), whatever model
version wrote it: every page, API, search and export agrees on which masked
copy a department reads.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from feedback.models import Submission
from nlp.engine import current_engine
from nlp.models import SubmissionAnalysis, ThemeRun, TopicLabel, TopicModelVersion

LATEST_ORDER = ("-analysed_at", "-id")


def latest_analysis(submission) -> SubmissionAnalysis | None:
    return SubmissionAnalysis.objects.filter(submission_id=submission.pk).order_by(*LATEST_ORDER).first()


def _latest_rows(submission_ids: Iterable[int], *fields: str):
    return (
        SubmissionAnalysis.objects.filter(submission_id__in=list(submission_ids))
        .order_by("submission_id", *LATEST_ORDER)
        .values_list("submission_id", *fields)
    )


def latest_masked_texts(*, submission_ids: Iterable[int]) -> dict[int, str]:
    """Return the newest analysis's masked text per submission (left out when empty)."""
    found: dict[int, str] = {}
    for submission_id, masked in _latest_rows(submission_ids, "masked_text"):
        found.setdefault(submission_id, masked or "")
    return {pk: text for pk, text in found.items() if text}


@dataclass(frozen=True)
class Masking:
    """What the newest analysis of a submission masked: the text and the kinds, never the values."""

    masked_text: str
    span_kinds: tuple[str, ...]  # nlp.pii span types (person, address, phone…), in text order
    analysed_at: datetime.datetime
    model_version: str


def latest_maskings(*, submission_ids: Iterable[int]) -> dict[int, Masking]:
    """The newest analysis's masked text with its masked kinds, per submission.

    The same rows as ``latest_masked_texts`` (left out when the masked text is
    empty), read once, so the text and its kinds come from one analysis.
    """
    found: dict[int, Masking | None] = {}
    for submission_id, masked, spans, analysed_at, version in _latest_rows(
        submission_ids, "masked_text", "pii_spans", "analysed_at", "model_version"
    ):
        if submission_id in found:
            continue
        kinds = tuple(
            str(span.get("type") or span.get("kind") or "")
            for span in sorted(
                (s for s in spans or [] if isinstance(s, dict)),
                key=lambda s: s.get("start") or 0,
            )
        )
        found[submission_id] = Masking(masked, kinds, analysed_at, version) if masked else None
    return {pk: masking for pk, masking in found.items() if masking is not None}


def latest_key_phrases(*, submission_ids: Iterable[int]) -> list[str]:
    """Return key phrases of the newest analyses, most frequent first."""
    seen: set[int] = set()
    counts: Counter[str] = Counter()
    for submission_id, phrases in _latest_rows(submission_ids, "key_phrases"):
        if submission_id in seen:
            continue
        seen.add(submission_id)
        for phrase in phrases if isinstance(phrases, list) else []:
            text = phrase.get("text") or phrase.get("phrase") if isinstance(phrase, dict) else phrase
            if isinstance(text, str) and text.strip():
                counts[text.strip()] += 1
    return [phrase for phrase, _n in counts.most_common()]


def submission_ids_with_masked_text_containing(q: str) -> QuerySet:
    """Submission ids whose latest masked copy contains ``q`` (a subquery)."""
    latest = (
        SubmissionAnalysis.objects.filter(submission_id=OuterRef("submission_id"))
        .order_by(*LATEST_ORDER)
        .values("pk")[:1]
    )
    return (
        SubmissionAnalysis.objects.filter(masked_text__contains=q).filter(pk=Subquery(latest)).values("submission_id")
    )


# How many of the latest staff confirmations the accuracy shown to staff is
# measured on: enough for a stable share, recent enough to follow the model.
QUALITY_SAMPLE = 200


@dataclass(frozen=True)
class SuggestionQuality:
    """How well the current model's 施策 suggestions match staff decisions."""

    model_version: str
    trained_on: int  # Confirmed labels the model learned from; 0 = cold start.
    held_out: dict  # Figures measured when it was trained (empty for cold start).
    n_checked: int  # Latest confirmations the model had not learned from.
    n_agreed: int
    n_no_topic: int  # Of those, suggested as 該当なし.

    @property
    def accuracy(self) -> float | None:
        return self.n_agreed / self.n_checked if self.n_checked else None


def suggestion_quality(*, sample: int = QUALITY_SAMPLE) -> SuggestionQuality | None:
    """Measure the current model on the latest staff-confirmed 施策.

    Only confirmations newer than the model count (it learned from the older
    ones), and only submissions the current model version analysed. None
    when there is no taxonomy.
    """
    classifier, version = current_engine()
    if classifier is None:
        return None
    promoted = TopicModelVersion.objects.filter(promoted=True, version=classifier.version).first()
    labels = TopicLabel.objects.order_by("-created", "-pk")
    if promoted is not None:
        labels = labels.filter(created__gt=promoted.created)
    confirmed = dict(labels.values_list("submission_id", "label_id")[:sample])
    suggested = SubmissionAnalysis.objects.filter(submission_id__in=list(confirmed), model_version=version)
    agreed = no_topic = checked = 0
    for submission_id, topics, abstained in suggested.values_list("submission_id", "topics", "no_topic"):
        checked += 1
        no_topic += abstained
        agreed += bool(topics) and not abstained and topics[0]["label"] == confirmed[submission_id]
    return SuggestionQuality(
        model_version=version,
        trained_on=promoted.n_train if promoted else 0,
        held_out=dict(promoted.metrics) if promoted else {},
        n_checked=checked,
        n_agreed=agreed,
        n_no_topic=no_topic,
    )


# A queued or running run that has not moved for this long lost its worker
# (killed, redeployed): a new request replaces it instead of waiting forever.
THEME_RUN_STALE_AFTER = timedelta(minutes=30)
THEME_RUN_PENDING = (ThemeRun.Status.QUEUED, ThemeRun.Status.RUNNING)


def theme_run_is_stale(run: ThemeRun, *, now: datetime.datetime | None = None) -> bool:
    moved = run.updated_at or run.created_at
    return (
        run.status in THEME_RUN_PENDING
        and moved is not None
        and (now or timezone.now()) - moved > THEME_RUN_STALE_AFTER
    )


def _fiscal_year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return datetime.datetime(year, 4, 1, tzinfo=zone), datetime.datetime(year + 1, 4, 1, tzinfo=zone)


def theme_run_submissions(run: ThemeRun):
    """The submissions a run covers: its consultation's, narrowed to its 年度 (by 受付日時) and 課; none withdrawn."""
    rows = Submission.objects.filter(consultation_id=run.consultation_id).exclude(status=Submission.Status.WITHDRAWN)
    if run.fiscal_year is not None:
        start, end = _fiscal_year_bounds(run.fiscal_year)
        rows = rows.filter(submitted_at__gte=start, submitted_at__lt=end)
    if run.department_id is not None:
        rows = rows.filter(department_id=run.department_id)
    return rows


def theme_runs_of(*, consultation, fiscal_year: int | None = None, department=None):
    """The theme computations of one scope: a whole consultation, or letters of a 年度 and/or 課."""
    return ThemeRun.objects.filter(
        consultation=consultation,
        fiscal_year=fiscal_year,
        department_id=getattr(department, "pk", department),
    ).order_by("-created_at", "-pk")


def theme_run_latest(*, consultation, fiscal_year: int | None = None, department=None):
    """The newest theme computation of a scope (queued, running, done or failed), or None."""
    return theme_runs_of(consultation=consultation, fiscal_year=fiscal_year, department=department).first()


def theme_run_latest_done(*, consultation, fiscal_year: int | None = None, department=None):
    """The newest finished computation of a scope: shown while a newer one is still running."""
    runs = theme_runs_of(consultation=consultation, fiscal_year=fiscal_year, department=department)
    return runs.filter(status=ThemeRun.Status.DONE).first()


def theme_run_published(*, consultation):
    """The run 広聴 approved for the consultation's public results page, or None."""
    return (
        ThemeRun.objects.filter(consultation=consultation, status=ThemeRun.Status.DONE, published_at__isnull=False)
        .order_by("-published_at")
        .first()
    )
