"""The services the benchmark needs, on loopback only: PostgreSQL and (if installed) Redis.

PostgreSQL: ``BENCH_DATABASE_URL`` if set; otherwise the local server (started, and
installed from Debian when we are root, by ``start_postgres.sh``, the steps of
``.ci/run``), in a database of its own, ``policycomms_bench``. No other database is
ever touched: the harness only creates, and with ``--fresh`` drops, that one.
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

HERE = Path(__file__).resolve().parent
BENCH_DB = "policycomms_bench"
LOCAL_ROLE = "postgres://policycomms:policycomms@127.0.0.1:{port}/{db}"


def _can_connect(url):
    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def _with_db(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def database_url(fresh=False, log=print):
    """The URL of the benchmark's database, created if missing (dropped first if ``fresh``)."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        if fresh:
            log("--fresh with BENCH_DATABASE_URL: tables are emptied by the data step instead")
        return url
    url = None
    for port in (5432,):
        candidate = LOCAL_ROLE.format(port=port, db="postgres")
        if _can_connect(candidate):
            url = candidate
            break
    if url is None:
        if os.geteuid() != 0:
            raise SystemExit(
                "No PostgreSQL answers on 127.0.0.1:5432 and we are not root to start one: "
                "set BENCH_DATABASE_URL=postgres://user:password@127.0.0.1:5432/dbname"
            )
        log("Starting a local PostgreSQL (Debian packages, loopback only)")
        out = subprocess.run(
            ["bash", str(HERE / "start_postgres.sh")],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        port = int(out.strip().splitlines()[-1])
        url = LOCAL_ROLE.format(port=port, db="postgres")
        for _ in range(30):
            if _can_connect(url):
                break
            time.sleep(1)
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone()
        if exists and fresh:
            log(f"Dropping {BENCH_DB} (--fresh)")
            conn.execute(f'DROP DATABASE "{BENCH_DB}" WITH (FORCE)')
            exists = None
        if not exists:
            log(f"Creating database {BENCH_DB}")
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return _with_db(url, BENCH_DB)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.2)
    return False


def _install_redis_server(log):
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    log("Installing redis-server from Debian")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=False, env=env, stdout=subprocess.DEVNULL)
    done = subprocess.run(
        ["apt-get", "install", "-y", "-q", "redis-server"],
        check=False,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return done.returncode == 0


class Redis:
    """Our own redis-server on a free loopback port, no persistence; stopped by ``stop()``."""

    def __init__(self, log=print):
        self.process = None
        self.url = None
        self.log = log

    def start(self):
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(binary).exists() and _install_redis_server(self.log):
            binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(binary).exists():
            self.log("redis-server is not installed: the database cache is used instead")
            return None
        try:
            import redis  # noqa: F401 (Django's RedisCache needs the client)
        except ImportError:
            self.log("The redis client is not installed: the database cache is used instead")
            return None
        port = free_port()
        self.process = subprocess.Popen(  # noqa: S603
            [
                binary,
                "--bind", "127.0.0.1",
                "--port", str(port),
                "--save", "",
                "--appendonly", "no",
                "--protected-mode", "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if not wait_for_port(port, 10):
            self.stop()
            self.log("redis-server did not start: the database cache is used instead")
            return None
        self.url = f"redis://127.0.0.1:{port}/0"
        return self.url

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None
