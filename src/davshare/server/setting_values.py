"""Reading one setting's text as a number or a flag, with the message that names it."""

from typing import Any

from davshare.model.errors import InvalidInput

_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


def number(section: str, option: str, raw: str, kind: type) -> Any:
    """``raw`` as ``kind`` (int, float), or InvalidInput naming ``[section] option``."""
    try:
        return kind(raw)
    except ValueError:
        raise InvalidInput(f"[{section}] {option} must be a number, not {raw!r}") from None


def flag(section: str, option: str, raw: str) -> bool:
    """``raw`` as true or false (yes/no, on/off, 1/0 too), or InvalidInput naming it."""
    value = raw.strip().lower()
    if value not in _TRUE + _FALSE:
        raise InvalidInput(f"[{section}] {option} must be true or false, not {raw.strip()!r}")
    return value in _TRUE
