"""vCard 2.1 (old phones, Outlook, Nokia and Android exports) as vCard 3.0.

CardDAV stores vCard 3.0 and 4.0 (RFC 6352 5.1), and clients choke on 2.1's
quoted-printable values, per-property character sets and bare parameters
(``TEL;HOME;VOICE:``). Each property is decoded and written again as 3.0;
what it says is kept.
"""

import quopri
from collections.abc import Iterator

from davshare.core.vtext import Prop, escape, fold, format_line, parse_line, split_escaped

_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
_STRUCTURED = {"N", "ADR", "ORG"}
_LISTS = {"CATEGORIES", "NICKNAME"}
_TEXT = {"FN", "NOTE", "TITLE", "ROLE", "LABEL", "MAILER"}
_DROPPED_PARAMS = {"CHARSET", "ENCODING", "TYPE", ""}


def is_vcard21(lines: list[str]) -> bool:
    """Whether the vCard's lines say ``VERSION:2.1``."""
    return any(line.strip().upper() == "VERSION:2.1" for line in lines)


def _soft_break(text: str) -> bool:
    """A quoted-printable value ending in "=" continues on the next line."""
    return text.endswith("=") and "QUOTED-PRINTABLE" in text.partition(":")[0].upper()


def _unfold(lines: list[str]) -> Iterator[str]:
    """Content lines: 2.1 folding keeps the whitespace; "=" at the end of QP continues."""
    current: str | None = None
    for line in lines:
        if current is not None and (line[:1] in (" ", "\t") or _soft_break(current)):
            current = (current[:-1] if _soft_break(current) else current) + line
            continue
        if current is not None:
            yield current
        current = line
    if current is not None:
        yield current


def _encoding(prop: Prop) -> str:
    bare = [v.upper() for k, v in prop.params if not k and v.upper() in _ENCODINGS]
    return (prop.param("ENCODING") or (bare[0] if bare else "")).upper()


def _decode_qp(value: str, charset: str) -> str:
    raw = quopri.decodestring(value.encode("utf-8"))
    try:
        return raw.decode(charset or "utf-8")
    except (UnicodeDecodeError, LookupError):
        return raw.decode("cp1252", errors="replace")


def _escape_value(name: str, value: str) -> str:
    """A decoded 2.1 value escaped as 3.0 wants it (2.1 escapes only ";")."""
    value = value.replace("\r\n", "\n")
    if name in _STRUCTURED:
        return ";".join(escape(part.replace("\\;", ";")) for part in split_escaped(value, ";"))
    if name in _LISTS:
        return ",".join(escape(part.replace("\\;", ";")) for part in value.split(","))
    if name in _TEXT:
        return escape(value.replace("\\;", ";"))
    return value.replace("\n", "\\n")


def _params(prop: Prop, encoding: str) -> list[tuple[str, str]]:
    types = [t.upper() for t in prop.types() if t.upper() not in _ENCODINGS]
    params = [(k, v) for k, v in prop.params if k not in _DROPPED_PARAMS]
    params = [("VALUE", "uri") if (k, v.upper()) == ("VALUE", "URL") else (k, v) for k, v in params]
    if types:
        params.insert(0, ("TYPE", ",".join(dict.fromkeys(types))))
    if encoding in ("BASE64", "B"):
        params.insert(0, ("ENCODING", "b"))
    return params


def upgrade_property(prop: Prop) -> Prop:
    """One 2.1 property as 3.0."""
    encoding = _encoding(prop)
    value = prop.value
    if encoding == "QUOTED-PRINTABLE":
        value = _decode_qp(value, prop.param("CHARSET"))
    if encoding in ("BASE64", "B"):
        value = "".join(value.split())
    elif prop.name == "VERSION":
        value = "3.0"
    else:
        value = _escape_value(prop.name, value)
    return Prop(prop.group, prop.name, _params(prop, encoding), value)


def _display_name(props: list[Prop]) -> str:
    """An FN for a 2.1 vCard without one (3.0 requires it): from N, ORG, EMAIL or TEL."""
    by_name = {p.name: p for p in reversed(props)}
    if "N" in by_name:
        parts = split_escaped(by_name["N"].value, ";")
        name = " ".join(p for p in (parts[1:2] + parts[2:3] + parts[:1]) if p)
        if name:
            return name
    for key in ("ORG", "EMAIL", "TEL"):
        if key in by_name:
            return split_escaped(by_name[key].value, ";")[0]
    return ""


def upgrade(lines: list[str]) -> list[str]:
    """A vCard 2.1's physical lines as a vCard 3.0's; ValueError for a line that is no property."""
    props = []
    for text in _unfold(lines):
        prop = parse_line(text)
        if prop is None:
            raise ValueError(f"not a vCard property: {text[:60]!r}")
        props.append(upgrade_property(prop))
    if not any(p.name == "FN" for p in props):
        props.insert(len(props) - 1, Prop("", "FN", [], _display_name(props)))
    return [physical for prop in props for physical in fold(format_line(prop))]
