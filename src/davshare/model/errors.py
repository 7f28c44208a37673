"""Exceptions of the data layer: plain data, mapped to HTTP in one place (``davshare.errors``)."""


class DavshareError(Exception):
    """Base of every error davshare reports to a person; ``str()`` is the message."""

    code = "error"


class NotFound(DavshareError):
    """Something named does not exist."""

    code = "not_found"


class AlreadyExists(DavshareError):
    """Something with that name exists already."""

    code = "already_exists"


class InvalidInput(DavshareError):
    """A value a person gave cannot be used; the message says why."""

    code = "invalid_input"


class NotAllowed(DavshareError):
    """The requester may not do this; over DAV, ``privilege`` names what lacks on ``href``."""

    code = "forbidden"

    def __init__(self, message: str, privilege: str = "write", href: str = "") -> None:
        super().__init__(message)
        self.privilege = privilege
        self.href = href


class MassDeletion(NotAllowed):
    """A burst of deletions went past ``[trash] guard_share`` of a shared collection."""

    code = "mass_deletion"

    def __init__(self, message: str, burst_id: int, href: str = "") -> None:
        super().__init__(message, "unbind", href)
        self.burst_id = burst_id


class PreconditionFailed(DavshareError):
    """The item changed since the request decided on it (a concurrent write)."""

    code = "precondition_failed"


class UidConflict(DavshareError):
    """Another item of the collection already has this UID."""

    code = "uid_conflict"

    def __init__(self, uid: str, existing_href: str) -> None:
        super().__init__(f"an item with UID {uid!r} exists already at {existing_href!r}")
        self.uid = uid
        self.existing_href = existing_href


class PlanLimit(NotAllowed):
    """A plan's cap (groups, members) would be exceeded (SPEC A4); the message names it."""

    code = "plan_limit"


class QuotaExceeded(DavshareError):
    """Storing this would exceed the storage allowed, ``limit`` bytes (SPEC A4, RFC 4331)."""

    code = "quota_exceeded"

    def __init__(self, limit: int, used: int, size: int) -> None:
        super().__init__(
            f"storing {size} bytes would exceed the storage allowed by the plan: "
            f"{used} of {limit} bytes are used; delete something or ask for a larger plan"
        )
        self.limit = limit
        self.used = used
        self.size = size


class TooExpensive(DavshareError):
    """A recurrence or a query beyond the server's bounds; ``condition`` names the
    RFC 4791 precondition (``C:max-instances``, ``C:max-date-time``) or
    ``D:number-of-matches-within-limits`` for a query over its time budget."""

    code = "too_expensive"

    def __init__(self, message: str, condition: str) -> None:
        super().__init__(message)
        self.condition = condition


class StateConflict(DavshareError):
    """Refused by the current state, not by the request (409): e.g. the admin leaving
    before handing the role over; ``code`` is stable for clients to test."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code
