"""Signing in through a real IMAP server, dovecot (issue 15 §1): IMAPS and STARTTLS, the
login is the mail address, a first sign-in creates the account, a server that cannot be
reached answers 503."""

from collections.abc import Iterator

import pytest

from davshare.model import accounts
from tests.sign_in import checks
from tests.support import dovecot
from tests.support.server import Server, free_port


@pytest.fixture(scope="module")
def mail_server() -> Iterator[dovecot.Dovecot]:
    running = dovecot.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def server(mail_server: dovecot.Dovecot) -> Iterator[Server]:
    """davshare with `backends = local, imap` over IMAPS."""
    instance = Server(**mail_server.options()).start()
    checks.serve(instance)
    yield instance
    instance.stop()


def test_right_password_creates_the_account(server: Server) -> None:
    login, password = "anna@example.com", dovecot.USERS["anna@example.com"]
    assert checks.dav(server, login, password).status_code == 207
    created = checks.account(server, login)
    assert created is not None and created.sign_in_backend == "imap"
    assert created.profile == "add_delete"
    assert checks.web(server, login, password).json()["login"] == login
    assert checks.api_me(server, login, password).status_code == 200


def test_wrong_password_and_unknown_login_are_refused(server: Server) -> None:
    login, password = "marc@example.com", dovecot.USERS["marc@example.com"]
    checks.refused_everywhere(server, login, password + " wrong")
    checks.refused_everywhere(server, "nobody@example.com", password)


def test_a_domain_not_served_is_refused_with_a_clear_message(server: Server) -> None:
    login = "paul@elsewhere.org"
    checks.domain_not_served(server, login, dovecot.USERS[login])


def test_a_disabled_account_stays_refused(server: Server) -> None:
    login, password = "nina@example.com", dovecot.USERS["nina@example.com"]
    assert checks.dav(server, login, password).status_code == 207
    accounts.set_disabled(server.engine, login, True)
    assert checks.dav(server, login, password).status_code == 401
    assert checks.web(server, login, password).status_code == 401


def test_starttls(mail_server: dovecot.Dovecot) -> None:
    instance = Server(**mail_server.options(starttls=True)).start()
    try:
        checks.serve(instance)
        login, password = "marc@example.com", dovecot.USERS["marc@example.com"]
        assert checks.dav(instance, login, password).status_code == 207
        assert checks.account(instance, login).sign_in_backend == "imap"  # type: ignore[union-attr]
        checks.refused_everywhere(instance, "nina@example.com", "not nina's password")
    finally:
        instance.stop()


def test_a_mail_server_that_cannot_be_reached_answers_503(mail_server: dovecot.Dovecot) -> None:
    instance = Server(**mail_server.options(imap__port=str(free_port()))).start()
    try:
        checks.serve(instance)
        checks.unavailable_everywhere(
            instance, "anna@example.com", dovecot.USERS["anna@example.com"]
        )
    finally:
        instance.stop()
