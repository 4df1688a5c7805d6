"""``python -m nlp`` follows the command-line contract."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlp.cli import main

DATA = Path(__file__).resolve().parent / "data"


def _jsonl(path: Path, rows: list) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
        encoding="utf-8",
    )
    return path


def test_malformed_line_is_reported_with_its_number_and_no_traceback(tmp_path):
    bad = tmp_path / "in.jsonl"
    bad.write_text(
        '{"id": "1", "text": "賛成です"}\n\n{"id": "2", "text": 壊れた}\n',
        encoding="utf-8",
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "nlp",
            "duplicates",
            "--input",
            str(bad),
            "--output",
            str(tmp_path / "o.json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert f"{bad}:3: invalid JSON" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('["not", "an", "object"]', ":1: expected a JSON object"),
        ('{"id": "1"}', ":1: missing field(s): text"),
        ('{"id": "1", "text": 5}', ':1: "text" must be a string'),
    ],
)
def test_invalid_records_are_explained(tmp_path, capsys, line, message):
    path = tmp_path / "in.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    assert main(["pii", "--input", str(path), "--output", str(tmp_path / "o.jsonl")]) == 2
    assert message in capsys.readouterr().err


def test_pii_writes_character_offsets(tmp_path):
    text = "電話：０９０－１２３４－５６７８、mail: a@example.jp"
    src = _jsonl(tmp_path / "in.jsonl", [{"id": 7, "text": text}])
    assert main(["pii", "--input", str(src), "--output", str(tmp_path / "o.jsonl")]) == 0
    out = json.loads((tmp_path / "o.jsonl").read_text(encoding="utf-8"))
    assert out["id"] == 7
    assert [(text[s["start"] : s["end"]], s["type"]) for s in out["spans"]] == [
        ("０９０－１２３４－５６７８", "phone"),
        ("a@example.jp", "email"),
    ]


def test_duplicates_lists_only_groups_of_two_or_more(tmp_path):
    rows = [
        {"id": "a", "text": "公園に遊具を増やしてください。"},
        {"id": "b", "text": "こんにちは。公園に遊具を増やしてください！"},
        {"id": "c", "text": "バスの本数を増やしてほしい。"},
    ]
    src = _jsonl(tmp_path / "in.jsonl", rows)
    assert main(["duplicates", "--input", str(src), "--output", str(tmp_path / "g.json")]) == 0
    assert json.loads((tmp_path / "g.json").read_text(encoding="utf-8")) == {"groups": [["a", "b"]]}


def test_evaluate_reports_the_contract_fields(tmp_path):
    test = _jsonl(
        tmp_path / "test.jsonl",
        [
            {"id": "1", "text": "町会の加入率を上げたい", "label": "VI-1"},
            {"id": "2", "text": "保育所が足りない", "label": "I-1"},
        ],
    )
    train = _jsonl(
        tmp_path / "train.jsonl",
        [
            {"id": "3", "text": "自治会の役員が高齢化している", "label": "VI-1"},
            {"id": "4", "text": "学童保育を増やして", "label": "I-1"},
        ],
    )
    for extra in ([], ["--train", str(train)]):
        out = tmp_path / "r.json"
        argv = [
            "evaluate",
            "--taxonomy",
            str(DATA / "taxonomy.json"),
            "--test",
            str(test),
            "--output",
            str(out),
        ]
        assert main(argv + extra) == 0
        report = json.loads(out.read_text(encoding="utf-8"))
        assert report["accuracy"] == 1.0
        assert report["n_test"] == 2
        assert set(report) >= {
            "accuracy",
            "macro_f1",
            "per_label",
            "n_test",
            "docs_per_second",
        }


def test_evaluate_rejects_labels_missing_from_the_taxonomy(tmp_path, capsys):
    test = _jsonl(tmp_path / "test.jsonl", [{"id": "1", "text": "x", "label": "NOPE"}])
    argv = [
        "evaluate",
        "--taxonomy",
        str(DATA / "taxonomy.json"),
        "--test",
        str(test),
        "--output",
        str(tmp_path / "r.json"),
    ]
    assert main(argv) == 2
    assert "unknown label 'NOPE'" in capsys.readouterr().err
