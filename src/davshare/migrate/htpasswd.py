"""Reading an htpasswd file (Radicale's ``[auth] htpasswd_filename``): login -> stored hash.

Hashes davshare can check (bcrypt, SHA-512 and SHA-256 crypt, Apache MD5, argon2)
are kept as they are; ``davshare.core.passwords`` rehashes them with argon2 at the
first successful sign-in. A plain-text entry (Radicale's ``plain`` encryption) is
hashed with argon2 here, so no password is ever stored in clear.
"""

from dataclasses import dataclass, field
from pathlib import Path

from davshare.core import passwords
from davshare.model.errors import InvalidInput


@dataclass
class Htpasswd:
    """The hashes to store, by source login, and the entries that could not be kept."""

    hashes: dict[str, str] = field(default_factory=dict)
    plain: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def read_htpasswd(path: Path) -> Htpasswd:
    """The entries of ``path``; InvalidInput if it cannot be read at all."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise InvalidInput(f"cannot read the htpasswd file {path}: {e}") from None
    found = Htpasswd()
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        login, sep, stored = line.strip().partition(":")
        if not sep or not login or not stored:
            found.problems.append(f"{path.name} line {number}: not login:hash, skipped")
        elif passwords.is_known_hash(stored):
            found.hashes[login] = stored
        elif stored.startswith(("$", "{")):
            found.problems.append(
                f"{login}: the hash scheme of {path.name} line {number} is not one davshare "
                f"checks (bcrypt, SHA-512/256 crypt, MD5-apr1, argon2): set a password with "
                "davshare user passwd"
            )
        else:
            found.hashes[login] = passwords.hash_password(stored)
            found.plain.add(login)
    return found
