"""Cold-start topic scores from the taxonomy text alone.

A document scores against a label by how well its content words match the
label's words, either exactly or through GiNZA's static vectors (so 町会
matches 自治会). Label words used by many labels weigh less.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from nlp.pipeline import content_words, get_vectors, vector_row

# Cosine below this counts as unrelated; above it the match grows linearly.
SIMILARITY_FLOOR = 0.45
NAME_WEIGHT = 3.0
KEYWORD_WEIGHT = 2.0
DESCRIPTION_WEIGHT = 1.0


@dataclass(frozen=True)
class Label:
    id: str
    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join([self.name, self.description, *self.keywords])


@dataclass
class ZeroShotScorer:
    """Score token lists against labels; fit once per taxonomy."""

    labels: list[Label]
    _exact: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _soft: dict[int, np.ndarray] = field(default_factory=dict, repr=False)
    _term_rows: np.ndarray | None = field(default=None, repr=False)
    _term_weights: np.ndarray | None = field(default=None, repr=False)
    _word_index: dict[str, int] = field(default_factory=dict, repr=False)
    _word_rows: list[np.ndarray] = field(default_factory=list, repr=False)
    _table: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self):
        weights = self._label_term_weights()
        terms = sorted({t for w in weights for t in w})
        matrix = np.zeros((len(terms), len(self.labels)), dtype=np.float32)
        for k, label_weights in enumerate(weights):
            for term, weight in label_weights.items():
                matrix[terms.index(term), k] = weight
        self._exact = {t: matrix[i] for i, t in enumerate(terms)}
        rows = np.array([vector_row(t) for t in terms])
        keep = rows >= 0
        self._term_rows, self._term_weights = rows[keep], matrix[keep]
        self._table = np.zeros((0, len(self.labels)), dtype=np.float32)

    def _label_term_weights(self) -> list[dict[str, float]]:
        counts = []
        for label in self.labels:
            c: Counter[str] = Counter()
            for part, weight in (
                (label.name, NAME_WEIGHT),
                (label.description, DESCRIPTION_WEIGHT),
                (" ".join(label.keywords), KEYWORD_WEIGHT),
            ):
                for norm in set(content_words(part)):
                    c[norm] += weight
            counts.append(c)
        df = Counter(t for c in counts for t in c)
        n = len(self.labels)
        return [{t: w * math.log(1 + n / df[t]) for t, w in c.items()} for c in counts]

    def _soft_rows(self, rows: set[int]) -> None:
        """Cache each vector row's best similarity-weighted match per label."""
        missing = [r for r in rows if r >= 0 and r not in self._soft]
        vectors = get_vectors()
        if not missing or vectors is None or not len(self._term_rows):
            return
        table = vectors.data
        norms = np.linalg.norm(table[self._term_rows], axis=1) + 1e-9
        terms = table[self._term_rows] / norms[:, None]
        queries = table[missing]
        queries = queries / (np.linalg.norm(queries, axis=1)[:, None] + 1e-9)
        sim = queries @ terms.T
        sim = np.clip((sim - SIMILARITY_FLOOR) / (1 - SIMILARITY_FLOOR), 0, 1)
        best = (sim[:, :, None] * self._term_weights[None, :, :]).max(axis=1)
        for r, scores in zip(missing, best, strict=True):
            self._soft[r] = scores

    def _word_matrix(self, words: set[str]) -> np.ndarray:
        """Return the word-by-label match table, extended to cover words."""
        new = [w for w in words if w not in self._word_index]
        if new:
            self._soft_rows({vector_row(w) for w in new})
            zero = np.zeros(len(self.labels), dtype=np.float32)
            for word in new:
                match = self._exact.get(word)
                if match is None:
                    match = self._soft.get(vector_row(word), zero)
                self._word_index[word] = len(self._word_rows)
                self._word_rows.append(match)
            self._table = np.vstack(self._word_rows)
        return self._table

    def scores(self, docs_words: list[list[str]]) -> np.ndarray:
        """Return an (n_docs, n_labels) matrix of raw match scores.

        Each word counts 1 + log(its count in the document); the sum over
        the document's words is scaled down by the square root of its size.
        """
        table = self._word_matrix({w for words in docs_words for w in words})
        index = self._word_index
        columns = np.fromiter((index[w] for words in docs_words for w in words), dtype=np.int64)
        indptr = np.cumsum([0] + [len(words) for words in docs_words])
        counts = sparse.csr_matrix((np.ones(len(columns)), columns, indptr), shape=(len(docs_words), len(table)))
        counts.sum_duplicates()  # One entry per distinct word, holding its count.
        counts.data = 1 + np.log(counts.data)
        totals = np.asarray(counts.sum(axis=1)).ravel()
        return (counts @ table) / np.sqrt(totals + 1.0)[:, None]
