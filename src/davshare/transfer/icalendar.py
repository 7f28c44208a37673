"""Cutting an iCalendar file into calendar objects: one per UID, with the time zones it uses.

A calendar export is one VCALENDAR holding every event (or task) and the
VTIMEZONEs they refer to; CalDAV stores one object per UID — a recurring event
with its exceptions — carrying its own VTIMEZONEs (RFC 4791 4.1). Components
sharing a UID make one record when they follow each other; the importer
merges the records of a UID that the file lists apart (Google does) with
``merge`` before writing.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from davshare.core.vtext import logical_lines, parse_line
from davshare.transfer.records import MAX_RECORD_CHARS, Record, crlf, stable_uid

ITEM_COMPONENTS = ("VEVENT", "VTODO", "VJOURNAL")
HEADER = ["BEGIN:VCALENDAR", "VERSION:2.0"]
_KEPT_PROPERTIES = ("PRODID", "CALSCALE")  # METHOD and X-WR-* describe the file, not the item
_TZID_PARAM = re.compile(r';TZID=("[^"]*"|[^;:]*)', re.IGNORECASE)


@dataclass
class Component:
    """A component at the top of a VCALENDAR (VEVENT, VTODO, VTIMEZONE...), as its lines."""

    name: str
    line: int
    lines: list[str] = field(default_factory=list)
    uid: str = ""
    tzid: str = ""  # a VTIMEZONE's own
    uses: set[str] = field(default_factory=set)  # the TZIDs its properties name
    problem: str = ""
    size: int = 0


@dataclass
class Problem:
    """Something in the file that is no component: text outside, a component cut short."""

    line: int
    text: str
    is_record: bool = True


@dataclass
class Property:
    """A property of the VCALENDAR itself (PRODID, CALSCALE), as its physical lines."""

    name: str
    lines: list[str]


@dataclass
class CalendarEnd:
    """END:VCALENDAR (or the end of the file)."""


Event = Component | Problem | Property | CalendarEnd


def _name(text: str) -> str:
    return text.partition(":")[0].partition(";")[0].upper()


class _Scanner:
    """Where the reading is: inside a VCALENDAR, inside a component and how deep."""

    def __init__(self) -> None:
        self.in_calendar = False
        self.current: Component | None = None
        self.stack: list[str] = []
        self.quiet = False

    def feed(self, number: int, text: str, raw: list[str]) -> Iterator[Event]:
        """What one content line (unfolded ``text``, physical ``raw``) completes, if anything."""
        upper = text.strip().upper()
        if self.current is not None:
            yield from self._inside(number, text, raw, upper)
        elif not self.in_calendar:
            if upper == "BEGIN:VCALENDAR":
                self.in_calendar, self.quiet = True, False
            elif not self.quiet:
                self.quiet = True
                yield Problem(number, f"text outside any VCALENDAR: {text[:60]!r}", False)
        elif upper == "END:VCALENDAR":
            self.in_calendar = False
            yield CalendarEnd()
        elif upper.startswith("BEGIN:"):
            self.current, self.stack = Component(upper[6:], number, list(raw)), [upper[6:]]
        elif _name(text) in _KEPT_PROPERTIES:
            yield Property(_name(text), raw)

    def _inside(self, number: int, text: str, raw: list[str], upper: str) -> Iterator[Event]:
        component = self.current
        assert component is not None
        if upper in ("BEGIN:VCALENDAR", "END:VCALENDAR"):
            yield from self.unterminated(f"{upper} at line {number}, inside this {component.name}")
            if upper == "END:VCALENDAR":
                self.in_calendar = False
                yield CalendarEnd()
            return
        self._keep(component, text, raw)
        if upper.startswith("BEGIN:"):
            self.stack.append(upper[6:])
        elif upper.startswith("END:"):
            self._end(component, upper[4:], number)
            if not self.stack:
                self.current = None
                yield component
        elif len(self.stack) == 1:
            _top_property(component, text)

    def _end(self, component: Component, name: str, number: int) -> None:
        """Close ``name``; an END that skips inner ENDs closes them too, and is reported."""
        if name != self.stack[-1]:
            component.problem = component.problem or (
                f"line {number} has END:{name} where END:{self.stack[-1]} was expected"
            )
        if name in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(name) :]

    def _keep(self, component: Component, text: str, raw: list[str]) -> None:
        component.size += len(text)
        if component.size > MAX_RECORD_CHARS:
            component.lines, component.problem = [], "larger than 20 MB: not imported"
        elif not component.problem.startswith("larger"):
            component.lines += raw
        component.uses.update(m.strip('"') for m in _TZID_PARAM.findall(text))

    def unterminated(self, problem: str) -> Iterator[Event]:
        """The component being read, reported as cut short."""
        if self.current is not None:
            yield Problem(self.current.line, problem)
            self.current = None


def _top_property(component: Component, text: str) -> None:
    prop = parse_line(text)
    if prop is not None and prop.name == "UID":
        component.uid = prop.value.strip()
    elif prop is not None and prop.name == "TZID" and component.name == "VTIMEZONE":
        component.tzid = prop.value.strip()


def scan(lines: Iterable[str]) -> Iterator[Event]:
    """What a file's ``lines`` hold, in order: components, calendar properties, problems."""
    scanner = _Scanner()
    for number, text, raw in logical_lines(lines):
        yield from scanner.feed(number, text, raw)
    yield from scanner.unterminated("the file ends inside this component")
    yield CalendarEnd()


