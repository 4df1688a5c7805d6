"""One analysis pass: normalised, masked, ranked, key phrases."""

import pytest

from nlp.analysis import analyze_texts, duplicate_key, model_version
from nlp.classify import TopicClassifier, labels_from_dict
from nlp.normalize import matching_key, normalize_text


@pytest.fixture(scope="module")
def classifier(taxonomy):
    return TopicClassifier(labels_from_dict(taxonomy))


NORMALIZE = [
    ("ＡＢＣ１２３", "ABC123"),
    ("ｶﾀｶﾅ", "カタカナ"),
    ("  二つの   空白 ", "二つの 空白"),
]


@pytest.mark.parametrize(("text", "expected"), NORMALIZE)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


def test_matching_key_ignores_punctuation_width_and_case():
    assert matching_key("ＡＢＣ、賛成です！") == matching_key("abc 賛成です。")


def test_analysis_masks_and_keeps_personal_data_out_of_derived_fields(classifier):
    text = "山田太郎です。町会の加入率が下がっています。電話：０９０－１２３４－５６７８"
    result = analyze_texts([text], classifier)[0]
    assert result.masked_text == "〇〇です。町会の加入率が下がっています。電話：XXX-XXXX-XXXX"
    assert "山田" not in result.normalized_text and "1234" not in result.normalized_text
    assert not any("山田" in p for p in result.key_phrases)
    assert result.topics[0].label_id == "VI-1"
    assert result.duplicate_key == duplicate_key("山田太郎です 町会の加入率が下がっています 電話 090-1234-5678")


def test_model_version_names_engine_and_classifier(classifier):
    assert model_version(classifier).startswith("ja2+zs-")
    assert model_version(None) == "ja2"


def test_empty_input_is_harmless(classifier):
    assert analyze_texts([], classifier) == []
    assert analyze_texts([""], classifier)[0].masked_text == ""


def test_a_very_long_text_is_analysed_whole(classifier):
    text = "町会の活動について。電話は03-1234-5678です。\n" * 3000
    result = analyze_texts([text], classifier)[0]
    assert len(result.pii_spans) == 3000
    assert "5678" not in result.masked_text


def test_numeric_label_ids_are_accepted():
    from nlp.evaluation import evaluate

    taxonomy = {"labels": [{"id": 1, "name": "町会"}, {"id": 2, "name": "保育"}]}
    report = evaluate(
        taxonomy,
        [{"text": "町内会", "label": 1}],
        [{"text": "自治会", "label": 1}, {"text": "保育園", "label": 2}],
    )
    assert report["accuracy"] == 1.0
