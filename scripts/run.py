"""`make run`: migrate, load demo data, start a worker and serve :8000.

Uses DATABASE_URL/REDIS_URL when set. Without REDIS_URL it looks for a Redis
on 127.0.0.1:6379 and takes a database and queue names of this checkout's own
(derived from its path), so two checkouts on one machine never share a queue;
with no Redis, tasks run in-process. It says which.
"""

import hashlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def redis_answers(host="127.0.0.1", port=6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def manage(*args, env):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def worker_queues(env) -> dict[str, str]:
    """The queue names, as config.settings.resilience reads them."""
    return {
        "default": env.get("KOE_CELERY_QUEUE") or "celery",
        "lifecycle": env.get("KOE_CELERY_LIFECYCLE_QUEUE") or "lifecycle",
        "analysis": env.get("KOE_CELERY_ANALYSIS_QUEUE") or "analysis",
        "themes": env.get("KOE_CELERY_THEMES_QUEUE") or "themes",
    }


def worker_commands(env) -> list[list[str]]:
    """Two workers, enough for a laptop: the lifecycle queue (opening/closing
    consultations on time, receipts and other mail) with beat, and one for
    analysis, themes (regrouping, dashboards, tallies) and the default queue,
    so an analysis backlog never delays an opening, a closing or a receipt.
    Production runs one service per queue (docker-compose.yml)."""
    queues = worker_queues(env)
    celery = [
        PY,
        "-m",
        "celery",
        "-A",
        "config.celery_app",
        "worker",
        "--loglevel=INFO",
        "--concurrency=1",
    ]
    work = ",".join([queues["analysis"], queues["themes"], queues["default"]])
    return [
        [*celery, "-Q", work, "-n", f"{queues['analysis']}@%h"],
        [
            *celery,
            "-Q",
            queues["lifecycle"],
            "-n",
            f"{queues['lifecycle']}@%h",
            "--beat",
            "--schedule",
            str(ROOT / "var" / "celerybeat-schedule"),
        ],
    ]


QUEUE_SETTINGS = (
    "KOE_CELERY_QUEUE",
    "KOE_CELERY_LIFECYCLE_QUEUE",
    "KOE_CELERY_ANALYSIS_QUEUE",
    "KOE_CELERY_THEMES_QUEUE",
)
QUEUE_DEFAULTS = dict(zip(QUEUE_SETTINGS, ("celery", "lifecycle", "analysis", "themes"), strict=True))


def checkout_redis(env: dict, root: Path) -> dict:
    """Redis settings of this checkout when REDIS_URL is not given.

    Database 1–14 (0 is every program's default; the test suite uses 15) and
    queue names prefixed with a hash of the checkout's path: the same every
    run of one checkout, different for another. Settings already in ``env`` win.
    """
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()
    database = 1 + int(digest, 16) % 14
    chosen = {"REDIS_URL": f"redis://127.0.0.1:6379/{database}"}
    for name, default in QUEUE_DEFAULTS.items():
        chosen[name] = env.get(name) or f"koe-{digest[:8]}-{default}"
    return chosen


def main() -> int:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if not env.get("REDIS_URL") and redis_answers():
        env.update(checkout_redis(env, ROOT))
        print(
            f"REDIS_URL が未設定のため、このチェックアウト専用の Redis データベースとキューを使います："
            f"{env['REDIS_URL']}、キュー {env['KOE_CELERY_ANALYSIS_QUEUE']} ほか"
        )
    print("データベース:", env.get("DATABASE_URL") or f"SQLite ({ROOT / 'db.sqlite3'})")
    manage("migrate", "--noinput", env=env)
    manage("createcachetable", env=env)
    manage("load_demo", env=env)
    children = []
    if env.get("REDIS_URL"):
        print(
            "Redis:",
            env["REDIS_URL"],
            "— Celery ワーカー（解析・集計用と、開始終了・メール用）と beat を起動します。",
        )
        (ROOT / "var").mkdir(exist_ok=True)
        children.extend(subprocess.Popen(cmd, cwd=ROOT, env=env) for cmd in worker_commands(env))
    else:
        print("Redis が見つかりません。バックグラウンド処理はウェブサーバーのプロセス内で実行します。")
    print("http://127.0.0.1:8000/ で起動します（終了は Ctrl+C）。")
    server = subprocess.Popen(
        [PY, "manage.py", "runserver", "127.0.0.1:8000", "--noreload"],
        cwd=ROOT,
        env=env,
    )
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for proc in [server, *children]:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in [server, *children]:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    sys.exit(main())
