"""Signing in with an existing htpasswd file (issue 15 §1): one written by Apache's
htpasswd (bcrypt), one as Radicale keeps its users (SHA-512 and SHA-256 crypt, argon2,
names without a domain), read again when it changes."""

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from passlib.hash import argon2, sha256_crypt, sha512_crypt

from tests.sign_in import checks
from tests.support import daemons, scratch
from tests.support.server import Server

# login as typed -> (name in the file, password)
APACHE = {
    "hanna@example.com": ("hanna@example.com", "hanna's htpasswd pw"),
    "ivan@example.com": ("ivan", "ivan's htpasswd pw"),
    "jon@elsewhere.org": ("jon@elsewhere.org", "jon's htpasswd pw"),
}
# The schemes Radicale's autodetect reads, at the costs of the tools people make them with
# (htpasswd -5 / -2: 5000 rounds; argon2 at OWASP's minimum).
RADICALE = {
    "kim@example.com": ("kim", sha512_crypt.using(rounds=5000), "kim's radicale pw"),
    "lea@example.com": ("lea", sha256_crypt.using(rounds=5000), "lea's radicale pw"),
    "max@example.com": ("max", argon2.using(memory_cost=19456, rounds=2), "max's radicale pw"),
}


def _apache_file(folder: Path) -> Path:
    path = folder / "users.htpasswd"
    htpasswd = daemons.program("htpasswd", "apache2-utils")
    for number, (name, password) in enumerate(APACHE.values()):
        create = ["-c"] if number == 0 else []
        subprocess.run([htpasswd, *create, "-bB", str(path), name, password], check=True)
    return path


def _radicale_file(folder: Path) -> Path:
    path = folder / "users"
    lines = ["# Radicale users (htpasswd_encryption = autodetect)"]
    lines += [f"{name}:{scheme.hash(pw)}" for name, scheme, pw in RADICALE.values()]
    path.write_text("\n".join(lines) + "\nplain:a plain password\n")
    return path


def _server(path: Path) -> Server:
    options = {"auth__backends": "local, htpasswd", "htpasswd__file": str(path)}
    instance = Server(**options, htpasswd__domain="example.com").start()
    checks.serve(instance)
    return instance


@pytest.fixture(scope="module")
def apache() -> Iterator[tuple[Server, Path]]:
    path = _apache_file(scratch.folder("davshare-htpasswd-"))
    instance = _server(path)
    yield instance, path
    instance.stop()


@pytest.fixture(scope="module")
def radicale() -> Iterator[Server]:
    instance = _server(_radicale_file(scratch.folder("davshare-radicale-users-")))
    yield instance
    instance.stop()


def test_apache_bcrypt_right_password_creates_the_account(apache: tuple[Server, Path]) -> None:
    server, _ = apache
    for login, (_, password) in list(APACHE.items())[:2]:  # a full login, and a bare name
        assert checks.dav(server, login, password).status_code == 207, login
        created = checks.account(server, login)
        assert created is not None and created.sign_in_backend == "htpasswd"


def test_apache_wrong_password_and_unknown_name_are_refused(apache: tuple[Server, Path]) -> None:
    server, _ = apache
    checks.refused_everywhere(server, "hanna@example.com", "not hanna's password")
    checks.refused_everywhere(server, "nobody@example.com", "not hanna's password")
    # a bare name counts for [htpasswd] domain only
    checks.refused_everywhere(server, "ivan@elsewhere.org", APACHE["ivan@example.com"][1])


def test_apache_domain_not_served(apache: tuple[Server, Path]) -> None:
    server, _ = apache
    checks.domain_not_served(server, "jon@elsewhere.org", APACHE["jon@elsewhere.org"][1])


def test_a_changed_file_counts_at_once(apache: tuple[Server, Path]) -> None:
    server, path = apache
    htpasswd = daemons.program("htpasswd", "apache2-utils")
    assert checks.dav(server, "ivan@example.com", APACHE["ivan@example.com"][1]).status_code == 207
    subprocess.run([htpasswd, "-bB", str(path), "ivan", "ivan's new password"], check=True)
    assert checks.dav(server, "ivan@example.com", "ivan's new password").status_code == 207
    assert checks.dav(server, "ivan@example.com", APACHE["ivan@example.com"][1]).status_code == 401


def test_radicale_users_keep_their_passwords(radicale: Server) -> None:
    for login, (_, _, password) in RADICALE.items():
        assert checks.dav(radicale, login, password).status_code == 207, login
        assert checks.account(radicale, login).sign_in_backend == "htpasswd"  # type: ignore[union-attr]
        assert checks.dav(radicale, login, password + "!").status_code == 401


def test_radicale_wrong_unknown_and_plain_entries_are_refused(radicale: Server) -> None:
    checks.refused_everywhere(radicale, "kim@example.com", "not kim's password")
    checks.refused_everywhere(radicale, "nobody@example.com", "not kim's password")
    checks.refused_everywhere(radicale, "plain@example.com", "a plain password")
    assert "not a hash davshare checks" in radicale.read_log()


def test_a_missing_file_answers_503() -> None:
    instance = _server(scratch.folder("davshare-no-file-") / "missing")
    try:
        checks.unavailable_everywhere(instance, "hanna@example.com", APACHE["hanna@example.com"][1])
    finally:
        instance.stop()
