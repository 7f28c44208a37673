"""The team that moves in: three Radicale users with calendars, tasks and contacts
(recurrences, a time zone, a photo, non-ASCII names and hrefs), stored over HTTP."""

import base64

import requests

from tests.support.dav import put, vcard, vevent, vtodo
from tests.support.radicale import RadicaleServer, mkaddressbook, mkcalendar

USERS = {
    "anne": ("anne's old password", "bcrypt"),
    "bruno": ("bruno-s3cret-pw", "sha512"),
    "carla@example.com": ("carla's pass phrase", "sha512"),
}
RIGHTS = r"""
[root]
user: .+
collection:
permissions: R
[principal]
user: .+
collection: {user}
permissions: RW
[own]
user: .+
collection: {user}/[^/]+
permissions: rw
[bruno-reads-anne-office]
user: bruno
collection: anne/office
permissions: r
[carla-writes-anne-contacts]
user: carla@example\.com
collection: anne/contacts
permissions: rw
"""
PARIS = """BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:STANDARD
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:DAYLIGHT
END:VTIMEZONE"""
PHOTO = base64.b64encode(bytes(range(256)) * 4).decode()


def recurring(uid: str) -> str:
    text = vevent(uid, "Réunion d'équipe", extra="RRULE:FREQ=WEEKLY;COUNT=10")
    text = text.replace("DTSTART:20261201T100000Z", "DTSTART;TZID=Europe/Paris:20261201T100000")
    text = text.replace("DTEND:20261201T110000Z", "DTEND;TZID=Europe/Paris:20261201T110000")
    return text.replace("BEGIN:VEVENT", PARIS.replace("\n", "\r\n") + "\r\nBEGIN:VEVENT", 1)


def fill(radicale: RadicaleServer) -> None:
    """What the team's clients stored on Radicale."""
    s = {u: requests.Session() for u in USERS}
    for user, session in s.items():
        session.auth = (user, USERS[user][0])
    base = radicale.url
    assert (
        mkcalendar(
            s["anne"],
            f"{base}/anne/office/",
            "Travail – équipe",
            "VEVENT",
            color="#ff8800ff",
            description="Réunions",
            order="2",
        ).status_code
        == 201
    )
    assert mkcalendar(s["anne"], f"{base}/anne/todo/", "Tâches", "VTODO").status_code == 201
    assert (
        mkaddressbook(s["anne"], f"{base}/anne/contacts/", "Carnet d'Anne", "Amis").status_code
        == 201
    )
    assert mkcalendar(s["bruno"], f"{base}/bruno/perso/", "Perso", "VEVENT").status_code == 201
    assert (
        mkaddressbook(
            s["carla@example.com"], f"{base}/carla@example.com/book/", "Book", "x"
        ).status_code
        == 201
    )
    puts = [
        ("anne", "office/r%C3%A9union.ics", recurring("weekly-1")),
        ("anne", "office/plain.ics", vevent("ev-2", "Déjeuner")),
        ("anne", "todo/t1.ics", vtodo("task-1", "Écrire le rapport", extra="PRIORITY:1")),
        ("anne", "contacts/zoe.vcf", vcard("c-1", "Zoé Lefèvre", email="zoe@example.org")),
        (
            "anne",
            "contacts/photo.vcf",
            vcard("c-2", "Ana", extra=f"PHOTO;ENCODING=b;TYPE=PNG:{PHOTO}"),
        ),
        ("bruno", "perso/e.ics", vevent("ev-b", "Vélo")),
        ("carla@example.com", "book/c.vcf", vcard("c-3", "Chloé")),
    ]
    for user, path, text in puts:
        response = put(s[user], f"{base}/{user}/{path}", text)
        assert response.status_code == 201, response.text
