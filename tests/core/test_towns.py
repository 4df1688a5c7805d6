"""The city's town list and 町名 matching (#15): every way of writing 丁目 finds the same listed town."""

import pytest

from core import towns
from core.towns import address_fold, kanji_number, town_match, town_search_names
from nlp.pii import towns as pii_towns


@pytest.mark.parametrize(
    "address",
    [
        "川口市青木二丁目1番1号",
        "川口市青木2丁目1-1",
        "川口市青木２丁目１－１",
        "川口市青木2-1-1",
        "埼玉県川口市青木 2‐1‐1",  # U+2010 and a space
        "埼玉県川口市青木２ー１ー１",  # 長音 between digits, as people type it
        "青木2-1-1",  # no city: read as in the city
    ],
)
def test_every_way_of_writing_the_chome_finds_the_listed_town(address):
    found = town_match(address)
    assert found is not None
    assert (found.town, found.base, found.chome) == ("青木二丁目", "青木", 2)


@pytest.mark.parametrize(
    ("address", "town"),
    [
        ("川口市大字安行領根岸2830", "大字安行領根岸"),
        ("川口市安行領根岸2830の1", "大字安行領根岸"),  # 大字 left out
        ("川口市鳩ケ谷本町2-1", "鳩ヶ谷本町二丁目"),  # ケ for ヶ
        ("川口市鳩が谷本町二丁目1", "鳩ヶ谷本町二丁目"),
        ("川口市芝樋の爪1-2", "芝樋ノ爪一丁目"),  # の for ノ
        ("川口市三つ和1-2", "三ツ和一丁目"),  # つ for ツ
        ("川口市芝2-3-4", "芝二丁目"),  # 芝 has 丁目 and a 大字
        ("川口市大字芝2830", "大字芝"),
        ("川口市芝2830", "大字芝"),  # a 番地 too long to be a 丁目
        ("川口市前川町3-1", "前川町三丁目"),  # longest name first: 前川町, not 前川
        ("川口市前川1-2-3", "前川一丁目"),
        ("川口市中青木2-1", "中青木二丁目"),  # not 青木
        ("川口市川口1-1-1", "川口一丁目"),  # the town 川口 inside the city 川口市
        ("川口市南鳩ヶ谷八丁目1", "南鳩ヶ谷八丁目"),
    ],
)
def test_variants_of_a_town_name_are_folded_for_matching(address, town):
    assert town_match(address).town == town


@pytest.mark.parametrize(
    "address",
    [
        "東京都千代田区丸の内1-1",
        "埼玉県蕨市中央1-1-1",  # another city of the prefecture
        "さいたま市浦和区高砂3-15-1",
        "川口市青木9丁目1",  # 青木 has five 丁目
        "川口市どこか町1-1",
        "",
    ],
)
def test_an_address_outside_the_list_matches_no_town(address):
    assert town_match(address) is None


def test_without_the_city_an_address_is_not_read_as_in_it_when_the_city_is_required():
    assert town_match("青木2-1-1", city_optional=False) is None
    assert town_match("川口市青木2-1-1", city_optional=False).town == "青木二丁目"


@pytest.mark.parametrize(
    ("text", "number"),
    [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("２", 2), ("12", 12), ("丁", None)],
)
def test_kanji_numbers(text, number):
    assert kanji_number(text) == number


def test_the_fold_is_for_matching_only():
    assert address_fold("川口市　青木２－１－１") == "川口市青木2-1-1"
    # A 長音 inside a word is kept: only one between digits is a dash.
    assert address_fold("川口ハイツー2") == "川口ハイツ-2"
    assert address_fold("コーポ") == "コーポ"


def test_a_staff_search_finds_the_towns_it_means():
    assert town_search_names("青木２丁目") == ["青木二丁目"]
    assert town_search_names("川口市青木2") == ["青木二丁目"]
    assert town_search_names("青木") == ["青木一丁目", "青木二丁目", "青木三丁目", "青木四丁目", "青木五丁目"]
    assert town_search_names("芝") == ["大字芝", "芝一丁目", "芝二丁目", "芝三丁目", "芝四丁目", "芝五丁目"]
    assert town_search_names("大字芝") == ["大字芝"]
    assert town_search_names("蕨市中央") == []


def test_the_form_suggests_every_listed_town_in_the_city():
    suggestions = towns.town_suggestions()
    assert len(suggestions) == 272
    assert "川口市青木二丁目" in suggestions and "川口市大字安行領根岸" in suggestions


def test_one_loader_serves_the_forms_and_the_masking(monkeypatch, tmp_path):
    assert pii_towns.load_towns is towns.load_towns
    assert pii_towns.TownList is towns.TownList
    other = tmp_path / "towns.csv"
    other.write_text("# municipality: 埼玉県 蕨市\ntown,lat,lng\n中央一丁目,0,0\n", encoding="utf-8")
    monkeypatch.setenv("KOE_TOWNS_FILE", str(other))
    assert town_match("蕨市中央1-1").town == "中央一丁目"
    assert towns.town_suggestions() == ["蕨市中央一丁目"]
    monkeypatch.setenv("KOE_TOWNS_FILE", "0")
    assert towns.town_suggestions() == [] and town_match("川口市青木2-1-1") is None
