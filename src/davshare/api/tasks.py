"""A task list as people use it (issue 17): status, percent, priority, due date, sub-tasks.

``GET /collections/<name>/tasks`` reads the list's tasks (selected by component in SQL)
and answers them sorted by due date, then priority, each with its parent (RELATED-TO)
and what the caller may do with it; ``?completed=hide`` leaves the completed and
cancelled ones out. Writes go through DAV (the pages' bridge), under DAV's rules.
"""

import datetime
import xml.etree.ElementTree as ET
from typing import Any

from radicale import item as radicale_item
from werkzeug.wrappers import Response

from davshare.api.base import Call, Handler
from davshare.api.item_rights import Rights, collection_of
from davshare.api.responses import json_response
from davshare.core import policy
from davshare.facts import access
from davshare.model import errors

_CALDAV = "urn:ietf:params:xml:ns:caldav"
DONE = ("COMPLETED", "CANCELLED")
MAX_TASKS = 5000


def _todo_filter() -> ET.Element:
    root = ET.Element(f"{{{_CALDAV}}}filter")
    calendar = ET.SubElement(root, f"{{{_CALDAV}}}comp-filter", name="VCALENDAR")
    ET.SubElement(calendar, f"{{{_CALDAV}}}comp-filter", name="VTODO")
    return root


def _value(component: Any, name: str) -> Any:
    found = getattr(component, name, None)
    return found.value if found is not None else None


def _moment(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return value.strftime("%Y-%m-%dT%H:%M:%S")
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def _parent(component: Any) -> str | None:
    for line in component.contents.get("related-to", []):
        reltype = (line.params.get("RELTYPE") or ["PARENT"])[0].upper()
        if reltype == "PARENT":
            return str(line.value)
    return None


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def task_json(item: radicale_item.Item) -> dict[str, Any]:
    """What the list shows of one task."""
    todo = item.vobject_item.vtodo
    status = str(_value(todo, "status") or "NEEDS-ACTION").upper()
    percent = _int(_value(todo, "percent_complete"))
    return {
        "href": item.href,
        "uid": item.uid,
        "etag": item.etag,
        "title": str(_value(todo, "summary") or ""),
        "status": status,
        "done": status in DONE,
        "percent": 100 if status == "COMPLETED" else max(0, min(100, percent)),
        "priority": max(0, min(9, _int(_value(todo, "priority")))),
        "due": _moment(_value(todo, "due")),
        "completed_at": _moment(_value(todo, "completed")),
        "parent": _parent(todo),
    }


def sort_key(task: dict[str, Any]) -> tuple[Any, ...]:
    """Due date first (undated last), then priority (1 highest, none last), then title."""
    due = task["due"] or "9999"
    priority = task["priority"] or 10
    return (task["done"], due, priority, task["title"].lower(), task["href"])


def list_tasks(call: Call, name: str) -> Response:
    """A task list's tasks, sorted, each with its parent and the caller's rights on it."""
    collection = collection_of(call, name)
    components = collection.get_meta("C:supported-calendar-component-set") or ""
    if collection.tag != "VCALENDAR" or "VTODO" not in components:
        raise errors.InvalidInput(f"{name!r} is not a task list")
    if policy.Privilege.READ not in access.privileges(call.engine, call.login, collection):
        raise errors.NotAllowed(f"you may not read {name!r}: ask its owner for the read right")
    hide = call.request.args.get("completed", "show")
    if hide not in ("show", "hide"):
        raise errors.InvalidInput("completed must be show or hide")
    found = [i for i, _ in collection.get_filtered([_todo_filter()]) if i.href]
    rights = Rights(call, collection, [i.href for i in found if i.href])
    tasks = []
    for item in found[:MAX_TASKS]:
        task = task_json(item)
        if hide == "hide" and task["done"]:
            continue
        item_rights = rights.of(str(item.href))
        task.update(
            creator=item_rights.creator or None,
            may_modify=item_rights.may_modify,
            may_delete=item_rights.may_delete,
        )
        tasks.append(task)
    tasks.sort(key=sort_key)
    return json_response(
        {
            "collection": name,
            "may_add": policy.Privilege.BIND
            in access.privileges(call.engine, call.login, collection),
            "tasks": tasks,
            "truncated": len(found) > MAX_TASKS,
        }
    )


ROUTES: list[tuple[str, str, Handler]] = [("GET", "/collections/<name>/tasks", list_tasks)]
