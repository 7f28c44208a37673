"""Views: saved filters over an address book, and who sees it through which (SPEC Q1-Q3).

A filter is JSON: ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": F}`` or a
condition ``{"field": "city", "op": "equals", "value": "Lyon"}``. It runs in
SQL on the ``item_props`` index (one ``IN`` per condition), never over every
contact in Python.
"""

import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    delete,
    false,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
    true,
    update,
)

from davshare.model.contact_props import MAX_VALUE
from davshare.model.errors import InvalidInput, NotFound
from davshare.model.tables import item_props, items, view_assignments, views

# Names people filter on -> the item_props name they are indexed under.
FIELDS = {
    "city": "city",
    "country": "country",
    "region": "region",
    "postal_code": "postal_code",
    "street": "street",
    "organisation": "organisation",
    "email": "EMAIL",
    "email_domain": "email_domain",
    "phone": "TEL",
    "category": "category",
    "title": "TITLE",
    "name": "FN",
    "nickname": "NICKNAME",
    "note": "NOTE",
}
OPS = ("equals", "contains", "starts_with", "exists")
_PROPERTY = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,63}$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")
_MAX_CONDITIONS = 50
_MAX_DEPTH = 8


@dataclass(frozen=True)
class View:
    """A saved filter of one address book."""

    id: int
    name: str
    filter: dict[str, Any]
    version: int

    @property
    def lens(self) -> str:
        """Its name in the change log's ``hidden_for``."""
        return f"v{self.id}"

    @property
    def token_part(self) -> str:
        """What sync tokens carry of it: a new filter expires the old tokens (Q3)."""
        return f"v{self.id}.{self.version}"


def _field(name: object) -> str:
    if not isinstance(name, str) or not name:
        raise InvalidInput('a condition needs a "field", such as "city" or "X-SUPPORT-LEVEL"')
    if name.lower() in FIELDS:
        return FIELDS[name.lower()]
    if not _PROPERTY.match(name):
        known = ", ".join(FIELDS)
        raise InvalidInput(f"unknown field {name!r}: use one of {known}, or a vCard property name")
    return name.upper()


def validate(spec: object) -> dict[str, Any]:
    """The filter, checked and normalised; 400 naming what is wrong."""
    count = [0]

    def check(node: object, depth: int) -> dict[str, Any]:
        if depth > _MAX_DEPTH:
            raise InvalidInput(f"a filter may nest at most {_MAX_DEPTH} levels")
        if not isinstance(node, dict) or len(node) == 0:
            raise InvalidInput(
                'a filter is an object: {"all": [...]}, {"any": [...]}, {"not": {...}} '
                'or {"field": ..., "op": ..., "value": ...}'
            )
        for key in ("all", "any"):
            if key in node:
                parts = node[key]
                if not isinstance(parts, list) or not parts or len(node) != 1:
                    raise InvalidInput(f'"{key}" takes a non-empty list of filters, alone')
                return {key: [check(p, depth + 1) for p in parts]}
        if "not" in node:
            if len(node) != 1:
                raise InvalidInput('"not" takes one filter, alone')
            return {"not": check(node["not"], depth + 1)}
        count[0] += 1
        if count[0] > _MAX_CONDITIONS:
            raise InvalidInput(f"a filter may hold at most {_MAX_CONDITIONS} conditions")
        field = node.get("field")
        _field(field)
        op = node.get("op", "equals")
        if op not in OPS:
            raise InvalidInput(f"unknown op {op!r}: use one of {', '.join(OPS)}")
        if op == "exists":
            return {"field": field, "op": op}
        value = node.get("value")
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(f'the condition on {field!r} needs a "value" (text)')
        return {"field": field, "op": op, "value": value.strip()}

    return check(spec, 0)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class Indexed:
    """Rows a filter runs on: their ids, and the index of their properties (its ``key``
    column naming the row). Items by default; kept versions too (``model/history.py``)."""

    ids: Any
    props: Any
    key: Any


ITEMS = Indexed(items.c.id, item_props, item_props.c.item_id)


def condition(
    collection_id: int, spec: dict[str, Any], rows: Indexed = ITEMS
) -> ColumnElement[bool]:
    """The SQL condition on ``items`` (or on ``rows``) of a (validated) filter."""
    if "all" in spec:
        return and_(true(), *(condition(collection_id, p, rows) for p in spec["all"]))
    if "any" in spec:
        return or_(false(), *(condition(collection_id, p, rows) for p in spec["any"]))
    if "not" in spec:
        return not_(condition(collection_id, spec["not"], rows))
    props = rows.props.c
    wanted = (props.collection_id == collection_id) & (props.name == _field(spec["field"]))
    value = " ".join(spec.get("value", "").split()).lower()[:MAX_VALUE]
    if spec["op"] == "equals":
        wanted &= props.value == value
    elif spec["op"] == "contains":
        wanted &= props.value.like(f"%{_escape_like(value)}%", escape="\\")
    elif spec["op"] == "starts_with":
        wanted &= props.value.like(f"{_escape_like(value)}%", escape="\\")
    return rows.ids.in_(select(rows.key).where(wanted))


