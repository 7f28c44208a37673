"""The settings of where passwords are checked: ``[auth] backends`` and the sections of
the external backends, ``[ldap]``, ``[imap]`` and ``[htpasswd]`` (docs/sign-in.md)."""

from pathlib import Path

from davshare.model.errors import InvalidInput
from davshare.model.tables import PROFILES
from davshare.server.setting_values import flag, number
from davshare.sign_in.base import NAMES, HtpasswdOptions, ImapOptions, LdapOptions, Options

# [auth] options beside delay and realm; section -> option -> (default, explanation).
AUTH: dict[str, tuple[str, str]] = {
    "backends": ("local", "where passwords are checked, in order: local, ldap, imap, htpasswd"),
    "new_account_profile": ("add_delete", "profile of an account made at a first external sign-in"),
    "new_account_plan": ("", "plan of an account made at a first external sign-in; empty: none"),
    "cache_seconds": ("60", "seconds a password the directory or mail server accepted is reused"),
    "retry_after": ("30", "Retry-After, in seconds, of the 503 answered when a backend is down"),
}
SECTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "ldap": {
        "url": ("", "ldaps://host[:port] or ldap://host[:port] (then starttls = true)"),
        "starttls": ("false", "true: upgrade an ldap:// connection with StartTLS"),
        "ca_file": ("", "the CA certificates that signed the directory's (empty: the system's)"),
        "bind_dn": ("", "the service account that searches (empty: anonymous search)"),
        "bind_password": ("", "its password"),
        "base": ("", "where people are searched, e.g. ou=people,dc=example,dc=com"),
        "search": ("(mail={login})", "filter finding a person; {login}, {local}, {domain}"),
        "group": ("", "DN of the group whose members only may sign in; empty: everyone found"),
        "name_attribute": ("displayName", "attribute holding the person's display name"),
        "mail_attribute": ("mail", "attribute holding their mail address (their login here)"),
        "timeout": ("5", "seconds to wait for the directory before answering 503"),
    },
    "imap": {
        "host": ("", "the mail server checking passwords, e.g. imap.example.com"),
        "port": ("993", "993 with tls, 143 with starttls"),
        "security": ("tls", "tls (IMAPS) or starttls"),
        "ca_file": ("", "the CA certificates that signed the server's (empty: the system's)"),
        "login": ("{login}", "what the mail server's login is: {login}, {local} or {domain}"),
        "timeout": ("5", "seconds to wait for the mail server before answering 503"),
    },
    "htpasswd": {
        "file": ("", "an htpasswd file (Apache's htpasswd, Radicale's users file)"),
        "domain": ("", "the domain of the file's names without one (alice -> alice@domain)"),
    },
}


def _path(base: Path, raw: str) -> str:
    return str(base / raw.strip()) if raw.strip() else ""


def read(values: dict[str, dict[str, str]], base: Path) -> Options:
    """The sign-in options of the configuration's values (file names relative to ``base``,
    the configuration's folder), refusing what cannot work."""
    auth, ldap, imap = values["auth"], values["ldap"], values["imap"]
    names = tuple(n.strip().lower() for n in auth["backends"].split(",") if n.strip())
    unknown = [n for n in names if n not in NAMES]
    if not names or unknown:
        raise InvalidInput(
            f"[auth] backends: {', '.join(unknown) or 'empty'} is not a backend; use one or "
            f"more of {', '.join(NAMES)}, separated by commas"
        )
    if auth["new_account_profile"] not in PROFILES:
        raise InvalidInput(f"[auth] new_account_profile must be one of {', '.join(PROFILES)}")
    needed = {"ldap": ("url", "base"), "imap": ("host",), "htpasswd": ("file",)}
    for name in names:
        for option in needed.get(name, ()):
            if not values[name][option].strip():
                raise InvalidInput(f"[auth] backends names {name}: set [{name}] {option}")
    if imap["security"] not in ("tls", "starttls"):
        raise InvalidInput(f"[imap] security must be tls or starttls, not {imap['security']!r}")
    url = ldap["url"].strip().lower()
    if url and not url.startswith(("ldap://", "ldaps://")):
        raise InvalidInput(f"[ldap] url must start with ldaps:// or ldap://, not {ldap['url']!r}")
    starttls = flag("ldap", "starttls", ldap["starttls"])
    if url.startswith("ldap://") and not starttls:
        raise InvalidInput(
            "[ldap] url is ldap:// without starttls = true: passwords would cross the network "
            "in clear; use ldaps:// or starttls = true"
        )
    return Options(
        backends=names,
        profile=auth["new_account_profile"],
        plan=auth["new_account_plan"].strip(),
        cache_seconds=number("auth", "cache_seconds", auth["cache_seconds"], float),
        retry_after=number("auth", "retry_after", auth["retry_after"], int),
        ldap=LdapOptions(
            **{k: ldap[k] for k in ("url", "bind_dn", "bind_password", "base")},
            ca_file=_path(base, ldap["ca_file"]),
            **{k: ldap[k] for k in ("search", "group", "name_attribute", "mail_attribute")},
            starttls=starttls,
            timeout=number("ldap", "timeout", ldap["timeout"], float),
        ),
        imap=ImapOptions(
            host=imap["host"],
            port=number("imap", "port", imap["port"], int),
            security=imap["security"],
            ca_file=_path(base, imap["ca_file"]),
            login=imap["login"],
            timeout=number("imap", "timeout", imap["timeout"], float),
        ),
        htpasswd=HtpasswdOptions(
            file=_path(base, values["htpasswd"]["file"]),
            domain=values["htpasswd"]["domain"].strip().lower(),
        ),
    )
