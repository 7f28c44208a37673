"""Password hashing (argon2 through passlib) and a cache that spares a hash per request.

Hashes brought from another server's htpasswd file (bcrypt, SHA-512 and SHA-256
crypt, Apache MD5) are checked as they are and replaced by an argon2 hash at
the first successful sign-in (``verify_and_upgrade``).

DAV clients send the password with every request; verifying argon2 each time
would cost tens of milliseconds per request. A successful check is remembered
as a keyed digest of the password next to the stored hash it was checked
against, so a password change or reset invalidates it at once.
"""

import hashlib
import hmac
import os
import secrets
import threading

from passlib.context import CryptContext

# argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane: about 45 ms of
# one core). passlib's default (64 MiB, 3 passes, 4 lanes) costs six times the CPU per
# sign-in, which a flood of wrong passwords turns against the server; hashes made with
# other parameters keep verifying, as argon2 stores them in the hash.
# argon2 first: what new hashes are made with; the others only verify, once.
LEGACY_SCHEMES = ("bcrypt", "sha512_crypt", "sha256_crypt", "apr_md5_crypt")
_context = CryptContext(
    schemes=["argon2", *LEGACY_SCHEMES],
    deprecated=list(LEGACY_SCHEMES),
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


def is_known_hash(stored_hash: str) -> bool:
    """Whether ``stored_hash`` is a hash davshare can check (argon2 or a legacy scheme)."""
    return _context.identify(stored_hash) is not None


def verify_password(login: str, password: str, stored_hash: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; cached per login and hash."""
    return verify_and_upgrade(login, password, stored_hash)[0]


def verify_and_upgrade(login: str, password: str, stored_hash: str) -> tuple[bool, str | None]:
    """(whether ``password`` matches ``stored_hash``, the argon2 hash to store instead when
    ``stored_hash`` is of a legacy scheme, else None); cached per login and hash."""
    digest = hmac.new(_cache_key, password.encode(), hashlib.sha256).digest()
    cached = _cache.get(login)
    if cached and cached[0] == stored_hash and hmac.compare_digest(cached[1], digest):
        return True, None
    try:
        valid, new_hash = _context.verify_and_update(password, stored_hash)
    except ValueError:  # no hash at all (an account made without a password) or a broken one
        return False, None
    if not valid:
        return False, None
    with _cache_lock:
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        _cache[login] = (new_hash or stored_hash, digest)
    return True, new_hash


def matches(key: str, password: str, stored_hash: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` of any known scheme, remembered per
    ``key`` and hash; for hashes kept elsewhere (an htpasswd file), never upgraded."""
    digest = hmac.new(_cache_key, password.encode(), hashlib.sha256).digest()
    cached = _cache.get(key)
    if cached and cached[0] == stored_hash and hmac.compare_digest(cached[1], digest):
        return True
    try:
        if not _context.verify(password, stored_hash):
            return False
    except ValueError:
        return False
    with _cache_lock:
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        _cache[key] = (stored_hash, digest)
    return True


def burn_time(password: str) -> None:
    """Spend what a real check costs, so that an unknown login answers as slowly as a known one."""
    global _dummy_hash
    if _dummy_hash is None:  # made at the first need: commands that check nothing pay nothing
        _dummy_hash = _context.hash("davshare-dummy-password")
    _context.verify(password, _dummy_hash)


_dummy_hash: str | None = None


# Readable secrets (app passwords, recovery codes): lower-case letters and digits without
# the ones people mix up (0/o, 1/l/i), in groups of 4 joined by "-".
READABLE = "abcdefghjkmnpqrstuvwxyz23456789"
GROUP = 4


def readable_secret(groups: int) -> str:
    """A random secret of ``groups`` groups of 4 characters (about 4.95 bits each)."""
    chars = "".join(secrets.choice(READABLE) for _ in range(groups * GROUP))
    return "-".join(chars[i : i + GROUP] for i in range(0, len(chars), GROUP))


def readable_parts(text: str, groups: int) -> tuple[str, str] | None:
    """(the first group, the whole secret without separators) of a secret typed with or
    without its dashes and in any case; None when ``text`` cannot be one of ``groups``."""
    chars = "".join(text.split()).replace("-", "").lower()
    if len(chars) != groups * GROUP or any(c not in READABLE for c in chars):
        return None
    return chars[:GROUP], chars
