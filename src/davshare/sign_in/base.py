"""What every sign-in backend answers, its settings, and its two ways of failing loudly."""

from dataclasses import dataclass, field

# The backends ``[auth] backends`` may name; "local" is davshare's own accounts table.
NAMES = ("local", "ldap", "imap", "htpasswd")


@dataclass(frozen=True)
class Identity:
    """A person a backend accepted: the davshare login they sign in as, and their name."""

    login: str
    display_name: str = ""


class Unavailable(Exception):
    """The directory or mail server could not be asked: 503 with Retry-After, never a
    sign-in and never a counted failure."""

    def __init__(self, backend: str, reason: str, retry_after: int = 30) -> None:
        super().__init__(f"{backend}: {reason}")
        self.backend = backend
        self.retry_after = retry_after

    def message(self) -> str:
        """What a person is told."""
        return (
            f"Sign-in is unavailable: this server cannot reach its {self.backend} sign-in "
            f"service right now. Try again in {self.retry_after} seconds; if it lasts, tell "
            "your server admin."
        )


class Refused(Exception):
    """A right password that still opens nothing here (its domain is not served): the
    message says why and what to do (401, never a counted failure)."""


@dataclass(frozen=True)
class LdapOptions:
    """The [ldap] section."""

    url: str = ""
    starttls: bool = False
    ca_file: str = ""
    bind_dn: str = ""
    bind_password: str = ""
    base: str = ""
    search: str = "(mail={login})"
    group: str = ""
    name_attribute: str = "displayName"
    mail_attribute: str = "mail"
    timeout: float = 5


@dataclass(frozen=True)
class ImapOptions:
    """The [imap] section."""

    host: str = ""
    port: int = 993
    security: str = "tls"
    ca_file: str = ""
    login: str = "{login}"
    timeout: float = 5


@dataclass(frozen=True)
class HtpasswdOptions:
    """The [htpasswd] section."""

    file: str = ""
    domain: str = ""


@dataclass(frozen=True)
class Options:
    """Which backends check passwords, in order, and what a first external sign-in creates."""

    backends: tuple[str, ...] = ("local",)
    profile: str = "add_delete"
    plan: str = ""
    cache_seconds: float = 60
    retry_after: int = 30
    ldap: LdapOptions = field(default_factory=LdapOptions)
    imap: ImapOptions = field(default_factory=ImapOptions)
    htpasswd: HtpasswdOptions = field(default_factory=HtpasswdOptions)

    @property
    def external(self) -> tuple[str, ...]:
        """The configured backends other than davshare's own accounts, in order."""
        return tuple(name for name in self.backends if name != "local")


def split_login(login: str) -> tuple[str, str]:
    """``local@domain`` as (local, domain); ("login", "") without an @."""
    local, sep, domain = login.rpartition("@")
    return (local, domain) if sep else (login, "")
