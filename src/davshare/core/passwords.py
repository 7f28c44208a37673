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

# argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane: about 45 ms of
# one core). passlib's default (64 MiB, 3 passes, 4 lanes) costs six times the CPU per
# sign-in, which a flood of wrong passwords turns against the server; hashes made with
# other parameters keep verifying, as argon2 stores them in the hash.
_context = CryptContext(
    schemes=["argon2"],
    deprecated="auto",
    argon2__type="ID",
    argon2__memory_cost=19456,
    argon2__time_cost=2,
    argon2__parallelism=1,
)
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
    global _dummy_hash
    if _dummy_hash is None:  # made at the first need: commands that check nothing pay nothing
        _dummy_hash = _context.hash("davshare-dummy-password")
    _context.verify(password, _dummy_hash)


_dummy_hash: str | None = None
