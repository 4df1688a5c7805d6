"""Django-free analysis entry point (filled in by the NLP engine work)."""

import hashlib
import unicodedata
from dataclasses import dataclass

MODEL_VERSION = "normalize-0"


@dataclass(frozen=True)
class TextAnalysis:
    normalized_text: str
    masked_text: str
    duplicate_key: str


def analyze_texts(texts: list[str]) -> list[TextAnalysis]:
    results = []
    for text in texts:
        normalized = " ".join(unicodedata.normalize("NFKC", text).split())
        key = hashlib.sha256(normalized.encode("utf-8")).hexdigest()
        results.append(TextAnalysis(normalized, text, key))
    return results
