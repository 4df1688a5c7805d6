"""Themes nobody planned for: group a set of texts into opinion themes, on this machine (#14).

Django-free. The steps, each chosen so a run is deterministic for a given
input and seed and needs nothing but the CPU:

1. 同趣旨 first: near-identical texts (``nlp.duplicates``) become one *unit*
   whose size is shown; a campaign of 300 copies is one point in the
   clustering and one vote in a label, so it can neither pose as many
   themes nor drown one.
2. Each unit is a vector of word TF-IDF (Sudachi normalised content words)
   beside character 2–3-gram TF-IDF, reduced by truncated SVD and
   L2-normalised (cosine geometry).
3. One Ward tree, cut at each k from 2 to √n units, keeping the cut with the
   best cosine silhouette: the number of themes comes from the data. A cluster
   smaller than ``min_size`` units is noise and reported as unassigned
   rather than forced into a theme. Above ``WARD_MAX_UNITS`` units the
   same k is chosen on a sample and k-means assigns everyone.
4. A large set (``SUBTHEME_MIN_UNITS``) gets a second level: each big theme
   is split the same way into sub-themes (``parent`` is the theme).
5. Labels are c-TF-IDF-style: the noun compounds (``nlp.keyphrases``) a
   theme's units use more than the rest do, counted once per unit; the
   label is the top one or two, the key phrases the top five — only
   phrases that occur in the members' own text, never an invented sentence.
   Representatives are the units nearest the theme's centre.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np

from nlp.duplicates import group_keys
from nlp.keyphrases import noun_phrases
from nlp.normalize import matching_key
from nlp.pii.spans import MASKS
from nlp.pipeline import content_norms, tokenize_many

THEMES_VERSION = "themes-1"
MIN_THEME_SIZE = 2  # units (a campaign counts once)
SVD_DIMS = 30
WARD_MAX_UNITS = 2500
SUBTHEME_MIN_UNITS = 200
SUBTHEME_SPLIT_MIN = 12  # a theme of at least this many units may get sub-themes
KEY_PHRASES = 5
REPRESENTATIVES = 3
TOKENIZE_CHUNK = 500  # texts per progress report while tokenising (the longest step)

# progress(stage, fraction of the whole run done): the worker shows it on the page.
Progress = Callable[[str, float], None]
STAGE_UNITS = "同趣旨の判定"
STAGE_TOKENIZE = "文章の解析"
STAGE_CLUSTER = "テーマの決定"
STAGE_LABEL = "見出しと代表意見の選定"


def _silent(_stage: str, _fraction: float) -> None:
    return None


@dataclass
class Theme:
    id: int
    label: str
    key_phrases: list[str]
    members: list[Hashable]
    representatives: list[Hashable]
    parent: int | None = None
    units: int = 0  # distinct texts (a campaign once)
    campaign_copies: int = 0  # members beyond the first of each 同趣旨 group

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "key_phrases": self.key_phrases,
            "members": self.members,
            "representatives": self.representatives,
            "parent": self.parent,
            "size": len(self.members),
            "units": self.units,
            "campaign_copies": self.campaign_copies,
        }


@dataclass
class ThemeResult:
    themes: list[Theme] = field(default_factory=list)
    unassigned: list[Hashable] = field(default_factory=list)
    model_version: str = THEMES_VERSION
    # id → (x, y) in [0, 1]² for a map: the first two principal components of
    # the vectors; the copies of a 同趣旨 group share their unit's point. Not part
    # of the CLI's JSON contract.
    coordinates: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "themes": [t.as_json() for t in self.themes],
            "unassigned": self.unassigned,
            "model_version": self.model_version,
        }


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
class _Unit:
    ids: list[Hashable]
    text: str
    words: list[str]
    phrases: set[str]


def _units(items: Sequence[tuple[Hashable, str]], progress: Progress = _silent) -> tuple[list[_Unit], list[Hashable]]:
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
            _Unit(
                ids=ids, text=items[members[0]][1], words=words, phrases={p for p in noun_phrases(toks) if _unmasked(p)}
            )
        )
    return units, unassigned


def _vectors(units: list[_Unit], seed: int) -> np.ndarray:
    from scipy.sparse import hstack
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

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


def _ward_labels(vectors: np.ndarray) -> tuple[int, np.ndarray]:
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


def _cluster(vectors: np.ndarray, seed: int) -> np.ndarray:
    n = len(vectors)
    if n < 2 * MIN_THEME_SIZE:
        return np.zeros(n, dtype=int)
    if n <= WARD_MAX_UNITS:
        return _ward_labels(vectors)[1]
    from sklearn.cluster import KMeans

    sample = np.sort(np.random.default_rng(seed).choice(n, WARD_MAX_UNITS, replace=False))
    k = _ward_labels(vectors[sample])[0]
    return KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(vectors) if k > 1 else np.zeros(n, dtype=int)


def _label(units: list[_Unit], members: list[int], document_frequency: Counter, n_groups: float) -> list[str]:
    """c-TF-IDF: phrases this theme's units use, weighted by how rare they are elsewhere."""
    counts: Counter[str] = Counter()
    for index in members:
        counts.update(units[index].phrases)
    scored = []
    for phrase, count in counts.items():
        if count < 2 and len(members) > 2:
            continue  # one unit's phrase does not name a theme
        idf = math.log(1 + n_groups / document_frequency[phrase])
        specificity = 1 + min(len(phrase), 8) / 8
        scored.append((-(count / len(members)) * idf * specificity, phrase))
    scored.sort()
    return [phrase for _score, phrase in scored[:KEY_PHRASES]]


