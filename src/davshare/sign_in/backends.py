"""The configured backends (``configure``, from ``[auth] backends``) and one way to ask
any of them (``verify``). A password a directory or mail server accepted is remembered
for ``[auth] cache_seconds`` (a keyed digest, never the password), so a DAV client's
requests do not each open a connection to it."""

import hashlib
import hmac
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from davshare.sign_in import htpasswd, imap
from davshare.sign_in.base import Identity, Options, Unavailable

logger = logging.getLogger("davshare.sign_in")
_options = Options()


def _ldap(settings: Any, login: str, password: str) -> Identity | None:
    # ldap3 is read at the first directory sign-in: every command and worker starts faster.
    from davshare.sign_in import ldap

    return ldap.verify(settings, login, password)


_CHECKERS: dict[str, Callable[[Any, str, str], Identity | None]] = {
    "ldap": _ldap,
    "imap": imap.verify,
    "htpasswd": htpasswd.verify,
}
_REMEMBERED = ("ldap", "imap")  # htpasswd: a local file, checked (and cached) by its hash
_key = os.urandom(32)
_cache: dict[str, tuple[bytes, Identity, float]] = {}
_lock = threading.Lock()
_CACHE_MAX = 10_000


def configure(options: Options) -> None:
    """Use ``options`` from now on (the server's start; forgets what was remembered)."""
    global _options
    _options = options
    with _lock:
        _cache.clear()


def options() -> Options:
    """The backends in use."""
    return _options


def verify(name: str, login: str, password: str) -> Identity | None:
    """Who ``login`` is if backend ``name`` accepts ``password`` (None: it does not);
    ``Unavailable`` when it cannot be asked."""
    digest = hmac.new(_key, f"{login}\0{password}".encode(), hashlib.sha256).digest()
    key, now = f"{name}:{login}", time.monotonic()
    remembered = _cache.get(key)
    if remembered and hmac.compare_digest(remembered[0], digest) and remembered[2] > now:
        return remembered[1]
    settings = getattr(_options, name)
    try:
        found = _CHECKERS[name](settings, login, password)
    except Unavailable as e:
        e.retry_after = _options.retry_after
        raise
    except Exception as e:  # a library's surprise: 503 and its traceback, never 500 nor in
        logger.exception("sign-in through %s failed unexpectedly", name)
        raise Unavailable(name, f"unexpected {type(e).__name__}", _options.retry_after) from e
    if found is not None and name in _REMEMBERED and _options.cache_seconds > 0:
        with _lock:
            if len(_cache) >= _CACHE_MAX:
                _cache.clear()
            _cache[key] = (digest, found, now + _options.cache_seconds)
    return found
