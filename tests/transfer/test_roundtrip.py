"""What is imported and exported again keeps every property it had (issue 6 §5, SPEC I1, I2).

Files made as the real tools write them go in through the API and come back
out of the export; the two sides are compared property by property, parsed
by vobject and icalendar (not by davshare's own readers).
"""

import collections
import csv
import io

import pytest
import vobject

from tests.support.samples import contact
from tests.transfer.helpers import components, exported, imported, sample, timezones, vcards

UID_PROPERTIES = {"UID"}


def _round_trip(server, collection, data, **params):
    login = server.new_user()
    imported(server, login, collection, data)
    return exported(server, login, collection, **params)


@pytest.mark.parametrize(
    "name",
    [
        "contacts_vcard30_apple.vcf",
        "contacts_vcard30_google.vcf",
        "contacts_vcard30_bom_folded.vcf",
        "contacts_vcard40_thunderbird.vcf",
    ],
)
def test_i2_vcards_come_back_property_by_property(server, name):
    original = sample(name).decode("utf-8-sig")
    back = _round_trip(server, "contacts", sample(name))
    sent, received = vcards(original), vcards(back)
    assert set(received) == set(sent)
    for person, properties in sent.items():
        assert not properties - received[person], person  # nothing lost...
        added = received[person] - properties
        assert {p[1] for p in added} <= UID_PROPERTIES, person  # ...only a UID where it had none


def test_i2_vcards_with_a_uid_come_back_byte_for_byte(server):
    original = sample("contacts_vcard40_thunderbird.vcf").decode()
    assert _round_trip(server, "contacts", original.encode()) == original


def test_i2_vcard21_comes_back_as_vcard30_with_every_value(server):
    back = vcards(_round_trip(server, "contacts", sample("contacts_vcard21_quoted_printable.vcf")))
    source = vcards(sample("contacts_vcard21_quoted_printable.vcf").decode())
    for person in ("René Lévesque", "Jürgen Müller"):
        values = collections.Counter(
            (p[1], p[3]) for p in source[person] if p[1] not in ("NOTE", "VERSION")
        )
        assert not values - collections.Counter((p[1], p[3]) for p in back[person]), person
    rene = vobject.readComponents(
        _round_trip(server, "contacts", sample("contacts_vcard21_quoted_printable.vcf"))
    )
    card = next(c for c in rene if c.fn.value == "René Lévesque")
    assert card.note.value.endswith("Deuxième ligne très longue qui continue après un saut doux.")
    assert sorted(tuple(t.params["TYPE"]) for t in card.tel_list) == [
        ("CELL", "PREF"),
        ("HOME", "FAX"),
        ("WORK", "VOICE"),
    ]


@pytest.mark.parametrize(
    ("name", "collection"),
    [
        ("calendar_thunderbird.ics", "calendar"),
        ("calendar_google.ics", "calendar"),
        ("tasks_thunderbird.ics", "tasks"),
    ],
)
def test_i2_events_and_tasks_come_back_property_by_property(server, name, collection):
    original = sample(name).decode()
    back = _round_trip(server, collection, sample(name))
    assert components(back) == components(original)  # recurrences, exceptions, alarms, status...
    assert timezones(back) == timezones(original)
    assert back.count("BEGIN:VTIMEZONE") == original.count("BEGIN:VTIMEZONE")


def _csv_facts(text: str) -> dict[str, collections.Counter]:
    """Each CSV row as what it says: (column or group, label, value), Google's ' ::: ' split."""
    facts = {}
    for row in csv.DictReader(io.StringIO(text)):
        found = collections.Counter()
        for header, value in row.items():
            if not value or header.endswith((" - Label", " - Type", " - Formatted")):
                continue
            group, _, field = header.partition(" - ")
            if not field:
                values = value.split(" ::: ") if header == "Labels" else [value]
                found.update((header, "", v) for v in values if not v.startswith("* "))
                continue
            label = row.get(f"{group} - Label", "").removeprefix("* ")
            found.update(
                (f"{group.rstrip('0123456789 ')} {field}", label, v) for v in value.split(" ::: ")
            )
        facts[row["First Name"] or row["Organization Name"]] = found
    return facts


def test_i2_google_csv_comes_back_with_every_cell(server):
    original = sample("google_contacts.csv").decode()
    back = _round_trip(server, "contacts", sample("google_contacts.csv"), format="csv")
    sent, received = _csv_facts(original), _csv_facts(back)
    assert set(received) == set(sent)
    for person, facts in sent.items():
        assert not facts - received[person], person
        assert {f[0] for f in received[person] - facts} <= {"Custom Field Value"}  # the UID


def _csv_visible(card) -> collections.Counter:
    """What a CSV can hold of a vCard, as (property, types, value)."""
    silent = {"internet", "voice", "pref"}
    found = collections.Counter()
    for prop in card.getChildren():
        if prop.name in ("VERSION", "PHOTO", "PRODID"):
            continue
        types = (
            frozenset(t.lower() for t in prop.params.get("TYPE", []) for t in t.split(",")) - silent
        )
        value = prop.value.replace("-", "") if prop.name == "BDAY" else prop.value
        found[(prop.name, types, repr(value))] += 1
    return found


def test_i2_vcards_through_csv_keep_what_csv_can_hold(server):
    cards = "".join(contact(i) for i in range(1, 12, 2))  # vCard 3.0 samples
    csv_text = _round_trip(server, "contacts", cards.encode(), format="csv")
    back = _round_trip(server, "contacts", csv_text.encode())
    sent = {c.uid.value: _csv_visible(c) for c in vobject.readComponents(cards)}
    received = {c.uid.value: _csv_visible(c) for c in vobject.readComponents(back)}
    assert sent == received
