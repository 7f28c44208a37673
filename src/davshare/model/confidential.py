"""Confidential contact properties: left out of what a sharee receives, kept on their edits.

A spec names a vCard property, optionally narrowed to one TYPE:
"BDAY", "NOTE", "ADR;TYPE=HOME", "TEL;TYPE=CELL". Lines of the same group
(Apple's ``item1.ADR`` with its ``item1.X-ABLabel``) go with the property.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import sha256

from davshare.core import vtext
from davshare.model.errors import InvalidInput

_SPEC = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)(?:;TYPE=([A-Za-z0-9-]+))?$", re.IGNORECASE)
# Without these a contact is no contact: they always go.
_REQUIRED = {"BEGIN", "END", "VERSION", "UID", "FN", "N"}
_MAX_SPECS = 50


@dataclass(frozen=True)
class Spec:
    """One confidential property: its name and, optionally, one TYPE."""

    name: str
    type: str | None = None

    def __str__(self) -> str:
        return self.name + (f";TYPE={self.type.upper()}" if self.type else "")

    def matches(self, prop: vtext.Prop) -> bool:
        """Whether ``prop`` is this property."""
        return prop.name == self.name and (self.type is None or self.type in prop.types())


def parse_specs(values: object) -> tuple[Spec, ...]:
    """The specs of an API body's "confidential" list; 400 with the reason when wrong."""
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InvalidInput('"confidential" must be a list of vCard property names')
    if len(values) > _MAX_SPECS:
        raise InvalidInput(f"at most {_MAX_SPECS} confidential properties")
    specs = []
    for value in values:
        match = _SPEC.match(value.strip())
        if match is None:
            raise InvalidInput(
                f"{value!r} is not a vCard property: write a name such as BDAY or NOTE, "
                "optionally with one type, such as ADR;TYPE=HOME"
            )
        name, kind = match.group(1).upper(), match.group(2)
        if name in _REQUIRED:
            raise InvalidInput(f"{name} cannot be confidential: every contact needs it")
        specs.append(Spec(name, kind.lower() if kind else None))
    return tuple(sorted(set(specs), key=str))


def dumps(specs: Iterable[Spec]) -> str:
    """Specs as stored (a JSON list of strings)."""
    return json.dumps([str(s) for s in specs])


def loads(text: str | None) -> tuple[Spec, ...]:
    """Specs as stored back into objects."""
    return parse_specs(json.loads(text or "[]"))


def digest(specs: Iterable[Spec]) -> str:
    """A short name for a set of specs (goes into sync tokens: a change expires them)."""
    return sha256(dumps(specs).encode()).hexdigest()[:12]


def _split(text: str, specs: tuple[Spec, ...]) -> tuple[list[str], list[str]]:
    """(kept lines, confidential lines) of a vCard, each as written (folds kept)."""
    parsed = [
        (vtext.parse_line(line), raw) for _, line, raw in vtext.logical_lines(text.splitlines())
    ]
    hidden_groups = {
        prop.group
        for prop, _ in parsed
        if prop is not None and prop.group and any(s.matches(prop) for s in specs)
    }
    kept: list[str] = []
    hidden: list[str] = []
    for prop, raw in parsed:
        secret = prop is not None and (
            any(s.matches(prop) for s in specs) or (prop.group and prop.group in hidden_groups)
        )
        (hidden if secret else kept).extend(raw)
    return kept, hidden


def strip(text: str, specs: tuple[Spec, ...]) -> str:
    """``text`` without its confidential properties."""
    if not specs:
        return text
    return _join(_split(text, specs)[0])


def merge(edited: str, stored: str, specs: tuple[Spec, ...]) -> str:
    """A sharee's edit with the stored confidential properties put back.

    Whatever the sharee sent in their place is dropped: they could not see
    those properties, so they cannot have meant to change them.
    """
    if not specs:
        return edited
    kept, _ = _split(edited, specs)
    _, confidential = _split(stored, specs)
    end = max((i for i, line in enumerate(kept) if line.upper() == "END:VCARD"), default=len(kept))
    return _join(kept[:end] + confidential + kept[end:])


def _join(lines: list[str]) -> str:
    return "\r\n".join(lines) + "\r\n"


def etag(text: str) -> str:
    """The etag of a stripped contact: changes only when what the sharee sees changes."""
    return '"' + sha256(text.encode()).hexdigest() + '"'
