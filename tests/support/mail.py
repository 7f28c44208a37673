"""A real SMTP server on 127.0.0.1 (aiosmtpd) that tests read the server's mail from."""

import email
import time
from collections.abc import Iterator
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from tests.support.server import free_port


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


def mail_options(port: int, public_url: str) -> dict[str, str]:
    """``Server`` options that send its outbox to the SMTP server at ``port`` at once."""
    return {
        "mail__host": "127.0.0.1",
        "mail__port": str(port),
        "mail__security": "none",
        "mail__poll_seconds": "0.2",
        "mail__public_url": public_url,
    }
