"""Invitations to a group by address (SPEC G3), accepted through the groups' membership code.

An invitation names an address: an existing account, or an address of a domain
served here whose account does not exist yet (it waits for it). Its message
goes to the outbox in the same transaction.
"""

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from davshare.core import policy
from davshare.model import groups, mail_outbox, mail_templates, membership
from davshare.model.accounts import parse_login
from davshare.model.db import read_transaction, write_transaction
from davshare.model.errors import AlreadyExists, InvalidInput, NotAllowed, NotFound
from davshare.model.service_tables import invitations
from davshare.model.tables import domains, users
from davshare.model.tables import groups as groups_table

API_PATH = "/.davshare/api/v1"


@dataclass
class Options:
    """What the configuration decides: validity, resends a day, links, default language."""

    valid_days: float = 14
    sends_per_day: int = 3
    public_url: str = "http://127.0.0.1:5232"
    language: str = "en"


OPTIONS = Options()


def configure(options: Options) -> None:
    """Set the options of this process (the server and the CLI call it at start)."""
    global OPTIONS
    OPTIONS = options


@dataclass(frozen=True)
class Invitation:
    """One pending invitation."""

    group: str
    address: str
    token: str
    invited_by: str
    expires_at: int
    sends: int

    @property
    def expired(self) -> bool:
        """Whether it can no longer be accepted."""
        return self.expires_at <= time.time()


def api_url(path: str) -> str:
    """The address of an API path as people reach the server (for links in messages)."""
    return f"{OPTIONS.public_url}{API_PATH}{path}"


def link(token: str) -> str:
    """Where the invitee finds the invitation (the API; POST …/accept or …/decline)."""
    return api_url(f"/invitations/{token}")


def language_of(conn: Connection, login: str) -> str:
    """The language of messages to ``login`` (the server's default when unknown)."""
    language = conn.scalar(select(users.c.language).where(users.c.login == login))
    return str(language or OPTIONS.language)


def set_language(engine: Engine, login: str, language: str) -> None:
    """Choose the language of the messages sent to the account."""
    if language not in mail_templates.LANGUAGES:
        raise InvalidInput(
            f"unknown language {language!r}: use {', '.join(mail_templates.LANGUAGES)}"
        )
    with write_transaction(engine) as conn:
        conn.execute(update(users).where(users.c.login == login).values(language=language))


def _manager_context(conn: Connection, login: str, name: str) -> tuple[int, str]:
    group_id, role, who = groups.member_context(conn, name, login)
    if not policy.can_invite(role, who):
        raise NotAllowed("only the group's admin and co-admins manage invitations")
    return group_id, str(
        conn.scalar(select(groups_table.c.name).where(groups_table.c.id == group_id))
    )


def _check_address(conn: Connection, address: str) -> str:
    _, domain = parse_login(address)
    address = address.strip().lower()
    if conn.scalar(select(users.c.id).where(users.c.login == address)) is not None:
        return address
    if conn.scalar(select(domains.c.id).where(domains.c.name == domain)) is None:
        raise InvalidInput(
            f"{address} has no account here and {domain} is not a domain of this server: "
            "invite an account of this server"
        )
    return address


