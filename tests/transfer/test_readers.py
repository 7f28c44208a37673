"""Reading files into records (SPEC I1): encodings, vCard 2.1, folding, CSV quirks, positions.

The readers are pure functions of a file's bytes; what the server does with
the records is tested over HTTP in test_import_api.py.
"""

import codecs
import csv
import io

import pytest
import vobject

from davshare.model.errors import InvalidInput
from davshare.transfer.csv_contacts import read_csv_contacts
from davshare.transfer.icalendar import read_calendars
from davshare.transfer.lines import LineReader
from davshare.transfer.vcard import read_vcards
from tests.transfer.helpers import sample


def _lines(data: bytes, charset: str = "") -> tuple[list[str], LineReader]:
    reader = LineReader(io.BytesIO(data), charset)
    return list(reader), reader


def _cards(records) -> dict[str, vobject.base.Component]:
    cards = [vobject.readOne(r.text) for r in records if r.text]
    return {card.fn.value: card for card in cards}


def test_i1_latin1_outlook_csv_is_read_as_windows_1252_and_said_so():
    lines, reader = _lines(sample("outlook_contacts.csv"))
    cards = _cards(read_csv_contacts(lines))
    assert set(cards) == {"Mme Françoise Lefèvre", "Émile Ébrard", "Zürich Versicherung"}
    assert cards["Mme Françoise Lefèvre"].org.value == ["Société Générale d'Études", "Achats"]
    assert "Windows-1252" in reader.encoding_note()


def test_i1_a_mix_of_utf8_and_latin1_lines_is_read_line_by_line():
    data = "First Name,Last Name\nHélène,Hébert\n".encode() + "Chloé,Côté\n".encode("cp1252")
    lines, reader = _lines(data)
    assert lines == ["First Name,Last Name", "Hélène,Hébert", "Chloé,Côté"]
    assert reader.fallback_lines == 1 and reader.first_fallback_line == 3


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("utf-16"),  # with its BOM, as Excel's "Unicode text"
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
        lambda text: text.replace("\n", "\r").encode("utf-8"),  # old Mac line ends
    ],
    ids=["utf8-bom", "utf16", "crlf", "cr"],
)
def test_i1_bom_utf16_and_line_ends_give_the_same_contacts(encode):
    text = sample("google_contacts.csv").decode("utf-8")
    expected = [r.text for r in read_csv_contacts(text.splitlines())]
    lines, _ = _lines(encode(text))
    assert [r.text for r in read_csv_contacts(lines)] == expected


def test_i1_vcard21_quoted_printable_becomes_vcard30():
    lines, _ = _lines(sample("contacts_vcard21_quoted_printable.vcf"))
    records = list(read_vcards(lines))
    assert [r.problem for r in records] == ["", ""]
    assert all("VERSION:3.0\r\n" in r.text and "QUOTED-PRINTABLE" not in r.text for r in records)
    cards = _cards(records)
    rene = cards["René Lévesque"]
    assert (rene.n.value.family, rene.n.value.given) == ("Lévesque", "René")
    assert rene.org.value == ["Café du Nord", "Cuisine"]
    assert rene.note.value == (
        "Première ligne, avec une virgule;\nDeuxième ligne très longue "
        "qui continue après un saut doux."
    )
    assert {(t.value, tuple(t.params["TYPE"])) for t in rene.tel_list} == {
        ("+33612345678", ("CELL", "PREF")),
        ("+33 4 78 00 00 00", ("WORK", "VOICE")),
        ("+33 4 78 00 00 01", ("HOME", "FAX")),
    }
    assert rene.photo.value.startswith(b"\x89PNG")
    assert rene.x_android_custom.value.startswith("vnd.android.cursor.item/nickname;Ren;1")
    assert "Jürgen Müller" in cards  # ISO-8859-1 quoted-printable; FN made from N


def test_i1_folded_lines_and_bom_are_read():
    lines, _ = _lines(sample("contacts_vcard30_bom_folded.vcf"))
    cards = _cards(read_vcards(lines))
    assert cards["Zoé Ribeiro-Fontaine"].note.value == (
        "Une très longue note qui dépasse largement les soixante-quinze octets d'une "
        "ligne, pliée comme le veut la RFC 6350, avec des accents répartis de part et "
        "d'autre des plis."
    )
    assert "Ana Lúcia Prado" in cards


def test_i1_bad_vcards_are_reported_with_their_position():
    lines, _ = _lines(sample("contacts_with_bad_records.vcf"))
    records = list(read_vcards(lines))
    assert [(r.number, r.line, r.problem) for r in records if r.problem] == [
        (2, 8, "no END:VCARD before the next BEGIN:VCARD"),
        (0, 18, "text outside any vCard: 'Some text a mail program left between two contacts.'"),
        (6, 31, "the file ends inside this vCard (no END:VCARD)"),
    ]
    good = [r for r in records if r.text]
    assert [(r.number, r.line) for r in good] == [(1, 1), (3, 12), (4, 19), (5, 25)]


