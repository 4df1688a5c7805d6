"""The GiNZA NER cascade: asked only about doubtful words, accepted only for names.

Every sentence here is made up for the test.
"""

import pytest

from nlp import ner_cascade
from nlp.pii import find_pii
from nlp.pipeline import tokenize

pytestmark = pytest.mark.skipif(ner_cascade.get_ner() is None, reason="ja_ginza is not installed")


def _persons(text, cascade=None):
    return [text[s.start : s.end] for s in find_pii(text, cascade=cascade) if s.type == "person"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # Katakana names that are also common words or that the rules leave alone.
        ("会議でテルフォードが発言した", "テルフォード"),
        ("その夜、アイエロに電話をかけた", "アイエロ"),
        ("チームはコックスを獲得した", "コックス"),
    ],
)
def test_cascade_finds_names_the_rules_miss(text, name):
    assert _persons(text, cascade=False) == []
    assert _persons(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "エネルギーは大切だ",
        "ウェルビーイングの向上を目指す",
        "スギの花粉が多い",
        "長崎の街を歩いた",
        "正義は勝つ",
        "ロスは食品の廃棄を指す",
    ],
)
def test_ordinary_words_stay_unmasked(text):
    assert _persons(text) == []


def test_name_scores_separate_names_from_common_words():
    assert ner_cascade.name_score("コックス") > 0.95
    assert ner_cascade.name_score("エネルギー") < 0.5
    assert ner_cascade.name_score("ヌヌヌヌヌヌ") is None


def test_ordinary_words_do_not_reach_the_model(monkeypatch):
    calls = []
    monkeypatch.setattr(ner_cascade, "_entities", lambda words: calls.append(words) or ())
    text = "再生可能エネルギーのシステムを導入し、プラスチックの削減を進める。"
    find_pii(text, tokenize(text))
    assert calls == []


def test_cascade_can_be_switched_off(monkeypatch):
    monkeypatch.setattr(ner_cascade, "ENABLED", False)
    assert _persons("会議でテルフォードが発言した") == []
