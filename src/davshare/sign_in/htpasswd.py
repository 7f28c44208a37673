"""An htpasswd file (Apache's ``htpasswd``, Radicale's ``[auth] htpasswd_filename``): the
password is right when it matches the entry's hash (bcrypt, SHA-512/256 crypt, Apache MD5,
argon2). The file is read again when it changes, so an edited entry counts at once."""

import logging
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from davshare.core import passwords
from davshare.sign_in.base import HtpasswdOptions, Identity, Unavailable, split_login

logger = logging.getLogger("davshare.sign_in")
_lock = threading.Lock()
_read: dict[str, tuple[tuple[int, int], dict[str, str]]] = {}


def entries(lines: Iterable[str]) -> Iterator[tuple[int, str, str]]:
    """(line number, login, stored hash) of each entry; login or hash "" on a malformed line."""
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        login, sep, stored = line.strip().partition(":")
        yield (number, login, stored) if sep else (number, "", "")


def _entries(path: str) -> dict[str, str]:
    """login (lower-cased) -> hash, read again when the file's size or time changes."""
    try:
        stat = os.stat(path)
        seen = (stat.st_mtime_ns, stat.st_size)
        with _lock:
            if path in _read and _read[path][0] == seen:
                return _read[path][1]
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise Unavailable("htpasswd", f"cannot read {path}: {e}") from None
    found = {login.lower(): stored for _, login, stored in entries(text.splitlines()) if login}
    with _lock:
        _read[path] = (seen, found)
    return found


def verify(options: HtpasswdOptions, login: str, password: str) -> Identity | None:
    """``login`` if ``password`` matches its entry (``name@domain``, or ``name`` when
    ``[htpasswd] domain`` is the login's domain), else None."""
    found = _entries(options.file)
    local, domain = split_login(login)
    stored = found.get(login)
    if stored is None and options.domain and domain == options.domain.lower():
        stored = found.get(local)
    if stored is None:
        passwords.burn_time(password)  # an unknown name costs what a known one does
        return None
    if not passwords.is_known_hash(stored):
        logger.warning(
            "htpasswd: the entry of %r in %s is not a hash davshare checks (bcrypt, SHA-512/256 "
            "crypt, MD5-apr1, argon2): refused; set it with htpasswd -B",
            login,
            options.file,
        )
        return None
    if not passwords.matches(f"htpasswd:{options.file}:{login}", password, stored):
        return None
    return Identity(login=login)