def test_i1_bad_csv_rows_are_reported_with_their_position():
    lines, _ = _lines(sample("google_contacts_with_bad_rows.csv"))
    records = list(read_csv_contacts(lines))
    assert [(r.number, r.line) for r in records] == [(1, 2), (2, 3), (3, 4), (4, 5), (5, 6)]
    assert [bool(r.text) for r in records] == [True, False, False, False, True]
    assert "not valid CSV" in records[1].problem
    assert "9 fields but the header 7" in records[2].problem
    assert records[3].problem == "no name, organisation, e-mail or phone"
    assert vobject.readOne(records[4].text).note.value == "Last good row,\nover two lines"


def test_i1_csv_rows_get_stable_uids_whatever_empty_columns_are_added():
    text = sample("google_contacts.csv").decode()
    first = [vobject.readOne(r.text).uid.value for r in read_csv_contacts(text.splitlines())]
    again = [vobject.readOne(r.text).uid.value for r in read_csv_contacts(text.splitlines())]
    header, *rows = list(csv.reader(io.StringIO(text)))
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[*header, "Custom Field 2 - Label"]] + [[*r, ""] for r in rows])
    wider = buffer.getvalue().splitlines()
    widened = [vobject.readOne(r.text).uid.value for r in read_csv_contacts(wider)]
    assert first == again == widened and len(set(first)) == 4


def test_i1_outlook_dates_and_placeholders():
    lines, _ = _lines(sample("outlook_contacts.csv"))
    cards = _cards(read_csv_contacts(lines))
    francoise, emile = cards["Mme Françoise Lefèvre"], cards["Émile Ébrard"]
    assert francoise.bday.value == "1972-07-14" and francoise.x_anniversary.value == "2001-09-01"
    assert emile.bday.value == "1990-12-03"
    assert "x-anniversary" not in emile.contents  # Outlook's "0/0/00"
    custom = {p.params["X-LABEL"][0]: p.value for p in francoise.contents["x-davshare-field"]}
    assert custom == {"Gender": "Female", "User 1": "VIP"}  # not Priority=Normal, Private=False...
    assert [e.value for e in francoise.email_list] == [
        "francoise.lefevre@sge.example",
        "f.lefevre@maison.example",
    ]


def test_i1_google_labels_types_and_multiple_values():
    lines, _ = _lines(sample("google_contacts.csv"))
    cards = _cards(read_csv_contacts(lines))
    helene = cards["Dr. Hélène Marie Hébert"]
    assert [(e.value, e.params["TYPE"]) for e in helene.email_list] == [
        ("helene.hebert@acme-lyon.example", ["INTERNET", "WORK", "PREF"]),
        ("h.hebert@acme.example", ["INTERNET", "WORK"]),
        ("helene@maison.example", ["INTERNET", "HOME"]),
    ]
    assert helene.categories.value == ["Clients", "VIP"]  # not Google's "* myContacts"
    assert helene.adr.value.box == "BP 42" and helene.adr.value.extended == "Bâtiment B"
    assert cards["Bruno Buisson"].bday.value == "--11-02"
    assert [t.value for t in cards["Chloé Côté"].tel_list] == ["+1 514 555 0199", "+1 514 555 0100"]


def test_i1_semicolon_delimited_csv_from_a_french_excel():
    text = "First Name;Last Name;E-mail Address\nAnne;Archer;anne@example.fr\n"
    (record,) = read_csv_contacts(text.splitlines())
    assert vobject.readOne(record.text).email.value == "anne@example.fr"


def test_i1_a_csv_that_is_no_contacts_export_is_refused_before_anything():
    with pytest.raises(InvalidInput, match="names none of the columns"):
        list(read_csv_contacts(["date,amount", "2026-01-01,12.50"]))


def test_i1_calendar_objects_keep_their_exceptions_and_time_zones():
    lines, _ = _lines(sample("calendar_thunderbird.ics"))
    records = list(read_calendars(lines))
    assert [r.problem for r in records] == ["", "", ""]
    weekly, party, dentist = (vobject.readOne(r.text) for r in records)
    assert len(weekly.vevent_list) == 2 and weekly.vtimezone.tzid.value == "Europe/Paris"
    assert "vtimezone" not in party.contents and "vtimezone" not in dentist.contents
    assert dentist.vevent.valarm.trigger.value.days == -1


def test_i1_components_without_uid_get_a_stable_one():
    text = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nDTSTART:20260101T100000Z\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n"
    first = [vobject.readOne(r.text).vevent.uid.value for r in read_calendars(text.splitlines())]
    again = [vobject.readOne(r.text).vevent.uid.value for r in read_calendars(text.splitlines())]
    assert first == again and first[0]