def _view(row: Any) -> View:
    return View(int(row.id), row.name, json.loads(row.filter), int(row.version))


def views_of(conn: Connection, collection_id: int) -> list[View]:
    """The views of an address book, by name."""
    rows = conn.execute(
        select(views).where(views.c.collection_id == collection_id).order_by(views.c.name)
    )
    return [_view(row) for row in rows]


def view_for(conn: Connection, collection_id: int, login: str) -> View | None:
    """The view ``login`` sees the address book through, or None for all of it (Q2)."""
    row = conn.execute(
        select(views)
        .join(view_assignments, view_assignments.c.view_id == views.c.id)
        .where(view_assignments.c.collection_id == collection_id, view_assignments.c.login == login)
    ).first()
    return _view(row) if row is not None else None


def assignments(conn: Connection, collection_id: int) -> dict[str, str]:
    """login -> the name of the view they are given, for one address book."""
    rows = conn.execute(
        select(view_assignments.c.login, views.c.name)
        .join(views, views.c.id == view_assignments.c.view_id)
        .where(view_assignments.c.collection_id == collection_id)
        .order_by(view_assignments.c.login)
    )
    return {login: name for login, name in rows}


def check_name(name: str) -> str:
    """A view's name, or 400 saying what a name may hold."""
    if not _NAME.match(name):
        raise InvalidInput(
            "a view's name has 1 to 64 letters, digits, spaces, '.', '_' or '-' "
            "and starts with a letter or digit"
        )
    return name


def put_view(
    conn: Connection, collection_id: int, name: str, spec: object, by: str
) -> tuple[View, bool]:
    """Create or replace a view; (the view, whether it was created)."""
    text = json.dumps(validate(spec), sort_keys=True)
    row = conn.execute(
        select(views).where(
            views.c.collection_id == collection_id, views.c.name == check_name(name)
        )
    ).first()
    if row is None:
        conn.execute(
            insert(views).values(collection_id=collection_id, name=name, filter=text, created_by=by)
        )
        created = True
    else:
        if row.filter != text:
            conn.execute(
                update(views)
                .where(views.c.id == row.id)
                .values(filter=text, version=views.c.version + 1)
            )
        created = False
    found = conn.execute(
        select(views).where(views.c.collection_id == collection_id, views.c.name == name)
    ).one()
    return _view(found), created


def _named(conn: Connection, collection_id: int, name: str) -> int:
    view_id = conn.scalar(
        select(views.c.id).where(views.c.collection_id == collection_id, views.c.name == name)
    )
    if view_id is None:
        raise NotFound(f"no view {name!r} on this address book")
    return int(view_id)


def delete_view(conn: Connection, collection_id: int, name: str) -> None:
    """Delete a view; the people given it see the whole address book again."""
    view_id = _named(conn, collection_id, name)
    conn.execute(delete(view_assignments).where(view_assignments.c.view_id == view_id))
    conn.execute(delete(views).where(views.c.id == view_id))


def assign(conn: Connection, collection_id: int, login: str, name: str | None) -> None:
    """Give ``login`` the view ``name``, or (None) all of the address book again."""
    conn.execute(
        delete(view_assignments).where(
            view_assignments.c.collection_id == collection_id, view_assignments.c.login == login
        )
    )
    if name is not None:
        conn.execute(
            insert(view_assignments).values(
                collection_id=collection_id, login=login, view_id=_named(conn, collection_id, name)
            )
        )


def count(conn: Connection, collection_id: int, spec: object) -> int:
    """How many contacts of the address book a filter matches (the builder's live count)."""
    checked = validate(spec)
    return int(
        conn.scalar(
            select(func.count())
            .select_from(items)
            .where(items.c.collection_id == collection_id, condition(collection_id, checked))
        )
        or 0
    )


def matching(
    conn: Connection, collection_id: int, item_id: int, candidates: list[View]
) -> set[int]:
    """The ids of the ``candidates`` whose filter the item matches now (one query)."""
    if not candidates:
        return set()
    columns = [
        condition(collection_id, v.filter).label(f"v{v.id}") if v.filter else literal(True)
        for v in candidates
    ]
    row = conn.execute(select(*columns).where(items.c.id == item_id)).first()
    if row is None:
        return set()
    return {v.id for v, hit in zip(candidates, row, strict=True) if hit}
