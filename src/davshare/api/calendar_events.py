"""The calendar view's events: occurrences of one or several calendars in a time range.

``GET /calendar-events?start=&end=&collections=a,b`` selects, per calendar, only the
items whose stored time range (recurrences included, written by Radicale's own code)
meets the asked range — one indexed SQL condition, as for a CalDAV time-range REPORT —
and expands the recurring ones among them with Radicale's recurrence code, bounded in
range and in count. A calendar the caller may only see busy times of gives busy blocks
without any detail; private events come redacted as for DAV readers.
"""

import datetime
import xml.etree.ElementTree as ET
from typing import Any

from radicale import item as radicale_item
from radicale.app.report import freebusy_periods
from radicale.item import filter as radicale_filter
from werkzeug.wrappers import Response

from davshare.api import messages
from davshare.api.base import Call, Handler
from davshare.api.item_rights import Rights, collection_of
from davshare.api.responses import json_response
from davshare.core import policy
from davshare.facts import access
from davshare.model import errors
from davshare.storage.collection import Collection

MAX_RANGE = datetime.timedelta(days=100)
MAX_OCCURRENCES = 5000
MAX_COLLECTIONS = 50
_CALDAV = "urn:ietf:params:xml:ns:caldav"
_FORMAT = "%Y%m%dT%H%M%SZ"


