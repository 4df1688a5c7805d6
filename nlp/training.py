"""Train a topic model from staff-confirmed labels; promote if not worse."""

from __future__ import annotations

import pickle
import random
from dataclasses import dataclass

from django.db import transaction

from nlp.classify import TopicClassifier
from nlp.encoder import load_encoder
from nlp.engine import _build, _promoted, policy_taxonomy
from nlp.evaluation import classification_report
from nlp.models import TopicLabel, TopicModelVersion
from nlp.pipeline import content_words

MIN_TRAINING_LABELS = 20
HOLDOUT_FRACTION = 0.25


class NotEnoughLabels(Exception):
    """Too few confirmed labels to train and evaluate a model."""


@dataclass(frozen=True)
class TrainingOutcome:
    row: TopicModelVersion
    promoted: bool


def _holdout(y: list[str], seed: int) -> tuple[list[int], list[int]]:
    """Split per label; a label seen once stays in training."""
    rng = random.Random(seed)
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(y):
        by_label.setdefault(label, []).append(i)
    train, test = [], []
    for indices in by_label.values():
        rng.shuffle(indices)
        n_test = int(len(indices) * HOLDOUT_FRACTION) if len(indices) > 1 else 0
        test += indices[:n_test]
        train += indices[n_test:]
    return train, test


def _score(classifier: TopicClassifier, held_out, gold) -> dict:
    docs, texts = held_out
    predicted = [r[0].label_id for r in classifier.rank(docs, texts)]
    report = classification_report(gold, predicted)
    return {
        "accuracy": report["accuracy"],
        "macro_f1": report["macro_f1"],
        "n_test": len(gold),
    }


def labelled_examples(*, known: set[str]) -> list[tuple[str, str]]:
    """Return (original text, confirmed 施策 code) pairs; a correction replaces the earlier label."""
    return list(
        TopicLabel.objects.filter(label_id__in=known).order_by("pk").values_list("submission__body", "label_id")
    )


def topic_model_train(
    *, min_labels: int = MIN_TRAINING_LABELS, seed: int = 0, encoder_name: str = ""
) -> TrainingOutcome:
    """Train on confirmed labels, compare with the current model, store.

    The candidate and the current model (or zero-shot) are scored on the
    same held-out labels; the candidate is promoted only when neither
    accuracy nor macro-F1 gets worse. The stored model is refitted on all
    labels.
    """
    labels = policy_taxonomy()
    rows = labelled_examples(known={label.id for label in labels})
    if len(rows) < min_labels:
        raise NotEnoughLabels(f"{len(rows)} confirmed labels; at least {min_labels} needed")
    texts = [body for body, _ in rows]
    docs = [content_words(body) for body in texts]
    y = [label for _, label in rows]
    train, test = _holdout(y, seed)
    encoder = load_encoder(encoder_name)
    candidate = TopicClassifier(labels, encoder).fit(
        [docs[i] for i in train], [y[i] for i in train], [texts[i] for i in train]
    )
    gold = [y[i] for i in test]
    held_out = ([docs[i] for i in test], [texts[i] for i in test])
    metrics = _score(candidate, held_out, gold)
    baseline = _score(_build(labels, _promoted()), held_out, gold)
    promote = metrics["accuracy"] >= baseline["accuracy"] and metrics["macro_f1"] >= baseline["macro_f1"]
    final = TopicClassifier(labels, encoder).fit(docs, y, texts)
    with transaction.atomic():
        if promote:
            TopicModelVersion.objects.filter(promoted=True).update(promoted=False)
        row, _ = TopicModelVersion.objects.update_or_create(
            version=final.version,
            defaults={
                "n_train": len(y),
                "metrics": metrics,
                "baseline_metrics": baseline,
                "promoted": promote,
                "classifier": pickle.dumps(final),
            },
        )
    return TrainingOutcome(row, promote)
