"""公開抽選 that anyone can re-run: the order follows from the seed and the list of 受付番号 alone.

The candidates are sorted by 受付番号 first, so the order they were read
from the database does not matter; then Python's Mersenne Twister, seeded
with the seed text (a str seed is hashed with SHA-512, the same on every
platform and Python 3 version), shuffles them. Publishing the seed and the
受付番号 lets an applicant or an auditor reproduce the draw with::

    import random; c = sorted(numbers); random.Random(seed).shuffle(c)
"""

import random
import secrets

SEED_BYTES = 8


def seed_new() -> str:
    """A fresh seed, when the secretariat does not supply one (e.g. read off dice at a public draw)."""
    return secrets.token_hex(SEED_BYTES)


def lottery_order(*, seed: str, receipt_numbers: list[str]) -> list[str]:
    """The draw: every candidate's 受付番号, first drawn first."""
    candidates = sorted(receipt_numbers)
    random.Random(seed).shuffle(candidates)
    return candidates
