"""Personal data is found with offsets into the original and masked."""

import pytest

from nlp.pii import find_pii, mask, mynumber_valid
from nlp.pipeline import get_nlp


@pytest.fixture(scope="module", autouse=True)
def pipeline():
    return get_nlp()


FOUND = [
    ("電話は０９０－１２３４－５６７８です", "０９０－１２３４－５６７８", "phone"),
    ("（０３）３４５６－７８９０まで", "（０３）３４５６－７８９０", "phone"),
    ("携帯 08012345678 へ", "08012345678", "phone"),
    ("+81-90-1111-2222 に連絡", "+81-90-1111-2222", "phone"),
    ("メールは hanako@example.jp です", "hanako@example.jp", "email"),
    (
        "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ 宛",
        "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ",
        "email",
    ),
    ("〒１２３－４５６７", "〒１２３－４５６７", "postcode"),
    ("住所は東京都世田谷区桜丘3-4-5です", "東京都世田谷区桜丘3-4-5", "address"),
    ("埼玉県所沢市緑町4丁目5番6号の者", "埼玉県所沢市緑町4丁目5番6号", "address"),
    (
        "川口市青木２－１－１ ハイツ川口 ２０３号室です",
        "川口市青木２－１－１ ハイツ川口 ２０３号室",
        "address",
    ),
    ("個人番号は123456789018です", "123456789018", "mynumber"),
    ("1985年11月23日生まれです", "1985年11月23日", "birthdate"),
    ("山田太郎と申します", "山田太郎", "person"),
    ("担当の佐藤様へ", "佐藤", "person"),
    ("東京大学の山室真澄教授によれば", "山室真澄", "person"),
    ("伊藤 健一 拝", "伊藤 健一", "person"),
    ("ポール・ホーケン等が調査した", "ポール・ホーケン", "person"),
    # Middle initials join a foreign name; a title after an untagged one is evidence.
    ("ジョン・F・ケネディ大統領が演説した", "ジョン・F・ケネディ", "person"),
    (
        "ヴェリミール・フレーブニコフ教授が発明した",
        "ヴェリミール・フレーブニコフ",
        "person",
    ),
    # A lone given name with no common-noun reading, before a case particle.
    ("恭順姿勢の慶喜は採り上げず", "慶喜", "person"),
    # Surnames Sudachi tags as places, before a personal title.
    ("岡田社長から連絡があった", "岡田", "person"),
]


@pytest.mark.parametrize(("text", "expected", "kind"), FOUND)
def test_personal_data_is_found_at_its_original_offsets(text, expected, kind):
    spans = [s for s in find_pii(text) if s.type == kind]
    assert [text[s.start : s.end] for s in spans] == [expected]


NOT_PERSONAL = [
    "P２ L22の記載について",
    "2030年度までに46％削減する",
    "令和6年4月1日から施行された条例",
    "予算は1,234,567円です",
    "国道16号線の渋滞がひどい",
    "千葉市の子育て施策について",
    "123456789012 は検査数字が合わない番号",
    "汚染者負担の原則（正義と公平の原則）",
    "クマ類の出没が増えている",
    "リオ宣言第10原則に基づく",
    "廃掃法等の法律で規制する",
    # A place before a local office names the office, not a person.
    "千葉市長の会見を聞いた",
    "東京弁護士会の意見書",
]


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_ordinary_numbers_and_places_are_left_alone(text):
    assert find_pii(text) == []


def test_full_width_phone_number_is_masked():
    text = "連絡先：０９０－１２３４－５６７８（山田）"
    masked = mask(text, find_pii(text))
    assert "１２３４" not in masked
    assert masked.startswith("連絡先：XXX-XXXX-XXXX")


def test_masking_keeps_the_rest_of_the_text():
    text = "公園を増やして。鈴木さん、メールは a@example.jp です。"
    assert mask(text, find_pii(text)) == "公園を増やして。〇〇さん、メールは xxx@xxx です。"


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("123456789018", True),
        ("123456789012", False),
        ("12345678901", False),
        ("abcdefghijkl", False),
    ],
)
def test_mynumber_check_digit(digits, valid):
    assert mynumber_valid(digits) is valid


def test_place_spans_cover_suffixed_and_compound_place_names():
    from nlp.places import place_spans

    text = "フィラエ島のイシス神殿と、日本人の研究者が訪れた大野盆地"
    found = {text[s.start : s.end] for s in place_spans(text)}
    assert {"フィラエ島", "日本", "大野盆地"} <= found
