"""Our own trained NER (``python -m nlp train-ner``), used by ``find_pii``.

Where the model comes from, in order:

1. ``KOE_NER_MODEL``: a directory written by ``train-ner``; ``0`` or an
   empty value switches the trained model off;
2. otherwise ``$KOE_NLP_MODEL_DIR/ner`` (default ``var/nlp-models/ner``
   under the project, git-ignored) when that directory exists.

Without either, ``get_model()`` is None and personal-data search behaves
exactly as without this module. The model is loaded once per process.

The model runs on Sudachi tokens ``find_pii`` already has (see
``ner_train.make_doc``), only on the sentences around *candidate* tokens
(see ``pii.ner._model_candidates``): running it on every token of a long
comment would cost several times the whole analysis pass.
"""

from __future__ import annotations

import os
import time
from functools import lru_cache
from pathlib import Path

from nlp.pipeline import Token

_SENTENCE_ENDS = frozenset("。！？!?\n")
# Tokens of context each side of a candidate, within its sentence.
CONTEXT_TOKENS = 12


# Resolved once: find_pii asks for the model on every text.
_PROJECT_DIR = Path(__file__).resolve().parents[1]


def default_model_dir() -> Path:
    base = os.environ.get("KOE_NLP_MODEL_DIR") or _PROJECT_DIR / "var" / "nlp-models"
    return Path(base) / "ner"


def model_path() -> Path | None:
    """The configured model directory, or None (see the module docstring)."""
    value = os.environ.get("KOE_NER_MODEL")
    if value is not None:
        return None if value.strip() in ("", "0") else Path(value)
    path = default_model_dir()
    return path if (path / "meta.json").is_file() else None


@lru_cache(maxsize=8)
def load(path: str):
    """Load a trained pipeline once per process (only its ``ner``)."""
    import spacy

    return spacy.load(path)


# find_pii asks on every text; the answer is looked up again at most this often
# (a model trained into the default directory is picked up within a minute).
_RECHECK_SECONDS = 60.0
_found: dict = {}


def get_model():
    key = (os.environ.get("KOE_NER_MODEL"), os.environ.get("KOE_NLP_MODEL_DIR"))
    now = time.monotonic()
    hit = _found.get(key)
    if hit is None or now - hit[0] > _RECHECK_SECONDS:
        _found.clear()
        hit = _found[key] = (now, model_path())
    path = hit[1]
    return None if path is None else load(str(path))


def _window(tokens: list[Token], n: int, context: int) -> tuple[int, int]:
    lo = n
    while lo > 0 and n - lo < context and tokens[lo - 1].surface not in _SENTENCE_ENDS:
        lo -= 1
    hi = n + 1
    while hi < len(tokens) and hi - n <= context and tokens[hi - 1].surface not in _SENTENCE_ENDS:
        hi += 1
    return lo, hi


def windows(tokens: list[Token], candidates: list[int] | None, context: int = CONTEXT_TOKENS):
    """Token windows around candidates, merged when they overlap (None: whole text)."""
    if candidates is None:
        return [(0, len(tokens))] if tokens else []
    out: list[tuple[int, int]] = []
    for n in candidates:
        lo, hi = _window(tokens, n, context)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out


def entities(model, tokens: list[Token], candidates: list[int] | None) -> list[tuple[int, int, str]]:
    """(first, end, label) token spans the model finds in the candidate windows."""
    from nlp.ner_train import make_doc

    ner = model.get_pipe("ner")
    found = []
    for lo, hi in windows(tokens, candidates):
        doc = ner(make_doc(model.vocab, tokens[lo:hi]))
        found += [(e.start + lo, e.end + lo, e.label_) for e in doc.ents]
    return found
