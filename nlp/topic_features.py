"""Features and member models of the trained topic classifier.

Three views of a document are scored separately and fused (nlp.classify):

- words: TF-IDF over Sudachi normalised content words, plus each word's
  static-vector row (GiNZA maps near-synonyms to one row, so 町会 and 自治会
  count as one feature), and character 1-3-grams within words, which carry
  compounds and spellings Sudachi splits differently (hashed with numpy,
  CharGrams). A class-balanced linear
  SVM scores this view: it is the strong baseline of issue #11 itself.
- meaning: the mean of the words' static vectors, scored by a class-balanced
  logistic regression. It generalises across synonyms that never occurred in
  training, which is where the sparse view fails on small topics.
- an optional sentence encoder's embedding (nlp.encoder), scored the same way.

Class weights are balanced because the queue's small topics are the ones a
department would miss (macro-F1 is what they feel).
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from nlp.pipeline import get_vectors, vector_row

SVM_C = 0.5
DENSE_C = 10.0


def _identity(doc):
    return doc


@lru_cache(maxsize=200_000)
def _row_feature(word: str) -> str | None:
    row = vector_row(word)
    return f"~{row}" if row >= 0 else None


def word_features(words: list[str]) -> list[str]:
    """Content words plus their static-vector rows as ``~row`` features."""
    return words + [f for f in map(_row_feature, words) if f is not None]


def mean_vectors(docs_words: list[list[str]]) -> np.ndarray:
    """Return unit-length mean static vectors, zeros for a document without any."""
    vectors = get_vectors()
    width = vectors.data.shape[1] if vectors is not None else 1
    if vectors is None:
        return np.zeros((len(docs_words), width), dtype=np.float32)
    # One sparse document-by-row count matrix times the table: the mean of
    # every document in one product instead of a numpy call per document.
    rows = [[r for r in map(vector_row, words) if r >= 0] for words in docs_words]
    indptr = np.cumsum([0] + [len(r) for r in rows])
    counts = sparse.csr_matrix(
        (np.ones(indptr[-1], dtype=np.float32), np.fromiter(itertools.chain.from_iterable(rows), np.int64), indptr),
        shape=(len(docs_words), vectors.data.shape[0]),
    )
    sums = np.asarray(counts @ vectors.data, dtype=np.float32)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return sums / np.where(norms > 0, norms, 1)


# Character n-grams are hashed from code points with numpy: scikit-learn's
# char analyzer spent 0.28 s of CPU per 482 comments counting them in
# Python, a quarter of the whole analysis pass.
_CODE_POINTS = 1 << 21  # Every code point is below this, so 1-, 2- and
# 3-grams packed as base-2^21 numbers cannot collide (no text holds NUL).
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing spreads the packed values.


_WHITE_SPACES = re.compile(r"\s\s+")


def _char_gram_keys(text: str) -> np.ndarray:
    text = _WHITE_SPACES.sub(" ", text)  # A line break is one space, as in scikit-learn.
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    grams = [points]
    if len(points) >= 2:
        grams.append(points[:-1] * _CODE_POINTS + points[1:])
    if len(points) >= 3:
        grams.append((points[:-2] * _CODE_POINTS + points[1:-1]) * _CODE_POINTS + points[2:])
    with np.errstate(over="ignore"):
        return np.concatenate(grams) * _MIX


class KeyTable:
    """Open-addressing hash table from n-gram key to column, looked up with numpy.

    The keys are already Fibonacci-hashed, so their top bits are the slot;
    at most a quarter of the slots are filled, so a lookup probes about once.
    Looking up a batch's million n-grams this way costs a third of a binary
    search in the sorted keys (their order is random, so every step misses
    the CPU caches).
    """

    def __init__(self, keys: np.ndarray):
        self.keys = keys
        bits = max(4, int(np.ceil(np.log2(max(len(keys), 1)))) + 2)
        self.shift = np.uint64(64 - bits)
        self.mask = (1 << bits) - 1
        self.slots = np.full(1 << bits, -1, dtype=np.int64)
        pos = (keys >> self.shift).astype(np.int64)
        pending = np.arange(len(keys))
        while len(pending):  # Each round places, per free slot, the first key that wants it.
            wanted = pos[pending]
            free = self.slots[wanted] == -1
            slots, first = np.unique(wanted[free], return_index=True)
            winners = pending[free][first]
            self.slots[slots] = winners
            placed = np.zeros(len(keys), dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            pos[pending] = (pos[pending] + 1) & self.mask

    def find(self, grams: np.ndarray) -> np.ndarray:
        """Return each n-gram's column, -1 for one unseen in training."""
        pos = (grams >> self.shift).astype(np.int64)
        out = np.full(len(grams), -1, dtype=np.int64)
        active = np.arange(len(grams) if len(self.keys) else 0)
        while len(active):
            column = self.slots[pos[active]]
            filled = column >= 0
            hit = filled & (self.keys[column] == grams[active])
            out[active[hit]] = column[hit]
            active = active[filled & ~hit]
            pos[active] = (pos[active] + 1) & self.mask
        return out


