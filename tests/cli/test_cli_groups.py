"""``davshare group …`` for server admins (issue 3 §5): same rules as the API."""

import pytest


@pytest.fixture
def admin(davshare):
    """The command on data with a domain and three accounts."""
    run = davshare
    run("domain", "add", "example.com")
    for login in ("gilles", "alexandre", "david"):
        run("user", "add", f"{login}@example.com", "--password-stdin", stdin="long enough pw\n")
    return run


def test_group_lifecycle_on_the_command_line(admin):
    created = admin(
        "group", "create", "equipe", "--admin", "gilles@example.com", "--description", "Team"
    )
    assert created.returncode == 0, created.stderr
    assert "member: gilles@example.com\tadmin" in created.stdout
    assert "collection: contacts\taddressbook\tContacts" in created.stdout
    for login in ("alexandre", "david"):
        assert admin("group", "add-member", "equipe", f"{login}@example.com").returncode == 0
    assert admin("group", "set-role", "equipe", "alexandre@example.com", "coadmin").returncode == 0
    assert (
        admin("group", "grant", "equipe", "contacts", "--to", "*", "--rights", "add").returncode
        == 0
    )
    assert admin("group", "revoke", "equipe", "contacts", "--to", "*").returncode == 0
    assert admin("group", "transfer", "equipe", "david@example.com").returncode == 0
    shown = admin("group", "show", "equipe").stdout
    assert (
        "member: david@example.com\tadmin" in shown
        and "member: gilles@example.com\tcoadmin" in shown
    )
    assert "equipe\t3 member(s)\tTeam" in admin("group", "list").stdout


def test_group_commands_keep_the_rules(admin):
    admin("group", "create", "equipe", "--admin", "gilles@example.com")
    admin("group", "add-member", "equipe", "david@example.com")
    refused = admin(
        "group", "set-role", "equipe", "david@example.com", "coadmin", "--as", "david@example.com"
    )
    assert refused.returncode == 1 and "only the group's admin" in refused.stderr
    crowded = admin("group", "delete", "equipe", "--confirm", "equipe")
    assert crowded.returncode == 1 and "remove them first" in crowded.stderr
    admin("group", "remove-member", "equipe", "david@example.com")
    unconfirmed = admin("group", "delete", "equipe")
    assert unconfirmed.returncode == 1 and "confirm" in unconfirmed.stderr
    assert admin("group", "delete", "equipe", "--confirm", "equipe").returncode == 0
    assert admin("group", "list").stdout == ""
    missing = admin("group", "show", "equipe")
    assert (
        missing.returncode == 1
        and "no group" in missing.stderr
        and "Traceback" not in missing.stderr
    )


def test_group_changes_say_what_they_did(davshare):
    davshare("domain", "add", "example.com")
    for login in ("ann@example.com", "bob@example.com"):
        davshare("user", "add", login, "--password-stdin", stdin="long enough pw\n")
    assert davshare("group", "create", "crew", "--admin", "ann@example.com").returncode == 0
    added = davshare("group", "add-member", "crew", "bob@example.com")
    assert added.stdout == "bob@example.com added to group crew\n", added.stderr
    role = davshare("group", "set-role", "crew", "bob@example.com", "coadmin")
    assert role.stdout == "bob@example.com is now coadmin of group crew\n"
