"""NLP fixtures: the taxonomy used across tests and the shared-data path."""

import json
import os
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
# Real development data lives beside the repository, never inside it.
SHARED = Path(os.environ.get("KOE_SHARED_DIR", Path(__file__).resolve().parents[2] / ".." / "shared"))


@pytest.fixture(scope="session")
def taxonomy() -> dict:
    return json.loads((DATA / "taxonomy.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip(f"{path} がないためスキップ（実データは ../shared にのみ置く）")
    return path
