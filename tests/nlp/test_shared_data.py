"""Figures on real development data (skipped when ../shared is absent)."""

import json

import pytest

from bench import dup_set, moe_labels
from bench.nlp_bench import _split, ner_recall
from nlp.classify import TopicClassifier, labels_from_dict
from nlp.duplicates import group_duplicates
from nlp.pipeline import content_words


@pytest.fixture(scope="module")
def moe(shared_data):
    return shared_data / "moe-environment-plan-pubcom" / "comments.jsonl"


def _accuracy(classifier, rows):
    ranked = classifier.predict_texts([r["text"] for r in rows])
    return sum(r[0].label_id == row["label"] for r, row in zip(ranked, rows, strict=True)) / len(rows)


def test_moe_comments_are_classified_well_cold_and_trained(moe):
    rows = moe_labels.load_labelled(moe)
    labels = labels_from_dict(moe_labels.TAXONOMY)
    assert _accuracy(TopicClassifier(labels), rows) >= 0.6
    train, test = _split(rows, 0, None)
    trained = TopicClassifier(labels).fit([content_words(r["text"]) for r in train], [r["label"] for r in train])
    assert _accuracy(trained, test) >= 0.7


def test_campaign_copies_of_real_comments_group_with_b_cubed_f1_above_0_9(moe):
    texts = [json.loads(line)["comment"] for line in moe.open(encoding="utf-8")]
    items, gold = dup_set.build_set(texts)
    assert dup_set.b_cubed(group_duplicates(items), gold)["f1"] >= 0.9


def test_person_and_place_names_in_wikipedia_are_mostly_found(shared_data):
    # Without training a model here (the bench does that; it takes minutes).
    figures = ner_recall(shared_data / "ner-wikipedia-ja" / "ner.json", with_trained=False)
    assert figures["人名_recall"] >= 0.78 and figures["人名_precision"] >= 0.8
    assert figures["地名_recall"] >= 0.83