def _moment(call: Call, name: str) -> datetime.datetime:
    raw = call.request.args.get(name, "")
    if not raw:
        raise errors.InvalidInput(f"give {name}=, a date or date-time like 2026-12-07T00:00Z")
    try:
        moment = datetime.datetime.fromisoformat(raw.replace(" ", "+"))
    except ValueError:
        raise errors.InvalidInput(
            f"{name} must be a date or date-time like 2026-12-07 or 2026-12-07T00:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC)


def asked_range(call: Call) -> tuple[datetime.datetime, datetime.datetime]:
    """The range asked for: ``start`` before ``end``, at most ``MAX_RANGE`` long."""
    start, end = _moment(call, "start"), _moment(call, "end")
    if end <= start:
        raise errors.InvalidInput("end must come after start")
    if end - start > MAX_RANGE:
        raise errors.InvalidInput(f"ask for {MAX_RANGE.days} days at most at once")
    return start, end


def range_filter(start: datetime.datetime, end: datetime.datetime) -> ET.Element:
    """A CalDAV filter for the events meeting ``start``-``end`` (the SQL prefilter reads it)."""
    root = ET.Element(f"{{{_CALDAV}}}filter")
    calendar = ET.SubElement(root, f"{{{_CALDAV}}}comp-filter", name="VCALENDAR")
    event = ET.SubElement(calendar, f"{{{_CALDAV}}}comp-filter", name="VEVENT")
    ET.SubElement(
        event, f"{{{_CALDAV}}}time-range", start=start.strftime(_FORMAT), end=end.strftime(_FORMAT)
    )
    return root


def _text(component: Any, name: str) -> str:
    found = getattr(component, name, None)
    return str(found.value) if found is not None and found.value is not None else ""


def _when(moment: datetime.datetime, all_day: bool) -> str:
    if all_day:
        return moment.date().isoformat()
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _recurrence_id(main: Any, occurrence: datetime.datetime) -> dict[str, str]:
    """The RECURRENCE-ID a change of this occurrence only must carry, in DTSTART's form."""
    dtstart = main.dtstart
    if not isinstance(dtstart.value, datetime.datetime):
        return {"params": "VALUE=DATE", "value": occurrence.strftime("%Y%m%d")}
    # vobject keeps the written TZID under this parameter once it has read the zone.
    tzid = (dtstart.params.get("X-VOBJ-ORIGINAL-TZID") or dtstart.params.get("TZID") or [""])[0]
    if tzid and dtstart.value.tzinfo is not None:
        local = occurrence.astimezone(dtstart.value.tzinfo)
        return {"params": f"TZID={tzid}", "value": local.strftime("%Y%m%dT%H%M%S")}
    if dtstart.value.tzinfo is None:
        return {"params": "", "value": occurrence.strftime("%Y%m%dT%H%M%S")}
    return {"params": "", "value": occurrence.astimezone(datetime.UTC).strftime(_FORMAT)}


def _own_recurrence_id(component: Any) -> dict[str, str]:
    """An override's own RECURRENCE-ID, as written (so a later change finds it again)."""
    value = component.recurrence_id.value
    if not isinstance(value, datetime.datetime):
        return {"params": "VALUE=DATE", "value": value.strftime("%Y%m%d")}
    return _recurrence_id(_Holder(component.recurrence_id), value)


class _Holder:
    """Gives ``_recurrence_id`` a RECURRENCE-ID line where it expects a DTSTART line."""

    def __init__(self, line: Any) -> None:
        self.dtstart = line


def occurrences(
    item: radicale_item.Item,
    start: datetime.datetime,
    end: datetime.datetime,
    budget: list[int],
) -> list[dict[str, Any]]:
    """The occurrences of one event item within ``start``-``end`` (``budget``: how many more)."""
    found: list[dict[str, Any]] = []
    holder: list[Any] = [None]
    recurring = any(getattr(c, "rrule", None) for c in item.vobject_item.vevent_list) or any(
        hasattr(c, "recurrence_id") for c in item.vobject_item.vevent_list
    )

    def component_fn(component: Any) -> bool:
        holder[0] = component
        return True

    def range_fn(
        occurrence_start: datetime.datetime, occurrence_end: datetime.datetime, is_override: bool
    ) -> bool:
        if occurrence_start >= end and not is_override:
            return True  # the series has gone past the range: stop expanding it
        if not (start < occurrence_end and occurrence_start < end) and not (
            occurrence_start == occurrence_end and start <= occurrence_start < end
        ):
            return False
        if budget[0] <= 0:
            return True
        budget[0] -= 1
        component = holder[0]
        all_day = not isinstance(component.dtstart.value, datetime.datetime)
        found.append(
            {
                "title": _text(component, "summary"),
                "location": _text(component, "location"),
                "start": _when(occurrence_start, all_day),
                "end": _when(occurrence_end, all_day),
                "all_day": all_day,
                "recurring": recurring,
                "override": is_override,
                "recurrence_id": (
                    _own_recurrence_id(component)
                    if is_override
                    else _recurrence_id(component, occurrence_start)
                    if recurring
                    else None
                ),
            }
        )
        return False

    radicale_filter.visit_time_ranges(
        item.vobject_item, "VEVENT", range_fn, lambda _start: False, component_fn
    )
    return found


def _calendar_json(
    call: Call, collection: Collection, name: str, busy_only: bool
) -> dict[str, Any]:
    return {
        "name": name,
        "display_name": messages.collection_name(
            collection.get_meta("D:displayname") or name, messages.language(call.request)
        ),
        "color": collection.get_meta("ICAL:calendar-color") or "",
        "busy_only": busy_only,
        "may_add": not busy_only
        and policy.Privilege.BIND in access.privileges(call.engine, call.login, collection),
    }


def _events_of(
    call: Call,
    collection: Collection,
    name: str,
    span: tuple[datetime.datetime, datetime.datetime],
    budget: list[int],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One calendar's description and its occurrences in ``span``."""
    privileges = access.privileges(call.engine, call.login, collection)
    readable = policy.Privilege.READ in privileges
    if not readable and policy.Privilege.READ_FREE_BUSY not in policy.reported(privileges, True):
        raise errors.NotAllowed(f"you may not see {name!r}: ask its owner to share it with you")
    start, end = span
    candidates = [item for item, _ in collection.get_filtered([range_filter(start, end)])]
    described = _calendar_json(call, collection, name, not readable)
    events: list[dict[str, Any]] = []
    if not readable:
        for item in candidates:
            for busy_start, busy_end, _ in freebusy_periods(item, start, end, MAX_OCCURRENCES):
                budget[0] -= 1
                events.append(
                    {"collection": name, "busy": True, "start": _when(busy_start, False),
                     "end": _when(busy_end, False), "all_day": False, "may_modify": False}
                )  # fmt: skip
        return described, events
    rights = Rights(call, collection, [i.href for i in candidates if i.href])
    for item in candidates:
        assert item.href is not None
        item_rights = rights.of(item.href)
        for occurrence in occurrences(item, start, end, budget):
            events.append(
                {
                    "collection": name,
                    "href": item.href,
                    "etag": item.etag,
                    "uid": item.uid,
                    "busy": False,
                    **occurrence,
                    "creator": item_rights.creator or None,
                    "may_modify": item_rights.may_modify,
                    "may_delete": item_rights.may_delete,
                }
            )
    return described, events


def _wanted(call: Call) -> list[str]:
    raw = call.request.args.get("collections", "")
    names = [n for n in dict.fromkeys(p.strip() for p in raw.split(",")) if n]
    if not names:
        raise errors.InvalidInput("give collections=, the names of one or more calendars")
    if len(names) > MAX_COLLECTIONS:
        raise errors.InvalidInput(f"ask for {MAX_COLLECTIONS} calendars at most at once")
    return names


def calendar_events(call: Call) -> Response:
    """The occurrences of the asked calendars in ``start``-``end``, with each calendar's colour
    and what the caller may do with each event."""
    span = asked_range(call)
    budget = [MAX_OCCURRENCES]
    calendars, events = [], []
    for name in _wanted(call):
        collection = collection_of(call, name)
        if collection.tag != "VCALENDAR":
            raise errors.InvalidInput(f"{name!r} is not a calendar")
        described, found = _events_of(call, collection, name, span, budget)
        calendars.append(described)
        events.extend(found)
    events.sort(key=lambda e: (e["start"], e.get("title", "")))
    return json_response({"calendars": calendars, "events": events, "truncated": budget[0] <= 0})


ROUTES: list[tuple[str, str, Handler]] = [("GET", "/calendar-events", calendar_events)]