def _representatives(vectors: np.ndarray, members: list[int], units: list[_Unit]) -> list[Hashable]:
    centre = vectors[members].mean(axis=0)
    nearest = sorted(members, key=lambda i: (-float(vectors[i] @ centre), i))
    return [units[i].ids[0] for i in nearest[:REPRESENTATIVES]]


def _themes_of(labels: np.ndarray, members: list[int]) -> tuple[list[list[int]], list[int]]:
    groups: dict[int, list[int]] = {}
    for index, label in zip(members, labels, strict=True):
        groups.setdefault(int(label), []).append(index)
    kept = [g for g in groups.values() if len(g) >= MIN_THEME_SIZE]
    noise = [i for g in groups.values() if len(g) < MIN_THEME_SIZE for i in g]
    # Most units first, ties by first unit: the ids are stable for one input.
    kept.sort(key=lambda g: (-len(g), g[0]))
    return kept, noise


def themes_build(
    items: Sequence[tuple[Hashable, str]], *, seed: int = 0, progress: Progress | None = None
) -> ThemeResult:
    """Themes of ``(id, text)`` items (pass masked text: labels are drawn from it)."""
    progress = progress or _silent
    result = ThemeResult()
    units, result.unassigned = _units(items, progress)
    if len(units) < MIN_THEME_SIZE:
        result.unassigned.extend(i for u in units for i in u.ids)
        return result
    progress(STAGE_CLUSTER, 0.75)
    vectors = _vectors(units, seed)
    top, noise = _themes_of(_cluster(vectors, seed), list(range(len(units))))
    levels: list[tuple[list[int], int | None]] = []
    next_id = 0
    for members in top:
        theme_id = next_id
        next_id += 1
        levels.append((members, None))
        if len(units) >= SUBTHEME_MIN_UNITS and len(members) >= SUBTHEME_SPLIT_MIN:
            subs, _sub_noise = _themes_of(_cluster(vectors[members], seed), members)
            if len(subs) > 1:
                for sub in subs:
                    levels.append((sub, theme_id))
                    next_id += 1
    progress(STAGE_LABEL, 0.9)
    document_frequency: Counter[str] = Counter()
    for members, parent in levels:
        if parent is None:
            phrases = set().union(*(units[i].phrases for i in members))
            document_frequency.update(phrases)
    n_groups = max(1, sum(1 for _m, parent in levels if parent is None))
    for theme_id, (members, parent) in enumerate(levels):
        phrases = _label(units, members, document_frequency, n_groups)
        ids = [i for index in members for i in units[index].ids]
        result.themes.append(
            Theme(
                id=theme_id,
                label="・".join(phrases[:2]) if phrases else units[members[0]].text[:20],
                key_phrases=phrases,
                members=ids,
                representatives=_representatives(vectors, members, units),
                parent=parent,
                units=len(members),
                campaign_copies=len(ids) - len(members),
            )
        )
    result.unassigned.extend(i for index in noise for i in units[index].ids)
    result.coordinates = _coordinates(vectors, units)
    return result


def _coordinates(vectors: np.ndarray, units: list[_Unit]) -> dict:
    centred = vectors - vectors.mean(axis=0)
    # SVD of the centred vectors = PCA; the sign of each axis fixed so the map is stable.
    _u, _s, axes = np.linalg.svd(centred, full_matrices=False)
    axes = axes[:2] * np.sign(axes[:2, :1] + 1e-12)
    points = centred @ axes.T if axes.shape[0] == 2 else np.zeros((len(units), 2))
    low, high = points.min(axis=0), points.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    scaled = (points - low) / span
    return {
        i: (round(float(x), 4), round(float(y), 4))
        for (x, y), unit in zip(scaled, units, strict=True)
        for i in unit.ids
    }
