"""Time-critical lifecycle work has its own queue, so analysis never delays it."""

from django.conf import settings

from config.celery_app import app

LIFECYCLE = "consultations.tasks.consultation_advance_lifecycle_task"


def _queue(task_name: str) -> str:
    route = app.amqp.router.route({}, task_name)
    return route["queue"].name


def test_lifecycle_task_is_routed_to_the_lifecycle_queue():
    assert settings.KOE_LIFECYCLE_QUEUE == "lifecycle"
    assert _queue(LIFECYCLE) == "lifecycle"


def test_analysis_tasks_stay_on_the_default_queue():
    for name in (
        "nlp.tasks.duplicate_groups_refresh_task",
        "nlp.tasks.analysis_batch_task",
        "nlp.tasks.analysis_sweep_task",
    ):
        assert _queue(name) == settings.CELERY_TASK_DEFAULT_QUEUE


def test_the_beat_entry_names_the_routed_task():
    assert settings.CELERY_BEAT_SCHEDULE["consultations-advance-lifecycle"]["task"] == LIFECYCLE


def _consumed(command: list[str]) -> set[str]:
    return set(command[command.index("-Q") + 1].split(","))


def test_make_run_starts_workers_for_both_queues():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "run.py"
    spec = importlib.util.spec_from_file_location("koe_run_script", path)
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    commands = run.worker_commands({})
    assert set().union(*map(_consumed, commands)) == {"celery", "lifecycle"}
    # The lifecycle worker does not share a process with analysis.
    assert any(_consumed(c) == {"lifecycle"} for c in commands)
    assert sum("--beat" in c for c in commands) == 1


def test_docker_compose_workers_consume_both_queues():
    import shlex
    from pathlib import Path

    import yaml

    compose = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())
    workers = [shlex.split(s["command"]) for s in compose["services"].values() if " worker" in s.get("command", "")]
    assert set().union(*map(_consumed, workers)) == {"celery", "lifecycle"}
    assert any(_consumed(c) == {"lifecycle"} for c in workers)
