"""Failed sign-ins, logged in one stable format whichever door they came through.

The line (logger ``davshare.auth``, level warning) is what fail2ban reads::

    sign-in failed: door=dav client=203.0.113.9 login="gilles@example.com"

``door`` is ``dav`` (DAV clients), ``api`` (the JSON API with HTTP Basic) or ``web`` (the
web pages' sign-in). The password is never logged; the login is cut to 100 characters and
stripped of quotes and control characters so that a line cannot be forged.
"""

import logging
import re
from collections.abc import Callable

logger = logging.getLogger("davshare.auth")
_listeners: list[Callable[[str], None]] = []
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\]')


def on_sign_in_failure(listener: Callable[[str], None]) -> None:
    """Call ``listener(door)`` at each failed sign-in (the metrics count them)."""
    _listeners.append(listener)


def sign_in_failed(door: str, login: str, client: str) -> None:
    """Record one failed sign-in through ``door`` from ``client`` for ``login``."""
    shown = _UNSAFE.sub("?", login)[:100]
    logger.warning('sign-in failed: door=%s client=%s login="%s"', door, client or "-", shown)
    for listener in _listeners:
        listener(door)