def _send(
    conn: Connection, name: str, inviter: str, address: str, token: str, expires: int
) -> None:
    subject, body = mail_templates.render(
        "invitation",
        language_of(conn, address),
        inviter=inviter,
        group=name,
        invitee=address,
        link=link(token),
        expires=datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
    mail_outbox.enqueue(conn, address, subject, body, link(token))


def _expiry(now: int) -> int:
    return now + int(OPTIONS.valid_days * 86_400)


def invite(engine: Engine, login: str, name: str, address: str) -> Invitation:
    """Invite ``address`` into the group (admin and co-admins, G3); its message is queued."""
    now = int(time.time())
    with write_transaction(engine) as conn:
        group_id, name = _manager_context(conn, login, name)
        address = _check_address(conn, address)
        if groups.role_of(conn, group_id, address) is not None:
            raise AlreadyExists(f"{address} is a member already")
        where = (invitations.c.group_id == group_id) & (invitations.c.address == address)
        if conn.scalar(select(invitations.c.id).where(where)) is not None:
            raise AlreadyExists(f"{address} is invited already: resend or withdraw the invitation")
        token = secrets.token_urlsafe(24)
        conn.execute(
            insert(invitations).values(
                group_id=group_id,
                address=address,
                token=token,
                invited_by=login,
                expires_at=_expiry(now),
                window_start=now,
                sends=1,
            )
        )
        _send(conn, name, login, address, token, _expiry(now))
    return Invitation(name, address, token, login, _expiry(now), 1)


def _query():  # type: ignore[no-untyped-def]
    return select(invitations, groups_table.c.name.label("group_name")).join(
        groups_table, groups_table.c.id == invitations.c.group_id
    )


def _invitation(row: Any) -> Invitation:
    return Invitation(
        row.group_name, row.address, row.token, row.invited_by, int(row.expires_at), int(row.sends)
    )


def pending_for(engine: Engine, login: str) -> list[Invitation]:
    """The invitations ``login`` may accept or decline now (expired ones are left out)."""
    with read_transaction(engine) as conn:
        rows = conn.execute(
            _query()
            .where(invitations.c.address == login, invitations.c.expires_at > int(time.time()))
            .order_by(groups_table.c.name)
        )
        return [_invitation(row) for row in rows]


def of_group(engine: Engine, login: str, name: str) -> list[Invitation]:
    """The group's pending invitations, expired ones included (to resend or withdraw)."""
    with read_transaction(engine) as conn:
        group_id, _ = _manager_context(conn, login, name)
        rows = conn.execute(
            _query().where(invitations.c.group_id == group_id).order_by(invitations.c.address)
        )
        return [_invitation(row) for row in rows]


def _own(conn: Connection, login: str, token: str) -> Any:
    row = conn.execute(_query().where(invitations.c.token == token)).first()
    if row is None or row.address != login:
        raise NotFound("no such invitation: it was withdrawn, answered, or is for someone else")
    return row


def accept(engine: Engine, login: str, token: str) -> str:
    """Accept an invitation: ``login`` becomes a member (G3); returns the group's name."""
    with write_transaction(engine) as conn:
        row = _own(conn, login, token)
        if _invitation(row).expired:
            raise InvalidInput("the invitation has expired: ask the group's admin to resend it")
        membership.insert_member(conn, int(row.group_id), login)
        conn.execute(delete(invitations).where(invitations.c.id == row.id))
    return str(row.group_name)


def decline(engine: Engine, login: str, token: str) -> None:
    """Decline an invitation; it is gone."""
    with write_transaction(engine) as conn:
        _own(conn, login, token)
        conn.execute(delete(invitations).where(invitations.c.token == token))


def _pending(conn: Connection, group_id: int, address: str) -> Any:
    row = conn.execute(
        _query().where(
            invitations.c.group_id == group_id, invitations.c.address == address.strip().lower()
        )
    ).first()
    if row is None:
        raise NotFound(f"{address} has no pending invitation to this group")
    return row


def resend(engine: Engine, login: str, name: str, address: str) -> Invitation:
    """Send an invitation again (a few times a day at most); its validity restarts."""
    now = int(time.time())
    with write_transaction(engine) as conn:
        group_id, name = _manager_context(conn, login, name)
        row = _pending(conn, group_id, address)
        window, sends = int(row.window_start), int(row.sends)
        if not policy.may_send_again(window, sends, now, OPTIONS.sends_per_day):
            raise NotAllowed(
                f"the invitation was sent {sends} time(s) today, the most allowed in a day: "
                "try again tomorrow"
            )
        if now - window >= 86_400:
            window, sends = now, 0
        values = dict(window_start=window, sends=sends + 1, expires_at=_expiry(now))
        conn.execute(update(invitations).where(invitations.c.id == row.id).values(values))
        token = str(row.token)
        _send(conn, name, login, str(row.address), token, _expiry(now))
    return Invitation(name, str(row.address), token, login, _expiry(now), sends + 1)


def withdraw(engine: Engine, login: str, name: str, address: str) -> None:
    """Withdraw a pending invitation: it can no longer be accepted."""
    with write_transaction(engine) as conn:
        group_id, _ = _manager_context(conn, login, name)
        row = _pending(conn, group_id, address)
        conn.execute(delete(invitations).where(invitations.c.id == row.id))
