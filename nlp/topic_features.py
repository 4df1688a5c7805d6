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

import re

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


def word_features(words: list[str]) -> list[str]:
    """Content words plus their static-vector rows as ``~row`` features."""
    return words + [f"~{r}" for r in map(vector_row, words) if r >= 0]


def mean_vectors(docs_words: list[list[str]]) -> np.ndarray:
    """Return unit-length mean static vectors, zeros for a document without any."""
    vectors = get_vectors()
    width = vectors.data.shape[1] if vectors is not None else 1
    out = np.zeros((len(docs_words), width), dtype=np.float32)
    if vectors is None:
        return out
    for i, words in enumerate(docs_words):
        rows = [r for r in map(vector_row, words) if r >= 0]
        if rows:
            mean = vectors.data[rows].mean(axis=0)
            out[i] = mean / (np.linalg.norm(mean) + 1e-9)
    return out


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


class CharGrams:
    """Sublinear TF-IDF of character 1-3-grams (smooth idf, l2 rows), as
    ``TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)``
    computes it; n-grams unseen in training are ignored."""

    def __init__(self):
        self.keys = np.zeros(0, dtype=np.uint64)  # Sorted n-gram keys seen in training.
        self.idf = np.zeros(0)

    def _counts(self, texts, keys: np.ndarray):
        indptr, indices, data = [0], [], []
        for text in texts:
            found, counts = np.unique(_char_gram_keys(text), return_counts=True)
            at = np.searchsorted(keys, found)
            known = at < len(keys)
            known[known] = keys[at[known]] == found[known]
            indices.append(at[known])
            data.append(counts[known])
            indptr.append(indptr[-1] + int(known.sum()))
        return sparse.csr_matrix(
            (
                np.concatenate(data).astype(np.float64) if data else np.zeros(0),
                np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64),
                indptr,
            ),
            shape=(len(texts), len(keys)),
        )

    def fit_transform(self, texts):
        self.keys = np.unique(np.concatenate([_char_gram_keys(t) for t in texts] or [np.zeros(0, dtype=np.uint64)]))
        counts = self._counts(texts, self.keys)
        df = np.bincount(counts.indices, minlength=len(self.keys))
        self.idf = np.log((1 + len(texts)) / (1 + df)) + 1
        return self._weigh(counts)

    def transform(self, texts):
        return self._weigh(self._counts(texts, self.keys))

    def _weigh(self, counts):
        counts.data = (1 + np.log(counts.data)) * self.idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        return sparse.diags(1 / norms) @ counts


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
        return sparse.hstack(
            [
                self.words.transform([word_features(w) for w in docs_words]),
                self.chars.transform(texts),
            ]
        ).tocsr()


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