def object_text(header: list[str], timezones: list[Component], items: list[Component]) -> str:
    """One calendar object: VCALENDAR with its properties, time zones and components."""
    lines = [*HEADER, *header]
    for component in [*timezones, *items]:
        lines += component.lines
    return crlf([*lines, "END:VCALENDAR"])


class _Grouper:
    """Gathers consecutive components of one UID into one record."""

    def __init__(self) -> None:
        self.count = 0
        self.header: dict[str, list[str]] = {}
        self.timezones: dict[str, Component] = {}
        self.pending: list[Component] = []

    def take(self, event: Event) -> Iterator[Record]:
        """The records ``event`` completes: a problem, or the UID gathered before it."""
        if isinstance(event, Problem):
            yield from self.flush() if event.is_record else iter(())
            self.count += event.is_record
            yield Record(self.count if event.is_record else 0, event.line, problem=event.text)
        elif isinstance(event, Property):
            self.header[event.name] = event.lines
        elif isinstance(event, CalendarEnd):
            yield from self.flush()
        elif event.name == "VTIMEZONE":
            self.timezones[event.tzid] = event
        elif event.name not in ITEM_COMPONENTS:
            yield from self.flush()
            self.count += 1
            yield Record(self.count, event.line, problem=f"a {event.name} is not imported")
        else:
            if self.pending and (not event.uid or event.uid != self.pending[0].uid):
                yield from self.flush()
            self.pending.append(event)

    def flush(self) -> Iterator[Record]:
        """The record of the components gathered so far."""
        if self.pending:
            self.count += 1
            yield self._record(self.pending)
            self.pending = []

    def _record(self, components: list[Component]) -> Record:
        first = components[0]
        broken = next((c.problem for c in components if c.problem), "")
        if broken:
            return Record(self.count, first.line, problem=broken)
        if not first.uid:
            first.uid = stable_uid(crlf(first.lines))
            first.lines.insert(1, "UID:" + first.uid)
        uses = set().union(*(c.uses for c in components))
        timezones = [self.timezones[t] for t in sorted(uses) if t in self.timezones]
        header = [line for lines in self.header.values() for line in lines]
        text = object_text(header, timezones, components)
        return Record(self.count, first.line, text, uid=first.uid)


def read_calendars(lines: Iterable[str]) -> Iterator[Record]:
    """The calendar objects of an iCalendar file's ``lines``, one record per UID."""
    grouper = _Grouper()
    for event in scan(lines):
        yield from grouper.take(event)


def split_object(text: str) -> tuple[list[Component], list[Component]]:
    """The time zones and the other components of one stored calendar object."""
    components = [e for e in scan(text.splitlines()) if isinstance(e, Component)]
    timezones = [c for c in components if c.name == "VTIMEZONE"]
    return timezones, [c for c in components if c.name != "VTIMEZONE"]


def merge(stored: str, addition: str) -> str:
    """``stored`` with the components of ``addition`` (same UID) and the time zones they need."""
    header = [
        line for e in scan(stored.splitlines()) if isinstance(e, Property) for line in e.lines
    ]
    timezones, items = split_object(stored)
    new_timezones, new_items = split_object(addition)
    known = {tz.tzid for tz in timezones}
    timezones += [tz for tz in new_timezones if tz.tzid not in known]
    return object_text(header, timezones, items + new_items)
