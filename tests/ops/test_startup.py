"""Start-up mistakes: one line naming the setting, exit 1, never a traceback (issue 14 §3)."""

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.server import Server, free_port


def _start(tmp_path: Path, name: str, config: str, prefix: tuple[str, ...] = ()):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "davshare.conf").write_text(config)
    return subprocess.Popen(
        [*prefix, sys.executable, "-m", "davshare.cli", "--config", "davshare.conf", "serve"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_each_mistake_gives_its_line_and_exit_code(tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    busy = taken.getsockname()[1]
    (tmp_path / "a-file").write_text("")
    ok = f"[server]\nport = {free_port()}\n"
    cases = {
        "port in use": (f"[server]\nport = {busy}\n", f"[server] port {busy} is in use"),
        "address elsewhere": (
            ok + "host = 192.0.2.1\n",
            "[server] host 192.0.2.1 is not an address of this machine",
        ),
        "port out of range": ("[server]\nport = 99999\n", "port must be between 1 and 65535"),
        "negative threads": (ok + "threads = -1\n", "[server] threads must be 1 or more, not -1"),
        "no workers": (ok + "workers = 0\n", "[server] workers must be 1 or more, not 0"),
        "log level": (ok + "[logging]\nlevel = verbose\n", "[logging] level must be one of"),
        "unsupported database": (
            ok + "[storage]\ndatabase_url = mysql://dav:s3cr3t-pw@db/dav\n",
            "[storage] database_url: mysql is not supported",
        ),
        "unknown database": (
            ok + "[storage]\ndatabase_url = nonsense://x\n",
            "[storage] database_url 'nonsense://x' is not supported",
        ),
        "unreachable database": (
            ok + "[storage]\ndatabase_url = "
            f"postgresql+psycopg://dav:s3cr3t-pw@127.0.0.1:{free_port()}/dav\n",
            "cannot reach the database postgresql+psycopg://dav:***@127.0.0.1:",
        ),
        "unwritable data folder": (
            ok + f"[storage]\ndata_dir = {tmp_path / 'a-file' / 'data'}\n",
            f"[storage] data_dir {tmp_path / 'a-file' / 'data'} cannot be created",
        ),
    }
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"]).returncode == 0:
        # No network at all in a namespace of its own: the name cannot reach any resolver.
        cases["unresolvable host"] = (
            ok + "host = dav.example.invalid\n",
            "[server] host 'dav.example.invalid' cannot be resolved",
        )
    started = {}
    for i, (name, (config, _)) in enumerate(cases.items()):
        prefix = ("unshare", "-n") if name == "unresolvable host" else ()
        started[name] = _start(tmp_path, f"case{i}", config, prefix)
    try:
        for name, process in started.items():
            output, _ = process.communicate(timeout=60)
            assert process.returncode == 1, (name, output)
            assert output.count("\n") == 1, (name, output)
            assert output.startswith("davshare: ") and cases[name][1] in output, (name, output)
            assert "s3cr3t-pw" not in output and "listening" not in output, (name, output)
    finally:
        taken.close()


@pytest.fixture(scope="module")
def talkative() -> Server:
    """A server logging at info, the default level."""
    server = Server(logging__level="info").start()
    yield server
    server.stop()


def test_start_up_log_is_short_and_says_where_it_listens_once_bound(talkative):
    log = talkative.read_log()
    lines = log.splitlines()
    assert any(f"davshare listening on http://127.0.0.1:{talkative.port}/" in x for x in lines)
    assert "max_content_length" not in log and "sharing." not in log  # Radicale's settings
    assert len(lines) <= 3, log
