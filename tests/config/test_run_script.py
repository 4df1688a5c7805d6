"""`make run` without REDIS_URL: a Redis database and queues of the checkout's own."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_module():
    spec = importlib.util.spec_from_file_location("koe_run_script", ROOT / "scripts" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_checkouts_get_different_queues_and_the_same_checkout_the_same(tmp_path):
    run = _run_module()
    one, other = tmp_path / "a" / "koe", tmp_path / "b" / "koe"
    one.mkdir(parents=True)
    other.mkdir(parents=True)
    first, again, second = run.checkout_redis({}, one), run.checkout_redis({}, one), run.checkout_redis({}, other)
    assert first == again
    assert first["KOE_CELERY_ANALYSIS_QUEUE"] != second["KOE_CELERY_ANALYSIS_QUEUE"]
    for chosen in (first, second):
        database = int(chosen["REDIS_URL"].rsplit("/", 1)[1])
        assert 1 <= database <= 14  # never 0 (everyone's default) nor 15 (the tests')
        assert chosen["KOE_CELERY_LIFECYCLE_QUEUE"].endswith("-lifecycle")


def test_queue_names_given_in_the_environment_win(tmp_path):
    chosen = _run_module().checkout_redis({"KOE_CELERY_THEMES_QUEUE": "mine"}, tmp_path)
    assert chosen["KOE_CELERY_THEMES_QUEUE"] == "mine"
