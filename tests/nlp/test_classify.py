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
    assert trained.version.startswith("fz6.")
    assert trained.version != TopicClassifier(labels).version


def _fit(labels, rows, encoder=None):
    texts = [t for t, _ in rows]
    return TopicClassifier(labels, encoder).fit([content_words(t) for t in texts], [y for _, y in rows], texts)


SMALL_AND_LARGE = (
    # Twelve comments on 町会 against three on 公民館 (filed by staff under II-2).
    [(f"町会の回覧板と役員の負担について{i}", "VI-1") for i in range(12)]
    + [
        ("公民館の講座が少ない", "II-2"),
        ("公民館の予約が取りにくい", "II-2"),
        ("公民館の開館時間を延ばして", "II-2"),
    ]
)


def test_a_small_topic_is_not_swamped_by_a_large_one(taxonomy):
    trained = _fit(labels_from_dict(taxonomy), SMALL_AND_LARGE)
    assert trained.predict_texts(["公民館の講座を増やしてほしい"])[0][0].label_id == "II-2"


def test_character_ngrams_catch_a_spelling_the_words_split_differently(taxonomy):
    # ｺﾐｭﾆﾃｨバス / コミバス: Sudachi gives different words, the characters overlap.
    rows = [
        ("コミュニティバスの本数を増やして", "IV-3"),
        ("コミュニティバスの路線を見直して", "IV-3"),
        ("コミュニティバスが駅に寄らない", "IV-3"),
        ("町会の役員が足りない", "VI-1"),
        ("町会の回覧板をやめたい", "VI-1"),
        ("町会費が高い", "VI-1"),
    ]
    trained = _fit(labels_from_dict(taxonomy), rows)
    assert trained.predict_texts(["コミュニティーバスの時刻表が分かりにくい"])[0][0].label_id == "IV-3"


def test_a_cold_start_ranking_without_any_evidence_is_no_topic(classifier):
    nothing = classifier.predict_texts(["よろしくお願いします"])[0]
    clear = classifier.predict_texts(["町会・自治会の加入率を上げてほしい"])[0]
    assert classifier.abstains(nothing)
    assert not classifier.abstains(clear)


def test_a_trained_model_says_no_topic_below_the_threshold_only(taxonomy, monkeypatch):
    trained = _fit(labels_from_dict(taxonomy), SMALL_AND_LARGE)
    scores = trained.predict_texts(["町会の回覧板と役員の負担について"])[0]
    assert not trained.abstains(scores)
    monkeypatch.setattr("nlp.classify.ABSTAIN_BELOW", scores[0].confidence + 0.01)
    assert trained.abstains(scores)


def test_the_optional_encoder_joins_the_model_and_is_pickled_by_name_only(taxonomy, monkeypatch):
    import pickle

    import numpy as np

    from nlp import encoder as encoder_module

    calls = []

    def embed(texts):
        calls.append(len(texts))
        # A toy embedding: does the text mention 公民館?
        return np.array([[1.0, 0.0] if "公民館" in t else [0.0, 1.0] for t in texts])

    fake = encoder_module.Encoder("toy", embed)
    monkeypatch.setitem(encoder_module._loaded, "toy", fake)
    trained = _fit(labels_from_dict(taxonomy), SMALL_AND_LARGE, encoder=fake)
    assert trained.version.startswith("fe15.")
    assert calls  # The encoder was used in training.
    blob = pickle.dumps(trained)
    assert b"toy" in blob and b"embed" not in blob
    restored = pickle.loads(blob)  # noqa: S301 - our own object
    assert restored.encoder is fake
    # Without the encoder installed the model still ranks (its other members).
    monkeypatch.setitem(encoder_module._loaded, "toy", None)
    orphan = pickle.loads(blob)  # noqa: S301 - our own object
    assert orphan.encoder is None
    assert orphan.predict_texts(["公民館の講座を増やしてほしい"])[0][0].label_id == "II-2"


def test_a_model_pickled_before_the_fused_format_is_left_unused(taxonomy):
    import pickle
    from types import SimpleNamespace

    from nlp.engine import _build

    labels = labels_from_dict(taxonomy)
    old = TopicClassifier(labels)
    del old.members  # What a pickle of the earlier logistic-regression model lacks.
    row = SimpleNamespace(classifier=pickle.dumps(old))
    built = _build(labels, row)
    assert not built.trained
    assert built.version.startswith("zs-")


def test_hashed_character_ngrams_weigh_as_scikit_learn_does():
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from nlp.topic_features import CharGrams

    train = ["町会の回覧板が\n\n回ってこない", "ごみの分別", "ABC abc 町会", "😀と\ud800"]
    test = ["回覧板の町会", "見たことのない文字列", ""]
    reference = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, lowercase=False)
    ours = CharGrams()
    for expected, got in (
        (reference.fit_transform(train), ours.fit_transform(train)),
        (reference.transform(test), ours.transform(test)),
    ):
        assert expected.shape == got.shape
        assert np.allclose(np.sort(expected.toarray(), axis=1), np.sort(got.toarray(), axis=1))


def test_the_word_view_weighs_as_scikit_learn_does():
    import numpy as np

    from nlp.topic_features import SparseView, word_features

    train = [["町会", "回覧板", "町会"], ["ごみ", "分別"], ["自治会", "加入"]]
    test = [["町会", "町会", "見知らぬ語"], [], ["ごみ", "自治会", "ごみ", "ごみ"]]
    view = SparseView()
    view.fit_transform(train, ["".join(w) for w in train])
    width = len(view.words.vocabulary_)
    got = view.transform(test, ["".join(w) for w in test])[:, :width].toarray()
    expected = view.words.transform([word_features(w) for w in test]).toarray()
    assert np.allclose(got, expected)


def test_the_ngram_table_finds_every_training_key_and_nothing_else():
    import numpy as np

    from nlp.topic_features import KeyTable

    rng = np.random.default_rng(0)
    keys = np.unique(rng.integers(0, 2**64 - 1, size=5000, dtype=np.uint64))
    # Keys that share their top bits all want the same slot and must probe on.
    crowded = np.unique(np.arange(1, 200, dtype=np.uint64) | np.uint64(0xFFFF000000000000))
    keys = np.unique(np.concatenate([keys, crowded]))
    table = KeyTable(keys)
    assert (table.find(keys) == np.arange(len(keys))).all()
    unseen = np.setdiff1d(rng.integers(0, 2**64 - 1, size=2000, dtype=np.uint64), keys)
    assert (table.find(unseen) == -1).all()
    assert (KeyTable(keys[:0]).find(keys[:3]) == -1).all()


def test_ranking_only_the_top_labels_keeps_their_order_and_confidences(classifier):
    docs = [["ごみ", "分別"], ["町会", "加入"]]
    full = classifier.rank(docs)
    top = classifier.rank(docs, top=2)
    assert [r[:2] for r in full] == top
