"""Units and vectors for themes (#14): 同趣旨 copies collapsed, texts embedded, a Ward tree cut.

Django-free; the steps 1–3 of ``nlp.themes`` (see there for why each is so).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from nlp.duplicates import group_keys
from nlp.keyphrases import noun_phrases
from nlp.normalize import matching_key
from nlp.pii.spans import MASKS
from nlp.pipeline import content_norms, tokenize_many

MIN_THEME_SIZE = 2  # units (a campaign counts once)
SVD_DIMS = 30
WARD_MAX_UNITS = 2500
TOKENIZE_CHUNK = 500  # texts per progress report while tokenising (the longest step)

# progress(stage, fraction of the whole run done): the worker shows it on the page.
Progress = Callable[[str, float], None]
STAGE_UNITS = "同趣旨の判定"
STAGE_TOKENIZE = "文章の解析"


def no_progress(_stage: str, _fraction: float) -> None:
    return None


# What masking left in the text (〇〇, XXX-XXXX…) says nothing about an opinion:
# a phrase or word holding it never names a theme nor pulls texts together.
_MASK_MARKS = ("〇〇", "XXX", "xxx")


def _unmasked(phrase: str) -> bool:
    return not any(mark in phrase for mark in _MASK_MARKS)


def _without_masks(text: str) -> str:
    for mask in sorted(set(MASKS.values()), key=len, reverse=True):
        text = text.replace(mask, " ")
    return text


@dataclass
class Unit:
    ids: list[Hashable]
    text: str
    words: list[str]
    phrases: set[str]


def units_collapse(
    items: Sequence[tuple[Hashable, str]], progress: Progress = no_progress
) -> tuple[list[Unit], list[Hashable]]:
    """Collapse near-duplicates into units; texts without a content word are unassigned."""
    progress(STAGE_UNITS, 0.0)
    keys = [matching_key(text) for _id, text in items]
    distinct = list(dict.fromkeys(k for k in keys if k))
    group_of = dict(zip(distinct, group_keys(distinct), strict=True)) if distinct else {}
    order: dict[int, int] = {}
    grouped: list[list[int]] = []
    empty = []
    for index, key in enumerate(keys):
        if not key:
            empty.append(items[index][0])
            continue
        group = group_of[key]
        if group not in order:
            order[group] = len(grouped)
            grouped.append([])
        grouped[order[group]].append(index)
    texts = [items[g[0]][1] for g in grouped]
    tokens = []
    # Tokenising is most of a large run (Sudachi): 5–75 % of the bar.
    for start in range(0, len(texts), TOKENIZE_CHUNK):
        progress(STAGE_TOKENIZE, 0.05 + 0.7 * start / len(texts))
        tokens.extend(tokenize_many(texts[start : start + TOKENIZE_CHUNK]))
    units, unassigned = [], list(empty)
    for members, toks in zip(grouped, tokens, strict=True):
        words = [w for w in content_norms(toks) if _unmasked(w)]
        ids = [items[i][0] for i in members]
        if not words:
            unassigned.extend(ids)
            continue
        units.append(
            Unit(
                ids=ids, text=items[members[0]][1], words=words, phrases={p for p in noun_phrases(toks) if _unmasked(p)}
            )
        )
    return units, unassigned


# embed(texts) -> one row per text: a sentence encoder (nlp.encoder), optional.
Embed = Callable[[list[str]], np.ndarray]


def units_embed(units: list[Unit], seed: int, embed: Embed | None = None) -> np.ndarray:
    """L2-normalised vectors: word + character TF-IDF reduced by SVD, or a sentence encoder's.

    With an encoder (multilingual-e5 through ``nlp.encoder``) the vectors are
    its alone: on the hand-labelled MOE set it lifts NMI and ARI clearly over
    the lexical vectors, and mixing the two gave back most of that gain
    (bench.theme_bench prints both). It is some 50 times slower, hence optional.
    """
    from sklearn.preprocessing import normalize

    if embed is not None:
        return normalize(np.asarray(embed([_without_masks(u.text) for u in units]), dtype=np.float64))
    from scipy.sparse import hstack
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    min_df = 2 if len(units) >= 20 else 1
    words = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True, min_df=min_df)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True, min_df=min_df)
    try:
        matrix = hstack(
            [
                words.fit_transform([u.words for u in units]),
                chars.fit_transform([_without_masks(u.text) for u in units]),
            ]
        )
    except ValueError:  # no term left after min_df
        matrix = hstack([TfidfVectorizer(analyzer=lambda w: w).fit_transform([u.words for u in units])])
    matrix = matrix.tocsr()
    dims = min(SVD_DIMS, matrix.shape[0] - 1, matrix.shape[1] - 1)
    if dims < 2:
        return normalize(matrix.toarray())
    return normalize(TruncatedSVD(n_components=dims, random_state=seed).fit_transform(matrix))


def ward_cut(vectors: np.ndarray) -> tuple[int, np.ndarray]:
    """One Ward tree, cut at each k in 2..√n; the cut with the best cosine silhouette wins."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.metrics import silhouette_score

    n = len(vectors)
    tree = linkage(vectors, method="ward")
    best = (1, -1.0, np.zeros(n, dtype=int))
    for k in range(2, min(max(2, math.isqrt(n)), n - 1) + 1):
        labels = fcluster(tree, k, criterion="maxclust")
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(vectors, labels, metric="cosine")
        if score > best[1] + 1e-12:
            best = (k, score, labels)
    return best[0], best[2]


def _k_of(vectors: np.ndarray, seed: int) -> int:
    n = len(vectors)
    if n <= WARD_MAX_UNITS:
        return ward_cut(vectors)[0]
    return ward_cut(vectors[np.sort(np.random.default_rng(seed).choice(n, WARD_MAX_UNITS, replace=False))])[0]


def units_cluster(vectors: np.ndarray, seed: int, k_from: np.ndarray | None = None) -> np.ndarray:
    """Cluster labels; the number of themes from ``k_from``'s silhouette when given, else from ``vectors``'.

    A sentence encoder's vectors are dense and all alike in one direction, and
    their silhouette peaks at two clusters whatever the texts say (measured on
    both MOE sets), so with an encoder the k comes from the lexical vectors and
    the tree from the encoder's.
    """
    from scipy.cluster.hierarchy import fcluster, linkage

    n = len(vectors)
    if n < 2 * MIN_THEME_SIZE:
        return np.zeros(n, dtype=int)
    if k_from is None and n <= WARD_MAX_UNITS:
        return ward_cut(vectors)[1]
    k = _k_of(vectors if k_from is None else k_from, seed)
    if k <= 1:
        return np.zeros(n, dtype=int)
    if n <= WARD_MAX_UNITS:
        return fcluster(linkage(vectors, method="ward"), k, criterion="maxclust")
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(vectors)
