"""Find and mask personal data, with character offsets into the original.

The package by subdomain:

- ``patterns``: e-mail, phone, postcode, マイナンバー, address and birth date
  (regular expressions over an NFKC copy, mapped back to the original);
- ``names``, ``kanji_names``, ``lexicon``: person names from Sudachi's 人名
  tags plus honorifics, titles and role words;
- ``ner``: the NER second opinion on names the rules left alone;
- ``spans``: the span type and the placeholders (``placeholder_spans`` finds
  them left in a text).

Place names alone are not personal data; ``nlp.places`` measures them.
"""

from __future__ import annotations

from nlp import ner_cascade, ner_model
from nlp.pii.names import contact_names, name_spans
from nlp.pii.ner import cascade_spans, model_spans
from nlp.pii.patterns import PLACEHOLDER, contact_spans, mynumber_valid, pattern_spans, placeholder_spans
from nlp.pii.scan import scan_tokens
from nlp.pii.spans import MASKS, PiiSpan
from nlp.pipeline import Token, tokenize

__all__ = [
    "MASKS",
    "PLACEHOLDER",
    "PiiSpan",
    "contact_spans",
    "find_pii",
    "mask",
    "mynumber_valid",
    "pattern_spans",
    "placeholder_spans",
]


def find_pii(
    text: str,
    tokens: list[Token] | None = None,
    cascade: bool | None = None,
    model=None,
    full_model: bool = False,
) -> list[PiiSpan]:
    """Return non-overlapping personal-data spans, ordered by position.

    ``cascade`` (default ``ner_cascade.ENABLED``) asks GiNZA's NER about the
    names the rules are unsure of; see ``ner_cascade``. ``model`` is a
    pipeline trained by ``python -m nlp train-ner`` (default: the one
    ``ner_model.get_model()`` finds; ``False``: none). Its PERSON spans are
    added where nothing else was found; it runs on windows around candidate
    tokens, or on the whole text with ``full_model``.
    """
    tokens = tokens if tokens is not None else tokenize(text)
    candidates = pattern_spans(text)
    contact_ends = {s.end for s in candidates if s.type in ("phone", "email")}
    if contact_ends:
        candidates += contact_names(tokens, contact_ends)
    scan = scan_tokens(tokens)
    candidates += name_spans(tokens, scan)
    # Patterns come first, so they win over name guesses; an interval map
    # of taken characters keeps long texts linear.
    taken = bytearray(len(text) + 1)
    chosen = []
    for span in candidates:
        if not any(taken[span.start : span.end]):
            taken[span.start : span.end] = b"\x01" * (span.end - span.start)
            chosen.append(span)
    model = ner_model.get_model() if model is None else None if model is False else model
    if model is not None:
        for span in model_spans(model, tokens, taken, full_model):
            if not any(taken[span.start : span.end]):
                taken[span.start : span.end] = b"\x01" * (span.end - span.start)
                chosen.append(span)
    if cascade if cascade is not None else ner_cascade.ENABLED:
        for span in cascade_spans(tokens, taken, scan):
            if not any(taken[span.start : span.end]):
                taken[span.start : span.end] = b"\x01" * (span.end - span.start)
                chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def mask(text: str, spans: list[PiiSpan], placeholder: str | None = None) -> str:
    """Replace each span with its type's placeholder (or the one given); keep the rest."""
    out, last = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        out.append(text[last : span.start])
        out.append(MASKS[span.type] if placeholder is None else placeholder)
        last = span.end
    out.append(text[last:])
    return "".join(out)
