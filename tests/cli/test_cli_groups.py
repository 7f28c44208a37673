"""``davshare group …`` for server admins (issue 3 §5): same rules as the API."""

import subprocess
import sys

import pytest


@pytest.fixture
def davshare(tmp_path):
    config = tmp_path / "davshare.conf"
    config.write_text("[storage]\ndata_dir = data\n")

    def run(*args, stdin=""):
        return subprocess.run(
            [sys.executable, "-m", "davshare.cli", "--config", str(config), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )

    run("domain", "add", "example.com")
    for login in ("gilles", "alexandre", "david"):
        run("user", "add", f"{login}@example.com", "--password-stdin", stdin="long enough pw\n")
    return run


def test_group_lifecycle_on_the_command_line(davshare):
    created = davshare(
        "group", "create", "equipe", "--admin", "gilles@example.com", "--description", "Team"
    )
    assert created.returncode == 0, created.stderr
    assert "member: gilles@example.com\tadmin" in created.stdout
    assert "collection: contacts\taddressbook\tContacts" in created.stdout
    for login in ("alexandre", "david"):
        assert davshare("group", "add-member", "equipe", f"{login}@example.com").returncode == 0
    assert (
        davshare("group", "set-role", "equipe", "alexandre@example.com", "coadmin").returncode == 0
    )
    assert (
        davshare("group", "grant", "equipe", "contacts", "--to", "*", "--rights", "add").returncode
        == 0
    )
    assert davshare("group", "revoke", "equipe", "contacts", "--to", "*").returncode == 0
    assert davshare("group", "transfer", "equipe", "david@example.com").returncode == 0
    shown = davshare("group", "show", "equipe").stdout
    assert (
        "member: david@example.com\tadmin" in shown
        and "member: gilles@example.com\tcoadmin" in shown
    )
    assert "equipe\t3 member(s)\tTeam" in davshare("group", "list").stdout


def test_group_commands_keep_the_rules(davshare):
    davshare("group", "create", "equipe", "--admin", "gilles@example.com")
    davshare("group", "add-member", "equipe", "david@example.com")
    refused = davshare(
        "group", "set-role", "equipe", "david@example.com", "coadmin", "--as", "david@example.com"
    )
    assert refused.returncode == 1 and "only the group's admin" in refused.stderr
    crowded = davshare("group", "delete", "equipe", "--confirm", "equipe")
    assert crowded.returncode == 1 and "remove them first" in crowded.stderr
    davshare("group", "remove-member", "equipe", "david@example.com")
    unconfirmed = davshare("group", "delete", "equipe")
    assert unconfirmed.returncode == 1 and "confirm" in unconfirmed.stderr
    assert davshare("group", "delete", "equipe", "--confirm", "equipe").returncode == 0
    assert davshare("group", "list").stdout == ""
    missing = davshare("group", "show", "equipe")
    assert (
        missing.returncode == 1
        and "no group" in missing.stderr
        and "Traceback" not in missing.stderr
    )
