"""Near-duplicate evaluation sets built from real comments.

A seeded sample of real comments each gets 1-4 "campaign copies" made with
the edits organised campaigns show: an added greeting or closing, changed
punctuation, 全角/半角 changes, a dropped or reordered sentence, a signature
line. Gold clusters are each original with its copies; every other real
comment is a singleton (real near-duplicates among them count as errors).
"""

from __future__ import annotations

import random
import re

GREETINGS = [
    "お世話になっております。",
    "いつもありがとうございます。",
    "以下のとおり意見を提出します。\n",
    "はじめまして、市内在住の者です。",
    "突然のご連絡失礼いたします。",
]
CLOSINGS = [
    "よろしくお願いいたします。",
    "以上です。",
    "ご検討ください。",
    "\n以上、意見でした。",
]
SIGNATURES = ["\n一市民より", "\n（会社員・40代）", "\n匿名希望"]
_SENTENCE_RE = re.compile(r"(?<=[。！？\n])")
_TO_WIDE = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
_TO_NARROW = str.maketrans({chr(c + 0xFEE0): chr(c) for c in range(0x21, 0x7F)})


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_RE.split(text) if s]


def _greet(text, rng):
    return rng.choice(GREETINGS) + text if rng.random() < 0.6 else text + rng.choice(CLOSINGS)


def _punctuate(text, rng):
    table = rng.choice([{"、": "，", "。": "．"}, {"、": ""}, {"。": "！"}, {"「": "『", "」": "』"}])
    return text.translate(str.maketrans(table))


def _width(text, rng):
    return text.translate(_TO_WIDE if rng.random() < 0.5 else _TO_NARROW)


def _drop(text, rng):
    parts = _sentences(text)
    if len(parts) < 3:
        return text
    del parts[rng.randrange(1, len(parts))]
    return "".join(parts)


def _reorder(text, rng):
    parts = _sentences(text)
    if len(parts) < 2:
        return text
    i = rng.randrange(len(parts) - 1)
    parts[i], parts[i + 1] = parts[i + 1], parts[i]
    return "".join(parts)


def _sign(text, rng):
    return text + rng.choice(SIGNATURES)


EDITS = (_greet, _punctuate, _width, _drop, _reorder, _sign)


def campaign_copy(text: str, rng: random.Random) -> str:
    """Return a realistic edited copy (two or three random edits)."""
    for edit in rng.sample(EDITS, rng.choice((2, 3))):
        text = edit(text, rng)
    return text


def build_set(texts: list[str], n_campaigns: int = 120, seed: int = 7):
    """Return ``(items, gold)``: ``[(id, text)]`` and ``{id: cluster}``."""
    rng = random.Random(seed)
    items, gold = [], {}
    campaign = set(rng.sample(range(len(texts)), min(n_campaigns, len(texts))))
    for i, text in enumerate(texts):
        items.append((f"c{i}", text))
        gold[f"c{i}"] = i
        if i in campaign:
            for j in range(rng.randint(1, 4)):
                items.append((f"c{i}-{j}", campaign_copy(text, rng)))
                gold[f"c{i}-{j}"] = i
    rng.shuffle(items)
    return items, gold


def synthetic_corpus(texts: list[str], size: int, seed: int = 11) -> list[tuple[str, str]]:
    """Return ``size`` comments: originals, campaign copies and mixtures.

    One in five is a campaign copy; the rest stitch three real sentences
    from different comments, so most texts are distinct but realistic.
    """
    rng = random.Random(seed)
    sentences = [s for t in texts for s in _sentences(t) if len(s) > 8]
    items = [(f"o{i}", t) for i, t in enumerate(texts)]
    while len(items) < size:
        if rng.random() < 0.2:
            text = campaign_copy(rng.choice(texts), rng)
        else:
            text = "".join(rng.sample(sentences, 3))
        items.append((f"s{len(items)}", text))
    return items


def b_cubed(groups: list[list[str]], gold: dict[str, int]) -> dict:
    """Return B-cubed precision, recall and F1 (singletons included)."""
    predicted = {item: {item} for item in gold}
    for group in groups:
        members = set(group)
        for item in group:
            predicted[item] = members
    gold_members: dict[int, set[str]] = {}
    for item, cluster in gold.items():
        gold_members.setdefault(cluster, set()).add(item)
    precision = recall = 0.0
    for item, cluster in gold.items():
        overlap = len(predicted[item] & gold_members[cluster])
        precision += overlap / len(predicted[item])
        recall += overlap / len(gold_members[cluster])
    p, r = precision / len(gold), recall / len(gold)
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4),
    }
