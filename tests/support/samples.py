"""Varied, realistic vCards and events for round-trip tests (deterministic from an index)."""

CITIES = ["Lyon", "Paris", "Liège", "Porto", "Zürich", "Montréal", "Nantes", "Genève"]
FIRST = ["Anne", "Bruno", "Chloé", "Désiré", "Émile", "Fatima", "Gilles", "Hélène", "Ivo", "Júlia"]
LAST = ["Archer", "Buisson", "Côté", "Dupont", "Ébrard", "Ferreira", "Gomes", "Hébert"]
PHOTO = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def contact(i: int) -> str:
    """The i-th sample vCard: vCard 4.0 for even i, 3.0 for odd."""
    first, last, city = FIRST[i % len(FIRST)], LAST[i % len(LAST)], CITIES[i % len(CITIES)]
    v4 = i % 2 == 0
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0" if v4 else "VERSION:3.0",
        f"UID:urn:uuid:00000000-0000-4000-8000-{i:012d}",
        f"FN:{first} {last} {i}",
        f"N:{last};{first};;;",
        f"EMAIL;TYPE=work:{first.lower()}.{i}@acme-{i % 7}.example",
        f"EMAIL;TYPE=home:{last.lower()}{i}@mail.example",
        f"TEL;TYPE=cell:+33 6 {i:08d}",
        f"TEL;TYPE=work:+33 4 {i * 7:08d}",
        f"ADR;TYPE=work:;;{i} rue de la Paix;{city};;6900{i % 10};France",
        f"ORG:Acme {i % 5};Sales",
        "CATEGORIES:clients,vip" if i % 3 == 0 else "CATEGORIES:suppliers",
        f"NOTE:Met at the fair\\, stand {i}.\\nCall back in spring.",
        f"BDAY:{1960 + i % 40}-0{1 + i % 9}-1{i % 10}"
        if v4
        else f"BDAY:{1960 + i % 40}0{1 + i % 9}1{i % 10}",
        f"X-SUPPORT-LEVEL:{['gold', 'silver', 'bronze'][i % 3]}",
        "URL:https://www.example.org/people/" + str(i),
    ]
    if v4:
        lines.append(f"PHOTO:data:image/png;base64,{PHOTO}")
    else:
        lines.append(f"PHOTO;ENCODING=b;TYPE=PNG:{PHOTO}")
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""


def event(i: int) -> str:
    """The i-th sample event: time zones, recurrence with exceptions, alarms, attendees."""
    day = 1 + i % 28
    month = 1 + i % 12
    uid = f"event-{i}@davshare.test"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//davshare tests//EN",
        *VTIMEZONE.splitlines(),
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART;TZID=Europe/Paris:2026{month:02d}{day:02d}T09{i % 60:02d}00",
        f"DTEND;TZID=Europe/Paris:2026{month:02d}{day:02d}T10{i % 60:02d}00",
        f"SUMMARY:Réunion {i} – équipe",
        f"LOCATION:Salle {i % 9}",
        "DESCRIPTION:Agenda:\\n1. Budget\\n2. Planning",
        "ORGANIZER;CN=Gilles:mailto:gilles@example.com",
        "ATTENDEE;CN=Alexandre;PARTSTAT=ACCEPTED:mailto:alexandre@example.com",
        f"CLASS:{'PRIVATE' if i % 10 == 0 else 'PUBLIC'}",
    ]
    if i % 4 == 0:
        lines += [
            "RRULE:FREQ=WEEKLY;COUNT=10",
            f"EXDATE;TZID=Europe/Paris:2026{month:02d}{day:02d}T09{i % 60:02d}00",
        ]
    lines += [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "DESCRIPTION:Reminder",
        "TRIGGER:-PT15M",
        "END:VALARM",
        "END:VEVENT",
    ]
    if i % 4 == 0:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTAMP:20260101T000000Z",
            f"RECURRENCE-ID;TZID=Europe/Paris:2026{month:02d}{day:02d}T09{i % 60:02d}00",
            f"DTSTART;TZID=Europe/Paris:2026{month:02d}{day:02d}T14{i % 60:02d}00",
            f"DTEND;TZID=Europe/Paris:2026{month:02d}{day:02d}T15{i % 60:02d}00",
            f"SUMMARY:Réunion {i} (moved)",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
