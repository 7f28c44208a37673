"""A new server in one command, one configuration found by every command (issue 14 §1, §2)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from davshare.model import accounts
from davshare.model.db import engine_for

PASSWORD = "long enough pw\n"


def run(*args: str, cwd: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """``davshare ARGS`` in ``cwd`` with only the given DAVSHARE_* variables set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DAVSHARE_")}
    return subprocess.run(
        [sys.executable, "-m", "davshare.cli", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, **env},
    )


def set_up(folder: Path, data: str = "davshare-data") -> None:
    """What ``init`` makes, made in-process (quicker): ann@example.com, server admin."""
    engine = engine_for(f"sqlite:///{folder / data / 'davshare.sqlite3'}")
    accounts.add_domain(engine, "example.com")
    accounts.add_user(engine, "ann@example.com", PASSWORD.strip(), server_admin=True)
    engine.dispose()


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """An empty server folder and another folder an admin runs commands from."""
    server, elsewhere = tmp_path / "srv", tmp_path / "elsewhere"
    server.mkdir()
    elsewhere.mkdir()
    return server, elsewhere


def test_a2_init_sets_up_an_empty_folder_with_a_first_server_admin(folders):
    server, _ = folders
    done = run("init", "Gilles@Example.com", "--password-stdin", cwd=server, stdin=PASSWORD)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"created the database sqlite:///{server / 'davshare-data' / 'davshare.sqlite3'}",
        "domain example.com added",
        "created gilles@example.com, server admin: sign in at the server's address with it",
    ]
    assert "is_server_admin: True" in run("user", "show", "gilles@example.com", cwd=server).stdout
    again = run("init", "other@example.com", "--password-stdin", cwd=server, stdin=PASSWORD)
    assert again.returncode == 1 and "set up already (1 account(s))" in again.stderr
    assert "other@example.com" not in run("user", "list", cwd=server).stdout


def test_init_refuses_a_short_password_and_creates_nothing(folders):
    server, _ = folders
    done = run("init", "ann@example.com", "--password-stdin", cwd=server, stdin="short\n")
    assert done.returncode == 1 and "at least 8 characters" in done.stderr
    assert not (server / "davshare-data").exists()
    no_login = run("init", "--password-stdin", cwd=server, stdin=PASSWORD)
    assert no_login.returncode == 1 and "davshare init NAME@DOMAIN" in no_login.stderr


def test_a_command_elsewhere_refuses_to_invent_a_database(folders):
    server, elsewhere = folders
    set_up(server)
    lost = run("user", "list", cwd=elsewhere)
    assert lost.returncode == 1
    assert lost.stderr.count("\n") == 1 and "Traceback" not in lost.stderr
    assert str(elsewhere / "davshare-data" / "davshare.sqlite3") in lost.stderr
    assert "davshare init" in lost.stderr and "DAVSHARE_CONFIG" in lost.stderr
    assert list(elsewhere.iterdir()) == []  # nothing created


def test_every_way_of_naming_the_configuration_finds_the_same_database(folders):
    server, elsewhere = folders
    conf = server / "davshare.conf"
    conf.write_text("[storage]\ndata_dir = data\n")
    set_up(server, "data")
    for args, env in [
        (("--config", str(conf), "user", "list"), {}),
        (("user", "list", "--config", str(conf)), {}),
        (("user", "list", f"--config={conf}"), {}),
        (("user", "list"), {"DAVSHARE_CONFIG": str(conf)}),
        (
            ("user", "list"),
            {"DAVSHARE_DATABASE_URL": f"sqlite:///{server / 'data/davshare.sqlite3'}"},
        ),
        (("user", "list"), {"DAVSHARE_STORAGE_DATA_DIR": str(server / "data")}),
    ]:
        found = run(*args, cwd=elsewhere, **env)
        assert found.returncode == 0, (args, env, found.stderr)
        assert found.stdout.startswith("ann@example.com\t"), (args, env)
    status = run("status", cwd=elsewhere, DAVSHARE_CONFIG=str(conf)).stdout
    assert f"configuration: {conf}" in status
    assert "accounts: 1" in status and "server admins: 1" in status
    assert "schema revision: " in status and "(up to date)" in status
    assert "mail outbox: 0 waiting, 0 given up, 0 sent" in status
    assert list(elsewhere.iterdir()) == []


def test_status_masks_the_database_password_and_environment_typos_are_refused(folders):
    _, elsewhere = folders
    url = "postgresql+psycopg://davshare:s3cr3t-pw@127.0.0.1:1/davshare"
    status = run("status", cwd=elsewhere, DAVSHARE_DATABASE_URL=url)
    assert status.returncode == 1 and "s3cr3t-pw" not in status.stdout + status.stderr
    assert "davshare:***@127.0.0.1:1/davshare" in status.stdout + status.stderr
    typo = run("status", cwd=elsewhere, DAVSHARE_SERVER_PROT="80")
    assert (
        typo.returncode == 1 and "unknown environment variable DAVSHARE_SERVER_PROT" in typo.stderr
    )


def test_version():
    done = run("--version", cwd=Path.cwd())
    assert done.returncode == 0 and done.stdout.startswith("davshare 0.")


def test_a2_promote_demote_and_the_last_server_admin_stays(folders):
    server, _ = folders
    set_up(server)
    accounts.add_user(engine_for(f"sqlite:///{server / 'davshare-data/davshare.sqlite3'}"),
                      "bob@example.com", PASSWORD.strip())  # fmt: skip
    last = run("user", "demote", "ann@example.com", cwd=server)
    assert last.returncode == 1 and "ann@example.com is the last server admin" in last.stderr
    deleted = run("user", "delete", "ann@example.com", "--yes", cwd=server)
    assert deleted.returncode == 1 and "last server admin" in deleted.stderr
    assert "is_server_admin: True" in run("user", "show", "ann@example.com", cwd=server).stdout
    promoted = run("user", "promote", "Bob@Example.com", cwd=server)
    assert promoted.stdout == "bob@example.com is now a server admin\n"
    assert run("user", "demote", "ann@example.com", cwd=server).stdout == (
        "ann@example.com is no longer a server admin\n"
    )
    assert "is_server_admin: False" in run("user", "show", "ann@example.com", cwd=server).stdout
