"""The servers under test, each a subprocess on 127.0.0.1 at a free port, stopped in ``stop()``."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

LOGIN = "bench@example.com"
PASSWORD = "bench-password-42"
# davshare only: the second account, a member of the benchmark's group and a read sharee.
MEMBER_LOGIN = "member@example.com"
MEMBER_PASSWORD = "member-password-42"
THREADS = 8  # davshare's default [server] threads; Radicale and the floor get the same
SERVER_KINDS = (
    "radicale",
    "xandikos",
    "davshare-sqlite",
    "davshare-workers",
    "davshare-postgresql",
)
# davshare-workers: SQLite behind `davshare serve` with WORKERS gunicorn processes of
# WORKER_THREADS threads each (docs/deploy.md), the same cores as the others.
WORKERS = 2
WORKER_THREADS = 4
# What a server cannot take part in (workload and import keys of bench/runner.py). Xandikos
# takes no PUT of a whole collection (its book is completed in its store after the timed
# import, bench/xandikos_store.py, and it gets no calendars) and answers 423 Locked to
# concurrent writes into one collection (its git store's lock): no concurrent import.
CANNOT = {
    "radicale": frozenset({"group_and_sharing"}),  # it has no groups nor shares
    "xandikos": frozenset(
        {"collection_put", "import_4clients", "calendar_query_week", "group_and_sharing"}
    ),
}
_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_kib(pid: int) -> int | None:
    """VmHWM (peak resident set size, KiB) of a live process, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class ServerProcess:
    """One server: a command line, a temporary directory, a log file and a URL."""

    def __init__(self, name: str, command: list[str], workdir: Path, port: int) -> None:
        self.name = name
        self.command = command
        self.dir = workdir
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = workdir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> "ServerProcess":
        """Start the process and wait until it answers HTTP."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH", "")]))
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                self.command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.dir
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start:\n{self.log_tail()}")
            try:
                requests.options(self.url + "/", timeout=2)
                return self
            except (requests.ConnectionError, requests.Timeout):  # workers still booting
                time.sleep(0.1)
        self.stop()  # never left running behind the error
        raise RuntimeError(f"{self.name} did not answer within {timeout} s:\n{self.log_tail()}")

    def peak_rss_kib(self) -> int | None:
        """The process's peak resident memory so far."""
        return peak_rss_kib(self.process.pid) if self.process else None

    def log_tail(self, lines: int = 40) -> str:
        """The end of what the server printed."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the process (terminate, then kill); keeps the directory for its log."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)

    def cleanup(self) -> None:
        """Stop and remove the temporary directory."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def _predefined_collections() -> str:
    from davshare.server.config import PREDEFINED_COLLECTIONS

    return json.dumps(PREDEFINED_COLLECTIONS)


def radicale(log_level: str = "warning") -> ServerProcess:
    """Stock Radicale: multifilesystem storage, htpasswd (plain), owner_only, behind waitress."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-radicale-"))
    (workdir / "users").write_text(f"{LOGIN}:{PASSWORD}\n")
    (workdir / "radicale.conf").write_text(
        "\n".join(
            [
                "[auth]",
                "type = htpasswd",
                f"htpasswd_filename = {workdir / 'users'}",
                "htpasswd_encryption = plain",
                "[rights]",
                "type = owner_only",
                "[storage]",
                "type = multifilesystem",
                f"filesystem_folder = {workdir / 'collections'}",
                f"predefined_collections = {_predefined_collections()}",
                "[web]",
                "type = none",
                "[logging]",
                f"level = {log_level}",
                "mask_passwords = True",
                "",
            ]
        )
    )
    return _behind_waitress("radicale", workdir, "--config", str(workdir / "radicale.conf"))


def xandikos() -> ServerProcess:
    """Xandikos (its git-backed store, no sign-in) behind the same waitress setup, with the
    benchmark's account as its principal and davshare's collections at the same paths."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-xandikos-"))
    return _behind_waitress(
        "xandikos",
        workdir,
        "--directory",
        str(workdir / "data"),
        "--principal",
        f"/{LOGIN}/",
        "--collections",
        "contacts,calendar:c,tasks:c",
    )


def floor() -> ServerProcess:
    """A WSGI app answering 200 "ok" behind the same waitress setup: the per-request floor."""
    return _behind_waitress("floor", Path(tempfile.mkdtemp(prefix="bench-floor-")))


def _behind_waitress(app: str, workdir: Path, *options: str) -> ServerProcess:
    """``bench.wsgi_serve`` serving ``app`` with ``options``, on a free port, THREADS threads."""
    port = free_port()
    command = [sys.executable, "-m", "bench.wsgi_serve", app, *options]
    command += ["--port", str(port), "--threads", str(THREADS)]
    return ServerProcess(app, command, workdir, port)


def davshare(
    name: str,
    database_url: str | None = None,
    log_level: str = "warning",
    workers: int = 1,
    extra: str = "",
) -> ServerProcess:
    """``davshare serve`` on SQLite (``database_url`` None) or the given database, with the
    accounts; with ``workers`` processes of WORKER_THREADS threads when more than one;
    ``extra``: more lines of configuration (whole sections)."""
    from davshare.model import accounts
    from davshare.model.db import engine_for

    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    url = database_url or f"sqlite:///{workdir / 'data' / 'davshare.sqlite3'}"
    port = free_port()
    (workdir / "davshare.conf").write_text(
        "\n".join(
            [
                "[server]",
                f"port = {port}",
                f"threads = {THREADS if workers == 1 else WORKER_THREADS}",
                f"workers = {workers}",
                "max_body_size = 100000000",
                "[storage]",
                f"database_url = {url}",
                "[logging]",
                f"level = {log_level}",
                extra,
                "",
            ]
        )
    )
    engine = engine_for(url)
    accounts.add_domain(engine, LOGIN.split("@")[1])
    accounts.add_user(engine, LOGIN, PASSWORD)
    accounts.add_user(engine, MEMBER_LOGIN, MEMBER_PASSWORD)
    engine.dispose()
    command = [
        sys.executable,
        "-m",
        "davshare.cli",
        "--config",
        str(workdir / "davshare.conf"),
        "serve",
    ]
    return ServerProcess(name, command, workdir, port)


def postgres_bin_dir() -> Path | None:
    """Where initdb and pg_ctl are, through the test suite's helper (None: not installed)."""
    from tests.support.postgres import find_bin_dir

    return find_bin_dir()


def available_kinds() -> list[str]:
    """The server kinds this machine can run."""
    return [k for k in SERVER_KINDS if k != "davshare-postgresql" or postgres_bin_dir() is not None]


def can(kind: str, what: str) -> bool:
    """Whether the server ``kind`` takes part in ``what`` (see CANNOT)."""
    return what not in CANNOT.get(kind, ())
