"""Building iTIP messages and scheduling copies from calendar objects (RFC 5546), pure.

The organizer's copy is the reference: an attendee's copy holds the components the
attendee is invited to; a REQUEST or CANCEL carries that copy with a METHOD; a REPLY
carries one attendee's answers, which ``merge_reply`` writes into the organizer's copy.
"""

import copy
import datetime

import icalendar

from davshare.core.itip import (
    SERVER_PARAMS,
    address,
    attendee_props,
    components,
    recurrence_id,
    set_attendees,
)

PRODID = "-//davshare//scheduling//EN"
# What a REPLY keeps of each component besides the replying ATTENDEE (RFC 5546 3.2.3).
_REPLY_PROPS = (
    *("UID", "RECURRENCE-ID", "SEQUENCE", "ORGANIZER", "SUMMARY"),
    *("DTSTART", "DTEND", "DURATION", "DUE"),
)


def serialize(calendar: icalendar.Calendar) -> str:
    """The text of a calendar."""
    return calendar.to_ical().decode()


def _shell(source: icalendar.Calendar, method: str = "") -> icalendar.Calendar:
    """A new calendar with the time zones of ``source`` and, if given, a METHOD."""
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    if method:
        calendar.add("METHOD", method)
    for zone in source.walk("VTIMEZONE"):
        calendar.add_component(copy.deepcopy(zone))
    return calendar


def _without_server_params(component: icalendar.Component) -> None:
    for attendee in attendee_props(component):
        for param in SERVER_PARAMS:
            attendee.params.pop(param, None)
    organizer = component.get("ORGANIZER")
    if organizer is not None:
        for param in SERVER_PARAMS:
            organizer.params.pop(param, None)


def attendee_copy(calendar: icalendar.Calendar, who: str) -> icalendar.Calendar | None:
    """What ``who`` receives of the organizer's object: the instances they attend, no alarms.

    An overridden instance that no longer lists them becomes an EXDATE of their master.
    None when they attend nothing.
    """
    result = _shell(calendar)
    master = None
    excluded: list[icalendar.Component] = []
    for component in components(calendar):
        invited = any(address(a) == who for a in attendee_props(component))
        if not invited:
            excluded.append(component)
            continue
        kept = copy.deepcopy(component)
        kept.subcomponents = [c for c in kept.subcomponents if c.name != "VALARM"]
        _without_server_params(kept)
        result.add_component(kept)
        if "RECURRENCE-ID" not in kept:
            master = kept
    if not components(result):
        return None
    if master is not None:
        for component in excluded:
            if "RECURRENCE-ID" in component:
                master.add("EXDATE", component.decoded("RECURRENCE-ID"))
    return result


def message(calendar: icalendar.Calendar, method: str) -> icalendar.Calendar:
    """``calendar`` (an attendee's copy) as an iTIP message: REQUEST, or CANCEL."""
    result = _shell(calendar, method)
    for component in components(calendar):
        kept = copy.deepcopy(component)
        if method == "CANCEL":
            kept.pop("STATUS", None)
            kept.add("STATUS", "CANCELLED")
            sequence = int(kept.get("SEQUENCE", 0)) + 1
            kept.pop("SEQUENCE", None)
            kept.add("SEQUENCE", sequence)
        result.add_component(kept)
    return result


def cancelled_copy(calendar: icalendar.Calendar) -> icalendar.Calendar:
    """An attendee's copy marked cancelled (the attendee's client may still show it so)."""
    result = message(calendar, "CANCEL")
    result.pop("METHOD", None)
    return result


def reply(
    calendar: icalendar.Calendar, who: str, partstat: str = "", only: set[str] | None = None
) -> icalendar.Calendar:
    """``who``'s answers in their copy as a REPLY (``partstat``: the same answer everywhere).

    ``only``: the recurrence ids to reply for (all when None).
    """
    result = _shell(calendar, "REPLY")
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    for component in components(calendar):
        if only is not None and recurrence_id(component) not in only:
            continue
        answer = icalendar.Event() if component.name == "VEVENT" else icalendar.Todo()
        for name in _REPLY_PROPS:
            if name in component:
                answer[name] = copy.deepcopy(component[name])
        answer.add("DTSTAMP", now)
        mine = [a for a in attendee_props(component) if address(a) == who]
        for attendee in mine:
            attendee = copy.deepcopy(attendee)
            if partstat:
                attendee.params["PARTSTAT"] = partstat
            for param in (*SERVER_PARAMS, "RSVP"):
                attendee.params.pop(param, None)
            answer.add("ATTENDEE", attendee)
        if mine:
            result.add_component(answer)
    return result


def _override_from(master: icalendar.Component, answer: icalendar.Component) -> icalendar.Component:
    """An instance of ``master`` overridden at ``answer``'s RECURRENCE-ID."""
    instance = copy.deepcopy(master)
    for name in ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "DTSTART", "DTEND", "DURATION"):
        instance.pop(name, None)
    instance.subcomponents = [c for c in instance.subcomponents if c.name != "VALARM"]
    instance["RECURRENCE-ID"] = copy.deepcopy(answer["RECURRENCE-ID"])
    instance["DTSTART"] = copy.deepcopy(answer.get("DTSTART", answer["RECURRENCE-ID"]))
    if "DTEND" in answer:
        instance["DTEND"] = copy.deepcopy(answer["DTEND"])
    elif "DURATION" in master:
        instance["DURATION"] = copy.deepcopy(master["DURATION"])
    elif "DTEND" in master:
        length = master.decoded("DTEND") - master.decoded("DTSTART")
        instance.add("DTEND", instance.decoded("DTSTART") + length)
    return instance


def merge_reply(organizer_copy: icalendar.Calendar, answer: icalendar.Calendar, who: str) -> bool:
    """Write ``who``'s answers from a REPLY into the organizer's copy; whether it changed."""
    by_rid = {recurrence_id(c): c for c in components(organizer_copy)}
    changed = False
    for component in components(answer):
        rid = recurrence_id(component)
        replied = [a for a in attendee_props(component) if address(a) == who]
        if not replied:
            continue
        target = by_rid.get(rid)
        if target is None and rid and "" in by_rid:
            target = _override_from(by_rid[""], component)
            organizer_copy.add_component(target)
            by_rid[rid] = target
            changed = True
        if target is None:
            continue
        partstat = str(replied[0].params.get("PARTSTAT", "NEEDS-ACTION")).upper()
        attendees = attendee_props(target)
        mine = [a for a in attendees if address(a) == who]
        if not mine:
            continue
        for attendee in mine:
            if str(attendee.params.get("PARTSTAT", "")).upper() != partstat:
                attendee.params["PARTSTAT"] = partstat
                changed = True
            attendee.params.pop("RSVP", None)
            attendee.params["SCHEDULE-STATUS"] = "2.0"
        set_attendees(target, attendees)
    return changed


def set_statuses(calendar: icalendar.Calendar, statuses: dict[str, str]) -> None:
    """Record each attendee's delivery status (SCHEDULE-STATUS) in the organizer's copy."""
    for component in components(calendar):
        attendees = attendee_props(component)
        for attendee in attendees:
            attendee.params.pop("SCHEDULE-FORCE-SEND", None)
            status = statuses.get(address(attendee))
            if status:
                attendee.params["SCHEDULE-STATUS"] = status
        if attendees:
            set_attendees(component, attendees)
