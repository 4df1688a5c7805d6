"""Personal-data misses seen in a held-out check (issue #11), one row each.

Each row is (text, substring, type): the substring must be found whole, as
that type. The first three rows are the misses reported in the issue; the
rest are their variants (other bracket and digit forms, 大字 written or
not, a town without the city's name) and what must stay unmasked.
"""

import pytest

from nlp.pii import find_pii
from nlp.pii import towns as towns_module
from nlp.pipeline import get_nlp


@pytest.fixture(scope="module", autouse=True)
def pipeline():
    return get_nlp()


def _spans(text: str) -> set[tuple[str, str]]:
    return {(text[s.start : s.end], s.type) for s in find_pii(text, cascade=False, model=False)}


MISSES = [
    # A phone with its area code in brackets was taken as a postcode.
    ("市役所の代表番号(048)242-5100に電話しました", "(048)242-5100", "phone"),
    # A 大字 with a 番地 and no 丁目 (the city's town list).
    ("川口市安行領根岸2830に住んでいます", "川口市安行領根岸2830", "address"),
    # A lone surname in brackets after a phone number.
    ("何かあれば080-9876-5432（松本）までご連絡ください", "松本", "person"),
    # Variants.
    ("電話（０４８）２４２－５１００", "（０４８）２４２－５１００", "phone"),
    ("連絡先は048(242)5100です", "048(242)5100", "phone"),
    ("電話番号は048.265.7712です", "048.265.7712", "phone"),
    ("埼玉県川口市大字安行領根岸2830の者です", "埼玉県川口市大字安行領根岸2830", "address"),
    ("川口市大字木曽呂1380番地に住んでいます", "川口市大字木曽呂1380番地", "address"),
    ("〒332-0021 西川口3-1-8 に住んでいます", "西川口3-1-8", "address"),
    ("私は戸塚東3丁目に住んでいます", "戸塚東3丁目", "address"),
    ("連絡先 090-1111-2222 (大西)", "大西", "person"),
    ("電話（048）222-3344（担当 大塚）", "大塚", "person"),
    ("メール k.imai@example.ne.jp（今井）", "今井", "person"),
    ("メール送信先 taro.kawaguchi[at]example.ne.jp", "taro.kawaguchi[at]example.ne.jp", "email"),
]


@pytest.mark.parametrize(("text", "substring", "kind"), MISSES)
def test_reported_miss_is_found(text, substring, kind):
    assert (substring, kind) in _spans(text)


def test_bracketed_phone_is_no_postcode():
    assert not [s for s in find_pii("代表(048)242-5100", cascade=False, model=False) if s.type == "postcode"]


@pytest.mark.parametrize(
    ("text", "phone"),
    [("080-9876-5432（代表）までご連絡ください", "080-9876-5432"), ("048-222-1111（平日のみ）", "048-222-1111")],
)
def test_bracketed_word_after_a_phone_is_no_name(text, phone):
    assert _spans(text) == {(phone, "phone")}


NOT_PERSONAL = [
    "戸塚安行駅の駐輪場を200台分増やしてください",
    "川口市立芝中学校2年の生徒",
    "施策2-3-1の指標は2030年度の目標値が低すぎます",
    "青木町公園の桜並木",
    "1丁目と2丁目の境に信号がありません",
    "川口市の人口は約60万人です",
]


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_nothing_personal(text):
    assert _spans(text) == set()


def test_shipped_town_list():
    towns = towns_module.load_towns(towns_module.DEFAULT_FILE)
    assert (towns.prefecture, towns.municipality) == ("埼玉県", "川口市")
    assert len(towns.towns) == 272
    assert "大字安行領根岸" in towns.towns
    assert "安行領根岸" in towns_module.town_bases(towns.towns)
    assert "青木" in towns_module.town_bases(towns.towns)  # 青木一丁目 … 青木五丁目
    header = towns_module.DEFAULT_FILE.read_text(encoding="utf-8").splitlines()[:5]
    assert any("CC BY 4.0" in line and "Geolonia" in line for line in header)


@pytest.fixture
def towns_reset():
    yield
    towns_module.reset()


def test_without_a_town_list_only_marked_addresses_are_found(towns_reset):
    towns_module.configure(None)
    assert ("川口市安行領根岸2830", "address") not in _spans("川口市安行領根岸2830に住んでいます")
    assert ("川口市青木3-5-12", "address") in _spans("川口市青木3-5-12に住んでいます")


def test_towns_passed_in(towns_reset):
    towns_module.configure(towns_module.TownList("東京都", "練馬区", ("大字上石神井", "豊玉北一丁目")))
    assert ("練馬区上石神井1234", "address") in _spans("練馬区上石神井1234に住む")
    assert ("豊玉北5-6", "address") in _spans("豊玉北5-6の者です")
    assert ("川口市安行領根岸2830", "address") not in _spans("川口市安行領根岸2830")


def test_towns_file_switched_off(monkeypatch, towns_reset):
    monkeypatch.setenv("KOE_TOWNS_FILE", "0")
    assert towns_module.matcher() is None
    monkeypatch.delenv("KOE_TOWNS_FILE")
    assert towns_module.matcher() is not None
