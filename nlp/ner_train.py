"""Train a small spaCy NER (PERSON, PLACE) on an annotated JSON file.

The input is a JSON list of ``{"text": ..., "entities": [{"span": [a, b],
"type": "人名"}, ...]}`` items (the layout of ner-wikipedia-ja). Only 人名
and 地名 are learnt, as PERSON and PLACE; other types are left unlabelled.

Documents are built from our own Sudachi tokens (split mode C, the tokens
``find_pii`` already has), with Sudachi's part of speech as the token tag,
so the model sees at inference exactly what it saw in training and needs
no second tokenisation. Character spans are aligned to tokens with
``alignment_mode="expand"``. The pipeline is a blank ``ja`` (Sudachi
tokenizer, split mode C) with one ``ner`` component whose tok2vec is a
small hash-embedding CNN over NORM, PREFIX, SUFFIX, SHAPE and TAG, plus
GiNZA's static vectors with ``vectors=True`` (then the model directory
holds a copy of the 46 MB table; without them it is a few MB).
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from nlp.pipeline import SPLIT_MODE, Token, tokenize

LABELS = {"人名": "PERSON", "地名": "PLACE"}
# The other types of ner-wikipedia-ja are learnt too, so that the model
# tells a band or a company (アドレナリン・モブ) from a person; only PERSON
# (and PLACE) spans are used.
OTHER_LABELS = {
    "法人名": "CORPORATION",
    "政治的組織名": "POLITICAL_ORG",
    "その他の組織名": "ORG",
    "施設名": "FACILITY",
    "製品名": "PRODUCT",
    "イベント名": "EVENT",
}
DEFAULT_ITERATIONS = 20
_MODEL_CONFIG = """
[model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = {vectors}
width = 96
depth = 4
embed_size = 2000
window_size = 1
maxout_pieces = 3
subword_features = true
"""


class NerInputError(ValueError):
    """A malformed training file; the message names the item."""


def read_ner_items(path: Path) -> list[dict]:
    """Read and check an ner-wikipedia-ja style file (items numbered from 1)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise NerInputError(f"{path}: 読み込めません / cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise NerInputError(f"{path}: UTF-8 ではありません / not valid UTF-8 ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise NerInputError(f"{path}:{exc.lineno}: JSON として不正です / invalid JSON ({exc.msg})") from exc
    if not isinstance(data, list):
        raise NerInputError(f"{path}: JSON の配列が必要です / expected a JSON list of items")
    for number, item in enumerate(data, start=1):
        _check_item(path, number, item)
    return data


def _check_item(path: Path, number: int, item) -> None:
    where = f"{path}: item {number} / {number} 件目"
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise NerInputError(f'{where}: "text"（文字列）が必要です / needs a string "text"')
    entities = item.get("entities", [])
    if not isinstance(entities, list):
        raise NerInputError(f'{where}: "entities" は配列です / "entities" must be a list')
    for k, entity in enumerate(entities, start=1):
        span = entity.get("span") if isinstance(entity, dict) else None
        if not (
            isinstance(span, list)
            and len(span) == 2
            and all(type(v) is int for v in span)
            and 0 <= span[0] < span[1] <= len(item["text"])
            and isinstance(entity.get("type"), str)
        ):
            raise NerInputError(
                f'{where}, entity {k}: "span": [開始, 終了] が本文の範囲外か、"type" がありません'
                f' / needs "span": [start, end] inside the text and a string "type"'
            )


def select_half(items: list[dict], half: str) -> list[dict]:
    """``first``: the tuning half the bench uses (sentence order); ``all``."""
    if half == "first":
        return items[: len(items) // 2]
    if half == "all":
        return items
    raise ValueError(f"unknown half {half!r}")


def token_tag(token: Token) -> str:
    """The tag spaCy's Japanese tokenizer gives (名詞-固有名詞-人名-姓)."""
    return "-".join(p for p in token.pos[:4] if p != "*")


def make_doc(vocab, tokens: list[Token]):
    """A ``Doc`` over Sudachi tokens, with Sudachi's POS as the tag."""
    from spacy.tokens import Doc

    words = [t.surface for t in tokens]
    return Doc(
        vocab,
        words=words,
        spaces=[False] * len(words),
        tags=[token_tag(t) for t in tokens],
    )


def blank_pipeline(vectors: bool = False):
    import spacy
    from thinc.api import Config

    nlp = spacy.blank("ja", config={"nlp": {"tokenizer": {"split_mode": SPLIT_MODE}}})
    if vectors:
        from nlp.pipeline import get_vectors

        table = get_vectors()
        if table is None:
            raise NerInputError("ja_ginza がないため静的ベクトルを使えません / ja_ginza is not installed")
        nlp.vocab.vectors = table
    nlp.add_pipe(
        "ner",
        config=Config().from_str(_MODEL_CONFIG.replace("{vectors}", "true" if vectors else "null")),
    )
    return nlp


def examples(nlp, items: list[dict], labels: dict[str, str]):
    """Training examples; entity spans expand to whole tokens, overlaps dropped."""
    from spacy.training import Example
    from spacy.util import filter_spans

    out = []
    for item in items:
        tokens = tokenize(item["text"])
        if not tokens:
            continue
        doc = make_doc(nlp.vocab, tokens)
        spans = []
        for entity in item.get("entities", []):
            label = labels.get(entity["type"])
            if label:
                span = doc.char_span(*entity["span"], label=label, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
        reference = make_doc(nlp.vocab, tokens)
        reference.ents = [reference.char_span(s.start_char, s.end_char, label=s.label_) for s in filter_spans(spans)]
        out.append(Example(doc, reference))
    return out


def train(
    items: list[dict],
    output: Path,
    iterations: int = DEFAULT_ITERATIONS,
    seed: int = 0,
    log=print,
    vectors: bool = False,
    all_types: bool = True,
) -> dict:
    """Train on ``items`` and write the pipeline to ``output``; return stats."""
    from spacy.training import Example  # noqa: F401  (import check before timing)
    from spacy.util import compounding, fix_random_seed, minibatch
    from threadpoolctl import threadpool_limits

    started = time.process_time()
    wall = time.perf_counter()
    fix_random_seed(seed)
    rng = random.Random(seed)
    with threadpool_limits(1):
        nlp = blank_pipeline(vectors)
        labels = {**LABELS, **OTHER_LABELS} if all_types else LABELS
        train_examples = examples(nlp, items, labels)
        if not any(ent.label_ in ("PERSON", "PLACE") for ex in train_examples for ent in ex.reference.ents):
            raise NerInputError("人名・地名の固有表現が 1 件もありません / no 人名 or 地名 entity to learn")
        optimizer = nlp.initialize(lambda: train_examples)
        for epoch in range(iterations):
            rng.shuffle(train_examples)
            losses: dict = {}
            for batch in minibatch(train_examples, size=compounding(8.0, 32.0, 1.001)):
                nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
            log(f"epoch {epoch + 1}/{iterations}: loss {losses.get('ner', 0.0):.1f}")
        output = Path(output)
        output.mkdir(parents=True, exist_ok=True)
        nlp.meta["name"] = "koe_ner"
        nlp.meta["description"] = "PERSON/PLACE NER trained by `python -m nlp train-ner`"
        nlp.meta["koe_training"] = {
            "n_items": len(items),
            "iterations": iterations,
            "seed": seed,
            "labels": labels,
            "static_vectors": vectors,
        }
        nlp.to_disk(output)
    return {
        "n_items": len(items),
        "n_entities": sum(len(ex.reference.ents) for ex in train_examples),
        "cpu_seconds": round(time.process_time() - started, 1),
        "wall_seconds": round(time.perf_counter() - wall, 1),
    }
