"""The bounds on expanding recurrences, so that no item nor query runs for minutes.

Radicale expands a recurrence by walking its occurrences from the first one; an
unbounded rule (no COUNT, no UNTIL) with a short period, or a query far in the
future, would keep a thread busy for hours. davshare therefore refuses at write an
item with more than ``MAX_INSTANCES`` occurrences before ``MAX_DATE_TIME``, and
refuses queries reaching beyond ``MAX_DATE_TIME`` (the DAV layer checks them).
COUNT and UNTIL rules are bounded by Radicale's own check (10,000 occurrences).
"""

import re
import time
from datetime import UTC, date, datetime
from typing import Any

from davshare.model.errors import TooExpensive

# RFC 4791 5.2.7 / 5.2.8: the latest date a query may ask about, and the most
# occurrences an item may have before it.
MAX_DATE_TIME = datetime(2100, 1, 1, tzinfo=UTC)
MAX_INSTANCES = 50_000
MAX_DATE_TIME_TEXT = "21000101T000000Z"
# The time one query may spend checking items against its filter (507 beyond).
QUERY_SECONDS = 20.0


def _utc(value: date) -> datetime:
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _unbounded(component: Any) -> bool:
    for rule in component.contents.get("rrule", []):
        value = str(rule.value).upper()
        if "COUNT=" not in value and "UNTIL=" not in value:
            return True
    return False


def check_instances(vobject_item: Any) -> None:
    """Raise TooExpensive (``C:max-instances``) when a component of the iCalendar
    object ``vobject_item`` has more than MAX_INSTANCES occurrences before MAX_DATE_TIME."""
    for component in vobject_item.components():
        if not _unbounded(component):
            continue
        for count, start in enumerate(component.getrruleset(addRDate=True), 1):
            if _utc(start) >= MAX_DATE_TIME:
                break
            if count > MAX_INSTANCES:
                uid = component.contents.get("uid", [None])[0]
                name = uid.value if uid is not None else component.name
                raise TooExpensive(
                    f"The repeating {component.name} {name!r} has more than {MAX_INSTANCES} "
                    f"occurrences before {MAX_DATE_TIME.year} and no end (COUNT or UNTIL): "
                    "give it an end or a longer interval.",
                    "C:max-instances",
                )


_DATE_ATTRIBUTE = re.compile(rb'\b(?:start|end)\s*=\s*["\'](\d{8}T\d{6}Z)["\']')


def check_query_dates(body: bytes) -> None:
    """Raise TooExpensive (``C:max-date-time``) when a REPORT body's time range, expand or
    limit asks about a time after MAX_DATE_TIME (the UTC format sorts as text)."""
    for found in _DATE_ATTRIBUTE.finditer(body):
        value = found.group(1).decode()
        if value > MAX_DATE_TIME_TEXT:
            raise TooExpensive(
                f"The time {value} is after {MAX_DATE_TIME_TEXT}, the latest this server "
                "answers queries about.",
                "C:max-date-time",
            )


def check_budget(deadline: float) -> None:
    """Raise TooExpensive (507 ``D:number-of-matches-within-limits``) past ``deadline``."""
    if time.monotonic() > deadline:
        raise TooExpensive(
            f"The query took more than {QUERY_SECONDS:.0f} seconds: narrow its time range "
            "or its filter.",
            "D:number-of-matches-within-limits",
        )


def check_window(start: datetime, end: datetime) -> None:
    """Raise TooExpensive (``C:max-date-time``) for a window reaching past MAX_DATE_TIME."""
    for moment in (start, end):
        if _utc(moment) > MAX_DATE_TIME:
            raise TooExpensive(
                f"The time {moment:%Y-%m-%d} is after {MAX_DATE_TIME:%Y-%m-%d}, the latest "
                "this server answers queries about.",
                "C:max-date-time",
            )
