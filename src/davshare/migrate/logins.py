"""Which davshare account each source login becomes: never guessed.

A source login that is already ``local@domain`` is kept (lower-cased); a bare one
(``gilles``) needs the administrator to say its domain (``--domain example.com``)
or its login (``--map gilles=gilles@example.com``). The domain must be served.
"""

from dataclasses import dataclass, field

from sqlalchemy import Engine

from davshare.model import accounts
from davshare.model.errors import InvalidInput


@dataclass
class LoginMap:
    """Source login -> davshare login, and the source logins that have none, with why."""

    logins: dict[str, str] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)


def parse_map(pairs: list[str]) -> dict[str, str]:
    """``OLD=NEW`` pairs from the command line."""
    found = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise InvalidInput(f"{pair!r}: give --map OLD=NEW, e.g. gilles=gilles@example.com")
        found[old.strip()] = new.strip()
    return found


def map_logins(
    engine: Engine, sources: list[str], domain: str = "", explicit: dict[str, str] | None = None
) -> LoginMap:
    """The davshare login of each source login, or the reason it has none."""
    explicit = explicit or {}
    served = {name for name, _ in accounts.list_domains(engine)}
    found = LoginMap()
    for source in sources:
        wanted = explicit.get(source) or (
            source if "@" in source or not domain else f"{source}@{domain}"
        )
        try:
            _, their_domain = accounts.parse_login(wanted)
        except InvalidInput:
            found.problems[source] = (
                f"{source!r} is not a login of the form local@domain: name its account with "
                f"--domain example.com or --map {source}=LOGIN@DOMAIN"
            )
            continue
        if their_domain not in served:
            found.problems[source] = (
                f"{source} would be {accounts.normalize_login(wanted)}, but {their_domain} is "
                f"not served here: davshare domain add {their_domain}, or --map {source}=..."
            )
            continue
        found.logins[source] = accounts.normalize_login(wanted)
    taken: dict[str, str] = {}
    for source, login in list(found.logins.items()):
        if login in taken:
            del found.logins[source]
            found.problems[source] = f"{source} and {taken[login]} would both be {login}: --map one"
        taken[login] = source
    return found
