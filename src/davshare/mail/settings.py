"""The [mail] section's settings, read by ``server/config.py`` and used by the sender."""

from dataclasses import dataclass


@dataclass(frozen=True)
class MailSettings:
    """The [mail] section: the SMTP server and the messages' links."""

    host: str = ""
    port: int = 587
    security: str = "starttls"
    username: str = ""
    password: str = ""
    sender: str = "davshare@localhost"
    public_url: str = ""
    language: str = "en"
    poll_seconds: float = 10
    max_attempts: int = 20
