"""The text layer shared by vCard and iCalendar (RFC 6350 3.2-3.4, RFC 5545 3.1-3.2).

Content lines are folded at 75 octets, values escape ``\\ , ; newline``, and
parameters may be quoted. vCard 2.1 adds bare parameters (``TEL;HOME:``),
kept here as parameters without a name.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

FOLD_OCTETS = 75
_NAME = re.compile(r"(?:([A-Za-z0-9-]+)\.)?([A-Za-z0-9-]+)")
_PARAM = re.compile(r'([^=;:"]*)(=((?:"[^"]*"|[^;:"])*))?')
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)


@dataclass
class Prop:
    """One content line: ``group.NAME;PARAM=value:value``."""

    group: str
    name: str
    # (NAME in upper case, raw value); a bare vCard 2.1 parameter has the name "".
    params: list[tuple[str, str]]
    value: str

    def param(self, name: str) -> str:
        """The first value of parameter ``name`` without quotes ("" if absent)."""
        return next((v.strip('"') for k, v in self.params if k == name), "")

    def types(self) -> list[str]:
        """The TYPE values in lower case, vCard 2.1 bare ones included, in order."""
        found: list[str] = []
        for key, value in self.params:
            if key in ("TYPE", ""):
                found += [t.strip('" ').lower() for t in value.split(",") if t.strip('" ')]
        return found


def logical_lines(lines: Iterable[str]) -> Iterator[tuple[int, str, list[str]]]:
    """Each content line as (number of its first line, unfolded text, its physical lines).

    ``lines`` have no line endings and are numbered from 1; blank lines are dropped.
    """
    start, parts, raw = 0, list[str](), list[str]()
    for number, line in enumerate(lines, 1):
        if line[:1] in (" ", "\t") and raw:
            parts.append(line[1:])
            raw.append(line)
            continue
        if raw:
            yield start, "".join(parts), raw
        start, parts, raw = (number, [line], [line]) if line.strip() else (0, [], [])
    if raw:
        yield start, "".join(parts), raw


def parse_line(line: str) -> Prop | None:
    """The property of an unfolded content line, or None if it is not one."""
    match = _NAME.match(line)
    if match is None:
        return None
    position, params = match.end(), []
    while position < len(line) and line[position] == ";":
        param = _PARAM.match(line, position + 1)
        assert param is not None  # the pattern matches the empty string
        name, value = param.group(1).strip(), param.group(3)
        params.append((name.upper(), value) if value is not None else ("", name))
        position = param.end()
    if position >= len(line) or line[position] != ":":
        return None
    return Prop(match.group(1) or "", match.group(2).upper(), params, line[position + 1 :])


def format_line(prop: Prop) -> str:
    """The unfolded content line of ``prop`` (bare parameters written as they came)."""
    head = f"{prop.group}.{prop.name}" if prop.group else prop.name
    for key, value in prop.params:
        head += f";{key}={value}" if key else f";{value}"
    return f"{head}:{prop.value}"


def fold(line: str) -> list[str]:
    """``line`` cut into physical lines of at most 75 octets (RFC 6350 3.2)."""
    folded, current, size = [], "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > FOLD_OCTETS:
            folded.append(current)
            current, size = " ", 1
        current += char
        size += octets
    return [*folded, current]


def quote_param(value: str) -> str:
    """A parameter value, quoted when it holds ``: ; ,`` (a DQUOTE cannot be written)."""
    value = value.replace('"', "'").replace("\r", " ").replace("\n", " ")
    return f'"{value}"' if any(c in value for c in ":;,") else value


def escape(value: str) -> str:
    """A TEXT value escaped for vCard 3.0/4.0 and iCalendar."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def unescape(value: str) -> str:
    """The text of an escaped TEXT value."""
    return _ESCAPED.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def split_escaped(value: str, separator: str) -> list[str]:
    """``value`` cut at each unescaped ``separator``; the parts stay escaped."""
    parts, current, escaped = [], "", False
    for char in value:
        if char == separator and not escaped:
            parts.append(current)
            current = ""
            continue
        current += char
        escaped = char == "\\" and not escaped
    return [*parts, current]
