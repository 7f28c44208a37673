"""Who is asking, and what the request decided: a contextvar set around every request.

The application sets it; the storage reads it inside its write transaction to
record the creator of an item, to keep the client's own text and to repeat the
precondition the application decided on.
"""

from contextlib import AbstractContextManager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

# Marks "the item must not exist yet" in ``expected_etags`` and ``expected_creators``.
ABSENT = ""


@dataclass
class RequestContext:
    """The facts of one request that the storage needs."""

    user: str = ""
    # The client's User-Agent, cut short: bursts of changes and the activity log name it.
    client: str = ""
    # The raw body of a PUT, kept so the stored text is what the client sent.
    raw_body: str | None = None
    # item path -> the etag the application decided on (ABSENT: must not exist);
    # set when the client sent If-Match or If-None-Match.
    expected_etags: dict[str, str] = field(default_factory=dict)
    # item path -> the creator the application's decision rested on (ABSENT: no
    # item); without a client precondition, only a change of that answers 412.
    expected_creators: dict[str, str] = field(default_factory=dict)
    # Why its sign-in was refused (told in the 401 answer).
    sign_in_refusal: str = ""
    # The Schedule-Tag (RFC 6638) the PUT's item gets; None: the stored one stays.
    schedule_tag: str | None = None
    # Why the database failed the request (stopped, unreachable, pool exhausted), noted by
    # davshare.model.db wherever the error is caught afterwards: the answer is then 503.
    database_outage: str = ""
    # Facts looked up once per request (see davshare.access).
    cache: dict[tuple[object, ...], object] = field(default_factory=dict)
    # What the request keeps open for its own use (its read connection: see
    # davshare.model.db), each a context manager left when the request ends.
    held: dict[object, AbstractContextManager[Any]] = field(default_factory=dict)

    def release(self, key: object) -> None:
        """Leave and forget what the request holds under ``key`` (if anything)."""
        resource = self.held.pop(key, None)
        if resource is not None:
            resource.__exit__(None, None, None)


_current: ContextVar[RequestContext | None] = ContextVar("davshare_request", default=None)


def current() -> RequestContext:
    """The context of the running request (an empty one outside requests, e.g. in the CLI)."""
    context = _current.get()
    return context if context is not None else RequestContext()


def begin(context: RequestContext) -> object:
    """Install ``context`` for the running request; returns the token for ``end``."""
    return _current.set(context)


def end(token: object) -> None:
    """Remove the context installed by ``begin``, releasing what it held."""
    context = _current.get()
    _current.reset(token)  # type: ignore[arg-type]
    if context is not None:
        for key in list(context.held):
            context.release(key)


def active() -> RequestContext | None:
    """The context of the running request, None outside requests."""
    return _current.get()


def expects_absent(context: RequestContext, path: str) -> bool:
    """Whether the request decided on ``path`` being free (a create)."""
    return ABSENT in (context.expected_etags.get(path), context.expected_creators.get(path))
