"""The scheduling facts of events and the iTIP messages made from them (pure functions)."""

from davshare.core import itip, itip_messages

ORGANIZER, ALICE, BOB = "gilles@example.com", "alice@example.com", "bob@sud.org"

SERIES = f"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:series
DTSTAMP:20261101T000000Z
DTSTART:20261210T100000Z
DTEND:20261210T110000Z
RRULE:FREQ=DAILY;COUNT=3
SUMMARY:Stand-up
ORGANIZER:mailto:{ORGANIZER}
ATTENDEE;PARTSTAT=ACCEPTED:mailto:{ORGANIZER}
ATTENDEE;PARTSTAT=NEEDS-ACTION;SCHEDULE-STATUS=1.2:MAILTO:Alice@Example.com
ATTENDEE;SCHEDULE-AGENT=CLIENT:mailto:{BOB}
BEGIN:VALARM
ACTION:DISPLAY
TRIGGER:-PT5M
DESCRIPTION:soon
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:series
DTSTAMP:20261101T000000Z
RECURRENCE-ID:20261211T100000Z
DTSTART:20261211T150000Z
DTEND:20261211T160000Z
SUMMARY:Stand-up (afternoon)
ORGANIZER:mailto:{ORGANIZER}
ATTENDEE;PARTSTAT=ACCEPTED:mailto:{ORGANIZER}
ATTENDEE:mailto:{BOB}
END:VEVENT
END:VCALENDAR
"""


def test_facts_name_the_organizer_and_each_answer_per_instance():
    facts = itip.facts_of(SERIES)
    assert facts.uid == "series" and facts.organizer == ORGANIZER and facts.is_scheduling
    assert facts.attendees[ALICE] == {"": "NEEDS-ACTION"}
    assert facts.attendees[BOB] == {"": "NEEDS-ACTION", "2026-12-11T10:00:00": "NEEDS-ACTION"}
    assert facts.scheduled() == {ALICE}  # Bob is left to the client, the organizer to no one
    assert not itip.facts_of("not iCalendar").is_scheduling


def test_only_changes_that_matter_to_attendees_count():
    calendar = itip.parse(SERIES)
    answered = itip.parse(
        SERIES.replace("PARTSTAT=NEEDS-ACTION;", "PARTSTAT=ACCEPTED;").replace(
            "DTSTAMP:20261101T000000Z", "DTSTAMP:20261102T000000Z"
        )
    )
    moved = itip.parse(SERIES.replace("DTSTART:20261210T100000Z", "DTSTART:20261210T090000Z"))
    assert not itip.changed_for_attendees(calendar, answered)
    assert itip.changed_for_attendees(calendar, moved)
    assert itip.changed_for_attendees(None, calendar)


def test_an_attendee_copy_holds_their_instances_without_alarms_nor_server_params():
    copy = itip_messages.attendee_copy(itip.parse(SERIES), ALICE)
    assert copy is not None
    text = itip_messages.serialize(copy)
    assert "VALARM" not in text and "SCHEDULE-STATUS" not in text
    assert "RECURRENCE-ID" not in text  # Alice is not invited to the moved instance...
    assert "EXDATE:20261211T100000Z" in text  # ...so it is not in her series either
    assert itip_messages.attendee_copy(itip.parse(SERIES), "nobody@example.com") is None


def test_a_reply_for_an_instance_becomes_an_override_of_the_organizer_copy():
    organizer_copy = itip.parse(SERIES)
    mine = itip_messages.attendee_copy(organizer_copy, ALICE)
    assert mine is not None
    declined = itip_messages.reply(mine, ALICE, "DECLINED")
    declined.subcomponents[0]["RECURRENCE-ID"] = declined.subcomponents[0]["DTSTART"]
    text = itip_messages.serialize(declined)
    assert "METHOD:REPLY" in text and text.count("ATTENDEE") == 1  # only the one who answers
    assert itip_messages.merge_reply(organizer_copy, declined, ALICE)
    facts = itip.read(organizer_copy)
    assert facts.attendees[ALICE] == {"": "NEEDS-ACTION", "2026-12-10T10:00:00": "DECLINED"}
    assert not itip_messages.merge_reply(organizer_copy, declined, ALICE)  # nothing new


def test_a_cancellation_is_marked_cancelled_with_a_higher_sequence():
    cancel = itip_messages.message(itip.parse(SERIES), "CANCEL")
    text = itip_messages.serialize(cancel)
    assert "METHOD:CANCEL" in text and text.count("STATUS:CANCELLED") == 2
    assert "SEQUENCE:1" in text
