"""nlp.themes (#14): determinism, campaign copies counted once, tiny inputs, labels from members' text, the CLI."""

import json
import subprocess
import sys

import pytest

from nlp.themes import THEMES_VERSION, themes_build

PARKS = [
    "公園のベンチが壊れたままです。公園の修理をお願いします。",
    "近所の公園に遊具を増やしてください。子どもが遊べる公園が少ないです。",
    "公園の照明が暗く、夜の公園は怖いです。照明を明るくしてください。",
    "公園のトイレを洋式にしてほしいです。公園の清掃も増やしてください。",
    "公園の芝生が荒れています。公園の手入れをお願いします。",
]
BUSES = [
    "市内循環バスの本数を増やしてください。バスが一時間に一本では不便です。",
    "バス停に屋根とベンチを付けてください。雨の日のバス待ちがつらいです。",
    "循環バスの路線を病院まで延ばしてください。高齢者はバスが頼りです。",
    "バスの時刻表を駅にも掲示してください。バスの案内が分かりにくいです。",
    "夜のバスの最終便を遅くしてください。帰りのバスがありません。",
]
CAMPAIGN = "図書館の開館時間を夜九時まで延長することを求めます。"


def _items(texts):
    return list(enumerate(texts))


def test_the_same_input_and_seed_give_the_same_themes():
    items = _items(PARKS + BUSES)
    assert themes_build(items).as_json() == themes_build(items).as_json()
    assert themes_build(items).model_version == THEMES_VERSION


def test_parks_and_buses_become_separate_themes():
    result = themes_build(_items(PARKS + BUSES))
    top = [t for t in result.themes if t.parent is None]
    assert len(top) >= 2
    parks, buses = set(range(5)), set(range(5, 10))
    for theme in top:
        members = set(theme.members)
        assert members <= parks or members <= buses, theme.members
    labels = " ".join(t.label for t in top)
    assert "公園" in labels and "バス" in labels


def test_campaign_copies_count_once_and_cannot_pose_as_many_themes():
    copies = [("いつもお世話になっております。" if n % 2 else "") + CAMPAIGN for n in range(40)]
    result = themes_build(_items(PARKS + BUSES + copies))
    holding = [t for t in result.themes if t.parent is None and set(t.members) & set(range(10, 50))]
    assert len(holding) == 1, [t.label for t in holding]
    theme = holding[0]
    assert set(range(10, 50)) <= set(theme.members)
    # Forty copies in two wordings are two units (nlp.duplicates judges the
    # greeting a real difference), never forty: the label counts each once.
    assert theme.units == len(theme.members) - theme.campaign_copies <= 3
    assert theme.campaign_copies >= 38


@pytest.mark.parametrize("texts", [[], ["公園を増やしてください。"], ["", "   "], ["。。。", "よろしくお願いします"]])
def test_empty_and_tiny_inputs_give_no_theme_and_lose_no_item(texts):
    result = themes_build(_items(texts))
    assert result.themes == []
    assert sorted(result.unassigned) == list(range(len(texts)))


def test_every_item_is_in_exactly_one_top_theme_or_unassigned():
    items = _items(PARKS + BUSES + ["", CAMPAIGN, CAMPAIGN])
    result = themes_build(items)
    placed = [m for t in result.themes if t.parent is None for m in t.members] + result.unassigned
    assert sorted(placed) == [i for i, _ in items]


def test_labels_and_key_phrases_come_from_the_members_own_text():
    result = themes_build(_items(PARKS + BUSES))
    texts = dict(_items(PARKS + BUSES))
    for theme in result.themes:
        member_text = "".join(texts[m] for m in theme.members)
        for phrase in theme.key_phrases:
            assert phrase in member_text, (phrase, theme.members)
        for part in theme.label.split("・"):
            assert part in member_text
        assert set(theme.representatives) <= set(theme.members)


def test_the_cli_writes_the_contract_and_refuses_bad_input(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(json.dumps({"id": f"c{n}", "text": t}, ensure_ascii=False) for n, t in enumerate(PARKS + BUSES))
    )
    out = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, "-m", "nlp", "themes", "--input", str(source), "--output", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"themes", "unassigned", "model_version"}
    theme = data["themes"][0]
    assert {"id", "label", "key_phrases", "members", "representatives", "parent"} <= set(theme)
    assert all(isinstance(m, str) for m in theme["members"])

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n')
    refused = subprocess.run(
        [sys.executable, "-m", "nlp", "themes", "--input", str(bad), "--output", str(out)],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2 and "missing field(s): text" in refused.stderr
    twice = tmp_path / "twice.jsonl"
    twice.write_text('{"id": 1, "text": "a"}\n{"id": 1, "text": "b"}\n')
    refused = subprocess.run(
        [sys.executable, "-m", "nlp", "themes", "--input", str(twice), "--output", str(out)],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2 and "unique" in refused.stderr


def test_what_masking_left_never_names_a_theme():
    masked = [f"〇〇です。電話XXX-XXXX-XXXX。{text}" for text in PARKS + BUSES]
    result = themes_build(_items(masked))
    for theme in result.themes:
        assert not any(mark in " ".join([theme.label, *theme.key_phrases]) for mark in ("〇〇", "XXX")), theme.label


class _TwoWayEncoder:
    """A stand-in sentence encoder that sees only whether a text mentions the library."""

    name = "stub-encoder"

    def embed(self, texts):
        import numpy as np

        return np.array([[1.0, 0.0] if "図書館" in t else [0.0, 1.0] for t in texts])


def test_an_encoder_s_vectors_replace_the_lexical_ones_and_the_version_names_it():
    library = [
        "図書館の本を増やしてください。新しい本が少ないです。",
        "図書館の駐車場が狭いです。図書館に行きにくいです。",
        "図書館の自習席を増やしてください。",
    ]
    result = themes_build(_items(PARKS + library), encoder=_TwoWayEncoder())
    assert result.model_version == "themes-1+stub-encoder"
    top = [set(t.members) for t in result.themes if t.parent is None]
    # The encoder sees two kinds of text, so there are exactly the two themes it sees.
    assert sorted(top, key=min) == [set(range(5)), set(range(5, 8))]
    assert themes_build(_items(PARKS + library)).model_version == THEMES_VERSION


def test_the_cli_refuses_an_encoder_that_is_not_installed(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "text": PARKS[0]}, ensure_ascii=False))
    refused = subprocess.run(
        [
            sys.executable,
            "-m",
            "nlp",
            "themes",
            "--input",
            str(source),
            "--output",
            str(tmp_path / "o.json"),
            "--encoder",
            "no-such-encoder",
        ],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2 and "not installed" in refused.stderr
