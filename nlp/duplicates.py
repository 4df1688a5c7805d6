"""Campaign and near-duplicate grouping without all-pairs comparison.

Texts are first folded to a matching key (NFKC, case, no punctuation or
spaces) and grouped exactly. The distinct keys are then MinHashed over
character 3-grams and bucketed by LSH bands; only pairs sharing a bucket are
verified, so the cost grows roughly linearly with the number of texts.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from .normalize import matching_key

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


def shingles(key: str) -> np.ndarray:
    """Return the distinct hashed character 3-grams of a matching key."""
    codes = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < 3:
        codes = np.concatenate([codes, np.zeros(3 - len(codes), dtype=np.uint64)])
    grams = (codes[:-2] * np.uint64(1_000_003) + codes[1:-1]) * np.uint64(1_000_033) + codes[2:]
    return np.unique(grams & _MASK32)


def _signatures(keys: Sequence[str]) -> np.ndarray:
    sig = np.empty((len(keys), NUM_PERM), dtype=np.uint64)
    start = 0
    while start < len(keys):
        batch, size = [], 0
        while start + len(batch) < len(keys) and (size < CHUNK_SHINGLES or not batch):
            batch.append(shingles(keys[start + len(batch)]))
            size += len(batch[-1])
        flat = np.concatenate(batch)
        offsets = np.cumsum([0] + [len(b) for b in batch[:-1]])
        for p in range(NUM_PERM):
            hashed = (flat * _A[p] + _B[p]) >> np.uint64(32)
            sig[start:start + len(batch), p] = np.minimum.reduceat(hashed, offsets)
        start += len(batch)
    return sig


def _candidate_pairs(sig: np.ndarray):
    """Yield (head, member) index pairs that share an LSH bucket."""
    for band in range(BANDS):
        block = sig[:, band * ROWS:(band + 1) * ROWS]
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


def _similar(a: str, b: str, sig_a: np.ndarray, sig_b: np.ndarray) -> bool:
    estimate = float((sig_a == sig_b).mean())
    if estimate >= JACCARD_THRESHOLD + 0.15:
        return True
    if estimate < 0.15:
        return False
    sa, sb = shingles(a), shingles(b)
    inter = len(np.intersect1d(sa, sb, assume_unique=True))
    jaccard = inter / (len(sa) + len(sb) - inter)
    return jaccard >= JACCARD_THRESHOLD or inter / min(len(sa), len(sb)) >= CONTAINMENT_THRESHOLD


def group_keys(keys: Sequence[str]) -> list[int]:
    """Return a group id per distinct matching key (near-duplicates share)."""
    sig = _signatures(keys)
    groups = _UnionFind(len(keys))
    for a, b in _candidate_pairs(sig):
        if groups.find(a) != groups.find(b) and _similar(keys[a], keys[b], sig[a], sig[b]):
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
