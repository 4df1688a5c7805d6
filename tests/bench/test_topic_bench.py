"""The topic bench scores every system on the same splits and keeps the gold labels honest."""

import json
import os
from pathlib import Path

import pytest

from bench import topic_bench
from nlp.classify import labels_from_dict

DATA = Path(__file__).resolve().parents[1] / "nlp" / "data" / "taxonomy.json"
SHARED = Path(os.environ.get("KOE_SHARED_DIR", Path(__file__).resolve().parents[2] / ".." / "shared"))
TOPICS = {
    "VI-1": ["町会の役員が足りない", "自治会の回覧板", "町内会の夏祭り", "町会費の使い道", "自治会に入る人が減った"],
    "III-1": ["ごみの分別が難しい", "粗大ごみの収集", "資源ごみの回収日", "ごみ袋が高い", "生ごみを減らしたい"],
    "IV-3": ["歩道が狭い", "バスの本数", "通学路が危ない", "道路の渋滞", "駅前の交通整理"],
}


def test_every_system_gets_every_protocol_on_the_same_rows():
    rows = [{"text": t, "label": label} for label, texts in TOPICS.items() for t in texts]
    labels = labels_from_dict(json.loads(DATA.read_text(encoding="utf-8")))
    systems = [topic_bench.Baseline("svm"), topic_bench.Ours(labels, "ours_trained")]
    table = topic_bench.evaluate_set(rows, systems, repeats=1, seeds=1)
    assert set(table) == {"baseline_tfidf_linear_svm", "ours_trained"}
    for cells in table.values():
        assert set(cells) == {"cv_5fold", "5_per_label", "10_per_label", "20_per_label"}
        assert all(0.0 <= f["accuracy"] <= 1.0 and 0.0 <= f["macro_f1"] <= 1.0 for f in cells.values())
    assert table["baseline_tfidf_linear_svm"]["cv_5fold"]["ece"] is None  # No probabilities.
    assert table["ours_trained"]["cv_5fold"]["ece"] is not None
    assert 0.0 <= table["ours_trained"]["cv_5fold"]["ece_pooled"] <= 1.0
    assert 0.0 <= table["ours_trained"]["cv_5fold"]["ece_if_calibrated"] <= 1.0
    assert "ece_pooled" not in table["baseline_tfidf_linear_svm"]["cv_5fold"]


def test_the_calibration_floor_is_the_noise_of_small_folds():
    assert topic_bench.calibration_floor([[1.0] * 10]) == 0.0  # Always right when sure: no noise.
    small_folds = topic_bench.calibration_floor([[0.7] * 10] * 5)
    one_large_fold = topic_bench.calibration_floor([[0.7] * 200])
    assert small_folds > 0.08 > one_large_fold  # Same calibrated confidences, only fold size differs.


def test_the_abstention_threshold_is_the_one_with_most_right_abstentions_net():
    # (gold is none, top correct, confidence, position)
    outcomes = [(True, False, 0.3, 0), (False, False, 0.38, 2), (False, True, 0.42, 4), (False, True, 0.9, 6)]
    assert topic_bench.best_threshold(outcomes) == 0.4  # Abstaining at 0.42 would be wrong.


def test_gold_labels_cover_every_comment_and_hold_no_comment_text():
    gold = json.loads(topic_bench.GOLD.read_text(encoding="utf-8"))
    allowed = {label["id"] for label in topic_bench.moe_labels.TAXONOMY["labels"]} | {"none"}
    assert len(gold["labels"]) == 482
    assert {entry["label"] for entry in gold["labels"].values()} <= allowed
    moe = SHARED / topic_bench.MOE
    if not moe.exists():
        pytest.skip(f"{moe} がないため本文との照合はスキップ")
    comments = [json.loads(line)["comment"] for line in moe.open(encoding="utf-8")]
    for entry in gold["labels"].values():
        reason = entry.get("reason", "")
        # A reason is our words: no 15-character run of any comment is copied into it.
        assert not any(reason[i : i + 15] in c for c in comments for i in range(0, max(len(reason) - 14, 0), 5))