class CharGrams:
    """Sublinear TF-IDF of character 1-3-grams (smooth idf, l2 rows), as
    ``TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)``
    computes it; n-grams unseen in training are ignored."""

    def __init__(self):
        self.keys = np.zeros(0, dtype=np.uint64)  # Sorted n-gram keys seen in training.
        self.idf = np.zeros(0)

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("table", None)  # Rebuilt on first use (a few ms); keeps the pickle small.
        return state

    def _table(self) -> KeyTable:
        table = self.__dict__.get("table")
        if table is None or table.keys is not self.keys:
            table = self.__dict__["table"] = KeyTable(self.keys)
        return table

    def _counts(self, texts, keys: np.ndarray):
        # The whole batch at once: one lookup of every n-gram and one count
        # of every (document, column) pair, not numpy calls per document.
        grams = [_char_gram_keys(text) for text in texts]
        width = len(keys)
        if not width or not grams:
            return sparse.csr_matrix((len(texts), width))
        docs = np.repeat(np.arange(len(texts), dtype=np.int64), [len(g) for g in grams])
        columns = self._table().find(np.concatenate(grams))
        known = columns >= 0
        pairs, counts = np.unique(docs[known] * width + columns[known], return_counts=True)
        rows = pairs // width
        indptr = np.searchsorted(rows, np.arange(len(texts) + 1))
        return sparse.csr_matrix((counts.astype(np.float64), pairs % width, indptr), shape=(len(texts), width))

    def fit_transform(self, texts):
        self.keys = np.unique(np.concatenate([_char_gram_keys(t) for t in texts] or [np.zeros(0, dtype=np.uint64)]))
        counts = self._counts(texts, self.keys)
        df = np.bincount(counts.indices, minlength=len(self.keys))
        self.idf = np.log((1 + len(texts)) / (1 + df)) + 1
        return self._weigh(counts)

    def transform(self, texts):
        return self._weigh(self._counts(texts, self.keys))

    def _weigh(self, counts):
        return sublinear_tfidf(counts, self.idf)


def sublinear_tfidf(counts, idf: np.ndarray):
    """Weigh a count matrix as scikit-learn's sublinear TF-IDF does: (1 + log
    count) times idf, each row scaled to unit length."""
    counts.data = (1 + np.log(counts.data)) * idf[counts.indices]
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.diags(1 / norms) @ counts


def _word_counts(docs_features: list[list[str]], vocabulary: dict[str, int]):
    """Count matrix of the features a fitted vocabulary knows (the others are
    ignored, as in scikit-learn), one lookup per feature."""
    get = vocabulary.get
    rows = [[c for c in map(get, features) if c is not None] for features in docs_features]
    indptr = np.cumsum([0] + [len(r) for r in rows])
    counts = sparse.csr_matrix(
        (np.ones(indptr[-1]), np.fromiter(itertools.chain.from_iterable(rows), np.int64), indptr),
        shape=(len(docs_features), len(vocabulary)),
    )
    counts.sum_duplicates()
    return counts


class SparseView:
    """Word and character TF-IDF, fitted on the training documents."""

    def __init__(self):
        self.words = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
        self.chars = CharGrams()

    def fit_transform(self, docs_words, texts):
        return sparse.hstack(
            [
                self.words.fit_transform([word_features(w) for w in docs_words]),
                self.chars.fit_transform(texts),
            ]
        ).tocsr()

    def transform(self, docs_words, texts):
        # The word half is weighed here, not by TfidfVectorizer.transform:
        # its counting loop cost twice this one (same values; test).
        words = _word_counts([word_features(w) for w in docs_words], self.words.vocabulary_)
        return sparse.hstack([sublinear_tfidf(words, self.words.idf_), self.chars.transform(texts)]).tocsr()


def _columns(model_classes, ids: list[str]) -> list[int]:
    return [ids.index(c) for c in model_classes]


class SparseMember:
    """Linear SVM margins on the sparse view, one column per taxonomy label."""

    def __init__(self, ids: list[str]):
        self.ids = ids
        self.view = SparseView()
        self.model = LinearSVC(class_weight="balanced", C=SVM_C)

    def fit(self, docs_words, texts, y) -> SparseMember:
        self.model.fit(self.view.fit_transform(docs_words, texts), y)
        return self

    def scores(self, docs_words, texts) -> np.ndarray:
        margins = self.model.decision_function(self.view.transform(docs_words, texts))
        if margins.ndim == 1:  # Two classes: sklearn returns one column.
            margins = np.column_stack([-margins, margins])
        out = np.full((len(texts), len(self.ids)), -1.0)
        out[:, _columns(self.model.classes_, self.ids)] = margins
        return out


class DenseMember:
    """Log-probabilities of a balanced logistic regression on dense rows."""

    def __init__(self, ids: list[str]):
        self.ids = ids
        self.model = LogisticRegression(class_weight="balanced", C=DENSE_C, max_iter=3000)

    def fit(self, matrix: np.ndarray, y) -> DenseMember:
        self.model.fit(matrix, y)
        return self

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        out = np.full((len(matrix), len(self.ids)), np.log(1e-6))
        out[:, _columns(self.model.classes_, self.ids)] = self.model.predict_log_proba(matrix)
        return out
