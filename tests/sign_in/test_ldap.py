"""Signing in through a real OpenLDAP directory (issue 15 §1): LDAPS, StartTLS, the group
filter, the name from the directory, a first sign-in creating the account, and a
directory that cannot be reached."""

import subprocess
import sys
from collections.abc import Iterator

import pytest

from davshare.model import accounts
from tests.conftest import BACKENDS, database_url
from tests.sign_in import checks
from tests.support import daemons, scratch, slapd
from tests.support.api import PREFIX
from tests.support.server import Server, free_port

ALICE = slapd.PEOPLE_ENTRIES["alice"]


@pytest.fixture(scope="module")
def directory() -> Iterator[slapd.Slapd]:
    running = slapd.start()
    yield running
    running.stop()


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest, directory: slapd.Slapd) -> Iterator[Server]:
    """davshare with `backends = local, ldap` over LDAPS and the staff group filter."""
    options = directory.options(ldap__group=slapd.STAFF)
    instance = Server(database_url(request, request.param), **options).start()
    checks.serve(instance)
    yield instance
    instance.stop()


def _started(**options: str) -> Server:
    instance = Server(**options).start()
    checks.serve(instance)
    return instance


def test_right_password_creates_the_account_with_the_directory_s_name(server: Server) -> None:
    mail, name, password, _ = ALICE
    assert checks.account(server, mail) is None
    assert checks.dav(server, mail, password).status_code == 207
    created = checks.account(server, mail)
    assert created is not None and created.sign_in_backend == "ldap"
    assert created.display_name == name and created.profile == "add_delete"
    home = server.session(mail, password).get(f"{server.url}/{mail}/contacts/")
    assert home.status_code == 200  # the default collections exist
    assert checks.api_me(server, mail.upper(), password).status_code == 200
    assert checks.web(server, mail, password).json()["login"] == mail


def test_a_server_admin_sees_which_backend_each_account_uses(server: Server) -> None:
    mail, _, password, _ = ALICE
    assert checks.dav(server, mail, password).status_code == 207
    admin = server.new_user(server_admin=True)
    listed = server.session(admin).get(server.url + PREFIX + "/accounts").json()["accounts"]
    backends = {a["login"]: a["sign_in_backend"] for a in listed}
    assert backends[mail] == "ldap" and backends[admin] == "local"


def test_the_cli_shows_each_account_s_backend(server: Server) -> None:
    mail, _, password, _ = ALICE
    assert checks.dav(server, mail, password).status_code == 207
    command = [sys.executable, "-m", "davshare.cli", "--config", str(server.config)]
    listing = subprocess.run([*command, "user", "list"], capture_output=True, text=True, check=True)
    assert f"{mail}\tadd_delete\tenabled\t{ALICE[1]}\tldap" in listing.stdout
    shown = subprocess.run([*command, "user", "show", mail], capture_output=True, text=True)
    assert "sign_in_backend: ldap" in shown.stdout
    status = subprocess.run([*command, "status"], capture_output=True, text=True, check=True)
    assert "sign-in backends: local, ldap; accounts by backend: ldap " in status.stdout


def test_wrong_password_and_unknown_person_are_refused_alike(server: Server) -> None:
    mail, _, password, _ = slapd.PEOPLE_ENTRIES["dora"]
    checks.refused_everywhere(server, mail, password + " wrong")
    checks.refused_everywhere(server, "nobody@example.com", "whatever it is")
    wrong = checks.dav(server, mail, "not it")
    unknown = checks.dav(server, "nobody@example.com", "not it")
    assert wrong.text == unknown.text


def test_someone_outside_the_group_filter_is_refused(server: Server) -> None:
    mail, _, password, in_staff = slapd.PEOPLE_ENTRIES["bob"]
    assert not in_staff
    checks.refused_everywhere(server, mail, password)


def test_a_domain_not_served_is_refused_with_a_clear_message(server: Server) -> None:
    mail, _, password, _ = slapd.PEOPLE_ENTRIES["carol"]
    checks.domain_not_served(server, mail, password)
    assert "is not served" in server.read_log()


def test_a_disabled_account_stays_refused_whatever_the_directory_says(server: Server) -> None:
    mail, _, password, _ = slapd.PEOPLE_ENTRIES["eric"]
    assert checks.dav(server, mail, password).status_code == 207
    accounts.set_disabled(server.engine, mail, True)
    assert checks.dav(server, mail, password).status_code == 401
    assert checks.api_me(server, mail, password).status_code == 401
    accounts.set_disabled(server.engine, mail, False)
    assert checks.dav(server, mail, password).status_code == 207


def test_local_accounts_keep_their_own_passwords(server: Server) -> None:
    login = server.new_user()
    assert checks.dav(server, login, "correct horse battery").status_code == 207
    assert checks.dav(server, login, "wrong password").status_code == 401


def test_starttls_and_a_search_by_uid(directory: slapd.Slapd) -> None:
    options = directory.options(directory.ldap_url, ldap__starttls="true")
    instance = _started(**{**options, "ldap__search": "(uid={local})"})
    try:
        mail, name, password, _ = slapd.PEOPLE_ENTRIES["dora"]
        assert checks.dav(instance, mail, password).status_code == 207
        assert checks.account(instance, mail).display_name == name  # type: ignore[union-attr]
        checks.refused_everywhere(instance, "nobody@example.com", password)
    finally:
        instance.stop()


def test_a_directory_that_cannot_be_reached_answers_503(directory: slapd.Slapd) -> None:
    nobody_listens = f"ldaps://127.0.0.1:{free_port()}"
    instance = _started(**directory.options(nobody_listens, auth__retry_after="7"))
    try:
        mail, _, password, _ = ALICE
        checks.unavailable_everywhere(instance, mail, password)
        for _ in range(8):  # never counted as failures: still 503, not 429
            assert checks.dav(instance, mail, password).status_code == 503
        assert checks.dav(instance, mail, password).headers["Retry-After"] == "7"
        local = instance.new_user()  # davshare's own accounts still sign in
        assert checks.dav(instance, local, "correct horse battery").status_code == 207
    finally:
        instance.stop()


def test_a_directory_whose_certificate_is_not_trusted_lets_nobody_in(
    directory: slapd.Slapd,
) -> None:
    other_ca, _ = daemons.certificate(scratch.folder("davshare-other-ca-"))
    instance = _started(**directory.options(ldap__ca_file=str(other_ca)))
    try:
        mail, _, password, _ = ALICE
        checks.unavailable_everywhere(instance, mail, password)
    finally:
        instance.stop()
