"""Hand-written personal-data cases (fictional) with the expected spans.

Each case is ``(text, [(substring, type), ...])``; substrings are located
in order. Negatives (page numbers, fiscal years, amounts) check precision.
"""

CASES = [
    ("電話番号は090-1234-5678です。", [("090-1234-5678", "phone")]),
    ("連絡先：０９０－１２３４－５６７８", [("０９０－１２３４－５６７８", "phone")]),
    ("自宅（０３）３４５６－７８９０までお願いします", [("（０３）３４５６－７８９０", "phone")]),
    ("03(3456)7890に折り返しください", [("03(3456)7890", "phone")]),
    ("携帯 08012345678 へ", [("08012345678", "phone")]),
    ("TEL:045-123-4567 FAX:045-123-4568", [("045-123-4567", "phone"), ("045-123-4568", "phone")]),
    ("フリーダイヤル0120-123-456で受付", [("0120-123-456", "phone")]),
    ("海外からは+81-90-1111-2222へ", [("+81-90-1111-2222", "phone")]),
    ("０４３ー２２２ー３３３３に電話しました", [("０４３ー２２２ー３３３３", "phone")]),
    ("電話は0471-23-4567（平日のみ）", [("0471-23-4567", "phone")]),
    ("メールはhanako.suzuki@example.jpまで", [("hanako.suzuki@example.jp", "email")]),
    ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍに送りました", [("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ", "email")]),
    ("返信先: info-2024@city.example.lg.jp", [("info-2024@city.example.lg.jp", "email")]),
    ("a_b+c@mail.example.co.jp と b@example.org", [("a_b+c@mail.example.co.jp", "email"), ("b@example.org", "email")]),
    ("〒260-0001 千葉市中央区都町1丁目2番3号", [("〒260-0001", "postcode"), ("千葉市中央区都町1丁目2番3号", "address")]),
    ("〒１２３－４５６７", [("〒１２３－４５６７", "postcode")]),
    ("郵便番号 100-0005", [("100-0005", "postcode")]),
    ("〒0600001 札幌市中央区北一条西2丁目", [("〒0600001", "postcode"), ("札幌市中央区北一条西2丁目", "address")]),
    ("住所は東京都世田谷区桜丘3-4-5です", [("東京都世田谷区桜丘3-4-5", "address")]),
    ("大阪府堺市北区百舌鳥町２丁目１５番地に住んでいます", [("大阪府堺市北区百舌鳥町２丁目１５番地", "address")]),
    ("神奈川県横浜市港北区日吉本町1-2-3 ハイツ101", [("神奈川県横浜市港北区日吉本町1-2-3", "address")]),
    ("埼玉県所沢市緑町4丁目5番6号の者です", [("埼玉県所沢市緑町4丁目5番6号", "address")]),
    ("福岡市博多区博多駅前２－１－１在住", [("福岡市博多区博多駅前２－１－１", "address")]),
    ("長野県松本市大手三丁目", [("長野県松本市大手三丁目", "address")]),
    ("山田太郎と申します。", [("山田太郎", "person")]),
    ("担当の佐藤様にお伝えください", [("佐藤", "person")]),
    ("鈴木さんと高橋さんが来ました", [("鈴木", "person"), ("高橋", "person")]),
    ("田中花子（たなかはなこ）", [("田中花子", "person"), ("たなかはなこ", "person")]),
    ("市民課の中村氏の説明", [("中村", "person")]),
    ("伊藤 健一 拝", [("伊藤 健一", "person")]),
    ("渡辺先生のご指導", [("渡辺", "person")]),
    ("小林美咲です、よろしく", [("小林美咲", "person")]),
    ("マイナンバー 1234 5678 9018 を記入", [("1234 5678 9018", "mynumber")]),
    ("個人番号は123456789018です", [("123456789018", "mynumber")]),
    ("生年月日：昭和55年3月4日", [("昭和55年3月4日", "birthdate")]),
    ("1985年11月23日生まれの主婦です", [("1985年11月23日", "birthdate")]),
    ("平成2年4月1日生", [("平成2年4月1日", "birthdate")]),
    # Negatives: nothing personal here.
    ("P２ L22の記載について", []),
    ("2030年度までに46％削減する", []),
    ("令和6年4月1日から施行された条例", []),
    ("第6次環境基本計画の123ページ", []),
    ("予算は1,234,567円です", []),
    ("人口は123456人で増加傾向", []),
    ("国道16号線の渋滞がひどい", []),
    ("100-200件の意見が寄せられた", []),
    ("市役所本庁舎の3階", []),
    ("千葉市の子育て施策について", []),
    ("公園を増やしてほしい", []),
    ("12345678901の番号は無効", []),
]


def expected_spans(text: str, items: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Locate expected substrings in order and return their offsets."""
    spans, cursor = [], 0
    for substring, kind in items:
        start = text.index(substring, cursor)
        spans.append((start, start + len(substring), kind))
        cursor = start + len(substring)
    return spans
