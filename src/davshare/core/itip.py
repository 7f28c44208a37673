"""Reading the scheduling facts of a calendar object (RFC 5546, RFC 6638), pure: no I/O.

A scheduling object has an ORGANIZER and ATTENDEEs in its components (a master and
overridden instances, told apart by RECURRENCE-ID). Addresses are compared as
lower-case e-mail addresses without ``mailto:``.
"""

import datetime
from dataclasses import dataclass, field

import icalendar

SCHEDULED = ("VEVENT", "VTODO")
# Parameters the server sets or reads, never passed on to an attendee's copy.
SERVER_PARAMS = ("SCHEDULE-STATUS", "SCHEDULE-FORCE-SEND")


@dataclass
class Facts:
    """Who organizes an object and who attends which of its instances."""

    uid: str = ""
    organizer: str = ""
    # The organizer handles scheduling itself (SCHEDULE-AGENT=CLIENT on ORGANIZER).
    organizer_client: bool = False
    # address -> {recurrence id ("" for the master) -> PARTSTAT}
    attendees: dict[str, dict[str, str]] = field(default_factory=dict)
    # Attendees the organizer's client schedules itself (SCHEDULE-AGENT=CLIENT/NONE).
    client_scheduled: set[str] = field(default_factory=set)

    @property
    def is_scheduling(self) -> bool:
        """An object with an organizer and at least one attendee besides them."""
        return bool(self.organizer) and any(a != self.organizer for a in self.attendees)

    def scheduled(self) -> set[str]:
        """The attendees the server delivers to (not the organizer, not client-scheduled)."""
        return set(self.attendees) - self.client_scheduled - {self.organizer}


def address(value: object) -> str:
    """``mailto:Alice@Example.com`` -> ``alice@example.com``."""
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.lower()


def parse(text: str) -> icalendar.Calendar | None:
    """The calendar in ``text``, or None when it is not iCalendar."""
    try:
        return icalendar.Calendar.from_ical(text)
    except (ValueError, KeyError, IndexError):
        return None


def components(calendar: icalendar.Calendar) -> list[icalendar.Component]:
    """The schedulable components (events, tasks) of a calendar."""
    return [c for c in calendar.subcomponents if c.name in SCHEDULED]


def recurrence_id(component: icalendar.Component) -> str:
    """A comparable form of the component's RECURRENCE-ID ("" for a master)."""
    if "RECURRENCE-ID" not in component:
        return ""
    value = component.decoded("RECURRENCE-ID")
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value.isoformat()


def attendee_props(component: icalendar.Component) -> list[icalendar.vCalAddress]:
    """The ATTENDEE properties of a component, always as a list."""
    found = component.get("ATTENDEE", [])
    return list(found) if isinstance(found, list) else [found]


def set_attendees(component: icalendar.Component, attendees: list[icalendar.vCalAddress]) -> None:
    """Replace the ATTENDEE properties of a component."""
    component.pop("ATTENDEE", None)
    for attendee in attendees:
        component.add("ATTENDEE", attendee)


def read(calendar: icalendar.Calendar) -> Facts:
    """The scheduling facts of a calendar object."""
    facts = Facts()
    for component in components(calendar):
        facts.uid = facts.uid or str(component.get("UID", ""))
        organizer = component.get("ORGANIZER")
        if organizer is not None and not facts.organizer:
            facts.organizer = address(organizer)
            agent = str(organizer.params.get("SCHEDULE-AGENT", "SERVER")).upper()
            facts.organizer_client = agent != "SERVER"
        rid = recurrence_id(component)
        for attendee in attendee_props(component):
            who = address(attendee)
            partstat = str(attendee.params.get("PARTSTAT", "NEEDS-ACTION")).upper()
            facts.attendees.setdefault(who, {})[rid] = partstat
            if str(attendee.params.get("SCHEDULE-AGENT", "SERVER")).upper() != "SERVER":
                facts.client_scheduled.add(who)
    return facts


def facts_of(text: str | None) -> Facts:
    """The scheduling facts of an item's text (empty facts when it is none or unreadable)."""
    calendar = parse(text) if text else None
    return read(calendar) if calendar is not None else Facts()


def _significant(component: icalendar.Component) -> list[tuple[str, bytes]]:
    """What of a component an attendee must hear about when it changes."""
    kept = []
    for name, value in component.property_items(recursive=False):
        if name in ("DTSTAMP", "LAST-MODIFIED", "CREATED", "BEGIN", "END"):
            continue
        if name == "ATTENDEE":
            kept.append((name, address(value).encode()))
        elif name != "X-MOZ-GENERATION":
            ical = value.to_ical() if hasattr(value, "to_ical") else str(value).encode()
            kept.append((name, ical))
    return sorted(kept)


def changed_for_attendees(old: icalendar.Calendar | None, new: icalendar.Calendar) -> bool:
    """Whether an organizer's new version differs from the old in more than answers and stamps."""
    if old is None:
        return True
    before = {recurrence_id(c): _significant(c) for c in components(old)}
    after = {recurrence_id(c): _significant(c) for c in components(new)}
    return before != after


def changed_answers(old: Facts, new: Facts, who: str) -> bool:
    """Whether ``who`` answered differently in ``new`` than in ``old`` (any instance)."""
    return old.attendees.get(who, {}) != new.attendees.get(who, {})


def status_of(calendar: icalendar.Calendar, who: str) -> str:
    """The SCHEDULE-STATUS last recorded on ``who``'s ATTENDEE ("" if none)."""
    for component in components(calendar):
        for attendee in attendee_props(component):
            if address(attendee) == who and "SCHEDULE-STATUS" in attendee.params:
                return str(attendee.params["SCHEDULE-STATUS"])
    return ""
