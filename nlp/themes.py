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
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np

from nlp.theme_vectors import (
    MIN_THEME_SIZE,
    STAGE_TOKENIZE,
    STAGE_UNITS,
    Progress,
    Unit,
    no_progress,
    units_cluster,
    units_collapse,
    units_embed,
)

__all__ = ["STAGE_TOKENIZE", "STAGE_UNITS", "Theme", "ThemeResult", "themes_build"]

THEMES_VERSION = "themes-1"
# With a sentence encoder the version names it: a run says which vectors it used.
ENCODER_VERSION = "themes-1+{encoder}"
SUBTHEME_MIN_UNITS = 200
SUBTHEME_SPLIT_MIN = 12  # a theme of at least this many units may get sub-themes
KEY_PHRASES = 5
REPRESENTATIVES = 3

STAGE_CLUSTER = "テーマの決定"
STAGE_LABEL = "見出しと代表意見の選定"


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


def _label(units: list[Unit], members: list[int], document_frequency: Counter, n_groups: float) -> list[str]:
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


def _representatives(vectors: np.ndarray, members: list[int], units: list[Unit]) -> list[Hashable]:
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
    items: Sequence[tuple[Hashable, str]],
    *,
    seed: int = 0,
    progress: Progress | None = None,
    encoder=None,
) -> ThemeResult:
    """Themes of ``(id, text)`` items (pass masked text: labels are drawn from it).

    ``encoder`` (``nlp.encoder.load_encoder``'s, with ``.name`` and ``.embed``)
    replaces the lexical vectors; labels stay the members' own phrases either way.
    """
    progress = progress or no_progress
    result = ThemeResult()
    if encoder is not None:
        result.model_version = ENCODER_VERSION.format(encoder=encoder.name)
    units, result.unassigned = units_collapse(items, progress)
    if len(units) < MIN_THEME_SIZE:
        result.unassigned.extend(i for u in units for i in u.ids)
        return result
    progress(STAGE_CLUSTER, 0.75)
    lexical = units_embed(units, seed)
    vectors = lexical if encoder is None else units_embed(units, seed, encoder.embed)
    k_from = None if encoder is None else lexical
    top, noise = _themes_of(units_cluster(vectors, seed, k_from), list(range(len(units))))
    levels: list[tuple[list[int], int | None]] = []
    next_id = 0
    for members in top:
        theme_id = next_id
        next_id += 1
        levels.append((members, None))
        if len(units) >= SUBTHEME_MIN_UNITS and len(members) >= SUBTHEME_SPLIT_MIN:
            sub_k_from = None if k_from is None else k_from[members]
            subs, _sub_noise = _themes_of(units_cluster(vectors[members], seed, sub_k_from), members)
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


def _coordinates(vectors: np.ndarray, units: list[Unit]) -> dict:
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
