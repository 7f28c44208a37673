"""Turns CalDAV/CardDAV REPORT filters into SQL conditions that select a superset.

Radicale checks a returned item against the exact filter afterwards unless we
say the SQL condition decided it, so a condition here only has to never drop an
item that matches; it exists to keep the items that do not out of Python.
"""

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable

from radicale import xmlutils
from radicale.item import filter as radicale_filter
from sqlalchemy import ColumnElement, and_, literal, or_, true

from davshare.model.item_fields import VCARD_FIELDS
from davshare.model.tables import items

_PROP_FILTER = xmlutils.make_clark("CR:prop-filter")
_TEXT_MATCH = xmlutils.make_clark("CR:text-match")
_IS_NOT_DEFINED = xmlutils.make_clark("CR:is-not-defined")


def calendar_condition(
    filters: Iterable[ET.Element],
) -> tuple[ColumnElement[bool], Callable[[int, int], bool]]:
    """A condition on component and time range, and a test telling, from an item's stored
    range, whether the condition alone decides that the item matches.

    It does not for a recurring item whose stored range (first start to end of
    the series) encloses the asked range: its occurrences may all fall outside.
    """
    tag, start, end, simple = radicale_filter.simplify_prefilters(filters, "VCALENDAR")
    conditions = [items.c.time_start < end, items.c.time_end > start]
    if tag is not None:
        conditions.append(items.c.component == tag)

    def decided(item_start: int, item_end: int) -> bool:
        return simple and (start <= item_start or item_end <= end)

    return and_(*conditions), decided


def addressbook_decided(filters: Iterable[ET.Element]) -> bool:
    """An empty ``<filter/>`` matches every card (RFC 6352 10.5; Radicale's matcher
    would match none), so the condition alone decides."""
    return all(len(f) == 0 for f in filters)


def addressbook_condition(filters: Iterable[ET.Element]) -> ColumnElement[bool]:
    """A condition over the indexed vCard fields (true when the filter cannot be narrowed)."""
    return and_(*(_filter_condition(f) for f in filters))


def _filter_condition(filter_: ET.Element) -> ColumnElement[bool]:
    conditions = [_prop_filter_condition(p) for p in filter_ if p.tag == _PROP_FILTER]
    if not conditions:
        return true()
    if filter_.get("test", "anyof") == "allof":
        narrowing = [c for c in conditions if c is not None]
        return and_(*narrowing) if narrowing else true()
    if any(c is None for c in conditions):
        return true()
    return or_(*conditions)  # type: ignore[arg-type]


def _prop_filter_condition(prop_filter: ET.Element) -> ColumnElement[bool] | None:
    """The condition for one prop-filter, or None when it cannot narrow the search."""
    column_name = VCARD_FIELDS.get(prop_filter.get("name", "").lower())
    if column_name is None or prop_filter.find(_IS_NOT_DEFINED) is not None:
        return None
    column = items.c[column_name]
    matches = [m for m in prop_filter if m.tag == _TEXT_MATCH]
    if len(matches) != len(prop_filter):
        return column != ""  # param-filters: at least the property exists
    if not matches:
        return column != ""
    conditions = [_text_match_condition(column, m) for m in matches]
    if any(c is None for c in conditions):
        return column != ""
    if prop_filter.get("test", "anyof") == "allof":
        return and_(*conditions)  # type: ignore[arg-type]
    return or_(*conditions)  # type: ignore[arg-type]


def contains(text: str, column_names: Iterable[str]) -> ColumnElement[bool]:
    """Items one of whose indexed fields contains ``text`` (any case), as a CardDAV
    text-match "contains" would select them."""
    pattern = f"%{_escape_like(text.lower())}%"
    return or_(*(items.c[name].like(pattern, escape="\\") for name in column_names))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text_match_condition(
    column: ColumnElement[str], match: ET.Element
) -> ColumnElement[bool] | None:
    if match.get("negate-condition", "no") == "yes":
        return None
    text = _escape_like("".join(match.itertext()).lower())
    match_type = match.get("match-type", "contains")
    # Values are newline-separated: anchor at a newline for starts/ends/equals.
    padded = literal("\n") + column + literal("\n")
    patterns = {
        "contains": f"%{text}%",
        "starts-with": f"%\n{text}%",
        "ends-with": f"%{text}\n%",
        "equals": f"%\n{text}\n%",
    }
    pattern = patterns.get(match_type)
    if pattern is None:
        return None
    return padded.like(pattern, escape="\\")
