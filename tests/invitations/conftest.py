"""A real SMTP server on 127.0.0.1 (aiosmtpd) and davshare servers that send to it."""

import email
import time
from collections.abc import Iterator
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import BACKENDS, database_url
from tests.support.server import Server, free_port


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"

    def wait_for(self, recipient: str, subject_part: str = "", timeout: float = 20) -> Message:
        """The first message to ``recipient`` whose subject has ``subject_part``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if message["To"] == recipient and subject_part in message["Subject"]:
                    return message
            time.sleep(0.1)
        raise AssertionError(f"no message to {recipient} about {subject_part!r}")

    def to(self, recipient: str) -> list[Message]:
        """Every message received for ``recipient``."""
        return [m for m in self.messages if m["To"] == recipient]


def body(message: Message) -> str:
    """The text of a message."""
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Inbox, int]]:
    """An SMTP server on 127.0.0.1 at a free port."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture(scope="module", params=BACKENDS)
def mailing_server(request: pytest.FixtureRequest, smtp: tuple[Inbox, int]) -> Iterator[Server]:
    """A running server that sends its outbox to ``smtp`` every fraction of a second."""
    _, port = smtp
    instance = Server(database_url(request, request.param))
    # Several options per section: Server writes one section header per keyword option.
    with instance.config.open("a") as config:
        config.write(
            "[mail]\nhost = 127.0.0.1\n"
            f"port = {port}\nsecurity = none\npoll_seconds = 0.2\n"
            "public_url = https://dav.example.com\n"
            "[invitations]\nsends_per_day = 2\n"
        )
    instance.start()
    yield instance
    instance.stop()
