"""Password hashing (argon2 through passlib) and a cache that spares a hash per request.

DAV clients send the password with every request; verifying argon2 each time
would cost tens of milliseconds per request. A successful check is remembered
as a keyed digest of the password next to the stored hash it was checked
against, so a password change or reset invalidates it at once.
"""

import hashlib
import hmac
import os
import threading

from passlib.context import CryptContext

_context = CryptContext(schemes=["argon2"], deprecated="auto")
_cache_key = os.urandom(32)
_cache: dict[str, tuple[str, bytes]] = {}
_cache_lock = threading.Lock()
_CACHE_MAX = 10_000


def hash_password(password: str) -> str:
    """The stored form of ``password``."""
    return _context.hash(password)


def verify_password(login: str, password: str, stored_hash: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; cached per login and hash."""
    digest = hmac.new(_cache_key, password.encode(), hashlib.sha256).digest()
    cached = _cache.get(login)
    if cached and cached[0] == stored_hash and hmac.compare_digest(cached[1], digest):
        return True
    if not _context.verify(password, stored_hash):
        return False
    with _cache_lock:
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        _cache[login] = (stored_hash, digest)
    return True


def burn_time(password: str) -> None:
    """Spend what a real check costs, so that an unknown login answers as slowly as a known one."""
    _context.verify(password, _DUMMY_HASH)


_DUMMY_HASH = _context.hash("davshare-dummy-password")
