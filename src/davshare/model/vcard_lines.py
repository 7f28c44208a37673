"""vCard content lines read without a full parse (RFC 6350 3.3).

Views index contact fields and confidential properties are removed line by
line: the client's text stays as it was, apart from the lines taken out.
"""

import re
from dataclasses import dataclass

_FOLD = re.compile(r"\r?\n[ \t]")


@dataclass(frozen=True)
class Line:
    """One unfolded content line: ``[group.]NAME[;params]:value``."""

    text: str
    group: str
    name: str
    params: str
    value: str

    def types(self) -> frozenset[str]:
        """Its TYPE parameter values, lower-cased (vCard 2.1's bare ``;HOME`` included)."""
        found: set[str] = set()
        for param in _split_params(self.params):
            key, sep, values = param.partition("=")
            if not sep:
                found.add(key.lower())
            elif key.upper() == "TYPE":
                found.update(v.strip('"').lower() for v in values.split(","))
        return frozenset(found)


def _split_params(params: str) -> list[str]:
    out, current, quoted = [], "", False
    for char in params:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            out.append(current)
            current = ""
        else:
            current += char
    if current:
        out.append(current)
    return [p for p in out if p]


def parse(text: str) -> Line | None:
    """The parts of one unfolded line, or None when it has no ``:``."""
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = text[:index], text[index + 1 :]
            break
    else:
        return None
    name, _, params = head.partition(";")
    group, _, name = name.rpartition(".")
    return Line(text, group, name.strip().upper(), params, value)


def unfold(text: str) -> list[str]:
    """The content lines of ``text``, folds undone, blank lines dropped."""
    return [line for line in _FOLD.sub("", text).splitlines() if line.strip()]


def lines(text: str) -> list[Line | str]:
    """Every line of ``text``: parsed where it parses, else the raw text."""
    return [parse(raw) or raw for raw in unfold(text)]


def join(parts: list[str]) -> str:
    """Lines back into vCard text (CRLF line ends)."""
    return "\r\n".join(parts) + "\r\n"


def unescape(value: str) -> str:
    """A text value without vCard's backslash escapes."""
    return re.sub(r"\\(.)", lambda m: " " if m.group(1) in "nN" else m.group(1), value)


def components(value: str) -> list[str]:
    """The ``;``-separated components of a structured value (ADR, N, ORG), unescaped."""
    return [unescape(part) for part in re.split(r"(?<!\\);", value)]
