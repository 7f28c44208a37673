"""Each group's read-only address book of its members (SPEC G4).

Members see each other's surname, given name, organisation, e-mail and photo.
The book is kept current when members join or leave and when they change what
others see of them; it is stored like any address book, so clients sync it.
"""

from radicale import item as radicale_item
from sqlalchemy import Connection, select

from davshare.model import homes, item_rows
from davshare.model.item_fields import searchable_fields
from davshare.model.tables import collections, group_members, groups, items, users

NAME = "members"
PROPS = {
    "tag": "VADDRESSBOOK",
    "D:displayname": "Members",
    "CR:addressbook-description": "Read only",
}


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def member_card(
    login: str, display_name: str, given: str, family: str, organisation: str, photo: str
) -> str:
    """The vCard 3.0 of one member, as the others see it."""
    name = display_name or " ".join(p for p in (given, family) if p) or login
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:davshare-member-{login}",
        f"FN:{_escape(name)}",
        f"N:{_escape(family)};{_escape(given)};;;",
        f"EMAIL;TYPE=INTERNET:{login}",
    ]
    if organisation:
        lines.append(f"ORG:{_escape(organisation)}")
    if photo.startswith("data:image/") and ";base64," in photo:
        kind, data = photo[11:].split(";base64,", 1)
        lines.append(f"PHOTO;ENCODING=b;TYPE={kind.upper()}:{data}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def _book(conn: Connection, group_id: int) -> int:
    name = conn.scalar(select(groups.c.name).where(groups.c.id == group_id))
    path = f"@{name}/{NAME}"
    found = conn.scalar(select(collections.c.id).where(collections.c.path == path))
    return (
        int(found)
        if found is not None
        else homes.insert_collection(conn, path, f"@{name}", dict(PROPS), group_id)
    )


def _wanted(conn: Connection, group_id: int) -> dict[str, str]:
    query = (
        select(
            users.c.login,
            users.c.display_name,
            users.c.given_name,
            users.c.family_name,
            users.c.organisation,
            users.c.photo,
        )
        .join(group_members, group_members.c.login == users.c.login)
        .where(group_members.c.group_id == group_id)
    )
    return {f"{row.login}.vcf": member_card(*row) for row in conn.execute(query)}


def refresh(conn: Connection, group_id: int) -> None:
    """Bring the group's members' address book up to date (only changed cards are written)."""
    book = _book(conn, group_id)
    wanted = _wanted(conn, group_id)
    stored = dict(
        conn.execute(select(items.c.href, items.c.etag).where(items.c.collection_id == book)).all()
    )
    for href, card in wanted.items():
        item = radicale_item.Item(collection_path=f"members/{NAME}", text=card)
        if stored.get(href) != item.etag:
            values = {"uid": item.uid, "etag": item.etag, "text": card, **searchable_fields(item)}
            item_rows.write_item(conn, book, href, values, creator="")
    for href in stored.keys() - wanted.keys():
        item_rows.delete_item(conn, book, href)


def refresh_for(conn: Connection, login: str) -> None:
    """Refresh the members' address book of every group ``login`` belongs to."""
    query = select(group_members.c.group_id).where(group_members.c.login == login)
    for group_id in [g for (g,) in conn.execute(query)]:
        refresh(conn, group_id)
