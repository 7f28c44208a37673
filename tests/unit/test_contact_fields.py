"""The vCard line reader behind views and confidential fields (issue 5): pure functions."""

import pytest

from davshare.core import vtext
from davshare.model import confidential, contact_props
from davshare.model.errors import InvalidInput

APPLE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:a\r\nFN:Anne\r\nN:Anne;;;;\r\n"
    "item1.ADR;type=HOME;type=pref:;;9 Chemin;Villeurbanne;;69100;France\r\n"
    "item1.X-ABLabel:_$!<Home>!$_\r\n"
    "item2.ADR;type=WORK:;;1 Rue;Lyon;;69001;France\r\n"
    'TEL;TYPE="CELL,VOICE":+33 6\r\n'
    "NOTE:a long note that is folded \r\n over two lines\r\n"
    "X-SUPPORT-LEVEL:Gold\r\n"
    "EMAIL;TYPE=INTERNET:anne@Acme.example\r\n"
    "CATEGORIES:VIP,Press\\, Media\r\n"
    "ORG:Acme\\; Sons;Sales\r\n"
    "END:VCARD\r\n"
)
V21 = "BEGIN:VCARD\r\nVERSION:2.1\r\nUID:b\r\nFN:B\r\nTEL;HOME:+1\r\nTEL;WORK:+2\r\nEND:VCARD\r\n"


def test_lines_unfold_and_split_name_group_params_and_value():
    parsed = [vtext.parse_line(line) for _, line, _ in vtext.logical_lines(APPLE.splitlines())]
    adr = parsed[5]
    assert adr is not None
    assert (adr.group, adr.name, set(adr.types())) == ("item1", "ADR", {"home", "pref"})
    note = next(p for p in parsed if p is not None and p.name == "NOTE")
    assert note.value == "a long note that is folded over two lines"
    tel = next(p for p in parsed if p is not None and p.name == "TEL")
    assert set(tel.types()) == {"cell", "voice"}
    assert vtext.parse_line("no colon here") is None
    found = vtext.parse_line('X-A;X-P="a:b":value')
    assert found is not None and found.value == "value"


def test_contact_props_index_named_parts_and_every_property():
    props = contact_props.extract(APPLE)
    for expected in [
        ("city", "villeurbanne"),
        ("city", "lyon"),
        ("postal_code", "69001"),
        ("country", "france"),
        ("email_domain", "acme.example"),
        ("EMAIL", "anne@acme.example"),
        ("category", "vip"),
        ("category", "press, media"),
        ("organisation", "acme; sons"),
        ("X-SUPPORT-LEVEL", "gold"),
    ]:
        assert expected in props
    assert not any(name in ("UID", "BEGIN", "VERSION") for name, _ in props)
    assert all(len(value) <= contact_props.MAX_VALUE for _, value in props)


def test_strip_takes_out_a_property_with_its_label_and_keeps_the_rest():
    specs = confidential.parse_specs(["ADR;TYPE=HOME", "NOTE", "TEL;TYPE=cell"])
    stripped = confidential.strip(APPLE, specs)
    assert "Villeurbanne" not in stripped and "X-ABLabel" not in stripped
    assert "NOTE" not in stripped and "+33 6" not in stripped
    assert "item2.ADR;type=WORK" in stripped and "X-SUPPORT-LEVEL:Gold" in stripped
    assert stripped.endswith("END:VCARD\r\n")
    # vCard 2.1's bare types count as types.
    only_work = confidential.strip(V21, confidential.parse_specs(["TEL;TYPE=HOME"]))
    assert "+1" not in only_work and "+2" in only_work


def test_merge_puts_the_stored_confidential_properties_back_and_drops_the_sharees():
    specs = confidential.parse_specs(["NOTE", "ADR;TYPE=HOME"])
    seen = confidential.strip(APPLE, specs)
    edited = seen.replace("FN:Anne", "FN:Anne M.").replace("END:VCARD", "NOTE:mine\r\nEND:VCARD")
    merged = confidential.merge(edited, APPLE, specs)
    assert "FN:Anne M." in merged and "NOTE:mine" not in merged
    assert "NOTE:a long note that is folded \r\n over two lines" in merged  # as stored
    assert "item1.ADR;type=HOME" in merged and "item1.X-ABLabel" in merged
    assert merged.index("END:VCARD") > merged.index("NOTE:")
    assert confidential.strip(merged, specs) == confidential.strip(edited, specs)


@pytest.mark.parametrize("bad", [["FN"], ["ADR;LABEL=x"], [""], "NOTE", [1]])
def test_bad_specs_are_refused(bad):
    with pytest.raises(InvalidInput):
        confidential.parse_specs(bad)


def test_specs_are_normalised_and_their_digest_is_stable():
    one = confidential.parse_specs(["note", "adr;type=Home", "NOTE"])
    assert [str(s) for s in one] == ["ADR;TYPE=HOME", "NOTE"]
    assert confidential.digest(one) == confidential.digest(
        confidential.loads(confidential.dumps(one))
    )
