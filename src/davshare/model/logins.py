"""Logins are case-insensitive: one canonical form, for sign-in, paths and every lookup."""


def normalize_login(login: str) -> str:
    """The canonical form of a login: trimmed and lower-cased (logins are case-insensitive)."""
    return login.strip().lower()
