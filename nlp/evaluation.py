"""Classification metrics and the ``evaluate`` routine behind the CLI."""

from __future__ import annotations

import time

from nlp.classify import TopicClassifier, labels_from_dict
from nlp.pipeline import content_words

WARM_UP_TEXTS = 50


def classification_report(gold: list[str], predicted: list[str]) -> dict:
    """Return accuracy, macro-F1 over gold labels, and per-label figures."""
    per_label = {}
    for label in sorted(set(gold)):
        tp = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        n_pred = predicted.count(label)
        n_gold = gold.count(label)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": n_gold,
        }
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    macro = sum(v["f1"] for v in per_label.values()) / max(len(per_label), 1)
    return {
        "accuracy": round(correct / max(len(gold), 1), 4),
        "macro_f1": round(macro, 4),
        "per_label": per_label,
    }


def evaluate(taxonomy: dict, test: list[dict], train: list[dict] | None = None) -> dict:
    """Train (optionally), predict the test texts and score them.

    ``docs_per_second`` covers tokenisation and prediction, not training,
    measured after a short untimed warm-up: the first texts fault in
    Sudachi's memory-mapped dictionary, a one-off cost per process.
    """
    classifier = TopicClassifier(labels_from_dict(taxonomy))
    if train:
        texts = [r["text"] for r in train]
        classifier.fit([content_words(t) for t in texts], [str(r["label"]) for r in train], texts)
    texts = [r["text"] for r in test]
    classifier.predict_texts(texts[:WARM_UP_TEXTS])
    started = time.perf_counter()
    ranked = classifier.predict_texts(texts)
    elapsed = time.perf_counter() - started
    predicted = [scores[0].label_id for scores in ranked]
    report = classification_report([str(r["label"]) for r in test], predicted)
    report["n_test"] = len(test)
    report["docs_per_second"] = round(len(test) / elapsed, 1) if elapsed else 0.0
    report["model_version"] = classifier.version
    return report
