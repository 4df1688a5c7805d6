"""Campaign and near-duplicate grouping without all-pairs comparison.

Texts are first folded to a matching key (NFKC, case, no punctuation or
spaces) and grouped exactly. The distinct keys are then MinHashed over
character 3-grams and bucketed by LSH bands; only pairs sharing a bucket are
verified, so the cost grows roughly linearly with the number of texts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Sequence

import numpy as np

from nlp.normalize import matching_key

NUM_PERM = 64
BANDS = 16  # 16 bands x 4 rows: pairs at Jaccard 0.5 collide with p ~ 0.65.
ROWS = NUM_PERM // BANDS
JACCARD_THRESHOLD = 0.5
# Added greetings or a dropped sentence lower Jaccard but keep one text
# almost inside the other, so containment is the second test.
CONTAINMENT_THRESHOLD = 0.8
CHUNK_SHINGLES = 2_000_000
_MASK32 = np.uint64(0xFFFFFFFF)
_rng = np.random.default_rng(20260501)
_A = _rng.integers(1, 2**63, NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
_BAND_MIX = _rng.integers(1, 2**63, ROWS, dtype=np.uint64) | np.uint64(1)


def _gram_hashes(codes: np.ndarray) -> np.ndarray:
    grams = (codes[:-2] * np.uint64(1_000_003) + codes[1:-1]) * np.uint64(1_000_033) + codes[2:]
    return grams & _MASK32


# "surrogatepass" so a lone surrogate in a key is one code unit like any other
# character instead of a UnicodeEncodeError (matching_key drops them, but
# shingles and group_keys are public and take any str).
def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _padded(key: str) -> str:
    return key if len(key) >= 3 else key + "\0" * (3 - len(key))


def shingles(key: str) -> np.ndarray:
    """Return the distinct hashed character 3-grams of a matching key."""
    codes = _code_points(_padded(key))
    return np.unique(_gram_hashes(codes.astype(np.uint64)))


def _batch_grams(keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hash the 3-grams of many keys at once; return grams and doc offsets.

    Keys are concatenated so numpy does one pass; grams that straddle two
    keys are dropped. Repeated grams are kept: they do not change a min.
    """
    padded = [_padded(k) for k in keys]
    lengths = np.fromiter((len(k) for k in padded), dtype=np.int64, count=len(padded))
    codes = _code_points("".join(padded))
    grams = _gram_hashes(codes.astype(np.uint64))
    doc_of = np.repeat(np.arange(len(padded)), lengths)
    grams = grams[doc_of[:-2] == doc_of[2:]]
    offsets = np.concatenate([[0], np.cumsum(lengths - 2)[:-1]])
    return grams, offsets


def _signatures(keys: Sequence[str]) -> np.ndarray:
    sig = np.empty((len(keys), NUM_PERM), dtype=np.uint64)
    start = 0
    while start < len(keys):
        stop, size = start, 0
        while stop < len(keys) and (size < CHUNK_SHINGLES or stop == start):
            size += len(keys[stop])
            stop += 1
        grams, offsets = _batch_grams(keys[start:stop])
        for p in range(NUM_PERM):
            hashed = (grams * _A[p] + _B[p]) >> np.uint64(32)
            sig[start:stop, p] = np.minimum.reduceat(hashed, offsets)
        start = stop
    return sig


def _candidate_pairs(sig: np.ndarray):
    """Yield (head, member) index pairs that share an LSH bucket."""
    for band in range(BANDS):
        block = sig[:, band * ROWS : (band + 1) * ROWS]
        keys = (block * _BAND_MIX).sum(axis=1)  # Wraps mod 2**64 on purpose.
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        same = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1]) + 1
        if not len(same):
            continue
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        head_of = starts[np.searchsorted(starts, same, side="right") - 1]
        yield from zip(order[head_of].tolist(), order[same].tolist(), strict=True)


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _gram_set(key: str, cache: dict[str, frozenset]) -> frozenset:
    grams = cache.get(key)
    if grams is None:
        padded = _padded(key)
        grams = cache[key] = frozenset(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def _similar(a: str, b: str, sig_a: np.ndarray, sig_b: np.ndarray, cache: dict) -> bool:
    estimate = np.count_nonzero(sig_a == sig_b) / NUM_PERM
    if estimate >= JACCARD_THRESHOLD + 0.15:
        return True
    if estimate < 0.15:
        return False
    sa, sb = _gram_set(a, cache), _gram_set(b, cache)
    inter = len(sa & sb)
    jaccard = inter / (len(sa) + len(sb) - inter)
    return jaccard >= JACCARD_THRESHOLD or inter / min(len(sa), len(sb)) >= CONTAINMENT_THRESHOLD


def group_keys(keys: Sequence[str]) -> list[int]:
    """Return a group id per distinct matching key (near-duplicates share)."""
    sig = _signatures(keys)
    groups = _UnionFind(len(keys))
    cache: dict[str, frozenset] = {}
    for a, b in _candidate_pairs(sig):
        if groups.find(a) != groups.find(b) and _similar(keys[a], keys[b], sig[a], sig[b], cache):
            groups.union(a, b)
    return [groups.find(i) for i in range(len(keys))]


def group_duplicates(items: Sequence[tuple[Hashable, str]]) -> list[list[Hashable]]:
    """Group ``(id, text)`` pairs; return only groups of two or more ids."""
    key_index: dict[str, int] = {}
    doc_key = [key_index.setdefault(matching_key(text), len(key_index)) for _, text in items]
    group_of_key = group_keys(list(key_index))
    members: dict[int, list[Hashable]] = {}
    for (item_id, _), k in zip(items, doc_key, strict=True):
        members.setdefault(group_of_key[k], []).append(item_id)
    return [ids for ids in members.values() if len(ids) > 1]


def consultation_group_key(consultation_id: int, duplicate_key: str) -> str:
    """Scope a text's duplicate key to one consultation (a 同趣旨 group key).

    The same text sent to two cases (or to a case and a 市長への手紙) must
    never share a group: each case's page and counts stay its own.
    """
    return hashlib.sha256(f"{consultation_id}:{duplicate_key}".encode()).hexdigest()
