"""The per-process topic engine: taxonomy from the plan, promoted model.

Workers load the classifier once and reuse it; the cache is refreshed when
a new model is promoted or after ``ENGINE_TTL_SECONDS`` (施策 rarely change,
and a changed taxonomy changes the model version, which the sweeper then
re-analyses under).
"""

from __future__ import annotations

import pickle
import threading
import time

from consultations.models import DraftSection
from nlp.analysis import model_version
from nlp.classify import TopicClassifier
from nlp.models import TopicModelVersion
from nlp.zeroshot import Label
from plans.models import Policy

ENGINE_TTL_SECONDS = 300
_lock = threading.Lock()
_cache: dict = {"expires": 0.0, "promoted": None, "labels": None, "classifier": None}
# Consultation id -> (labels, classifier); sections change rarely and a
# classifier is cheap to rebuild, so the cache only avoids per-task work.
_section_cache: dict[int, tuple[list[Label], TopicClassifier]] = {}
SECTION_CACHE_SIZE = 64


def policy_taxonomy() -> list[Label]:
    """Return one label per 施策 from its title, policy text and keywords."""
    policies = Policy.objects.prefetch_related("themes", "unit_policies").order_by("code")
    labels = []
    for policy in policies:
        themes = list(policy.themes.all())
        units = list(policy.unit_policies.all())
        description = "\n".join(
            [policy.basic_policy]
            + [b for t in themes for b in t.backgrounds]
            + [u.title for u in units]
            + [i for u in units for i in u.initiatives]
        )
        keywords = tuple(k for t in themes for k in t.keywords)
        labels.append(Label(policy.code, policy.title, description, keywords))
    return labels


def _promoted() -> TopicModelVersion | None:
    return TopicModelVersion.objects.filter(promoted=True).order_by("-created").first()


def load_classifier(row: TopicModelVersion) -> TopicClassifier:
    """Unpickle a stored classifier (written only by ``topic_model_train``)."""
    return pickle.loads(bytes(row.classifier))  # noqa: S301 - our own DB rows


def _build(labels: list[Label], promoted: TopicModelVersion | None) -> TopicClassifier | None:
    if not labels:
        return None
    if promoted is not None:
        trained = load_classifier(promoted)
        # A model trained on another taxonomy would rank stale labels; one
        # pickled before the fused model (no ``members``) stays unused
        # until the next training run replaces it.
        if trained.labels == labels and getattr(trained, "members", None) is not None:
            return trained
    return TopicClassifier(labels)


def current_engine() -> tuple[TopicClassifier | None, str]:
    """Return the cached classifier (None without 施策) and model version."""
    promoted_pk = (
        TopicModelVersion.objects.filter(promoted=True).order_by("-created").values_list("pk", flat=True).first()
    )
    with _lock:
        if time.monotonic() >= _cache["expires"] or promoted_pk != _cache["promoted"]:
            labels = policy_taxonomy()
            if labels != _cache["labels"] or promoted_pk != _cache["promoted"]:
                _cache["classifier"] = _build(labels, _promoted())
                _cache["labels"] = labels
            _cache.update(expires=time.monotonic() + ENGINE_TTL_SECONDS, promoted=promoted_pk)
        classifier = _cache["classifier"]
    return classifier, model_version(classifier)


def section_classifier(consultation_id: int) -> TopicClassifier | None:
    """Return a cold-start classifier over a consultation's draft sections."""
    sections = DraftSection.objects.filter(consultation_id=consultation_id).order_by("order", "id")
    labels = [Label(s.number, s.heading, s.body) for s in sections]
    if not labels:
        return None
    with _lock:
        cached = _section_cache.get(consultation_id)
        if cached is None or cached[0] != labels:
            if len(_section_cache) >= SECTION_CACHE_SIZE:
                _section_cache.pop(next(iter(_section_cache)))
            cached = _section_cache[consultation_id] = (labels, TopicClassifier(labels))
    return cached[1]


def engine_reset() -> None:
    """Forget the cached engine (tests, or after editing the taxonomy)."""
    with _lock:
        _cache.update(expires=0.0, promoted=None, labels=None, classifier=None)
        _section_cache.clear()
