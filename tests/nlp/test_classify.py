"""Topics are ranked with calibrated confidences, cold or trained."""

import pytest

from nlp.classify import TopicClassifier, labels_from_dict
from nlp.pipeline import content_words


@pytest.fixture(scope="module")
def classifier(taxonomy):
    return TopicClassifier(labels_from_dict(taxonomy))


COLD_START = [
    ("町会の加入率が下がっています。自治会の役員のなり手もいません。", "VI-1"),
    ("うちの町内会は高齢化で行事が続けられない", "VI-1"),
    ("保育所に入れず仕事に復帰できません", "I-1"),
    ("粗大ごみの収集日を増やしてほしい", "III-1"),
    ("通学路の歩道が狭くて危ない", "IV-3"),
    ("地震のときの避難所が遠すぎる", "V-2"),
    ("市役所の窓口で長時間待たされた。手続きをオンライン化してほしい", "VI-3"),
]


@pytest.mark.parametrize(("text", "expected"), COLD_START)
def test_cold_start_ranks_the_matching_policy_first(classifier, text, expected):
    assert classifier.predict_texts([text])[0][0].label_id == expected


def test_confidences_are_ranked_and_sum_to_one(classifier):
    ranked = classifier.predict_texts(["町会の活動を支援してほしい"])[0]
    confidences = [s.confidence for s in ranked]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0, abs=1e-3)
    assert len(ranked) == 7


def test_an_off_topic_comment_gets_low_confidence(classifier):
    on_topic = classifier.predict_texts(["町会・自治会の加入率を上げてほしい"])[0][0].confidence
    off_topic = classifier.predict_texts(["よろしくお願いします"])[0][0].confidence
    assert off_topic < on_topic


def test_training_on_labels_corrects_a_cold_start_mistake(taxonomy):
    # "公民館" is nowhere in the taxonomy; staff keep filing it under VI-1.
    labels = labels_from_dict(taxonomy)
    train = [
        ("公民館の講座をもっと開いてほしい", "VI-1"),
        ("公民館のサークル活動の場を増やして", "VI-1"),
        ("公民館の利用予約が取りにくい", "VI-1"),
        ("保育所の空きがない", "I-1"),
        ("待機児童をなくして", "I-1"),
        ("ごみの分別が分かりにくい", "III-1"),
    ]
    trained = TopicClassifier(labels).fit([content_words(t) for t, _ in train], [y for _, y in train])
    assert trained.predict_texts(["公民館の講座の種類を増やして"])[0][0].label_id == "VI-1"
    assert trained.version.startswith("lr6.")
    assert trained.version != TopicClassifier(labels).version
