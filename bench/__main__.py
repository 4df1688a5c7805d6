"""Run every ``bench/*_bench.py`` module's ``run(shared_dir)``.

Usage: ``python -m bench [SHARED_DIR]`` (default: ``../shared`` next to the
repository). Each module prints its own figures.

``python -m bench load [--json OUT] [--quick]`` runs the load bench alone
(``bench/load_bench.py``) and exits non-zero when a target is missed.
"""

import importlib
import sys
from pathlib import Path

from threadpoolctl import threadpool_limits


def main(argv: list[str]) -> int:
    if argv and argv[0] == "load":
        from bench import load_bench

        return load_bench.main(argv[1:])
    shared = Path(argv[0]) if argv else Path(__file__).resolve().parents[1] / ".." / "shared"
    shared = shared if shared.exists() else None
    # One BLAS thread, as in the workers (config.celery_app): extra threads
    # spin on the CPU and inflate every CPU-time figure; the topic bench ran
    # about twice as fast with one.
    threadpool_limits(limits=1)
    failed = []
    for path in sorted(Path(__file__).parent.glob("*_bench.py")):
        module = importlib.import_module(f"bench.{path.stem}")
        print(f"== {path.stem} ==", flush=True)
        try:
            module.run(shared)
        except Exception as exc:  # One broken bench must not hide the others.
            print(f"{path.stem} failed: {exc!r}", file=sys.stderr)
            failed.append(path.stem)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
