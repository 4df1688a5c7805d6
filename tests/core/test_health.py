"""/healthz: database, broker, each queue's worker heartbeat and beat, as JSON 200/503."""

import json
import time
from http import HTTPStatus
from unittest import mock

import pytest
from celery import current_app
from celery.beat import PersistentScheduler
from django.core.cache import cache
from django.core.management import CommandError, call_command

from core.beat import HeartbeatScheduler
from core.health import BEAT_KEY, heartbeat_key
from core.heartbeat import worker_heartbeat_task
from tests.support.outage import broker_unreachable

pytestmark = pytest.mark.django_db
QUEUES = ("lifecycle", "analysis", "themes")


@pytest.fixture
def with_broker(monkeypatch):
    """Tasks go through a broker (not in-process), so workers and beat are checked."""
    monkeypatch.setattr("core.health.check_broker", lambda: {"status": "ok"})
    saved = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    yield
    current_app.conf.task_always_eager = saved


def _stamp(key, age):
    cache.set(key, time.time() - age, 3600)


def _all_alive():
    for queue in QUEUES:
        _stamp(heartbeat_key(queue), 5)
    _stamp(BEAT_KEY, 5)


def test_healthz_answers_200_with_every_check_and_nothing_else(client):
    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "worker", "beat"}
    assert all(check["status"] == "ok" for check in body["checks"].values())


def test_all_workers_and_beat_alive_is_200(client, with_broker):
    _all_alive()
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert set(body["checks"]["worker"]["queues"]) == set(QUEUES)
    assert body["checks"]["beat"]["age_seconds"] < 60


def test_a_queue_without_a_fresh_heartbeat_is_503_naming_the_queue(client, settings, with_broker):
    settings.KOE_HEARTBEAT_MAX_AGE = 300
    _all_alive()
    _stamp(heartbeat_key("analysis"), 301)

    response = client.get("/healthz")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    body = response.json()
    assert body["status"] == "fail"
    queues = body["checks"]["worker"]["queues"]
    assert queues["analysis"]["status"] == "fail" and queues["analysis"]["age_seconds"] >= 301
    assert queues["lifecycle"]["status"] == "ok"
    # A load balancer asks only for the database, and web stays in.
    assert client.get("/healthz?check=database").status_code == HTTPStatus.OK


def test_a_queue_never_heard_of_and_a_stopped_beat_fail(client, settings, with_broker):
    settings.KOE_BEAT_MAX_AGE = 120
    _stamp(heartbeat_key("lifecycle"), 5)
    _stamp(heartbeat_key("analysis"), 5)
    _stamp(BEAT_KEY, 121)

    body = client.get("/healthz").json()

    assert body["checks"]["worker"]["queues"]["themes"] == {"status": "fail", "error": "no heartbeat"}
    assert body["checks"]["beat"]["status"] == "fail"


def test_the_heartbeat_task_and_beats_tick_write_the_stamps(client, with_broker):
    for queue in QUEUES:
        worker_heartbeat_task.apply(args=[queue])  # as the worker of that queue runs it
    scheduler = HeartbeatScheduler.__new__(HeartbeatScheduler)
    with mock.patch.object(PersistentScheduler, "tick", return_value=7.5):
        assert scheduler.tick() == 7.5

    assert client.get("/healthz").json()["status"] == "ok"


def test_an_unreachable_broker_is_503_quickly_and_without_its_address(client):
    with broker_unreachable():
        started = time.monotonic()
        response = client.get("/healthz?check=broker")
        elapsed = time.monotonic() - started

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    broker = response.json()["checks"]["broker"]
    assert broker["status"] == "fail" and broker["error"]
    assert "127.0.0.1" not in response.content.decode()
    assert elapsed < 3


def test_a_database_failure_is_503(client):
    with mock.patch("core.health.connection.cursor", side_effect=RuntimeError("down")):
        response = client.get("/healthz?check=database")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response.json()["checks"]["database"] == {"status": "fail", "error": "RuntimeError"}


def test_healthz_is_exempt_from_the_https_redirect(client, settings):
    """Container health checks speak plain HTTP to gunicorn under production settings."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK, response.content
    assert client.get("/privacy/").status_code == HTTPStatus.MOVED_PERMANENTLY


def test_unknown_checks_are_refused_in_japanese(client):
    response = client.get("/healthz?check=everything")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "いずれかを指定してください" in response.json()["detail"]
    assert client.get("/healthz?check=worker&queue=nope").status_code == HTTPStatus.BAD_REQUEST


def test_healthcheck_command_prints_the_report_and_fails_with_exit_code_1(capsys, with_broker):
    _stamp(heartbeat_key("analysis"), 5)
    call_command("healthcheck", check=["worker"], queue=["analysis"])
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "ok" and list(report["checks"]["worker"]["queues"]) == ["analysis"]

    with pytest.raises(CommandError) as failed:
        call_command("healthcheck", check=["worker"], queue=["themes"])
    assert failed.value.returncode == 1
