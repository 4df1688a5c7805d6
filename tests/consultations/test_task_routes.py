"""Each kind of work has its own queue, so a surge of analysis never delays the lifecycle or mail."""

import importlib.util
import shlex
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from config.celery_app import app

ROOT = Path(__file__).resolve().parents[2]
LIFECYCLE = "consultations.tasks.consultation_advance_lifecycle_task"
PROJECT_APPS = (
    "core",
    "accounts",
    "plans",
    "consultations",
    "feedback",
    "nlp",
    "triage",
    "opinions",
    "letters",
    "results",
)

EXPECTED_QUEUES = {
    # Small and urgent: on time, and every mail a resident or 課 waits for.
    LIFECYCLE: "lifecycle",
    "feedback.tasks.submission_receipt_send_task": "lifecycle",
    "feedback.tasks.submission_receipts_sweep_task": "lifecycle",
    "letters.tasks.letter_reply_email_task": "lifecycle",
    "letters.tasks.letter_reminders_send_task": "lifecycle",
    "letters.tasks.letter_replies_sweep_task": "lifecycle",
    "core.heartbeat.worker_heartbeat_task": "lifecycle",
    # Analysis of submissions, and the CSV import that feeds it.
    "nlp.tasks.submission_analyze_task": "analysis",
    "nlp.tasks.analysis_batch_task": "analysis",
    "nlp.tasks.analysis_sweep_task": "analysis",
    "feedback.tasks.submission_import_run_task": "analysis",
    # Heavy recomputations.
    "nlp.tasks.duplicate_groups_refresh_task": "themes",
    "results.tasks.dashboard_stats_refresh_task": "themes",
    "results.tasks.survey_tallies_refresh_task": "themes",
    "results.tasks.survey_tallies_refresh_due_task": "themes",
    "results.tasks.indicator_values_compute_task": "themes",
}


def _queue(task_name: str) -> str:
    route = app.amqp.router.route({}, task_name)
    return route["queue"].name


@pytest.mark.parametrize(("task_name", "queue"), sorted(EXPECTED_QUEUES.items()))
def test_each_task_is_routed_to_its_queue(task_name, queue):
    assert _queue(task_name) == queue


def test_queue_names_come_from_settings():
    assert settings.KOE_LIFECYCLE_QUEUE == "lifecycle"
    assert settings.KOE_CELERY_QUEUES == ["lifecycle", "analysis", "themes"]


def test_every_task_of_the_project_has_a_route():
    """A new task cannot fall silently onto the default queue."""
    app.loader.import_default_modules()
    names = [name for name in app.tasks if name.split(".")[0] in PROJECT_APPS]
    assert set(EXPECTED_QUEUES) - {"feedback.tasks.submission_import_run_task"} <= set(names)
    unrouted = [name for name in names if _queue(name) == settings.CELERY_TASK_DEFAULT_QUEUE]
    assert unrouted == []


def test_the_beat_entry_names_the_routed_task():
    assert settings.CELERY_BEAT_SCHEDULE["consultations-advance-lifecycle"]["task"] == LIFECYCLE


def test_beat_sends_a_heartbeat_to_every_queue():
    heartbeats = {
        entry["options"]["queue"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "core.heartbeat.worker_heartbeat_task"
    }
    assert heartbeats == {"lifecycle", "analysis", "themes"}


def _consumed(command: list[str]) -> set[str]:
    return set(command[command.index("-Q") + 1].split(","))


def _run_script():
    spec = importlib.util.spec_from_file_location("koe_run_script", ROOT / "scripts" / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    return run


def test_make_run_starts_two_workers_for_every_queue():
    commands = _run_script().worker_commands({})
    assert len(commands) == 2
    assert set().union(*map(_consumed, commands)) == {"celery", "lifecycle", "analysis", "themes"}
    # The lifecycle worker does not share a process with analysis.
    assert any(_consumed(c) == {"lifecycle"} for c in commands)
    assert sum("--beat" in c for c in commands) == 1


def _compose_services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_docker_compose_runs_one_worker_service_per_queue():
    services = _compose_services()
    workers = {name: shlex.split(s["command"]) for name, s in services.items() if " worker" in s.get("command", "")}
    assert {name: _consumed(command) for name, command in workers.items()} == {
        "worker-lifecycle": {"lifecycle"},
        "worker-analysis": {"analysis", "celery"},
        "worker-themes": {"themes"},
    }
    # `--scale worker-analysis=N` needs no fixed container name or host port.
    assert "container_name" not in services["worker-analysis"]
    assert "ports" not in services["worker-analysis"]


def test_docker_compose_health_checks_use_healthz_and_heartbeats():
    services = _compose_services()
    web = " ".join(services["web"]["healthcheck"]["test"])
    assert "/healthz" in web and "Host" in web and "curl" not in web
    for name, queue in (
        ("worker-lifecycle", "lifecycle"),
        ("worker-analysis", "analysis"),
        ("worker-themes", "themes"),
    ):
        check = services[name]["healthcheck"]["test"]
        assert check[-4:] == ["--check", "worker", "--queue", queue], name
    assert services["beat"]["healthcheck"]["test"][-2:] == ["--check", "beat"]
