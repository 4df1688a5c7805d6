"""``python -m nlp train-ner`` and the trained model in ``find_pii``.

Every sentence here is made up for the test; none comes from ner.json.
"""

import json

import pytest

from nlp import cli
from nlp.ner_model import load
from nlp.pii import find_pii

# (text, [(name, type)]): invented people and places.
SENTENCES = [
    ("昨日ザルコビッチに会った。", [("ザルコビッチ", "人名")]),
    ("先週ザルコビッチに手紙を送った。", [("ザルコビッチ", "人名")]),
    ("駅前でメルダノフに会った。", [("メルダノフ", "人名")]),
    ("友人のメルダノフに本を借りた。", [("メルダノフ", "人名")]),
    ("会場でトレヴァシスに会った。", [("トレヴァシス", "人名")]),
    ("山田太郎は京都に住んでいる。", [("山田太郎", "人名"), ("京都", "地名")]),
    ("佐藤花子は大阪で生まれた。", [("佐藤花子", "人名"), ("大阪", "地名")]),
    ("鈴木一郎は札幌の大学を出た。", [("鈴木一郎", "人名"), ("札幌", "地名")]),
    ("夏に北海道を旅した。", [("北海道", "地名")]),
    ("名古屋の工場が新しくなった。", [("名古屋", "地名")]),
    ("この町の図書館は静かだ。", []),
    ("会議は午後三時に始まる。", []),
]


def _items():
    items = []
    for text, entities in SENTENCES:
        spans = []
        for name, kind in entities:
            start = text.index(name)
            spans.append({"name": name, "span": [start, start + len(name)], "type": kind})
        items.append({"curid": "0", "text": text, "entities": spans})
    return items


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    base = tmp_path_factory.mktemp("ner")
    source = base / "tiny.json"
    source.write_text(json.dumps(_items(), ensure_ascii=False), encoding="utf-8")
    out = base / "model"
    assert (
        cli.main(
            [
                "train-ner",
                "--input",
                str(source),
                "--output",
                str(out),
                "--half",
                "all",
                "--iterations",
                "30",
                "--seed",
                "1",
            ]
        )
        == 0
    )
    return out


def test_trained_model_loads_and_tags(model_dir):
    nlp = load(str(model_dir))
    assert "ner" in nlp.pipe_names
    assert set(nlp.get_pipe("ner").labels) == {"PERSON", "PLACE"}


def test_find_pii_uses_the_trained_model(model_dir):
    text = "昨日ザルコビッチに会った。"
    without = [s for s in find_pii(text, cascade=False, model=False) if s.type == "person"]
    assert without == []
    found = [
        text[s.start : s.end] for s in find_pii(text, cascade=False, model=load(str(model_dir))) if s.type == "person"
    ]
    assert found == ["ザルコビッチ"]


def test_no_model_means_no_change(monkeypatch):
    monkeypatch.setenv("KOE_NER_MODEL", "0")
    text = "山田太郎は京都に住んでいる。"
    assert find_pii(text) == find_pii(text, model=False)


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([{"text": "正しい文。", "entities": []}, {"text": 3}], "item 2"),
        (
            [{"text": "短い。", "entities": [{"span": [0, 9], "type": "人名"}]}],
            "item 1",
        ),
        ({"text": "配列ではない"}, "JSON の配列"),
    ],
)
def test_bad_input_names_the_item(tmp_path, capsys, items, message):
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    assert cli.main(["train-ner", "--input", str(source), "--output", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_invalid_json_names_the_line(tmp_path, capsys):
    source = tmp_path / "bad.json"
    source.write_text('[\n{"text": "a"},\n{oops}\n]', encoding="utf-8")
    assert cli.main(["train-ner", "--input", str(source), "--output", str(tmp_path / "m")]) == 2
    assert "bad.json:3" in capsys.readouterr().err
