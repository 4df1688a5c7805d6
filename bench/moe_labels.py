"""Silver topic labels for the MOE Basic Environment Plan comments.

How labels are built: each comment plus the ministry's reply is scored
against a keyword rulebook per theme (below, written independently of the
taxonomy the classifier sees); a comment gets the theme with the most
keyword hits when it has at least ``MIN_HITS`` and at least twice the
runner-up. Ambiguous or off-theme comments are left out. The rulebook reads
the reply as well, so a label does not rest on the comment's wording alone.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

MIN_HITS = 2
RULES = {
    "climate": r"気候変動|温室効果ガス|脱炭素|カーボン|温暖化|排出削減|二酸化炭素|CO2|パリ協定|適応策",
    "energy": r"再生可能エネルギー|再エネ|原子力|原発|太陽光|風力|発電|電力|石炭|火力|水素",
    "circular": r"循環経済|循環型社会|廃棄物|リサイクル|プラスチック|ごみ|ゴミ|3R|食品ロス|サーキュラー",
    "nature": r"生物多様性|生態系|森林|鳥獣|野生|保護地域|ネイチャーポジティブ|里山|動物|外来種|狩猟|捕獲",
    "chemicals": r"化学物質|香害|柔軟剤|農薬|PFAS|有機フッ素|有害|汚染|大気|水質|土壌|ばく露|過敏症",
    "participation": r"パートナーシップ|参加|NPO|民間団体|対話|環境教育|市民社会|協働|ESD",
    "economy": r"経済|企業|金融|投資|ESG|イノベーション|税制|カーボンプライシング|市場",
    "international": r"国際|途上国|アジア|ODA|世界全体|各国|二国間",
    "disaster": r"震災|復興|放射性|福島|除染|原子力災害|災害廃棄物",
}
_COMPILED = {k: re.compile(v) for k, v in RULES.items()}

TAXONOMY = {
    "labels": [
        {
            "id": "climate",
            "name": "気候変動対策",
            "description": "温室効果ガスの排出削減と気候変動への適応、ネット・ゼロの実現",
            "keywords": ["地球温暖化", "脱炭素社会", "気候変動適応"],
        },
        {
            "id": "energy",
            "name": "エネルギー",
            "description": "再生可能エネルギーの導入拡大と電源構成、省エネルギー",
            "keywords": ["再生可能エネルギー", "電源", "省エネルギー"],
        },
        {
            "id": "circular",
            "name": "循環型社会の形成",
            "description": "廃棄物の削減と資源循環、リサイクルの推進",
            "keywords": ["資源循環", "廃棄物処理", "リユース"],
        },
        {
            "id": "nature",
            "name": "生物多様性の確保・自然共生",
            "description": "自然環境と野生生物の保全、生態系サービス",
            "keywords": ["自然保護", "野生生物", "生物多様性"],
        },
        {
            "id": "chemicals",
            "name": "環境リスクの管理",
            "description": "化学物質や大気・水・土壌の汚染から健康と環境を守る",
            "keywords": ["化学物質", "公害", "健康被害"],
        },
        {
            "id": "participation",
            "name": "パートナーシップと環境教育",
            "description": "国民・民間団体の参画、情報共有、人材育成",
            "keywords": ["環境教育", "市民参加", "主体間連携"],
        },
        {
            "id": "economy",
            "name": "経済システムと技術",
            "description": "環境と経済の好循環、グリーンな投資と技術開発",
            "keywords": ["グリーン経済", "技術開発", "環境ビジネス"],
        },
        {
            "id": "international",
            "name": "国際協力",
            "description": "国際的な枠組みへの貢献と途上国支援",
            "keywords": ["国際社会", "国際協力", "海外展開"],
        },
        {
            "id": "disaster",
            "name": "震災復興と災害対応",
            "description": "東日本大震災からの復興、放射性物質による汚染への対処",
            "keywords": ["東日本大震災", "放射性物質", "災害"],
        },
    ]
}


def label_for(comment: str, reply: str) -> str | None:
    """Return the rulebook theme for a comment, or None when ambiguous."""
    text = unicodedata.normalize("NFKC", comment + "\n" + reply)
    hits = sorted(((len(rx.findall(text)), k) for k, rx in _COMPILED.items()), reverse=True)
    (top, theme), (second, _) = hits[0], hits[1]
    return theme if top >= MIN_HITS and top >= 2 * second else None


def load_labelled(path: Path) -> list[dict]:
    """Return ``{"id", "text", "label"}`` rows for unambiguous comments."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            label = label_for(item["comment"], item["reply"])
            if label:
                rows.append({"id": item["id"], "text": item["comment"], "label": label})
    return rows
