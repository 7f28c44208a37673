"""LDAP and Active Directory (``ldap3``): bind as the service account, find the person by
the ``[ldap] search`` filter, check the group, then bind as them with their password."""

import logging
import ssl
from math import ceil
from typing import Any

import ldap3
from ldap3.core import exceptions as ldap_errors
from ldap3.utils.conv import escape_filter_chars

from davshare.sign_in.base import Identity, LdapOptions, Unavailable, split_login

logger = logging.getLogger("davshare.sign_in")


def _connection(options: LdapOptions, user: str | None, password: str | None) -> Any:
    """An open connection (StartTLS done when asked), not yet bound."""
    tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=options.ca_file or None)
    server = ldap3.Server(
        options.url, tls=tls, connect_timeout=options.timeout, get_info=ldap3.NONE
    )
    connection = ldap3.Connection(
        server,
        user=user,
        password=password,
        receive_timeout=ceil(options.timeout),  # ldap3 packs it as a whole number
        read_only=True,
        raise_exceptions=False,
    )
    connection.open()
    if options.starttls and not connection.start_tls():
        raise Unavailable("LDAP", f"StartTLS refused by {options.url}: {connection.result}")
    return connection


def _filter(template: str, login: str, dn: str = "", uid: str = "") -> str:
    local, domain = split_login(login)
    values = {"login": login, "local": local, "domain": domain, "dn": dn, "uid": uid}
    return template.format(**{k: escape_filter_chars(v) for k, v in values.items()})


def _first(attributes: dict[str, Any], name: str) -> str:
    value = attributes.get(name) if name else None
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value) if value else ""


def _in_group(connection: Any, options: LdapOptions, dn: str, uid: str) -> bool:
    """Whether the group entry names ``dn`` (member, uniqueMember) or ``uid`` (memberUid)."""
    query = _filter("(|(member={dn})(uniqueMember={dn})(memberUid={uid}))", "", dn, uid)
    connection.search(options.group, query, search_scope=ldap3.BASE, attributes=["cn"])
    return bool(connection.entries)


def _find(connection: Any, options: LdapOptions, login: str) -> dict[str, Any] | None:
    """The one entry the search filter finds for ``login`` (None: none, or several)."""
    attributes = [a for a in ("uid", options.name_attribute, options.mail_attribute, "cn") if a]
    connection.search(
        options.base, _filter(options.search, login), attributes=attributes, size_limit=2
    )
    if connection.result["description"] not in ("success", "sizeLimitExceeded"):
        raise Unavailable("LDAP", f"the search under {options.base!r} failed: {connection.result}")
    found = [r for r in connection.response if r.get("type") == "searchResEntry"]
    if len(found) > 1:
        logger.warning("LDAP: several entries match %r: refused, make [ldap] search unique", login)
    return found[0] if len(found) == 1 else None


def verify(options: LdapOptions, login: str, password: str) -> Identity | None:
    """The person ``login`` is in the directory if ``password`` binds as them (and they
    are in ``[ldap] group`` when one is set); None otherwise."""
    if not password:  # an empty password would be an anonymous bind, which "succeeds"
        return None
    service = None
    try:
        service = _connection(options, options.bind_dn or None, options.bind_password or None)
        if not service.bind():
            raise Unavailable("LDAP", f"the service account was refused: {service.result}")
        entry = _find(service, options, login)
        if entry is None:
            return None
        dn, attributes = entry["dn"], entry.get("attributes", {})
        if options.group and not _in_group(service, options, dn, _first(attributes, "uid")):
            return None
        person = _connection(options, dn, password)
        accepted = person.bind()
        person.unbind()
    except ldap_errors.LDAPException as e:
        raise Unavailable("LDAP", f"{options.url} did not answer: {e}") from None
    finally:
        if service is not None:
            service.unbind()
    if not accepted:
        return None
    mails = attributes.get(options.mail_attribute) or []
    mails = [str(m).lower() for m in (mails if isinstance(mails, list) else [mails])]
    name = _first(attributes, options.name_attribute) or _first(attributes, "cn")
    return Identity(login=login if login in mails or not mails else mails[0], display_name=name)
