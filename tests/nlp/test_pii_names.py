"""Names Sudachi does not tag, and the words those rules must leave alone.

Every sentence here is made up for the test.
"""

import pytest

from nlp.pii import find_pii
from nlp.pipeline import get_nlp
from nlp.places import place_spans


@pytest.fixture(scope="module", autouse=True)
def pipeline():
    return get_nlp()


def _persons(text):
    return [text[s.start : s.end] for s in find_pii(text) if s.type == "person"]


NAMES = [
    # Dot-joined katakana that Sudachi does not know, before a case particle.
    ("昨年、オルドリン・ペスカトーレは引退した", ["オルドリン・ペスカトーレ"]),
    # An unknown katakana word as the subject of a clause.
    ("試合後、ヴォルシャニクは記者に語った", ["ヴォルシャニク"]),
    # ... after a role word, or before a title.
    ("監督のグラボウスキが指示を出した", ["グラボウスキ"]),
    ("ザビエンコ中佐が到着した", ["ザビエンコ"]),
    # A katakana word whose only dictionary reading is a person.
    ("会議ではナーセルに質問が集中した", ["ナーセル"]),
    # A part of a name found earlier, on its own.
    (
        "ロマン・ヴェルシュコフが受賞した。式典でヴェルシュコフは涙を見せた。",
        ["ロマン・ヴェルシュコフ", "ヴェルシュコフ"],
    ),
    # A tagged surname completed by a given name that is no common word.
    ("表紙は杉浦鴎水が描いた", ["杉浦鴎水"]),
    # A one-kanji Chinese or Korean surname Sudachi tags as a common noun.
    ("外相の朴載淵と会談した", ["朴載淵"]),
    # A regnal number belongs to the name.
    ("フェデリコ・ガルシア・ロルカ二世", ["フェデリコ・ガルシア・ロルカ二世"]),
]


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_untagged_names_are_found(text, expected):
    assert _persons(text) == expected


ORDINARY = [
    "スマートコミュニティの形成を進める",
    "メーカー各社の努力に期待する",
    "エネルギーは大切だ",
    "化石燃料のフェーズアウトを加速させる",
    "グリホサートは禁止すべきだ",
    "コベネフィットを目指す",
    "カーボンリサイクルの実装",
    # Unknown, but a compound ending in a common word, or a plural (a team).
    "ヴェオリアグループは撤退した",
    "ボルチモア・レイブンズが勝った",
    # One kanji with a surname reading, then ordinary words.
    "林業の振興を図る",
    "金銀の価格が上がった",
    "王国の歴史を学ぶ",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_words_are_not_names(text):
    assert _persons(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("スペイン北部を訪れた", "スペイン北部"),
        ("イタリア人の研究者", "イタリア"),
        ("訪日客が増えた", "日"),
        ("欧米の制度", "欧米"),
        ("米大統領が演説した", "米"),
        # A town after its state, and an 大字 after its municipality.
        ("テキサス州ヒューストンに移った", "テキサス州ヒューストン"),
        ("熊本県八代市大字松江に住んだ", "熊本県八代市大字松江"),
    ],
)
def test_place_spans_cover_areas_demonyms_and_one_kanji_countries(text, expected):
    assert expected in {text[s.start : s.end] for s in place_spans(text)}


def test_daytime_is_not_two_countries():
    assert place_spans("日中は暑い") == []
