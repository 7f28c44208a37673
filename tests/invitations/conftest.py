"""davshare servers that send their mail to a real SMTP server on 127.0.0.1."""

from collections.abc import Iterator

import pytest

from tests.conftest import BACKENDS, database_url
from tests.support.mail import Inbox, body, mail_options, smtp
from tests.support.server import Server


@pytest.fixture(scope="module", params=BACKENDS)
def mailing_server(request: pytest.FixtureRequest, smtp: tuple[Inbox, int]) -> Iterator[Server]:
    """A running server that sends its outbox to ``smtp`` every fraction of a second."""
    _, port = smtp
    instance = Server(
        database_url(request, request.param),
        **mail_options(port, "https://dav.example.com"),
        invitations__sends_per_day="2",
    )
    instance.start()
    yield instance
    instance.stop()


__all__ = ["Inbox", "body", "smtp"]
