"""IMAP: the password is right when the mail server lets the person log in (IMAPS or
STARTTLS, Python's imaplib); their login is their mail address."""

import contextlib
import imaplib
import ssl

from davshare.sign_in.base import Identity, ImapOptions, Unavailable, split_login


def _client(options: ImapOptions) -> imaplib.IMAP4:
    context = ssl.create_default_context(cafile=options.ca_file or None)
    if options.security == "tls":
        return imaplib.IMAP4_SSL(
            options.host, options.port, ssl_context=context, timeout=options.timeout
        )
    client = imaplib.IMAP4(options.host, options.port, timeout=options.timeout)
    client.starttls(ssl_context=context)
    return client


def _log_in(client: imaplib.IMAP4, user: str, password: str) -> None:
    try:
        client.login(user, password)
    except UnicodeEncodeError:  # LOGIN is ASCII only; AUTHENTICATE PLAIN carries UTF-8
        client.authenticate("PLAIN", lambda _: f"\0{user}\0{password}".encode())


def verify(options: ImapOptions, login: str, password: str) -> Identity | None:
    """``login`` if the mail server accepts ``password`` for it, else None."""
    if not password:
        return None
    local, domain = split_login(login)
    user = options.login.format(login=login, local=local, domain=domain)
    try:
        client = _client(options)
    except (OSError, imaplib.IMAP4.error) as e:
        raise Unavailable("IMAP", f"{options.host}:{options.port} did not answer: {e}") from None
    try:
        _log_in(client, user, password)
    except imaplib.IMAP4.error as e:
        if "[UNAVAILABLE]" in str(e):  # the server's own password database is down
            raise Unavailable("IMAP", f"{options.host} cannot check passwords: {e}") from None
        return None
    except OSError as e:
        raise Unavailable("IMAP", f"{options.host}:{options.port} did not answer: {e}") from None
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    return Identity(login=login)
