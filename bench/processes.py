"""Real processes for the load bench and the fault tests (tests/faults/).

A private Redis and a private PostgreSQL cluster on free loopback ports, so a
test may stop, kill or restart them without touching the machine's own
services; gunicorn, Celery workers and beat as subprocesses running the
production settings (``bench.settings``). Every process starts in its own
session, so stopping it ends its children (gunicorn's and Celery's pools)
too, and nothing else.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path(os.environ.get("KOE_PG_BIN", "/usr/lib/postgresql/15/bin"))
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def port_answers(port: int, host: str = LOOPBACK) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(predicate, *, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"{what}: not ready within {timeout:.0f} s")


def missing_binaries() -> str | None:
    """Why the private services cannot be started here, or None."""
    if not shutil.which("redis-server"):
        return "redis-server が見つからないためスキップ"
    if not (PG_BIN / "initdb").exists():
        return f"PostgreSQL のサーバープログラム（{PG_BIN}/initdb）が見つからないためスキップ"
    return None


class Process:
    """A subprocess in its own session, logging to a file."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        *,
        env: dict | None = None,
        log_dir: Path,
        user: str | None = None,
        ready_marker: str | None = None,
    ):
        self.name = name
        self.ready_marker = ready_marker
        self.argv = argv
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.user = user
        self.proc: subprocess.Popen | None = None

    def start(self) -> Process:
        log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop)
        argv = ["runuser", "-u", self.user, "--", *self.argv] if self.user else self.argv
        self.proc = subprocess.Popen(
            argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._log = log
        return self

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_ready(self, timeout: float = 180.0) -> Process:
        """Until the log shows the ready marker; raise with the log's tail if the process exits first."""
        if self.proc is None:  # stopped on purpose
            return self
        if self.ready_marker:
            wait_until(
                lambda: self.ready_marker in self.log_text() or not self.alive(), timeout=timeout, what=self.name
            )
        if not self.alive():
            raise RuntimeError(f"{self.name} exited:\n{self.log_text()[-3000:]}")
        return self

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def signal_group(self, sig: int) -> None:
        if self.alive():
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                pass

    def stop(self, *, timeout: float = 20.0, sig: int = signal.SIGTERM) -> None:
        if self.proc is None:
            return
        self.signal_group(sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal_group(signal.SIGKILL)
            self.proc.wait(timeout=10)
        # The group's other members (pool children) go with their leader.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._log.close()
        self.proc = None


class RedisServer:
    """redis-server on a free port, no persistence: a stop loses every queued task."""

    def __init__(self, workdir: Path, port: int | None = None):
        self.workdir = workdir
        self.port = port or free_port()
        self.process: Process | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://{LOOPBACK}:{self.port}/{db}"

    def start(self) -> RedisServer:
        argv = ["redis-server", "--port", str(self.port), "--bind", LOOPBACK, "--save", "", "--appendonly", "no"]
        argv += ["--dir", str(self.workdir)]
        self.process = Process(f"redis-{self.port}", argv, log_dir=self.workdir).start()
        wait_until(self.ping, timeout=10, what="redis-server")
        return self

    def ping(self) -> bool:
        try:
            with socket.create_connection((LOOPBACK, self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process:
            self.process.stop()
            self.process = None
        wait_until(lambda: not port_answers(self.port), timeout=10, what="redis-server stop")


class PostgresCluster:
    """A throw-away PostgreSQL cluster (initdb in a temp dir, trust on loopback)."""

    def __init__(self, workdir: Path, port: int | None = None):
        self.workdir = workdir
        self.data = workdir / "pgdata"
        self.port = port or free_port()
        self.user = "postgres" if os.geteuid() == 0 else None

    def url(self, name: str) -> str:
        return f"postgres://postgres@{LOOPBACK}:{self.port}/{name}"

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        full = ["runuser", "-u", self.user, "--", *argv] if self.user else list(argv)
        return subprocess.run(full, cwd="/", check=check, capture_output=True, text=True)

    def init(self) -> PostgresCluster:
        if self.user:
            shutil.chown(self.workdir, self.user)
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        return self

    def start(self) -> PostgresCluster:
        options = f"-p {self.port} -k {self.workdir} -c listen_addresses={LOOPBACK} -c fsync=off -c max_connections=200"
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.workdir / "pg.log"),
            "-w",
            "start",
        )
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def restart(self) -> None:
        self.stop()
        self.start()

    def create_database(self, name: str, template: str | None = None) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)


def queue_names(prefix: str) -> dict[str, str]:
    """The Celery queues of one stack (default, lifecycle and mail, analysis, themes), under a private prefix."""
    return {
        "default": prefix,
        "lifecycle": f"{prefix}-lifecycle",
        "analysis": f"{prefix}-analysis",
        "themes": f"{prefix}-themes",
    }


def app_env(*, database_url: str, redis_url: str, queue: str = "celery", **extra: str) -> dict:
    """Environment of a web or worker process under the production settings.

    ``queue`` prefixes every Celery queue name, so a stack never takes or
    leaves work on another's queues even on a shared Redis.
    """
    queues = queue_names(queue)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "KOE_", "CELERY_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",
            "DJANGO_ALLOWED_HOSTS": LOOPBACK,
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "KOE_CELERY_QUEUE": queues["default"],
            "KOE_CELERY_LIFECYCLE_QUEUE": queues["lifecycle"],
            "KOE_CELERY_ANALYSIS_QUEUE": queues["analysis"],
            "KOE_CELERY_THEMES_QUEUE": queues["themes"],
            # The TLS terminator in front of gunicorn is this machine.
            "KOE_TRUSTED_PROXIES": LOOPBACK,
            "KOE_NER_MODEL": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict, timeout: float = 300) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def tls_certificate(workdir: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (gunicorn serving HTTPS itself, for a browser)."""
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={LOOPBACK}"]
        + ["-addext", f"subjectAltName=IP:{LOOPBACK}", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def gunicorn(
    *,
    env: dict,
    log_dir: Path,
    port: int | None = None,
    workers: int = 5,
    name: str = "gunicorn",
    preload: bool = False,
    tls: tuple[Path, Path] | None = None,
):
    """Start gunicorn on a free port; return (process, port) once it answers.

    ``preload`` loads the application (and ``bench.wsgi`` its URL conf) once
    in the master, so workers start warm; ``tls`` is a (certificate, key)
    pair for HTTPS without a terminator in front.
    """
    port = port or free_port()
    app = "bench.wsgi:application" if preload else "config.wsgi:application"
    argv = [sys.executable, "-m", "gunicorn", app, "--bind", f"{LOOPBACK}:{port}"]
    argv += ["--workers", str(workers), "--timeout", "30", "--graceful-timeout", "5", "--backlog", "2048"]
    if preload:
        argv += ["--preload"]
    if tls:
        argv += ["--certfile", str(tls[0]), "--keyfile", str(tls[1])]
    process = Process(name, argv, env=env, log_dir=log_dir).start()
    try:
        wait_until(lambda: port_answers(port) or not process.alive(), timeout=60, what="gunicorn")
    finally:
        if not process.alive():
            raise RuntimeError(f"gunicorn exited:\n{process.log_text()[-3000:]}")
    return process, port


def celery_worker(
    *,
    env: dict,
    log_dir: Path,
    queues: list[str],
    name: str,
    concurrency: int = 1,
    beat_schedule: Path | None = None,
    wait: bool = True,
    nice: int = 0,
) -> Process:
    """Start ``celery worker`` (with ``--beat`` when a schedule file is given).

    Returns once it is ready, or at once with ``wait=False`` (then call
    ``process.wait_ready()``), so several processes can start side by side.
    """
    argv = [sys.executable, "-m", "celery", "-A", "config.celery_app", "worker", "-Q", ",".join(queues)]
    argv += [f"--concurrency={concurrency}", "--pool=prefork", "--loglevel=INFO", "--without-mingle"]
    argv += ["--without-gossip", "-n", f"{name}@%h"]
    if beat_schedule:
        argv += ["--beat", "--schedule", str(beat_schedule)]
    if nice:
        argv = ["nice", "-n", str(nice), *argv]
    process = Process(name, argv, env=env, log_dir=log_dir, ready_marker=" ready.").start()
    if wait:
        process.wait_ready()
    return process


def celery_beat(*, env: dict, log_dir: Path, schedule: Path, name: str = "beat", wait: bool = True) -> Process:
    argv = [sys.executable, "-m", "celery", "-A", "config.celery_app", "beat", "--loglevel=INFO"]
    argv += ["--schedule", str(schedule)]
    process = Process(name, argv, env=env, log_dir=log_dir, ready_marker="beat: Starting").start()
    if wait:
        process.wait_ready()
    return process


def pool_children(pid: int) -> list[int]:
    """The prefork pool processes of a Celery worker (direct children of its main process)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def make_workdir(prefix: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path
