"""A field-level comparison of two versions of a contact or an event (issue 20).

Each content line is a field named by its component, property and parameters
(``EMAIL;TYPE=WORK``, ``VEVENT/SUMMARY``); a field whose values differ between the
two versions is listed with its values before and after.
"""

from davshare.core import vtext

_FRAME = {"BEGIN", "END", "VERSION", "PRODID"}


def fields(text: str) -> dict[str, list[str]]:
    """Field name -> its values, in the order of the text."""
    found: dict[str, list[str]] = {}
    within: list[str] = []
    for _, line, _ in vtext.logical_lines(text.splitlines()):
        prop = vtext.parse_line(line)
        if prop is None:
            continue
        if prop.name == "BEGIN":
            within.append(prop.value.upper())
        elif prop.name == "END" and within:
            within.pop()
        if prop.name in _FRAME:
            continue
        params = "".join(f";{k}={v}" if k else f";{v}" for k, v in sorted(prop.params))
        path = "/".join(c for c in within if c not in ("VCARD", "VCALENDAR"))
        key = f"{path}/{prop.name}{params}" if path else prop.name + params
        found.setdefault(key, []).append(vtext.unescape(prop.value))
    return found


def diff(before: str, after: str) -> list[dict[str, object]]:
    """The fields that differ: ``{"field", "before": [...], "after": [...]}`` each."""
    old, new = fields(before), fields(after)
    changed: list[dict[str, object]] = []
    for key in dict.fromkeys([*old, *new]):
        if old.get(key, []) != new.get(key, []):
            changed.append({"field": key, "before": old.get(key, []), "after": new.get(key, [])})
    return changed
